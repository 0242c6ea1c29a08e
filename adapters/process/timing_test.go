package process

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/scenario"
)

var _ adapters.Timer = (*Client)(nil)

func timeIt(c *Client, id string, req adapters.TimingRequest) adapters.TimingResult {
	return c.Time(context.Background(), sc(id), req)
}

// TestTimeNeedsTheOption: a harness whose hello does not ask for the bench
// option is never sent a bench request.
func TestTimeNeedsTheOption(t *testing.T) {
	c := newFake(t, "python-source").open()
	if err := c.CanTime(); err == nil || !strings.Contains(err.Error(), `does not announce the "bench" option`) {
		t.Errorf("CanTime() = %v", err)
	}
	if r := timeIt(c, "ok", adapters.TimingRequest{Entry: "run"}); r.State != adapters.Unsupported {
		t.Errorf("Time on a harness without the option: %s %s", r.State, r.Reason)
	}
	wantOK(t, c, "ok") // and it was not disturbed
}

// TestTime: the bench request carries the timing request; the timing in the
// result comes back decoded.
func TestTime(t *testing.T) {
	c := newFake(t, "bench").open()
	if err := c.CanTime(); err != nil {
		t.Fatal(err)
	}
	r := timeIt(c, "ok", adapters.TimingRequest{Entry: "run", Ops: 0, TargetNS: 2e7, WarmupNS: 3e6})
	if r.State != adapters.Completed || r.Timing == nil {
		t.Fatalf("%s: %s", r.State, r.Reason)
	}
	tm := r.Timing
	if tm.Ops != 1000 || tm.ElapsedNS != 60050 || tm.EmptyNS != 50 || !tm.Result.Equal(scenario.V(999)) ||
		tm.Clock != "fake-run" || tm.WarmupRuns != 3 || tm.CPUNS == nil || *tm.CPUNS != 900 || *tm.EmptyCPUNS != 40 {
		t.Errorf("timing %+v", tm)
	}
	if r := timeIt(c, "ok", adapters.TimingRequest{Entry: "run", Ops: 77}); r.Timing == nil || r.Timing.Ops != 77 || r.Timing.WarmupRuns != 0 {
		t.Errorf("ops=77: %+v %s", r.Timing, r.Reason)
	}
}

// TestTimeFaults: a result without a usable timing is errored and the
// harness kept; a crash is errored and the next request gets a new
// harness; a bench request has its own time limit.
func TestTimeFaults(t *testing.T) {
	f := newFake(t, "bench")
	f.cfg.ScenarioTimeout = 3 * time.Second
	c := f.open()
	for id, says := range map[string]string{
		"nobench":  "no bench object",
		"badbench": "does not decode",
		"halfcpu":  "only one of cpu_ns and empty_cpu_ns",
	} {
		r := timeIt(c, id, adapters.TimingRequest{Entry: "run"})
		if r.State != adapters.Errored || !strings.Contains(r.Reason, says) {
			t.Errorf("%s: %s %q, want errored saying %q", id, r.State, r.Reason, says)
		}
	}
	if f.starts() != 1 {
		t.Errorf("%d starts: a bad timing must not cost the harness", f.starts())
	}
	r := timeIt(c, "segv", adapters.TimingRequest{Entry: "run"})
	if r.State != adapters.Errored || !strings.Contains(r.Reason, "SIGSEGV") {
		t.Errorf("segv: %s %q", r.State, r.Reason)
	}
	if r := timeIt(c, "ok", adapters.TimingRequest{Entry: "run"}); r.State != adapters.Completed {
		t.Errorf("after a crash: %s %q", r.State, r.Reason)
	}
	// The scenario limit is 3 s; a bench request may take longer when it
	// says so, and times out at its own limit.
	if r := timeIt(c, "slow:3500", adapters.TimingRequest{Entry: "run", Timeout: time.Minute}); r.State != adapters.Completed {
		t.Errorf("slow bench within its own limit: %s %q", r.State, r.Reason)
	}
	if r := timeIt(c, "slow:3000", adapters.TimingRequest{Entry: "run", Timeout: time.Second}); r.State != adapters.Errored || !strings.Contains(r.Reason, "timed out after 1s") {
		t.Errorf("slow bench past its own limit: %s %q", r.State, r.Reason)
	}
}
