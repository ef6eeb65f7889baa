package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"renke/account"
	"renke/casework"
	"renke/config"
	"renke/internal/texttable"
	"renke/store"
	"renke/survey"
)

func init() {
	register("user", "add and list console users", subcommands("user", []subcommand{
		{"add", "--name NAME --role admin|coordinator|evaluator [--county NAME ...] [--county-code CODE] [--password-stdin]",
			"add a console user", func(ctx context.Context, args []string) error { return userAdd(ctx, args, os.Stdin, stdout) }},
		{"list", "[--format table|json]", "list the console users",
			func(ctx context.Context, args []string) error { return userList(ctx, args, stdout) }},
		{"passwd", "NAME", "give a user a new generated password",
			func(ctx context.Context, args []string) error { return userPasswd(ctx, args, stdout) }},
	}))
}

// readPassword reads the first line of r.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("--password-stdin: standard input holds no password")
	}
	return pw, nil
}

func userAdd(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	name := fs.String("name", "", "login name (required)")
	role := fs.String("role", "", "admin, coordinator or evaluator (required)")
	var counties stringList
	fs.Var(&counties, "county", "county name the user is assigned (repeatable; coordinators and evaluators need one)")
	code := fs.String("county-code", "", "six-digit code to register the --county with, when it is not registered yet")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (default: generate and print one)")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	r := account.Role(strings.TrimSpace(*role))
	if r != "" {
		var err error
		if r, err = account.ParseRole(*role); err != nil {
			return err
		}
	}
	password := ""
	if *pwStdin {
		var err error
		if password, err = readPassword(stdin); err != nil {
			return err
		}
	}
	if r == account.Admin && len(counties) > 0 {
		return errors.New("an admin sees every county: leave out --county")
	}
	cfg, err := finish()
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	e, err := openEnv(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer e.close()
	app, op := e.app(), casework.CLI()
	if err := ensureCounties(ctx, e.store, app, op, counties, *code); err != nil {
		return err
	}
	u, generated, err := app.CreateUser(ctx, op, casework.NewUser{Name: *name, Role: r, Counties: counties, Password: password})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已创建用户 %s（%s）\n", u.Name, u.Role.Label())
	if generated != "" {
		fmt.Fprintf(stdout, "初始密码：%s\n（只显示这一次，请登录后在“我的账号”中修改）\n", generated)
	}
	return nil
}

// ensureCounties checks the counties are registered, registering a single
// missing one when its code is given.
func ensureCounties(ctx context.Context, st *store.Store, app *casework.Service, op casework.Actor, names []string, code string) error {
	if code != "" && len(names) != 1 {
		return errors.New("--county-code registers one county: give exactly one --county with it")
	}
	for _, n := range names {
		_, err := st.County(ctx, n)
		if err == nil {
			continue
		}
		if !errors.Is(err, survey.ErrNotFound) {
			return err
		}
		if code == "" {
			return fmt.Errorf("区县“%s”尚未登记：加 --county-code <6 位行政区划代码> 登记它，或先在管理台登记", n)
		}
		if _, err := app.RegisterCounty(ctx, op, n, code); err != nil {
			return err
		}
	}
	return nil
}

// userPasswd gives user NAME a new generated password (printed once), turns
// their second factor off and ends their sessions.
func userPasswd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("user passwd", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	e, err := parseEnv(ctx, fs, finish, args, true)
	if err != nil {
		return err
	}
	defer e.close()
	if fs.NArg() != 1 {
		return errors.New("usage: renke user passwd NAME")
	}
	app, op := e.app(), casework.CLI()
	u, err := app.UserByName(ctx, op, fs.Arg(0))
	if err != nil {
		return err
	}
	u, pw, err := app.ResetPassword(ctx, op, u.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已重置用户 %s 的密码，两步验证已关闭，其登录会话已结束\n新密码：%s\n（只显示这一次，请登录后在“我的账号”中修改）\n", u.Name, pw)
	return nil
}

func userList(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("user list", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	format := fs.String("format", "table", "table or json")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	users, err := e.store.Users(ctx)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(users)
	}
	tb := texttable.New()
	tb.Row("用户名", "角色", "区县", "状态", "创建")
	for _, u := range users {
		state := "正常"
		if u.Disabled {
			state = "已停用"
		}
		cs := strings.Join(u.Counties, "、")
		if u.Role == account.Admin {
			cs = "全部"
		}
		tb.Row(u.Name, u.Role.Label(), cs, state, u.Created.In(survey.Shanghai).Format("2006-01-02 15:04"))
	}
	_, err = tb.WriteTo(stdout)
	return err
}
