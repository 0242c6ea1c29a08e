// Command aiterspec lists adapters and gates CI on the suite's reports.
//
//	aiterspec adapters                      list the adapters --adapter accepts
//	aiterspec check [-require-ran] REPORT...  fail if any spec errored (or, with
//	                                        -require-ran, if nothing ran)
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/aiterspec/aiterspec/adapters"
	_ "github.com/aiterspec/aiterspec/adapters/all"
	"github.com/aiterspec/aiterspec/reports"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: aiterspec adapters | aiterspec check [-require-ran] REPORT.json...")
		return 2
	}
	switch args[0] {
	case "adapters":
		for _, r := range adapters.Known() {
			fmt.Fprintf(stdout, "%-22s %s\n", r.Usage, r.Summary)
		}
		return 0
	case "check":
		return check(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "aiterspec: unknown command %q (known: adapters, check)\n", args[0])
	return 2
}

// check prints each report's tally and fails on harness errors: a crash,
// hang or protocol violation is a defect of the run, while a failed spec
// is the implementation's real non-conformance.
func check(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	requireRan := fs.Bool("require-ran", false, "fail if a report has no spec that reached the adapter")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "aiterspec check: name at least one Ginkgo JSON report")
		return 2
	}
	bad := false
	for _, path := range fs.Args() {
		suites, err := reports.Load(path)
		if err != nil {
			fmt.Fprintf(stderr, "aiterspec check: %v\n", err)
			bad = true
			continue
		}
		if len(suites) == 0 {
			fmt.Fprintf(stderr, "%s: the report holds no suite run\n", path)
			bad = true
		}
		for _, s := range suites {
			n := s.Count()
			var parts []string
			for _, st := range reports.States {
				if n[st] > 0 {
					parts = append(parts, fmt.Sprintf("%d %s", n[st], st))
				}
			}
			fmt.Fprintf(stdout, "%s: %s\n  %s\n", path, s.Description, strings.Join(parts, ", "))
			ran := len(s.Specs) - n[reports.NotRun]
			if *requireRan && ran == 0 {
				fmt.Fprintf(stderr, "%s: no spec ran\n", path)
				bad = true
			}
			for _, sp := range s.Specs {
				if sp.State == reports.Errored {
					fmt.Fprintf(stderr, "%s: ERRORED %s %q: %s\n", path, sp.ID, sp.Title, sp.Reason)
					bad = true
				}
			}
		}
	}
	if bad {
		return 1
	}
	return 0
}
