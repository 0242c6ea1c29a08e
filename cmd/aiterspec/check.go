package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/aiterspec/aiterspec/reports"
)

func init() {
	register(&command{
		name:    "check",
		args:    "--adapter=NAME [ginkgo flags] [-- suite flags] | REPORT.json...",
		summary: "gate CI: run the suite against an implementation and compare the results with its baseline",
		doc: `With --adapter, runs the suite against that implementation (through
"go tool ginkgo ./spec", so Ginkgo's flags such as -p or --label-filter
work), reads Ginkgo's JSON report and compares every result with the
implementation's baseline, reports/baselines/IMPLEMENTATION.json (or
--baseline): the specs it is known not to pass, each with its expected
failure mode. It prints one line,

    passed 187, failed 11 (baselined 11), unsupported 38, errored 2 (baselined 2)

then each regression with its evidence. Exit status: 0 when every result
matches the baseline; 1 on a new failure, a changed failure mode (a crash
where a hang was expected), a baselined spec that now passes (unless
--allow-fixed) or an expired entry; 2 on bad usage, or when the harness
never started or nothing ran. --update-baseline writes the results as the
new baseline instead of gating (then edit each new entry's reason).

Run it from a checkout of aiterspec:

    go run ./cmd/aiterspec check --adapter=pypy
    go run ./cmd/aiterspec check --adapter='exec:node my-harness.mjs' --baseline=my-baseline.json -p

With report files instead of --adapter, gates Ginkgo JSON reports made
elsewhere: against --baseline if given, else failing only if a spec errored
(a harness defect).`,
		run: runCheck,
	})
}

type checkFlags struct {
	adapter, baseline, junit, json *string
	allowFixed, update, requireRan *bool
}

func runCheck(inv *invocation, args []string) int {
	f := checkFlags{
		adapter:    inv.flags.String("adapter", "", "`NAME` of the implementation to run the suite against, as the suite's --adapter takes it (aiterspec adapters lists them)"),
		baseline:   inv.flags.String("baseline", "", "the baseline `FILE` (default: reports/baselines/IMPLEMENTATION.json in the checkout, IMPLEMENTATION being the name the harness announces)"),
		junit:      inv.flags.String("junit", "", "also write a JUnit XML report of the gated results to `FILE` (baselined specs show as skipped)"),
		json:       inv.flags.String("json", "", "keep Ginkgo's JSON report of the run in `FILE` (it can be gated again, or rendered by aiterspec report)"),
		allowFixed: inv.flags.Bool("allow-fixed", false, "accept baselined specs that now pass instead of failing on them"),
		update:     inv.flags.Bool("update-baseline", false, "write the results as the new baseline (keeping the reasons of entries that still apply) instead of gating"),
		requireRan: inv.flags.Bool("require-ran", false, "with report files and no baseline: also fail if a report has no spec that reached the adapter"),
	}
	own := map[string]bool{"h": true, "help": true}
	inv.flags.VisitAll(func(fl *flag.Flag) {
		b, ok := fl.Value.(interface{ IsBoolFlag() bool })
		own[fl.Name] = ok && b.IsBoolFlag()
	})
	mine, rest, suiteFlags := splitArgs(args, own)
	if status, done := inv.parse(mine); done {
		return status
	}
	if *f.adapter == "" {
		if suiteFlags != nil {
			return inv.usageError("suite flags after -- need --adapter")
		}
		for _, a := range rest {
			if strings.HasPrefix(a, "-") {
				return inv.usageError("unknown flag %s (Ginkgo's flags need --adapter)", a)
			}
		}
		if len(rest) == 0 {
			return inv.usageError("give --adapter=NAME to run the suite, or the Ginkgo JSON reports to check")
		}
		return checkReports(inv, f, rest)
	}
	for i, a := range rest {
		if strings.HasPrefix(a, "-") {
			continue
		}
		// the value of a Ginkgo flag given as "--label-filter R01"
		if name, hasValue := flagName(prev(rest, i)); name != "" && !hasValue {
			continue
		}
		return inv.usageError("unexpected argument %q: with --adapter, everything before -- is a Ginkgo flag (report files go without --adapter)", a)
	}
	if *f.update && *f.allowFixed {
		return inv.usageError("--update-baseline and --allow-fixed do not go together")
	}
	return checkAdapter(inv, f, rest, suiteFlags)
}

func prev(args []string, i int) string {
	if i == 0 {
		return ""
	}
	return args[i-1]
}

