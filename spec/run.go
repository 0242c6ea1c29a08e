package spec

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Masterminds/semver/v3"
	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/reports"
	"github.com/aiterspec/aiterspec/scenario"
)

// Options tune how the suite judges an implementation.
type Options struct {
	// Messages says whether exception messages must match exactly (the
	// default) or only exception types.
	Messages scenario.Messages
	// PythonVersion selects version-specific expectations; "" means the
	// language version the adapter reports.
	PythonVersion string
	// Timeouts are the time limits of particular specs, by spec name (as
	// Ginkgo shows it, "R01: two anext() gathered ..."): a baseline's
	// expected hangs, so that a known hang does not cost the adapter's full
	// scenario timeout.
	Timeouts map[string]time.Duration
}

// Open opens the implementation under test, as nettest.MakePipe makes a
// pipe: TestAdapter calls it once, before any spec runs, and closes what
// it returns when the suite ends.
type Open func() (adapters.Adapter, error)

// TestAdapter runs the whole suite against the adapter open returns,
// reporting through t, in the manner of testing/fstest.TestFS: call it from
// a test of your own to gate your implementation. Ginkgo's flags
// (-ginkgo.label-filter, ...) apply. It closes the adapter at the end.
//
//	func TestConformance(t *testing.T) {
//		spec.TestAdapter(t, func() (adapters.Adapter, error) { return myadapter.Open() }, spec.Options{})
//	}
//
// Ginkgo runs one suite per test binary: TestAdapter may be called once
// per binary (a second call fails the test). To gate several
// implementations, give each its own test package (a folder with one
// _test.go file calling TestAdapter), or choose the implementation in one
// package by a flag or environment variable, as this suite's own
// --adapter flag does.
//
// If open fails or o is invalid (a --python-version outside 3.8 to 3.14,
// say), the suite fails in its BeforeSuite with the reason, so that Ginkgo's
// reports carry it; a run in which no spec ran (a label filter that
// matches nothing) fails too. On a dry run (-ginkgo.dry-run) open is not
// called.
func TestAdapter(t *testing.T, open Open, o Options) {
	t.Helper()
	// Each spec makes short-lived garbage (its request, the result, the
	// reports) on a heap of a few megabytes, and the suite is a ping-pong
	// between this process and the harness: with Go's default the
	// collector ran six times a run against CPython, each time taking a
	// processor the harness could use. Four times the headroom collects
	// once (1.4 MB more at the peak) and makes the run about 10% shorter
	// (two sets of ten alternating runs). An explicit GOGC is kept.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	suiteConfig, reporterConfig := GinkgoConfiguration()
	var a adapters.Adapter
	r, err := func() (*run, error) {
		if !suiteConfig.DryRun {
			var err error
			if a, err = open(); err != nil {
				return nil, err
			}
			if a == nil {
				return nil, errors.New("spec.TestAdapter: open returned no adapter and no error")
			}
		}
		return newRun(a, o)
	}()
	if a != nil {
		defer func() {
			if err := a.Close(); err != nil {
				t.Errorf("closing %s: %v", a.Info().Name, err)
			}
		}()
	}
	if err == nil {
		suiteConfig.SemVerFilter, err = withPythonVersion(suiteConfig.SemVerFilter, r.profile)
	}
	if err != nil {
		// The suite runs all the same, to fail in its BeforeSuite: the
		// failure then reaches Ginkgo's reports (--json-report,
		// --junit-report), where CI looks, instead of no report at all.
		r = &run{setupErr: err}
	}
	if !running.CompareAndSwap(nil, r) {
		t.Fatal("spec.TestAdapter is already running in this test binary: Ginkgo allows one suite per binary")
	}
	defer running.Store(nil)
	if suiteConfig.ParallelProcess <= 1 {
		warnAbsoluteReportPaths(os.Stdout)
	}
	RegisterFailHandler(Fail)
	RunSpecs(t, "aiterspec conformance against "+r.subject(), suiteConfig, reporterConfig)
}

// A run that could not start (the adapter did not open, an option is
// wrong) fails here, before any spec, with the reason.
//
// An adapter that gets ready ahead (adapters.Preparer: the cython adapter
// compiles programs) is then handed the scenarios that may run.
var _ = BeforeSuite(func() {
	r := running.Load()
	if r != nil && r.setupErr != nil {
		Fail("the suite cannot run: " + r.setupErr.Error())
	}
	if r != nil {
		r.prepare()
	}
})

// prepare hands an adapters.Preparer the scenario of every case that
// exists in the profile's Python version and that the label filter
// selects.
func (r *run) prepare() {
	p, ok := r.adapter.(adapters.Preparer)
	if !ok || r.profile == nil {
		return
	}
	selected := func(Labels) bool { return true }
	if f := GinkgoLabelFilter(); f != "" {
		if match, err := types.ParseLabelFilter(f); err == nil {
			selected = func(ls Labels) bool { return match(ls) }
		}
	}
	var scenarios []*scenario.Scenario
	for _, c := range built {
		exists := true
		for _, v := range c.PythonVersions {
			exists = exists && mustConstraint(v).Check(r.profile)
		}
		if exists && selected(c.Labels()) {
			scenarios = append(scenarios, &c.Scenario)
		}
	}
	p.Prepare(scenarios)
}

