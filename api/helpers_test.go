package api_test

import (
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"renke/api"
	"renke/config"
	"renke/internal/testenv"
	"renke/kv"
)

func testConfig() *config.Config {
	return &config.Config{Addr: "127.0.0.1:0", PublicURL: "http://127.0.0.1:8080", Database: "renke_test",
		Secret: []byte("test-secret-0123456789abcdef"), ShutdownTimeout: 5 * time.Second,
		Limits: config.Limits{PerAddr: 10000, PerCode: 10000, PerSurvey: 100000}}
}

func newServer(t *testing.T, k *kv.Client) *api.Server {
	t.Helper()
	return newServerWith(t, k, testConfig())
}

func newServerWith(t *testing.T, k *kv.Client, cfg *config.Config) *api.Server {
	t.Helper()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := api.New(api.Deps{Config: cfg, Store: testenv.Store(t), KV: k, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
