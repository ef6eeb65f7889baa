// Package embedded runs the in-process stores of the default configuration:
// FerretDB v1 on SQLite under the data directory (MongoDB wire protocol) and
// miniredis (Redis protocol). Callers reach both through the ordinary drivers.
//
// One process owns a data directory at a time (an flock on <data>/renke.lock).
// Another renke process that finds it held attaches to the owner's servers,
// whose addresses the owner writes to <data>/embedded.json.
package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/alicebob/miniredis/v2"
)

// Endpoints are the URLs of the embedded servers.
type Endpoints struct {
	MongoURI string `json:"mongo_uri,omitempty"`
	RedisURL string `json:"redis_url,omitempty"`
	PID      int    `json:"pid"`
}

// Servers are the running embedded servers, or the ones of another process
// when Attached is true.
type Servers struct {
	Endpoints
	Attached bool

	lock      *os.File
	cancel    context.CancelFunc
	done      chan struct{}
	redis     *miniredis.Miniredis
	stopClock func() // stops RealTime
	file      string
	mongoDir  string // the embedded FerretDB's SQLite directory (also when attached); empty without one

	directOnce sync.Once
	direct     *Direct
}

// Want says which embedded servers to start.
type Want struct {
	Mongo bool
	Redis bool
}

// ErrLocked means another process owns the data directory but published no endpoints.
var ErrLocked = errors.New("the embedded store is held by another running renke process")

// Start starts the embedded servers asked for under dataDir, or attaches to
// those of the process that already owns dataDir.
func Start(dataDir string, want Want, log *slog.Logger) (*Servers, error) {
	if !want.Mongo && !want.Redis {
		return &Servers{}, nil
	}
	lockPath := filepath.Join(dataDir, "renke.lock")
	lock, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", lockPath, err)
	}
	s := &Servers{file: filepath.Join(dataDir, "embedded.json")}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		return attach(dataDir, s.file, want)
	}
	s.lock = lock
	if want.Mongo {
		if err := s.startMongo(dataDir, log); err != nil {
			s.Close()
			return nil, err
		}
	}
	if want.Redis {
		m := miniredis.NewMiniRedis()
		if err := m.StartAddr("127.0.0.1:0"); err != nil {
			s.Close()
			return nil, fmt.Errorf("start in-process redis: %w", err)
		}
		s.redis = m
		s.RedisURL = "redis://" + m.Addr()
		s.stopClock = RealTime(m)
	}
	s.PID = os.Getpid()
	b, _ := json.Marshal(s.Endpoints)
	if err := os.WriteFile(s.file, b, 0o600); err != nil {
		s.Close()
		return nil, fmt.Errorf("publish embedded endpoints: %w", err)
	}
	return s, nil
}

func (s *Servers) startMongo(dataDir string, log *slog.Logger) error {
	dir := filepath.Join(dataDir, "mongo")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("embedded store path: %w", err)
	}
	if log == nil {
		log = slog.Default()
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
		Logger:    quiet(log),
	})
	if err != nil {
		return fmt.Errorf("start embedded FerretDB in %s: %w", dir, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel, s.done = cancel, make(chan struct{})
	go func() {
		defer close(s.done)
		_ = f.Run(ctx)
	}()
	s.MongoURI = f.MongoDBURI()
	s.mongoDir = abs
	return nil
}

// quiet drops FerretDB's per-connection chatter below warnings, and the
// warnings it logs for every client disconnect.
func quiet(log *slog.Logger) *slog.Logger {
	return slog.New(&levelFilter{h: log.Handler(), min: slog.LevelError}).With("component", "ferretdb")
}

func attach(dataDir, file string, want Want) (*Servers, error) {
	var b []byte
	var err error
	// The owner may be starting: give it a moment to publish its endpoints.
	for i := 0; i < 50; i++ {
		if b, err = os.ReadFile(file); err == nil && len(b) > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	var ep Endpoints
	if err != nil || json.Unmarshal(b, &ep) != nil || (want.Mongo && ep.MongoURI == "") || (want.Redis && ep.RedisURL == "") {
		return nil, fmt.Errorf("%w (its endpoints in %s are unreadable); stop it or set RENKE_MONGO_URI", ErrLocked, file)
	}
	s := &Servers{Endpoints: ep, Attached: true}
	if want.Mongo {
		if abs, err := filepath.Abs(filepath.Join(dataDir, "mongo")); err == nil {
			s.mongoDir = abs // the owner's files: read directly, never indexed from here
		}
	}
	return s, nil
}

// clockTick is how often RealTime ages the in-process Redis's keys. Each
// tick walks every key under miniredis's lock, so it is coarse: keys live up
// to a tick past their TTL, which no rule here notices (rate-limit windows
// are a minute, sessions hours). TIME and absolute expiries (PEXPIREAT) read
// the real clock directly.
const clockTick = time.Second

// RealTime ages miniredis's keys with the real clock until the returned stop
// is called. miniredis ages keys only when told to, so without it no TTL
// would ever run out: sessions would never time out, nor login lockouts end,
// nor rate-limit keys go away.
func RealTime(m *miniredis.Miniredis) (stop func()) {
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(clockTick)
		defer t.Stop()
		last := time.Now()
		for {
			select {
			case <-quit:
				return
			case now := <-t.C:
				m.FastForward(now.Sub(last))
				last = now
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(quit); <-done }) }
}

// Close stops the servers this process started and releases the data directory.
func (s *Servers) Close() {
	if s == nil {
		return
	}
	s.direct.close()
	if s.Attached {
		return
	}
	if s.redis != nil {
		s.stopClock()
		s.redis.Close()
	}
	if s.cancel != nil {
		s.cancel()
		<-s.done
	}
	if s.lock != nil {
		os.Remove(s.file)
		syscall.Flock(int(s.lock.Fd()), syscall.LOCK_UN)
		s.lock.Close()
	}
}
