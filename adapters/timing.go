package adapters

import (
	"context"
	"time"

	"github.com/aiterspec/aiterspec/scenario"
)

// Timer is implemented by adapters whose implementation can time a
// benchmark workload itself, inside its own process, with its own clock
// (PROTOCOL.md, "bench"): process start and protocol time never enter the
// figure.
type Timer interface {
	// CanTime returns nil if the implementation can time workloads, or an
	// error saying why not (a harness that did not announce the "bench"
	// option, say).
	CanTime() error
	// Time runs the request on s. Like Run, it returns Errored when the
	// implementation breaks, and leaves the adapter usable.
	Time(ctx context.Context, s *scenario.Scenario, req TimingRequest) TimingResult
}

// TimingRequest says what to time. The scenario's module defines Entry,
// `async def ENTRY(n)`, which performs n operations.
type TimingRequest struct {
	// Entry names the async def to time.
	Entry string `json:"entry"`
	// Ops is the n to time; 0 asks the implementation to calibrate it.
	Ops int `json:"ops"`
	// TargetNS is how long one timed call must last at least when
	// calibrating, in nanoseconds.
	TargetNS int64 `json:"target_ns"`
	// WarmupNS is how long to run Entry untimed before timing it; 0 means
	// no warm-up.
	WarmupNS int64 `json:"warmup_ns"`
	// Timeout bounds the whole request; 0 means the adapter's scenario
	// time limit. It is not sent.
	Timeout time.Duration `json:"-"`
}

// Timing is what one timed request measured.
type Timing struct {
	// Ops is the n that was timed.
	Ops int `json:"ops"`
	// ElapsedNS is how long `await ENTRY(Ops)` took.
	ElapsedNS float64 `json:"elapsed_ns"`
	// EmptyNS is how long `await ENTRY(0)` took (median of 5), timed the
	// same way.
	EmptyNS float64 `json:"empty_ns"`
	// CPUNS and EmptyCPUNS are the process CPU time of the same calls,
	// when the implementation has a CPU clock (nil otherwise).
	CPUNS      *float64 `json:"cpu_ns,omitempty"`
	EmptyCPUNS *float64 `json:"empty_cpu_ns,omitempty"`
	// Result is what ENTRY(Ops) returned.
	Result scenario.Value `json:"result"`
	// Clock names the clock, ResolutionNS its resolution.
	Clock        string  `json:"clock"`
	ResolutionNS float64 `json:"resolution_ns"`
	// WarmupRuns is how many untimed calls preceded the timed one.
	WarmupRuns int `json:"warmup_runs"`
}

// TimingResult is the outcome of a timing request: Completed with Timing
// set, Unsupported or Errored with Reason.
type TimingResult struct {
	State  State
	Timing *Timing
	Reason string
}
