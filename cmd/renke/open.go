package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"renke/config"
	"renke/embedded"
	"renke/kv"
	"renke/store"
)

// env is an opened configuration: the stores every store-backed command uses.
type env struct {
	cfg   *config.Config
	log   *slog.Logger
	emb   *embedded.Servers
	store *store.Store
	kv    *kv.Client
}

// withRedis says whether a command needs Redis as well as the store.
type withRedis bool

// parseEnv parses fs (which must have had config.Flags called on it) and opens the stores.
func parseEnv(ctx context.Context, fs *flag.FlagSet, finish func() (*config.Config, error), args []string, redis withRedis) (*env, error) {
	if err := parseArgs(fs, args); err != nil {
		return nil, err
	}
	cfg, err := finish()
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	return openEnv(ctx, cfg, redis)
}

func newLogger(level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// openEnv starts what the configuration leaves to the embedded default and connects to everything.
func openEnv(ctx context.Context, cfg *config.Config, redis withRedis) (*env, error) {
	e := &env{cfg: cfg, log: newLogger(cfg.LogLevel)}
	want := embedded.Want{Mongo: cfg.MongoURI == "", Redis: bool(redis) && cfg.RedisURL == ""}
	emb, err := embedded.Start(cfg.DataDir, want, e.log)
	if err != nil {
		if errors.Is(err, embedded.ErrLocked) {
			return nil, fmt.Errorf("%w", err)
		}
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	e.emb = emb
	if emb.Attached {
		e.log.Info("using the embedded store of the running renke server", "pid", emb.PID)
	}
	mongoURI, redisURL := cfg.MongoURI, cfg.RedisURL
	if mongoURI == "" {
		mongoURI = emb.MongoURI
	}
	if redisURL == "" {
		redisURL = emb.RedisURL
	}
	if e.store, err = store.Open(ctx, mongoURI, cfg.Database, e.log); err != nil {
		e.close()
		return nil, err
	}
	if err := emb.IndexIDLookups(ctx); err != nil {
		e.close()
		return nil, err
	}
	if d := emb.Direct(); d != nil && cfg.MongoURI == "" {
		e.store.UseDirect(d)
	}
	e.store.SetSigningKey(cfg.Signing)
	if redis {
		if e.kv, err = kv.Open(ctx, redisURL); err != nil {
			e.close()
			return nil, err
		}
	}
	return e, nil
}

// close disconnects and stops the embedded servers, in that order.
func (e *env) close() {
	if e.kv != nil {
		e.kv.Close()
	}
	if e.store != nil {
		e.store.Close(context.Background())
	}
	e.emb.Close()
}
