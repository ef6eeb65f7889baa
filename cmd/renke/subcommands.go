package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
)

// stderr is where sub-command usage goes when no sub-command is given (tests replace it).
var stderr io.Writer = os.Stderr

// subcommand is one sub-command of a command: its name, its arguments, a one-line summary and its entry point.
type subcommand struct {
	name    string
	args    string
	summary string
	run     func(ctx context.Context, args []string) error
}

// subcommands returns the entry point of command name, which runs the entry
// of table named by its first argument with the arguments after it. With no
// argument it prints the usage to stderr and fails; with -h, --help or help
// it prints the usage to stdout; an unknown sub-command is refused by name.
func subcommands(name string, table []subcommand) func(ctx context.Context, args []string) error {
	return func(ctx context.Context, args []string) error {
		if len(args) == 0 {
			writeSubUsage(stderr, name, table)
			return fmt.Errorf("missing %s command (want %s)", name, subNames(table))
		}
		switch args[0] {
		case "-h", "--help", "help":
			writeSubUsage(stdout, name, table)
			return nil
		}
		for _, s := range table {
			if s.name == args[0] {
				return s.run(ctx, args[1:])
			}
		}
		return fmt.Errorf("unknown %s command %q (want %s)", name, args[0], subNames(table))
	}
}

// subNames lists the names of table as "a, b or c".
func subNames(table []subcommand) string {
	names := make([]string, len(table))
	for i, s := range table {
		names[i] = s.name
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// writeSubUsage lists the sub-commands of command name with their summaries and arguments.
func writeSubUsage(w io.Writer, name string, table []subcommand) {
	width := 0
	for _, s := range table {
		width = max(width, len(s.name))
	}
	fmt.Fprintf(w, "usage: renke %s <command> [arguments]\n\ncommands:\n", name)
	for _, s := range table {
		fmt.Fprintf(w, "  %-*s  %s\n", width, s.name, s.summary)
		fmt.Fprintf(w, "  %-*s  renke %s %s", width, "", name, s.name)
		if s.args != "" {
			fmt.Fprintf(w, " %s", s.args)
		}
		fmt.Fprintln(w)
	}
}
