package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"renke/casework"
	"renke/config"
)

func init() {
	register("purge", "remove respondents' device ids, address hashes and user agents from a closed survey (its chain still verifies)", runPurge)
}

func runPurge(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("purge", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	id := fs.String("survey", "", "survey id: purge it now (it must be closed)")
	due := fs.Bool("due", false, "purge every closed survey whose retention has ended")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if (*id == "") == !*due {
		return errors.New("give --survey ID or --due")
	}
	app, op := e.app(), casework.CLI()
	if *due {
		n, err := app.PurgeDue(ctx, op)
		fmt.Fprintf(stdout, "purged %d surveys whose retention ended\n", n)
		return err
	}
	sv, res, err := app.Purge(ctx, op, *id)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: personal fields removed from %d responses; %d written before the commitment format keep them (their chain hash covers them)\n",
		sv.ID, res.Purged, res.Kept)
	line, err := surveyLine(ctx, e, sv.ID)
	if err != nil {
		return fmt.Errorf("after the purge: %w", err)
	}
	fmt.Fprintf(stdout, "ok: %s\n", line)
	return nil
}