// A run in which no spec reached the adapter fails: a label filter or
// focus that matches nothing must not read as "SUCCESS! 0 Passed" in a CI
// log. Specs the adapter declined (unsupported) count as run.
var _ = ReportAfterSuite("a run in which no spec ran fails", func(rep Report) {
	if rep.SuiteConfig.DryRun {
		return
	}
	if r := running.Load(); r == nil || r.setupErr != nil {
		return // the BeforeSuite failed already, saying why
	}
	specs, ran := 0, 0
	for _, sr := range rep.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt {
			continue
		}
		specs++
		for _, e := range sr.ReportEntries {
			if e.Name == reports.ResultEntry {
				ran++
				break
			}
		}
	}
	if specs > 0 && ran == 0 {
		Fail(noSpecRan(rep.SuiteConfig, specs))
	}
})

// noSpecRan explains a run in which no spec ran, naming the filters that
// left every spec out.
func noSpecRan(c types.SuiteConfig, specs int) string {
	var filters []string
	if c.LabelFilter != "" {
		filters = append(filters, fmt.Sprintf("--label-filter=%q", c.LabelFilter))
	}
	for _, f := range c.FocusStrings {
		filters = append(filters, fmt.Sprintf("--focus=%q", f))
	}
	for _, f := range c.SkipStrings {
		filters = append(filters, fmt.Sprintf("--skip=%q", f))
	}
	for _, f := range c.FocusFiles {
		filters = append(filters, "--focus-file="+f)
	}
	var semver []string // the user's part: TestAdapter adds python=PROFILE
	for _, part := range strings.Split(c.SemVerFilter, ",") {
		if name, _, _ := strings.Cut(part, "="); strings.TrimSpace(part) != "" && strings.TrimSpace(name) != pythonComponent {
			semver = append(semver, strings.TrimSpace(part))
		}
	}
	if len(semver) > 0 {
		filters = append(filters, fmt.Sprintf("--sem-ver-filter=%q", strings.Join(semver, ",")))
	}
	msg := fmt.Sprintf("no spec ran: the suite has %d specs and none was selected", specs)
	if len(filters) > 0 {
		msg += " by " + strings.Join(filters, ", ")
	}
	return msg + ". Labels are behaviour ids (SEED-ASYNC-FOR, G05), cap:NAME and cpython-detail; `go tool ginkgo --dry-run -v ./spec` lists the specs."
}

// running is the run in progress. It is the one piece of package state:
// Ginkgo's specs are declared at package level and their bodies take no
// arguments, so they find the adapter here. TestAdapter sets it for the
// duration of RunSpecs.
var running atomic.Pointer[run]

// run is the adapter under test with the options in force.
type run struct {
	adapter adapters.Adapter
	opts    Options
	// profile is the Python version whose expectations apply (nil on a
	// dry run).
	profile *semver.Version
	// setupErr is why the run could not start; the suite then fails in
	// its BeforeSuite.
	setupErr error
}

func newRun(a adapters.Adapter, o Options) (*run, error) {
	if o.Messages == "" {
		o.Messages = scenario.ExactMessages
	}
	if _, err := scenario.ParseMessages(string(o.Messages)); err != nil {
		return nil, err
	}
	if o.PythonVersion != "" {
		if err := CheckPythonVersion(o.PythonVersion); err != nil {
			return nil, fmt.Errorf("--python-version=%s: %w; leave it out to use the version the adapter reports", o.PythonVersion, err)
		}
	}
	r := &run{adapter: a, opts: o}
	if a != nil {
		want := o.PythonVersion
		if want == "" {
			want = a.Info().LanguageVersion
		}
		v, err := ParseVersion(want)
		if err != nil {
			return nil, fmt.Errorf("--python-version: %w", err)
		}
		r.profile = v
	}
	return r, nil
}

// withPythonVersion adds the profile to Ginkgo's semantic version filter
// as the component "python", so that specs of behaviours that exist only
// in some versions (Case.InVersions) run only there.
func withPythonVersion(filter string, v *semver.Version) (string, error) {
	if v == nil {
		return filter, nil
	}
	for _, part := range strings.Split(filter, ",") {
		if name, _, ok := strings.Cut(part, "="); ok && strings.TrimSpace(name) == pythonComponent {
			return "", fmt.Errorf("--sem-ver-filter=%s: the Python version comes from the adapter or --python-version, not from %s=", filter, pythonComponent)
		}
	}
	own := pythonComponent + "=" + v.String()
	if strings.TrimSpace(filter) == "" {
		return own, nil
	}
	return filter + "," + own, nil
}

