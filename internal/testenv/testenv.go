// Package testenv starts the real backing services tests run against: the
// embedded FerretDB, and Redis — the real redis-server CI provides
// (RENKE_TEST_REDIS_URL), or miniredis when none is configured, its clock
// following the real one as the embedded default's does.
package testenv

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"renke/embedded"
	"renke/kv"
	"renke/store"
)

// Mongo starts an embedded FerretDB under dir and returns its URI; it stops at test end.
func Mongo(t testing.TB, dir string) string {
	t.Helper()
	return mongo(t, dir).MongoURI
}

func mongo(t testing.TB, dir string) *embedded.Servers {
	t.Helper()
	srv, err := embedded.Start(dir, embedded.Want{Mongo: true}, nil)
	if err != nil {
		t.Fatalf("start embedded FerretDB: %v", err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// Store opens a store on a fresh embedded FerretDB.
func Store(t testing.TB) *store.Store {
	t.Helper()
	return StoreAt(t, t.TempDir())
}

// StoreAt opens a store on an embedded FerretDB under dir.
func StoreAt(t testing.TB, dir string) *store.Store {
	t.Helper()
	s, _ := storeAt(t, dir)
	return s
}

// StoreDirect is Store with the direct reader the store was given, for tests
// that compare its reads with the driver's.
func StoreDirect(t testing.TB) (*store.Store, store.Direct) {
	t.Helper()
	return storeAt(t, t.TempDir())
}

func storeAt(t testing.TB, dir string) (*store.Store, store.Direct) {
	t.Helper()
	srv := mongo(t, dir)
	s, err := store.Open(context.Background(), srv.MongoURI, "renke_test", nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	if err := srv.IndexIDLookups(context.Background()); err != nil {
		t.Fatalf("index _id lookups: %v", err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	d := srv.Direct()
	s.UseDirect(d)
	return s, d
}

// RedisURL is the shared real Redis of CI when configured, else a fresh miniredis.
func RedisURL(t testing.TB) string {
	t.Helper()
	if u := os.Getenv("RENKE_TEST_REDIS_URL"); u != "" {
		return u
	}
	m := miniredis.RunT(t)
	t.Cleanup(embedded.RealTime(m))
	return "redis://" + m.Addr()
}

// KV connects to RedisURL.
func KV(t testing.TB) *kv.Client {
	t.Helper()
	return KVAt(t, RedisURL(t))
}

// KVAt connects to the Redis at url, with keys in a namespace of the test's
// own so tests sharing CI's Redis never see each other's counters or sessions.
func KVAt(t testing.TB, url string) *kv.Client {
	t.Helper()
	ns := fmt.Sprintf("renke-test:%s:%d:", t.Name(), time.Now().UnixNano())
	c, err := kv.OpenNamespace(context.Background(), url, ns)
	if err != nil {
		t.Fatalf("open redis %s: %v", url, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Redis is a Redis server the test owns and may stop and start again.
type Redis struct {
	URL  string
	Stop func()
	// Start restarts a stopped server on the same address.
	Start func()
}

// OwnRedis starts a private Redis: a real redis-server process when
// RENKE_TEST_REDIS_SERVER names the binary (CI), else miniredis.
func OwnRedis(t testing.TB) *Redis {
	t.Helper()
	bin := os.Getenv("RENKE_TEST_REDIS_SERVER")
	if bin == "" {
		m := miniredis.RunT(t)
		t.Cleanup(embedded.RealTime(m))
		addr := m.Addr()
		return &Redis{URL: "redis://" + addr, Stop: m.Close, Start: func() {
			if err := m.StartAddr(addr); err != nil {
				t.Errorf("restart miniredis: %v", err)
			}
		}}
	}
	port := FreePort(t)
	var cmd *exec.Cmd
	start := func() {
		cmd = exec.Command(bin, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--save", "", "--appendonly", "no")
		if err := cmd.Start(); err != nil {
			t.Fatalf("start redis-server: %v", err)
		}
		waitTCP(t, fmt.Sprintf("127.0.0.1:%d", port))
	}
	stop := func() {
		if cmd != nil && cmd.Process != nil {
			cmd.Process.Kill()
			cmd.Wait()
			cmd = nil
		}
	}
	start()
	t.Cleanup(stop)
	return &Redis{URL: fmt.Sprintf("redis://127.0.0.1:%d", port), Stop: stop, Start: start}
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitTCP(t testing.TB, addr string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("nothing listens on %s", addr)
}
