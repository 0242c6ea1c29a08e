package bench

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/scenario"
)

// adapterSubject measures an implementation behind an adapter that
// implements [adapters.Timer]: a harness process times the workload
// inside the implementation.
type adapterSubject struct {
	a    adapters.Adapter
	t    adapters.Timer
	desc Description
}

// OpenAdapter opens the adapter named spec (as --adapter names it, e.g.
// "cpython:/usr/bin/python3.12") as a subject. It fails if the adapter
// cannot be opened, or if its implementation cannot time workloads.
func OpenAdapter(spec string, opts adapters.Options) (Subject, error) {
	a, err := adapters.Open(spec, opts)
	if err != nil {
		return nil, err
	}
	return AdapterSubject(spec, a)
}

// AdapterSubject makes a subject of an open adapter; spec is how it was
// selected, shown in the description. On error it closes a.
func AdapterSubject(spec string, a adapters.Adapter) (Subject, error) {
	t, ok := a.(adapters.Timer)
	if !ok {
		a.Close()
		return nil, &CannotTimeError{Spec: spec, Err: errors.New("it does not implement adapters.Timer (PROTOCOL.md, \"bench\")")}
	}
	if err := t.CanTime(); err != nil {
		a.Close()
		return nil, &CannotTimeError{Spec: spec, Err: err}
	}
	info := a.Info()
	return &adapterSubject{a: a, t: t, desc: Description{
		Key:      sanitizeKey(info.Name + "-" + info.Version),
		Name:     info.Name,
		Version:  info.Version,
		Language: info.Language + " " + info.LanguageVersion,
		Detail:   "adapter " + spec,
	}}, nil
}

// CannotTimeError is returned by [OpenAdapter] and [AdapterSubject] for an
// implementation that is there and runs scenarios but cannot time workloads
// (its harness does not offer the protocol option "bench"): a property of
// the implementation, like an unsupported workload, not a missing peer.
type CannotTimeError struct {
	Spec string // the adapter as it was selected
	Err  error  // why
}

func (e *CannotTimeError) Error() string {
	return fmt.Sprintf("adapter %q cannot time workloads: %v", e.Spec, e.Err)
}

func (e *CannotTimeError) Unwrap() error { return e.Err }

func (s *adapterSubject) Describe() Description { return s.desc }

func (s *adapterSubject) Close() error { return s.a.Close() }

func (s *adapterSubject) Check(ctx context.Context, w *Workload) error {
	res := s.a.Run(ctx, w.Scenario())
	switch res.State {
	case adapters.Unsupported:
		return &UnsupportedError{Missing: w.Scenario().Missing(s.a.Info().Capabilities), Reason: res.Reason}
	case adapters.Completed:
		if !scenario.Matches(w.Expect, res.Observations, scenario.ExactMessages) {
			return &CheckError{Want: w.Expect, Got: res.Observations}
		}
		return nil
	}
	return fmt.Errorf("the workload's scenario errored: %s", res.Reason)
}

// TimingTimeout bounds one timing request: a calibration, a warm-up (a
// JIT may take seconds) and the timed calls.
func TimingTimeout(set Settings) time.Duration {
	return max(60*time.Second, 50*(set.Target+set.Warmup))
}

func (s *adapterSubject) Measure(ctx context.Context, w *Workload, ops int, set Settings) (Measurement, error) {
	res := s.t.Time(ctx, w.TimingScenario(), adapters.TimingRequest{
		Entry:    Entry,
		Ops:      ops,
		TargetNS: set.Target.Nanoseconds(),
		WarmupNS: set.Warmup.Nanoseconds(),
		Timeout:  TimingTimeout(set),
	})
	switch {
	case res.State == adapters.Unsupported:
		return Measurement{}, &UnsupportedError{Reason: res.Reason}
	case res.State != adapters.Completed:
		return Measurement{}, errors.New(res.Reason)
	case res.Timing == nil:
		return Measurement{}, errors.New("the harness completed the timing request without a timing")
	}
	t := res.Timing
	if ops != 0 && t.Ops != ops {
		return Measurement{}, fmt.Errorf("asked to time %d operations, the harness timed %d", ops, t.Ops)
	}
	m := Measurement{
		Ops: t.Ops, Elapsed: t.ElapsedNS, Empty: t.EmptyNS, CPU: -1, EmptyCPU: -1, Allocs: -1,
		Result: t.Result, Clock: t.Clock, Resolution: t.ResolutionNS, WarmupRuns: t.WarmupRuns,
	}
	if t.CPUNS != nil && t.EmptyCPUNS != nil {
		m.CPU, m.EmptyCPU = *t.CPUNS, *t.EmptyCPUNS
	}
	return m, nil
}
