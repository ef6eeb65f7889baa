package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"renke/config"
	"renke/demo"
)

func init() {
	register("demo", "create a synthetic demo county: frame, drawn sample, open survey, codes and simulated responses", runDemo)
}

func runDemo(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	seed := fs.Int64("seed", 1, "seed of the sample draw and the simulated responses: the same seed gives the same data and report")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	start := time.Now()
	res, err := demo.Run(ctx, e.store, demo.Options{Seed: *seed, Secret: e.cfg.Secret, Users: true})
	if err != nil {
		return err
	}
	base := demoBase(e.cfg)
	if res.Present {
		fmt.Fprintf(stdout, "demo already present：%s的演示调查（种子 %d）已存在，未重复生成。\n", demo.CountyName, *seed)
		fmt.Fprintf(stdout, "调查 ID：%s，抽中 %d 所学校，%d 个访问码，名额 %d，已有 %d 份答卷。\n",
			res.SurveyID, res.Schools, res.Codes, res.Quota, res.Responses)
	} else {
		fmt.Fprintf(stdout, "演示数据已生成（用时 %.1f 秒）：%s，抽中 %d 所学校，%d 个访问码，名额 %d，模拟答卷 %d 份。\n",
			time.Since(start).Seconds(), demo.CountyName, res.Schools, res.Codes, res.Quota, res.Responses)
		fmt.Fprintf(stdout, "调查 ID：%s\n", res.SurveyID)
		printInjected(res.Injected)
	}
	if base == "" {
		fmt.Fprintln(stdout, "\n注意："+config.ErrNoPublicURL.Error()+"。以下链接只给出路径，前面加上服务器的地址。")
	}
	fmt.Fprintf(stdout, "\n控制台：%s/console（先运行 renke serve）\n", base)
	for _, l := range res.Logins {
		pw := "（账号已存在，密码见首次生成时的输出）"
		if l.Password != "" {
			pw = "密码 " + l.Password
		}
		fmt.Fprintf(stdout, "  %-18s %s，%s\n", l.Name, l.Role.Label(), pw)
	}
	if res.TryCode != "" {
		fmt.Fprintf(stdout, "\n用手机试答（家长共享码）：%s/s/%s\n", base, res.TryCode)
		if u, err := url.Parse(base); err == nil && (u.Hostname() == "127.0.0.1" || u.Hostname() == "localhost") {
			port := u.Port() // the port served (the server's public URL, or make run's ADDR)
			if port == "" {
				port = "80"
			}
			fmt.Fprintf(stdout, "  手机访问需要本机的局域网地址：用 renke serve --addr 0.0.0.0:%s --public-url http://<本机IP>:%s 启动。\n", port, port)
		}
	}
	fmt.Fprintf(stdout, "\n继续模拟答卷：renke simulate --survey %s --responses 50\n", res.SurveyID)
	return nil
}

func printInjected(in demo.Injected) {
	fmt.Fprintln(stdout, "供数据质量检查发现的问题：")
	if in.Burst > 0 {
		fmt.Fprintf(stdout, "  ・%s：同一网络地址几分钟内集中提交 %d 份全部“满意”的家长答卷\n", in.BurstSchool, in.Burst)
	}
	if in.Speeders > 0 {
		fmt.Fprintf(stdout, "  ・%d 份答卷用时不到 60 秒\n", in.Speeders)
	}
	if in.Repeats > 0 {
		fmt.Fprintf(stdout, "  ・同一部手机填写了 %d 个人大代表的一次性码\n", in.Repeats)
	}
	if in.Template > 0 {
		fmt.Fprintf(stdout, "  ・%s：%d 位家长提交完全相同的“模板”答卷（各自的手机和网络）\n", in.TemplateSchool, in.Template)
	}
	if in.Proxy > 0 {
		fmt.Fprintf(stdout, "  ・%s：%d 份家长答卷在工作日上午从教师所用的学校网络提交（代填）\n", in.ProxySchool, in.Proxy)
	}
	if in.Uniform > 0 {
		fmt.Fprintf(stdout, "  ・%s：%d 份家长答卷只选“满意”“比较满意”，用时几乎相同\n", in.UniformSchool, in.Uniform)
	}
	if in.Sequence > 0 {
		fmt.Fprintf(stdout, "  ・%s：%d 个家长一次性码在一个晚上每隔约 75 秒依次使用，来自两个网络地址\n", in.SequenceSchool, in.Sequence)
	}
	if len(in.LowSchools) > 0 {
		fmt.Fprintf(stdout, "  认可度明显低于 85%% 的学校：%s\n", strings.Join(in.LowSchools, "、"))
	}
}

// demoBase is the base of the demo's links: the public URL (--public-url,
// RENKE_PUBLIC_URL, or the one the server uses), else the address the server
// is about to be started on when RENKE_ADDR names it (make run ADDR=…), else
// "" (paths only: no address is guessed).
func demoBase(cfg *config.Config) string {
	if cfg.PublicURL != "" {
		return cfg.PublicURL
	}
	if addr := os.Getenv("RENKE_ADDR"); addr != "" {
		return "http://" + addr
	}
	return ""
}
