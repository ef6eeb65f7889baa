package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"renke/config"
	"renke/demo"
	"renke/survey"
)

func init() {
	register("simulate", "submit simulated answer sheets to a running server over HTTP", runSimulate)
}

// statusLabels explain the final statuses simulate prints.
var statusLabels = map[int]string{
	0:                                "服务器无响应",
	http.StatusCreated:               "已接收",
	http.StatusNotFound:              "访问码无效",
	http.StatusConflict:              "名额已满或访问码/设备已用",
	http.StatusGone:                  "问卷未开放或已结束",
	http.StatusUnprocessableEntity:   "答案无效",
	http.StatusTooManyRequests:       "限流",
	http.StatusServiceUnavailable:    "服务器繁忙",
	http.StatusRequestEntityTooLarge: "内容过大",
}

func runSimulate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	id := fs.String("survey", "", "survey id (required); its codes are read from the store")
	n := fs.Int("responses", 100, "answer sheets to submit")
	rate := fs.Float64("rate", 0, "sheets started per second (0: as fast as the workers go)")
	conc := fs.Int("concurrency", 8, "concurrent respondents")
	base := fs.String("base", "http://127.0.0.1:8080", "base URL of the running server")
	fwd := fs.Bool("forwarded-for-random", false, "send a random X-Forwarded-For with each sheet; effective only when the server "+
		"trusts this machine as a proxy (renke serve --trusted-proxies 127.0.0.1), otherwise every sheet counts against "+
		"the per-address limit (RENKE_LIMIT_ADDR, default 120 per minute)")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	switch {
	case *id == "":
		return errors.New("--survey is required")
	case *n < 1:
		return errors.New("--responses must be at least 1")
	case *rate < 0:
		return errors.New("--rate must not be negative")
	case *conc < 1 || *conc > 4096:
		return errors.New("--concurrency must be between 1 and 4096")
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if u, err := url.Parse(*base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--base %q: want http(s)://host[:port]", *base)
	}
	cfg, err := finish()
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	sv, codes, used, err := simulationCodes(ctx, cfg, *id)
	if err != nil {
		return err
	}
	if sv.Status != survey.Open {
		fmt.Printf("注意：调查 %s 当前状态为“%s”，服务器会拒绝答卷（410）。\n", sv.ID, sv.Status.Label())
	}
	res, err := demo.Simulate(ctx, sv, codes, used, demo.SimOptions{Base: *base, Responses: *n, Rate: *rate,
		Concurrency: *conc, ForwardedFor: *fwd})
	if res != nil {
		printSimulation(res, *n, *fwd)
	}
	return err
}

// simulationCodes reads the survey, its codes and their use, then lets the store go.
func simulationCodes(ctx context.Context, cfg *config.Config, id string) (*survey.Survey, []survey.Code, map[string]int64, error) {
	e, err := openEnv(ctx, cfg, false)
	if err != nil {
		return nil, nil, nil, err
	}
	defer e.close()
	sv, err := e.store.Survey(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	codes, err := e.store.Codes(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	used, err := e.store.CountsByCode(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	return sv, codes, used, nil
}

func printSimulation(res *demo.SimResult, n int, fwd bool) {
	done := 0
	for _, c := range res.Statuses {
		done += c
	}
	fmt.Printf("提交 %d/%d 份，用时 %.1f 秒（%.1f 份/秒），重试 %d 次\n", done, n, res.Elapsed.Seconds(),
		float64(done)/max(res.Elapsed.Seconds(), 1e-9), res.Retries)
	statuses := make([]int, 0, len(res.Statuses))
	for s := range res.Statuses {
		statuses = append(statuses, s)
	}
	sort.Ints(statuses)
	for _, s := range statuses {
		label := statusLabels[s]
		if label == "" {
			label = http.StatusText(s)
		}
		fmt.Printf("  %3d %s：%d\n", s, label, res.Statuses[s])
	}
	if res.Recorded > 0 {
		fmt.Printf("  （其中 %d 份首次提交已保存、应答丢失，重试时被服务器识别）\n", res.Recorded)
	}
	if res.Statuses[http.StatusTooManyRequests] > 0 && !fwd {
		fmt.Println("所有答卷来自同一地址，受每地址限流（RENKE_LIMIT_ADDR，默认每分钟 120 份）。" +
			"若服务器以 --trusted-proxies 127.0.0.1 启动，可加 --forwarded-for-random 模拟不同地址。")
	}
}
