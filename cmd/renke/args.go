package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"renke/casework"
)

// stdout is where commands write their results (tests replace it).
var stdout io.Writer = os.Stdout

// parseArgs parses fs from args with flags allowed after positional
// arguments as well (renke survey open ID --data D): it parses, sets the
// first positional argument aside and parses the rest, until none is left.
func parseArgs(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos, args = append(pos, args[0]), args[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

// app is the application layer on the command's store, acting as the
// command line's operator.
func (e *env) app() *casework.Service {
	var sessions casework.Sessions
	if e.kv != nil {
		sessions = e.kv
	}
	return casework.New(e.store, sessions, e.log)
}

// message is what the command line prints for err: the Chinese message
// of an application-layer refusal, err itself otherwise.
func message(err error) string {
	var ce *casework.Error
	if errors.As(err, &ce) {
		if ce.Kind == casework.Internal && ce.Err != nil {
			return fmt.Sprintf("%s（%v）", ce.Msg, ce.Err)
		}
		return ce.Msg
	}
	return err.Error()
}