func checkAdapter(inv *invocation, f checkFlags, ginkgoFlags, suiteFlags []string) int {
	stdout, stderr := inv.stdout, inv.stderr
	root, err := checkoutRoot()
	if err != nil {
		fmt.Fprintf(stderr, "aiterspec check: %v\n", err)
		return 2
	}
	info, err := describe(*f.adapter)
	if err != nil {
		fmt.Fprintf(stderr, "aiterspec check: the harness never started: %v\n", err)
		return 2
	}
	path, explicit := *f.baseline, *f.baseline != ""
	if !explicit {
		path = filepath.Join(root, reports.BaselinePath(info.Name))
	}
	if path, err = filepath.Abs(path); err != nil {
		fmt.Fprintf(stderr, "aiterspec check: %v\n", err)
		return 2
	}
	b, err := reports.LoadBaseline(path)
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrNotExist) && (*f.update || !explicit):
		b = nil
		if !*f.update {
			fmt.Fprintf(stderr, "aiterspec check: no baseline at %s: every spec that does not pass is a regression (--update-baseline writes one)\n", rel(path))
		}
	default:
		fmt.Fprintf(stderr, "aiterspec check: %v\n", err)
		return 2
	}

	tmp, err := os.MkdirTemp("", "aiterspec-check-")
	if err != nil {
		fmt.Fprintf(stderr, "aiterspec check: %v\n", err)
		return 2
	}
	defer os.RemoveAll(tmp)
	report := filepath.Join(tmp, "report.json")
	if *f.json != "" {
		if report, err = filepath.Abs(*f.json); err != nil {
			fmt.Fprintf(stderr, "aiterspec check: %v\n", err)
			return 2
		}
	}
	logPath := filepath.Join(tmp, "ginkgo.log")
	log, err := os.Create(logPath)
	if err != nil {
		fmt.Fprintf(stderr, "aiterspec check: %v\n", err)
		return 2
	}
	defer log.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fmt.Fprintf(stderr, "aiterspec check: running the suite against %s %s (%s %s), baseline %s\n",
		info.Name, info.Version, info.Language, info.LanguageVersion, rel(path))
	baselineForSuite := ""
	if b != nil {
		baselineForSuite = path
	}
	suites, err := suiteRun{Root: root, Adapter: *f.adapter, Suite: "./spec", GinkgoFlags: ginkgoFlags, SuiteFlags: suiteFlags,
		Baseline: baselineForSuite, JSONReport: report, Log: log}.run(ctx)
	ginkgoOutput := func() {
		data, _ := os.ReadFile(logPath)
		fmt.Fprintf(stderr, "Ginkgo's output (the end):\n%s\n", tail(string(data), 40))
	}
	if err != nil {
		fmt.Fprintf(stderr, "aiterspec check: the suite did not run: %v\n", err)
		ginkgoOutput()
		return 2
	}
	if len(suites) == 1 && len(suites[0].RunFailures) > 0 {
		for _, msg := range suites[0].RunFailures {
			fmt.Fprintf(stderr, "aiterspec check: nothing ran: %s\n", msg)
		}
		return 2
	}
	if len(suites) != 1 || suites[0].Implementation().Name == "" {
		fmt.Fprintln(stderr, "aiterspec check: nothing ran: no spec reached the implementation (a label filter or focus that matched nothing, or a harness that failed at start)")
		ginkgoOutput()
		return 2
	}
	s := suites[0]

	if *f.update {
		updated, changes := reports.Update(b, s)
		if err := updated.Save(path); err != nil {
			fmt.Fprintf(stderr, "aiterspec check: %v\n", err)
			return 2
		}
		for _, c := range changes {
			fmt.Fprintln(stdout, c)
		}
		fmt.Fprintf(stdout, "wrote %s: %d entries (%d changes); give each new entry its reason, and an issue URL if there is one\n",
			rel(path), len(updated.Entries), len(changes))
		return 0
	}

	v, err := reports.Gate(s, b, reports.GateOptions{AllowFixed: *f.allowFixed, Today: now()})
	if err != nil {
		fmt.Fprintf(stderr, "aiterspec check: %v\n", err)
		return 2
	}
	if *f.junit != "" {
		if err := reports.WriteJUnit(report, v, *f.junit); err != nil {
			fmt.Fprintf(stderr, "aiterspec check: %v\n", err)
			return 2
		}
	}
	fmt.Fprintln(stdout, v.Summary())
	for _, p := range v.Problems {
		fmt.Fprintln(stdout, p)
	}
	if !v.OK() {
		fmt.Fprintf(stdout, "%d regression%s against %s\n", len(v.Problems), map[bool]string{true: "", false: "s"}[len(v.Problems) == 1], rel(path))
		return 1
	}
	return 0
}

// rel shows path relative to the current directory when it is inside it.
func rel(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if r, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

// checkReports gates Ginkgo JSON reports made elsewhere: against the
// baseline if one is given, else on harness errors only.
func checkReports(inv *invocation, f checkFlags, paths []string) int {
	stdout, stderr := inv.stdout, inv.stderr
	var b *reports.Baseline
	if *f.baseline != "" {
		var err error
		if b, err = reports.LoadBaseline(*f.baseline); err != nil {
			fmt.Fprintf(stderr, "aiterspec check: %v\n", err)
			return 2
		}
	}
	if *f.update || *f.junit != "" || *f.json != "" {
		return inv.usageError("--update-baseline, --junit and --json need --adapter")
	}
	bad := false
	for _, path := range paths {
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
			// A run that could not start, or in which no spec ran, fails
			// whatever its (absent) specs say.
			for _, msg := range s.RunFailures {
				fmt.Fprintf(stderr, "%s: the run failed: %s\n", path, msg)
				bad = true
			}
			if b != nil {
				v, err := reports.Gate(s, b, reports.GateOptions{AllowFixed: *f.allowFixed, Today: now()})
				if err != nil {
					fmt.Fprintf(stderr, "%s: %v\n", path, err)
					bad = true
					continue
				}
				fmt.Fprintf(stdout, "%s: %s\n", path, v.Summary())
				for _, p := range v.Problems {
					fmt.Fprintln(stdout, p)
				}
				bad = bad || !v.OK()
				continue
			}
			n := s.Count()
			var parts []string
			for _, st := range reports.States {
				if n[st] > 0 {
					parts = append(parts, fmt.Sprintf("%d %s", n[st], st))
				}
			}
			fmt.Fprintf(stdout, "%s: %s\n  %s\n", path, s.Description, strings.Join(parts, ", "))
			ran := len(s.Specs) - n[reports.NotRun]
			if *f.requireRan && ran == 0 {
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
