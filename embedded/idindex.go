package embedded

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"

	_ "modernc.org/sqlite" // the driver FerretDB's SQLite backend uses; registered as "sqlite"
)

// IndexIDLookups gives every collection of the embedded store's databases an
// index that SQLite uses for lookups by _id.
//
// FerretDB v1 pushes a filter on _id alone down to SQLite as
// `_ferretdb_sjson->'$._id' = ?`, but indexes the _id field as
// `_ferretdb_sjson->"_id"`: SQLite matches expression indexes by their text,
// so every lookup by _id (an access code, a survey, a chain head hint, a
// user) reads the whole table, and the submission path slows down with every
// county stored. This adds the index the query can use, once per table
// (IF NOT EXISTS); it is dropped with its table. Call it after the store has
// created its collections, and again at each start for collections made since.
// It does nothing for a store attached to another process's servers or
// without an embedded FerretDB.
func (s *Servers) IndexIDLookups(ctx context.Context) error {
	if s.Attached || s.mongoDir == "" {
		return nil
	}
	files, err := filepath.Glob(filepath.Join(s.mongoDir, "*.sqlite"))
	if err != nil {
		return fmt.Errorf("list the embedded store's databases: %w", err)
	}
	for _, f := range files {
		if err := indexIDs(ctx, f); err != nil {
			return err
		}
	}
	return nil
}

func indexIDs(ctx context.Context, file string) error {
	dsn := "file:" + (&url.URL{Path: file}).EscapedPath() + "?_pragma=busy_timeout(10000)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("open %s: %w", file, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		return fmt.Errorf("list the tables of %s: %w", file, err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("list the tables of %s: %w", file, err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list the tables of %s: %w", file, err)
	}
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+"_renke_id_lookup", t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("index _id lookups of %s in %s: %w", t, file, err)
		}
	}
	return nil
}
