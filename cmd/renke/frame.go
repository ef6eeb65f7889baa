package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"renke/sampling"
	"renke/survey"
)

func init() {
	register("frame", "write a blank sampling-frame template, check a frame, or upload it to a survey", subcommands("frame", []subcommand{
		{"template", "--out frame.xlsx", "write a blank sampling-frame template",
			func(_ context.Context, args []string) error { return frameTemplate(args) }},
		{"check", "frame.xlsx", "check a sampling frame (workbook or JSON)",
			func(_ context.Context, args []string) error { return frameCheck(args) }},
		{"upload", "--survey ID frame.xlsx", "check a sampling frame and store it for a draft survey", frameUpload},
	}))
}

func frameTemplate(args []string) error {
	fs := flag.NewFlagSet("frame template", flag.ContinueOnError)
	out := fs.String("out", "frame.xlsx", "where to write the template")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	fh, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := sampling.WriteTemplate(fh); err != nil {
		fh.Close()
		return err
	}
	if err := fh.Close(); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Printf("已生成抽样框模板 %s：请按「说明」表填写「概况」和「学校」两张表。\n", *out)
	return nil
}

func frameCheck(args []string) error {
	fs := flag.NewFlagSet("frame check", flag.ContinueOnError)
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: renke frame check frame.xlsx (or frame.json)")
	}
	f, err := loadFrame(fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Printf("抽样框检查通过：%s，常住人口 %d（城区 %d，镇区 %d，乡村 %d），人大代表 %d，政协委员 %d\n",
		f.County.Name, f.County.Population, f.County.Urban, f.County.Town, f.County.Rural, f.County.Deputies, f.County.CPPCC)
	for _, u := range survey.Urbanicities {
		schools := 0
		for _, s := range f.Schools {
			if s.Urbanicity == u {
				schools++
			}
		}
		pupils, _ := f.Population(survey.Parent, u, "")
		teachers, _ := f.Population(survey.Teacher, u, "")
		principals, _ := f.Population(survey.Principal, u, "")
		fmt.Printf("  %s：学校 %d 所，在校生 %d，教师 %d，校长 %d\n", u, schools, pupils, teachers, principals)
	}
	return nil
}

// loadFrame reads a frame workbook, or its JSON form when the name ends in .json.
func loadFrame(path string) (*sampling.Frame, error) {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return sampling.ParseFrameJSON(data)
	}
	return sampling.ReadFrameFile(path)
}
