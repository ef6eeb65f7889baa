package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"regexp"
	"time"

	"renke/api"
	"renke/config"
	"renke/kv"
	"renke/loadtest"
	"renke/store"
	"renke/survey"
)

func init() {
	register("bench", "measure submissions against the store's own insert limit (bench submit)", runBench)
}

func runBench(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "submit" && args[0] != "growth" && args[0] != "city") {
		return errors.New("usage: renke bench submit [--concurrency C] [--duration D] [--compare-redis URL] [--sustained N] | " +
			"renke bench growth [--sizes N,N,...] | renke bench city [--counties N] [--seed S]")
	}
	switch args[0] {
	case "growth":
		return runGrowth(ctx, args[1:])
	case "city":
		return runBenchCity(ctx, args[1:])
	}
	fs := flag.NewFlagSet("bench submit", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	conc := fs.Int("concurrency", 64, "concurrent clients")
	dur := fs.Duration("duration", 10*time.Second, "length of each timed run")
	schools := fs.Int("codes", 40, "shared codes (schools) the load is spread over")
	compare := fs.String("compare-redis", "", "also run the submissions right after with this real Redis (same store), and print the ratio")
	sustained := fs.Int("sustained", 0, "submit this many sheets instead of a timed run, and print the rate per tenth and the idle CPU after")
	idle := fs.Duration("idle", 10*time.Second, "how long --sustained measures the idle CPU after its run")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the submission runs to this file")
	if err := parseArgs(fs, args[1:]); err != nil {
		return err
	}
	if *conc < 1 || *dur <= 0 || *sustained < 0 || (*sustained > 0 && *sustained < 10) {
		return errors.New("--concurrency and --duration must be positive, and --sustained at least 10")
	}
	b, err := startBench(ctx, fs, finish, *schools)
	if err != nil {
		return err
	}
	defer b.close()
	if *profile != "" {
		stop, err := startProfile(*profile)
		if err != nil {
			return err
		}
		defer stop()
	}
	cfg, sv, codes := b.cfg, b.survey, b.codes
	redisKind := "in-process Redis"
	if cfg.RedisURL != "" {
		redisKind = "Redis at " + cfg.RedisURL
	}
	sub := loadtest.NewSubmitter(b.url, *conc)
	if *sustained > 0 {
		fmt.Printf("renke bench submit --sustained %d: concurrency %d, %d shared codes, store %s, %s\n",
			*sustained, *conc, len(codes), storeKind(cfg), redisKind)
		return b.sustained(ctx, sub, *sustained, *conc, *idle)
	}
	fmt.Printf("renke bench submit: concurrency %d, %v per run, %d shared codes, store %s\n",
		*conc, *dur, len(codes), storeKind(cfg))
	if err := b.warm(ctx, sub); err != nil {
		return err
	}
	var res loadtest.Result
	note := measured(func() int64 { res = b.submit(ctx, sub, *conc, *dur); return res.Requests })
	printSubmit("submit ("+redisKind+")", res, note)
	if *compare != "" {
		url, err := b.serveWith(ctx, *compare)
		if err != nil {
			return err
		}
		osub := loadtest.NewSubmitter(url, *conc)
		if err := b.warm(ctx, osub); err != nil {
			return err
		}
		var other loadtest.Result
		note := measured(func() int64 { other = b.submit(ctx, osub, *conc, *dur); return other.Requests })
		printSubmit("submit (Redis at "+*compare+", same store)", other, note)
		fmt.Printf("ratio %s / Redis at %s: %.3f\n", redisKind, *compare, res.Rate()/other.Rate())
	}

	if err := benchPage(ctx, sub, codes[0].Code, *conc); err != nil {
		return err
	}
	resp := sampleResponse(sv, codes[0])
	raw := b.rawInsert(ctx, resp, *conc, *dur)
	printInsert("raw insert (bare InsertOne)", raw)
	batched := b.batchedInsert(ctx, resp, *conc, *dur)
	printInsert("batched insert (InsertMany group commit)", batched)
	fmt.Printf("ratio to bare InsertOne %.3f, to batched InsertMany %.3f\n", res.Rate()/raw.Rate(), res.Rate()/batched.Rate())
	return nil
}

func printSubmit(what string, res loadtest.Result, note string) {
	fmt.Printf("%s: %d requests, %d errors, %.1f submissions/s, p50 %v p95 %v p99 %v, statuses %v; %s\n",
		what, res.Requests, res.Errors, res.Rate(), res.P50.Round(time.Microsecond), res.P95.Round(time.Microsecond),
		res.P99.Round(time.Microsecond), res.Statuses, note)
}

