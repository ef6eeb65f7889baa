package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Direct reads the embedded store's collections straight from FerretDB's
// SQLite files, past the wire protocol. FerretDB v1 answers every filter but
// _id by reading and decoding each document of the collection (0.2–0.35 ms a
// response); here a survey's responses after a sequence number are one range
// of an index on seq, in order, and their JSON is decoded once, into the
// record itself. It serves reads only: writes go through FerretDB.
//
// SQLite runs in WAL mode, so these reads see every committed write and
// never block a writer; the seq indexes are maintained by SQLite on every
// insert FerretDB makes. A Direct of a process attached to another's servers
// reads the same files but creates no index (its range reads still work,
// with SQLite sorting).
type Direct struct {
	dir    string // FerretDB's SQLite directory
	create bool   // this process owns the files: it may add indexes

	mu      sync.Mutex
	dbs     map[string]*sql.DB // by database name
	tables  map[string]string  // "<database>\x00<collection>" → table name
	indexed map[string]bool    // indexes made (by name)
}

// errNoTable means the collection does not exist (yet): it holds nothing.
var errNoTable = errors.New("no such collection")

// Direct returns the reader of the embedded store's files, nil when this
// process neither runs nor attached to an embedded FerretDB.
func (s *Servers) Direct() *Direct {
	if s == nil || s.mongoDir == "" {
		return nil
	}
	s.directOnce.Do(func() {
		s.direct = &Direct{dir: s.mongoDir, create: !s.Attached, dbs: map[string]*sql.DB{},
			tables: map[string]string{}, indexed: map[string]bool{}}
	})
	return s.direct
}

// close closes the open database handles.
func (d *Direct) close() {
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for name, db := range d.dbs {
		db.Close()
		delete(d.dbs, name)
	}
}

// db opens the database's SQLite file once; errNoTable when it does not exist.
func (d *Direct) db(database string) (*sql.DB, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if db := d.dbs[database]; db != nil {
		return db, nil
	}
	if strings.ContainsAny(database, `/\`) {
		return nil, fmt.Errorf("database name %q", database)
	}
	file := filepath.Join(d.dir, database+".sqlite")
	if _, err := os.Stat(file); errors.Is(err, os.ErrNotExist) {
		return nil, errNoTable
	}
	dsn := "file:" + (&url.URL{Path: file}).EscapedPath() + "?mode=rw&_pragma=busy_timeout(10000)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", file, err)
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	d.dbs[database] = db
	return db, nil
}

// table is the SQLite table of a collection, errNoTable when there is none.
func (d *Direct) table(ctx context.Context, db *sql.DB, database, collection string) (string, error) {
	key := database + "\x00" + collection
	d.mu.Lock()
	t, ok := d.tables[key]
	d.mu.Unlock()
	if ok {
		return t, nil
	}
	err := db.QueryRowContext(ctx, `SELECT table_name FROM _ferretdb_collections WHERE name = ?`, collection).Scan(&t)
	if errors.Is(err, sql.ErrNoRows) || (err != nil && strings.Contains(err.Error(), "no such table")) {
		return "", errNoTable
	}
	if err != nil {
		return "", fmt.Errorf("find the table of %s.%s: %w", database, collection, err)
	}
	d.mu.Lock()
	d.tables[key] = t
	d.mu.Unlock()
	return t, nil
}

// forget drops what is remembered of a collection whose table went away.
func (d *Direct) forget(database, collection, table string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.tables, database+"\x00"+collection)
	for suffix := range indexExprs {
		delete(d.indexed, table+suffix)
	}
}

// index gives the table an index named table+suffix on the expressions
// given, once per table and process. FerretDB's own indexes are on the JSON
// text of a field (its unique seq index orders "10" before "9"), so SQLite
// cannot use them for ranges or for the filters FerretDB does not push down.
func (d *Direct) index(ctx context.Context, db *sql.DB, table, suffix, exprs string) error {
	name := table + suffix
	d.mu.Lock()
	done := d.indexed[name] || !d.create
	d.mu.Unlock()
	if done {
		return nil
	}
	q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (%s)`, name, table, exprs)
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("index %s: %w", name, err)
	}
	d.mu.Lock()
	d.indexed[name] = true
	d.mu.Unlock()
	return nil
}

