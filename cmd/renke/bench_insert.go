package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"renke/loadtest"
	"renke/store"
	"renke/survey"
)

// rawInsert measures the store's bare limit: one InsertOne per response
// document, from conc writers, with no protocol, chain or Redis.
func (b *bench) rawInsert(ctx context.Context, resp *survey.Response, conc int, d time.Duration) loadtest.Result {
	raw := b.env.store.Collection("bench_raw")
	var firstErr atomic.Pointer[error]
	return loadtest.Run(ctx, conc, d, func(ctx context.Context, w, i int) (int, error) {
		_, err := raw.InsertOne(ctx, store.RawDocument(resp, fmt.Sprintf("raw-%d-%d", w, i)))
		reportFirst(ctx, &firstErr, "raw insert", err)
		return 0, err
	})
}

// batchedInsert measures the store's group commit without the protocol: conc
// writers hand response documents to one queue, and whoever finds no write
// under way writes what is pending in ordered InsertMany batches of at most
// 256 until the queue is empty — the batches the chain writes.
func (b *bench) batchedInsert(ctx context.Context, resp *survey.Response, conc int, d time.Duration) loadtest.Result {
	col := b.env.store.Collection("bench_batched")
	var firstErr atomic.Pointer[error]
	var g groupCommit
	g.write = func(docs []any) error {
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		_, err := col.InsertMany(wctx, docs)
		return err
	}
	return loadtest.Run(ctx, conc, d, func(ctx context.Context, w, i int) (int, error) {
		err := g.insert(store.RawDocument(resp, fmt.Sprintf("batched-%d-%d", w, i)))
		reportFirst(ctx, &firstErr, "batched insert", err)
		return 0, err
	})
}

func reportFirst(ctx context.Context, first *atomic.Pointer[error], what string, err error) {
	// A write cut off by the run's end is not an error (loadtest.Run drops it too).
	if err != nil && ctx.Err() == nil && !errors.Is(err, context.DeadlineExceeded) && first.CompareAndSwap(nil, &err) {
		fmt.Fprintf(os.Stderr, "%s error (first of its run): %v\n", what, err)
	}
}

// groupCommit queues documents and writes them in batches.
type groupCommit struct {
	mu       sync.Mutex
	docs     []any
	waiters  []chan error
	flushing bool
	write    func(docs []any) error
}

func (g *groupCommit) insert(doc any) error {
	done := make(chan error, 1)
	g.mu.Lock()
	g.docs, g.waiters = append(g.docs, doc), append(g.waiters, done)
	lead := !g.flushing
	g.flushing = true
	g.mu.Unlock()
	if lead {
		g.flush()
	}
	return <-done
}

func (g *groupCommit) flush() {
	for {
		g.mu.Lock()
		if len(g.docs) == 0 {
			g.flushing = false
			g.mu.Unlock()
			return
		}
		n := min(len(g.docs), 256)
		docs, waiters := g.docs[:n:n], g.waiters[:n:n]
		g.docs, g.waiters = g.docs[n:], g.waiters[n:]
		g.mu.Unlock()
		err := g.write(docs)
		for _, w := range waiters {
			w <- err
		}
	}
}