func printInsert(what string, res loadtest.Result) {
	fmt.Printf("%s: %d inserts, %d errors, %.1f inserts/s, p50 %v p95 %v p99 %v\n",
		what, res.Requests, res.Errors, res.Rate(), res.P50.Round(time.Microsecond),
		res.P95.Round(time.Microsecond), res.P99.Round(time.Microsecond))
}

// bench is a temporary store and server with an open survey to load.
type bench struct {
	env    *env
	cfg    *config.Config
	survey *survey.Survey
	codes  []survey.Code
	url    string
	close  func()
	extra  *[]func() // cleanups run by close
}

// startBench opens the store (a temporary embedded one unless real servers are
// configured), creates the survey and serves the API on a loopback port.
func startBench(ctx context.Context, fs *flag.FlagSet, finish func() (*config.Config, error), schools int) (*bench, error) {
	b, err := startServer(ctx, fs, finish)
	if err != nil {
		return nil, err
	}
	if b.survey, b.codes, err = benchSurvey(ctx, b.env.store, schools); err != nil {
		b.close()
		return nil, err
	}
	return b, nil
}

// startServer opens the store (a temporary embedded one unless real servers
// are configured) and serves the API on a loopback port, without limits.
func startServer(ctx context.Context, fs *flag.FlagSet, finish func() (*config.Config, error)) (*bench, error) {
	var cleanup []func()
	b := &bench{close: func() {
		for i := len(cleanup) - 1; i >= 0; i-- {
			cleanup[i]()
		}
	}}
	if !config.MongoGiven(fs) && fs.Lookup("data").Value.String() == "" {
		dir, err := os.MkdirTemp("", "renke-bench-")
		if err != nil {
			return nil, fmt.Errorf("temporary data dir: %w", err)
		}
		cleanup = append(cleanup, func() { os.RemoveAll(dir) })
		fs.Set("data", dir)
	}
	fail := func(err error) (*bench, error) { b.close(); return nil, err }
	cfg, err := finish()
	if err != nil {
		return fail(fmt.Errorf("configuration: %w", err))
	}
	cfg.Limits = config.Limits{PerAddr: 1 << 30, PerCode: 1 << 30, PerSurvey: 1 << 30}
	cfg.Database = fmt.Sprintf("renke_bench_%d", time.Now().Unix())
	e, err := openEnv(ctx, cfg, true)
	if err != nil {
		return fail(err)
	}
	cleanup = append(cleanup, e.close)
	b.env, b.cfg = e, cfg
	url, stop, err := serveBench(ctx, cfg, e.store, e.kv)
	if err != nil {
		return fail(err)
	}
	cleanup = append(cleanup, stop)
	b.url = url
	b.extra = &cleanup
	return b, nil
}

// serveBench serves the API over st and k on a loopback port.
func serveBench(ctx context.Context, cfg *config.Config, st *store.Store, k *kv.Client) (string, func(), error) {
	srv, err := api.New(api.Deps{Config: cfg, Store: st, KV: k, Log: newLogger(cfg.LogLevel)})
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("listen: %w", err)
	}
	sctx, stop := context.WithCancel(ctx)
	go srv.Serve(sctx, ln)
	return "http://" + ln.Addr().String(), stop, nil
}

// serveWith serves a second API over the bench's store with the Redis at
// url (keys under a namespace of the run's own), for a comparison in one run.
func (b *bench) serveWith(ctx context.Context, url string) (string, error) {
	k, err := kv.OpenNamespace(ctx, url, fmt.Sprintf("renke-bench-%d:", time.Now().UnixNano()))
	if err != nil {
		return "", err
	}
	addr, stop, err := serveBench(ctx, b.cfg, b.env.store, k)
	if err != nil {
		k.Close()
		return "", err
	}
	*b.extra = append(*b.extra, func() { k.Close() }, stop)
	return addr, nil
}

// submit posts realistic submissions from conc clients for d, each a new
// device, spread over the bench's codes.
func (b *bench) submit(ctx context.Context, sub *loadtest.Submitter, conc int, d time.Duration) loadtest.Result {
	rngs := make([]*rand.Rand, conc)
	for w := range rngs {
		rngs[w] = rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
	}
	return loadtest.Run(ctx, conc, d, func(ctx context.Context, w, i int) (int, error) {
		code := b.codes[(w+i*conc)%len(b.codes)]
		body := loadtest.Body(rngs[w], b.survey.Forms[code.Group.Form()], code.Group, time.Now())
		return sub.Submit(ctx, code.Code, body, "")
	})
}

