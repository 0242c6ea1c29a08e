package main

import (
	"fmt"
	"strings"

	"github.com/aiterspec/aiterspec/reports"
)

func init() {
	register(&command{
		name:    "check",
		args:    "REPORT.json...",
		summary: "gate CI on Ginkgo JSON reports of the suite: fail if a spec errored (a harness defect)",
		doc: `Prints each report's tally per state. Fails (status 1) if any spec errored:
a crash, hang or protocol violation is a defect of the run, while a failed
spec is the implementation's real non-conformance and does not fail the
check. Write the reports with Ginkgo's --json-report:

    go tool ginkgo --json-report=out.json ./spec -- --adapter=cpython
    aiterspec check -require-ran out.json`,
		run: runCheck,
	})
}

func runCheck(inv *invocation, args []string) int {
	requireRan := inv.flags.Bool("require-ran", false, "also fail if a report has no spec that reached the adapter (a label filter that matched nothing)")
	if status, done := inv.parse(args); done {
		return status
	}
	if inv.flags.NArg() == 0 {
		return inv.usageError("name at least one Ginkgo JSON report")
	}
	stdout, stderr := inv.stdout, inv.stderr
	bad := false
	for _, path := range inv.flags.Args() {
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