// Indexes the direct reads use.
const (
	bySeq        = "_renke_seq"
	bySurveyKind = "_renke_survey_kind"
)

var indexExprs = map[string]string{
	bySeq:        `_ferretdb_sjson->>'$.seq'`,
	bySurveyKind: `_ferretdb_sjson->>'$.survey_id', _ferretdb_sjson->>'$.kind'`,
}

// query runs q (with %q standing for the collection's table, given the
// index named) and calls fn with each row; a missing collection has no rows.
func (d *Direct) query(ctx context.Context, database, collection, index, q string, fn func(*sql.Rows) error, args ...any) error {
	db, err := d.db(database)
	if errors.Is(err, errNoTable) {
		return nil
	}
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		t, err := d.table(ctx, db, database, collection)
		if errors.Is(err, errNoTable) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := d.index(ctx, db, t, index, indexExprs[index]); err != nil {
			if attempt == 0 && strings.Contains(err.Error(), "no such table") {
				d.forget(database, collection, t)
				continue
			}
			return err
		}
		err = d.rows(ctx, db, fmt.Sprintf(q, t), fn, args...)
		if err != nil && attempt == 0 && strings.Contains(err.Error(), "no such table") {
			d.forget(database, collection, t) // dropped, perhaps made again
			continue
		}
		if err != nil {
			return fmt.Errorf("read %s.%s: %w", database, collection, err)
		}
		return nil
	}
}

func (d *Direct) rows(ctx context.Context, db *sql.DB, q string, fn func(*sql.Rows) error, args ...any) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachAfter calls fn with the JSON of every document of the collection
// whose seq is above after, in seq order (every document when after is 0,
// those without a seq first). The bytes are reused between calls.
func (d *Direct) EachAfter(ctx context.Context, database, collection string, after int64, fn func(doc []byte) error) error {
	q := `SELECT _ferretdb_sjson FROM %q ORDER BY _ferretdb_sjson->>'$.seq'`
	var args []any
	if after > 0 {
		q = `SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->>'$.seq' > ? ORDER BY _ferretdb_sjson->>'$.seq'`
		args = append(args, after)
	}
	var raw sql.RawBytes
	return d.query(ctx, database, collection, bySeq, q, func(rows *sql.Rows) error {
		if err := rows.Scan(&raw); err != nil {
			return err
		}
		return fn(raw)
	}, args...)
}

// Last returns the seq and hash of the collection's document with the
// highest seq (above 0); found is false when it has none.
func (d *Direct) Last(ctx context.Context, database, collection string) (seq int64, hash string, found bool, err error) {
	q := `SELECT _ferretdb_sjson->>'$.seq', coalesce(_ferretdb_sjson->>'$.hash', '') FROM %q
		WHERE _ferretdb_sjson->>'$.seq' > 0 ORDER BY _ferretdb_sjson->>'$.seq' DESC LIMIT 1`
	err = d.query(ctx, database, collection, bySeq, q, func(rows *sql.Rows) error {
		found = true
		return rows.Scan(&seq, &hash)
	})
	return seq, hash, found, err
}

// EachOf calls fn with the JSON of every document of the collection whose
// survey_id and kind are those given, in the order they were stored. The
// bytes are reused between calls.
func (d *Direct) EachOf(ctx context.Context, database, collection, surveyID, kind string, fn func(doc []byte) error) error {
	q := `SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->>'$.survey_id' = ? AND _ferretdb_sjson->>'$.kind' = ?
		ORDER BY _ferretdb_sjson->>'$.survey_id', _ferretdb_sjson->>'$.kind', rowid`
	var raw sql.RawBytes
	return d.query(ctx, database, collection, bySurveyKind, q, func(rows *sql.Rows) error {
		if err := rows.Scan(&raw); err != nil {
			return err
		}
		return fn(raw)
	}, surveyID, kind)
}