// subject describes the adapter under test and the options in force, for
// the suite's header.
func (r *run) subject() string {
	if r.setupErr != nil {
		return "nothing (it could not start)"
	}
	if r.adapter == nil {
		return "no adapter (dry run)"
	}
	i := r.adapter.Info()
	return fmt.Sprintf("%s %s (%s %s; profile %s; messages %s; capabilities: %s)",
		i.Name, i.Version, i.Language, i.LanguageVersion, r.profile, r.opts.Messages, capList(i.Capabilities))
}

func capList(cs []scenario.Capability) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, " ")
}

// check runs c on the adapter under test and judges the result: a
// completed run must observe what c expects; unsupported and
// not-applicable are skips with the reason; a broken run fails with a
// message starting "harness error:". What a given implementation is known
// to get wrong is not the suite's business: that is its baseline's.
func check(c *Case) {
	r := running.Load()
	if r == nil || r.adapter == nil {
		Fail("no adapter: the specs run through spec.TestAdapter")
	}
	a, o, v := r.adapter, r.opts, r.profile
	info := a.Info()
	want := c.expectation(v)
	if missing := c.Scenario.Missing(info.Capabilities); len(missing) > 0 {
		reason := fmt.Sprintf("%s lacks %s", info.Name, capList(missing))
		record(reports.Outcome{State: reports.Unsupported, Reason: reason, Missing: capStrings(missing), Implementation: implementationOf(info, o, v)})
		Skip("unsupported: " + reason)
	}
	ctx := context.Background()
	if limit, ok := o.Timeouts[CurrentSpecReport().LeafNodeText]; ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	res := a.Run(ctx, &c.Scenario)
	out := reports.Outcome{Implementation: implementationOf(info, o, v), Expected: lines(want)}
	switch res.State {
	case adapters.Unsupported:
		out.State, out.Reason = reports.Unsupported, res.Reason
		record(out)
		Skip("unsupported: " + res.Reason)
	case adapters.Errored:
		out.State, out.Reason = reports.Errored, res.Reason
		e := reports.ClassifyError(res.Reason)
		if ctx.Err() == context.DeadlineExceeded {
			e = reports.ErrorInfo{Kind: reports.Timeout}
		}
		out.Error = &e
		record(out)
		Fail("harness error: " + res.Reason)
	case adapters.Completed:
		out.Observed = lines(res.Observations)
		if scenario.Matches(want, res.Observations, o.Messages) {
			out.State = reports.Passed
			record(out)
			return
		}
		out.State = reports.Failed
		out.FirstDifference, out.Differs = differences(want, res.Observations, o.Messages)
		record(out)
		Expect(res.Observations).To(ObserveExactly(want, o.Messages), "%s on %s (spec at %s)", c.Scenario.ID, info.Name, relativeLocation(c.Location))
	default:
		out.State, out.Reason = reports.Errored, "adapter returned state "+string(res.State)
		out.Error = &reports.ErrorInfo{Kind: reports.Harness}
		record(out)
		Fail(fmt.Sprintf("harness error: adapter returned unknown state %q", res.State))
	}
}

func capStrings(cs []scenario.Capability) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

// implementationOf describes the implementation and profile for reports.
func implementationOf(i adapters.Info, o Options, profile *semver.Version) reports.Implementation {
	r := reports.Implementation{Name: i.Name, Version: i.Version, Language: i.Language,
		LanguageVersion: i.LanguageVersion, Messages: string(o.Messages)}
	if profile != nil {
		r.Profile = profile.String()
	}
	return r
}

// lines renders observations one per line, as people read them.
func lines(obs []scenario.Observation) []string {
	out := make([]string, len(obs))
	for i, ob := range obs {
		out[i] = ob.String()
	}
	return out
}

// differences finds the rows (counted from 1) where got differs from
// want, and the first of them, as scenario.SideBySide marks them.
func differences(want, got []scenario.Observation, m scenario.Messages) (*reports.Difference, []int) {
	var first *reports.Difference
	var rows []int
	for i := 0; i < max(len(want), len(got)); i++ {
		if i < len(want) && i < len(got) && want[i].Accepts(got[i], m) {
			continue
		}
		rows = append(rows, i+1)
		if first == nil {
			first = &reports.Difference{Index: i + 1, Expected: reports.Nothing, Observed: reports.Nothing}
			if i < len(want) {
				first.Expected = want[i].String()
			}
			if i < len(got) {
				first.Observed = got[i].String()
			}
		}
	}
	return first, rows
}

// record keeps the spec's outcome in the report entry that reports and CI
// read from Ginkgo's JSON report (shown as "state: reason").
func record(o reports.Outcome) {
	AddReportEntry(reports.ResultEntry, o, ReportEntryVisibilityNever)
}
