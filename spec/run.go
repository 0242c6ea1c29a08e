package spec

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/Masterminds/semver/v3"
	. "github.com/onsi/ginkgo/v2"
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
}

// The adapter under test and the options, set once per process before the
// specs run (each parallel Ginkgo process has its own).
var (
	mu      sync.Mutex
	current adapters.Adapter
	opts    Options
	profile *semver.Version
)

// Use makes a the implementation the specs run against, with o. It fails
// if o names a bad version.
func Use(a adapters.Adapter, o Options) error {
	if o.Messages == "" {
		o.Messages = scenario.ExactMessages
	}
	if _, err := scenario.ParseMessages(string(o.Messages)); err != nil {
		return err
	}
	var v *semver.Version
	if a != nil {
		want := o.PythonVersion
		if want == "" {
			want = a.Info().LanguageVersion
		}
		var err error
		if v, err = ParseVersion(want); err != nil {
			return fmt.Errorf("--python-version: %w", err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	current, opts, profile = a, o, v
	return nil
}

// TestAdapter runs the whole suite against a, reporting through t, in the
// manner of testing/fstest.TestFS: call it from a test of your own to gate
// your implementation. Ginkgo flags (-ginkgo.label-filter, ...) apply.
// It may be called once per test binary, as Ginkgo's RunSpecs may.
func TestAdapter(t *testing.T, a adapters.Adapter, o Options) {
	t.Helper()
	if err := Use(a, o); err != nil {
		t.Fatal(err)
	}
	RegisterFailHandler(Fail)
	RunSpecs(t, "aiterspec conformance against "+Subject())
}

// Subject returns a one-line description of the adapter under test and
// the options in force, for the suite's header.
func Subject() string {
	mu.Lock()
	defer mu.Unlock()
	if current == nil {
		return "no adapter (dry run)"
	}
	i := current.Info()
	return fmt.Sprintf("%s %s (%s %s; profile %s; messages %s; capabilities: %s)",
		i.Name, i.Version, i.Language, i.LanguageVersion, profile, opts.Messages, capList(i.Capabilities))
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
// message starting "harness error:", unless it is a documented bug of
// that implementation.
func check(c *Case) {
	mu.Lock()
	a, o, v := current, opts, profile
	mu.Unlock()
	if a == nil {
		Fail("no adapter: call spec.Use or spec.TestAdapter before running the specs")
	}
	info := a.Info()
	want, notApplicable := c.expectation(v)
	if notApplicable != "" {
		report(reports.Skipped, notApplicable)
		Skip("skipped: " + notApplicable)
	}
	if missing := c.Scenario.Missing(info.Capabilities); len(missing) > 0 {
		reason := fmt.Sprintf("%s lacks %s", info.Name, capList(missing))
		report(reports.Unsupported, reason)
		Skip("unsupported: " + reason)
	}
	implVersion, _ := ParseVersion(info.Version)
	bug := c.knownBug(info.Name, implVersion)
	ctx := context.Background()
	if bug != nil && bug.Hangs {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, HangLimit)
		defer cancel()
	}
	res := a.Run(ctx, &c.Scenario)
	switch res.State {
	case adapters.Unsupported:
		report(reports.Unsupported, res.Reason)
		Skip("unsupported: " + res.Reason)
	case adapters.Errored:
		if bug != nil {
			reason := fmt.Sprintf("known bug %s of %s %s (%s): %s", bug.Issue, info.Name, bug.Versions, bug.Symptom, res.Reason)
			report(reports.KnownBug, reason)
			Skip(reason)
		}
		report(reports.Errored, res.Reason)
		Fail("harness error: " + res.Reason)
	case adapters.Completed:
		if scenario.Matches(want, res.Observations, o.Messages) {
			report(reports.Passed, "")
			return
		}
		report(reports.Failed, "")
		Expect(res.Observations).To(ObserveExactly(want, o.Messages), "%s on %s (spec at %s)", c.Scenario.ID, info.Name, relativeLocation(c.Location))
	default:
		report(reports.Errored, "adapter returned state "+string(res.State))
		Fail(fmt.Sprintf("harness error: adapter returned unknown state %q", res.State))
	}
}

// report records the spec's state ("state" or "state: reason") in the
// report entry that reports and CI checks read from Ginkgo's JSON report.
func report(state, reason string) {
	v := state
	if reason != "" {
		v += ": " + reason
	}
	AddReportEntry(reports.ResultEntry, v, ReportEntryVisibilityNever)
}
