package main

import (
	"context"
	"flag"
	"fmt"
	"net"

	"renke/api"
	"renke/casework"
	"renke/config"
	"renke/evidence/retention"
)

func init() {
	register("serve", "run the HTTP server", runServe)
}

func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	finish := config.Flags(fs, true)
	e, err := parseEnv(ctx, fs, finish, args, true)
	if err != nil {
		return err
	}
	defer e.close()
	if e.emb.Attached {
		return fmt.Errorf("another renke server (pid %d) already serves the data directory %s", e.emb.PID, e.cfg.DataDir)
	}
	ln, err := net.Listen("tcp", e.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", e.cfg.Addr, err)
	}
	if e.cfg.PublicURLFrom == config.FromAddr {
		e.cfg.PublicURL = "http://" + ln.Addr().String() // the port actually served (--addr :0)
	}
	// The other commands print their links with the address the server uses.
	if err := config.WritePublicURL(e.cfg.DataDir, e.cfg.PublicURL); err != nil {
		ln.Close()
		return err
	}
	srv, err := api.New(api.Deps{Config: e.cfg, Store: e.store, KV: e.kv, Log: e.log})
	if err != nil {
		ln.Close()
		return err
	}
	// Personal fields go when a survey's retention ends, purged by renke itself.
	app := e.app()
	go retention.OnSchedule(ctx, func(ctx context.Context) (int, error) { return app.PurgeDue(ctx, casework.System()) }, e.log)
	e.log.Info("renke serving", "addr", ln.Addr().String(), "public_url", e.cfg.PublicURL,
		"embedded_mongo", e.cfg.MongoURI == "", "embedded_redis", e.cfg.RedisURL == "", "version", config.Version)
	if err := srv.Serve(ctx, ln); err != nil {
		return err
	}
	e.log.Info("renke stopped cleanly")
	return nil
}