// warm submits one sheet per code before a timed run, so that run does not
// time the loading of each code's quota counter from the store.
func (b *bench) warm(ctx context.Context, sub *loadtest.Submitter) error {
	rng := rand.New(rand.NewPCG(7, uint64(time.Now().UnixNano())))
	for _, c := range b.codes {
		body := loadtest.Body(rng, b.survey.Forms[c.Group.Form()], c.Group, time.Now())
		if _, err := sub.Submit(ctx, c.Code, body, ""); err != nil {
			return fmt.Errorf("warm-up submission: %w", err)
		}
	}
	return nil
}

func storeKind(cfg *config.Config) string {
	if cfg.MongoURI != "" {
		return "MongoDB at RENKE_MONGO_URI"
	}
	return "embedded FerretDB/SQLite in " + cfg.DataDir
}

// benchSurvey creates an open survey with one shared parent code per school.
func benchSurvey(ctx context.Context, st *store.Store, n int) (*survey.Survey, []survey.Code, error) {
	now := time.Now()
	sv, err := survey.NewSurvey("压测县", "压测县社会认可度调查", now.Add(-time.Hour), now.Add(24*time.Hour), survey.DefaultForms())
	if err != nil {
		return nil, nil, err
	}
	if err := sv.Transition(survey.Open, now); err != nil {
		return nil, nil, err
	}
	if err := st.CreateSurvey(ctx, sv); err != nil {
		return nil, nil, err
	}
	var codes []survey.Code
	for i := 0; i < n; i++ {
		sp := survey.IssueSpec{Kind: survey.SharedCode, Group: survey.Parent, Quota: 1 << 30,
			School: survey.School{Code: fmt.Sprintf("B%03d", i), Name: fmt.Sprintf("压测学校%d", i), Township: "城关镇", Urbanicity: survey.Urban}}
		cs, err := sp.Issue(sv.ID, now)
		if err != nil {
			return nil, nil, err
		}
		codes = append(codes, cs...)
	}
	if err := st.InsertCodes(ctx, codes); err != nil {
		return nil, nil, err
	}
	return sv, codes, nil
}

// sampleResponse is a response like those the submit run stores.
func sampleResponse(sv *survey.Survey, c survey.Code) *survey.Response {
	rng := rand.New(rand.NewPCG(1, 2))
	q := sv.Forms[c.Group.Form()]
	answers := map[string]string{}
	for _, it := range q.Items {
		answers[it.ID] = survey.OptionCodes[rng.IntN(4)]
	}
	now := survey.TruncateTime(time.Now())
	r := &survey.Response{SurveyID: sv.ID, Code: c.Code, CodeKind: c.Kind, Form: q.Kind, FormVersion: q.Version,
		Group: c.Group, School: c.School, Township: c.Township, Urbanicity: c.Urbanicity, Band: survey.BandUpper,
		Answers: answers, StartedAt: now.Add(-5 * time.Minute), SubmittedAt: now, DeviceID: "benchdevice0000000000",
		AddrHash: "0123456789abcdef0123456789abcdef", UAFamily: "wechat"}
	r.Seal(0, survey.GenesisHash)
	return r
}

var assetRef = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)

// benchPage measures the respondent page: the bytes of a full load (HTML and
// every asset it links) and how many pages per second the server renders.
func benchPage(ctx context.Context, sub *loadtest.Submitter, code string, conc int) error {
	get := func(ctx context.Context, path string) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, sub.Base+path, nil)
		if err != nil {
			return nil, err
		}
		resp, err := sub.Client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
		}
		return b, err
	}
	page, err := get(ctx, "/s/"+code)
	if err != nil {
		return fmt.Errorf("respondent page: %w", err)
	}
	total, hosts := len(page), 0
	for _, m := range assetRef.FindAllSubmatch(page, -1) {
		b, err := get(ctx, string(m[1]))
		if err != nil {
			return fmt.Errorf("respondent page asset: %w", err)
		}
		total += len(b)
	}
	if bytes.Contains(page, []byte("http://")) || bytes.Contains(page, []byte("https://")) {
		hosts = 1
	}
	res := loadtest.Run(ctx, conc, 3*time.Second, func(ctx context.Context, w, i int) (int, error) {
		_, err := get(ctx, "/s/"+code)
		return 200, err
	})
	fmt.Printf("respondent page: %d bytes for a full load (HTML %d + assets), links to other hosts: %d; %.0f pages/s, p99 %v\n",
		total, len(page), hosts, res.Rate(), res.P99.Round(time.Microsecond))
	return nil
}
