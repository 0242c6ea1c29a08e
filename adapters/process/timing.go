package process

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/scenario"
)

// CanTime implements [adapters.Timer]: the harness times workloads if its
// hello asked for [OptionBench].
func (c *Client) CanTime() error {
	if !c.hello.wants(OptionBench) {
		return fmt.Errorf("%s: the harness does not announce the %q option (PROTOCOL.md, \"bench\")", c.describe(), OptionBench)
	}
	return nil
}

// Time implements [adapters.Timer]: it sends s in a bench request and
// waits for the timing, until req.Timeout (the scenario time limit if 0).
// A crash, hang or protocol violation is handled as in Run: the result is
// Errored with the evidence and the next request gets a new harness. A
// completed result without a well-formed bench object is Errored too, and
// the harness is kept.
func (c *Client) Time(ctx context.Context, s *scenario.Scenario, req adapters.TimingRequest) adapters.TimingResult {
	if err := c.CanTime(); err != nil {
		return adapters.TimingResult{State: adapters.Unsupported, Reason: err.Error()}
	}
	timeout := req.Timeout
	if timeout <= 0 {
		timeout = c.cfg.ScenarioTimeout
	}
	res, msg := c.request(ctx, s, runRequest{Type: "bench", Bench: &req}, timeout)
	if res.State != adapters.Completed {
		return adapters.TimingResult{State: res.State, Reason: res.Reason}
	}
	t, err := decodeTiming(msg["bench"])
	if err != nil {
		return adapters.TimingResult{State: adapters.Errored, Reason: "the harness answered the bench request with " + err.Error()}
	}
	return adapters.TimingResult{State: adapters.Completed, Timing: t}
}

// decodeTiming decodes the bench object of a completed result.
func decodeTiming(raw json.RawMessage) (*adapters.Timing, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, fmt.Errorf("no bench object")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, fmt.Errorf("a bench that is not an object: %s", quote(raw, len(raw)))
	}
	for _, name := range []string{"ops", "elapsed_ns", "empty_ns", "result"} {
		if _, ok := fields[name]; !ok {
			return nil, fmt.Errorf("a bench object without %q: %s", name, quote(raw, len(raw)))
		}
	}
	var t adapters.Timing
	d := json.NewDecoder(bytes.NewReader(raw))
	if err := d.Decode(&t); err != nil {
		return nil, fmt.Errorf("a bench object that does not decode (%v): %s", err, quote(raw, len(raw)))
	}
	if t.Ops <= 0 || t.ElapsedNS < 0 || t.EmptyNS < 0 || (t.CPUNS == nil) != (t.EmptyCPUNS == nil) {
		return nil, fmt.Errorf("a bench object with ops <= 0, a negative time, or only one of cpu_ns and empty_cpu_ns: %s", quote(raw, len(raw)))
	}
	return &t, nil
}
