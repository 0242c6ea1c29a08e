package differential

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	. "github.com/aiterspec/aiterspec/scenario"
)

// Config says what a [Search] compares and for how long.
type Config struct {
	// A and B open the two implementations, once per worker: A is the one
	// under test, B the one it is held against. Each call must return a
	// fresh adapter (harness processes stay alive for the whole search).
	A, B func() (adapters.Adapter, error)
	// Seed selects the programs: program n of a seed is always the same
	// program for the same capabilities.
	Seed uint64
	// First is the number of the first program to run (then First+1, ...).
	First uint64
	// Count is the number of programs to run; with Duration, whichever
	// ends first. At least one of them must be set.
	Count    int
	Duration time.Duration
	// Workers is the number of pairs running programs at once (default:
	// the number of CPUs).
	Workers int
	// Messages says whether exception messages count.
	Messages Messages
	// Shrink reduces one program of each class to a minimal one (see
	// [Shrink]).
	Shrink bool
	// Progress, if set, is called about ten times a second from one
	// goroutine while programs run.
	Progress func(Progress)
	// Tick, if set, is called after every program with its outcome (from
	// the worker goroutines: it must be safe for concurrent use).
	Tick func(n uint64, sc *Scenario, o Outcome)
}

// Progress is a snapshot of a running search.
type Progress struct {
	Programs  int // run so far
	Diverged  int // of which diverged
	Classes   int // distinct signatures so far
	Skipped   int // one side could not run them
	Invalid   int // both sides broke
	Elapsed   time.Duration
	Shrinking string // the signature being shrunk, after the programs ran
}

// Report is what a search found.
type Report struct {
	A, B     adapters.Info
	Seed     uint64
	Programs int
	Diverged int
	Skipped  int
	// Invalid counts programs that broke both sides: bugs of the
	// generator. InvalidExample is the first of them.
	Invalid        int
	InvalidExample *Example
	Classes        []*Divergence
	Elapsed        time.Duration
}

// Example is one program and its outcome.
type Example struct {
	Program  uint64
	Scenario Scenario
	Outcome  Outcome
}

// Divergence is one class of divergence: the programs sharing a signature.
type Divergence struct {
	Signature string
	// Also lists the signatures of classes merged into this one because
	// their shrunk programs had the same shape (see mergeByShape).
	Also []string
	// Count is the number of programs that showed it.
	Count int
	// First is the lowest-numbered program that showed it, as generated.
	First Example
	// Shrunk is First reduced to a minimal program of the same signature
	// (nil without Config.Shrink).
	Shrunk *Example
	// ShrinkSteps counts the candidate programs the shrinker ran.
	ShrinkSteps int
	// Flaky says First did not diverge again when rerun: a difference
	// that depends on timing. It is reported unshrunk.
	Flaky bool
}

// Search generates programs and runs them on both implementations until
// Count programs ran or Duration passed, then shrinks one program of each
// divergence class. It returns an error only when an implementation cannot
// be opened; a program that breaks one is a divergence, one that breaks
// both is counted as Invalid.
func Search(ctx context.Context, c Config) (*Report, error) {
	if c.Count <= 0 && c.Duration <= 0 {
		return nil, errors.New("differential: set Count or Duration")
	}
	if c.Messages == "" {
		c.Messages = ExactMessages
	}
	workers := c.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	if c.Count > 0 && workers > c.Count {
		workers = c.Count
	}
	pairs, err := openPairs(c, workers)
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, p := range pairs {
			p.Close()
		}
	}()
	rep := &Report{A: pairs[0].A.Info(), B: pairs[0].B.Info(), Seed: c.Seed}
	gen := NewGenerator(c.Seed, commonCaps(rep.A, rep.B))
	start := time.Now()
	if c.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Duration)
		defer cancel()
	}

	var (
		mu        sync.Mutex
		classes   = map[string]*Divergence{}
		shrinking string
		next      atomic.Uint64
		done      atomic.Int64
	)
	snapshot := func() Progress {
		mu.Lock()
		defer mu.Unlock()
		return Progress{Programs: rep.Programs, Diverged: rep.Diverged, Classes: len(classes),
			Skipped: rep.Skipped, Invalid: rep.Invalid, Elapsed: time.Since(start), Shrinking: shrinking}
	}
	stopProgress := startProgress(c.Progress, snapshot)

	var wg sync.WaitGroup
	for _, p := range pairs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				k := next.Add(1) - 1
				if c.Count > 0 && k >= uint64(c.Count) {
					return
				}
				n := c.First + k
				sc := gen.Program(n)
				o := p.Run(ctx, &sc)
				if ctx.Err() != nil && (o.A.State == adapters.Errored || o.B.State == adapters.Errored) {
					return // the deadline cut this program short: not a result
				}
				done.Add(1)
				if c.Tick != nil {
					c.Tick(n, &sc, o)
				}
				mu.Lock()
				rep.Programs++
				switch o.Verdict {
				case Skip:
					rep.Skipped++
				case Invalid:
					rep.Invalid++
					if rep.InvalidExample == nil || n < rep.InvalidExample.Program {
						rep.InvalidExample = &Example{Program: n, Scenario: sc, Outcome: o}
					}
				case Diverge:
					rep.Diverged++
					cl := classes[o.Signature]
					if cl == nil {
						cl = &Divergence{Signature: o.Signature, First: Example{Program: n, Scenario: sc, Outcome: o}}
						classes[o.Signature] = cl
					} else if n < cl.First.Program {
						cl.First = Example{Program: n, Scenario: sc, Outcome: o}
					}
					cl.Count++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, cl := range classes {
		rep.Classes = append(rep.Classes, cl)
	}
	slices.SortFunc(rep.Classes, func(x, y *Divergence) int {
		if x.First.Program < y.First.Program {
			return -1
		}
		return 1
	})
	if c.Shrink {
		// Shrinking runs after the deadline too: a class found is reported
		// whole. The workers' pairs shrink the classes in parallel.
		shrinkCtx := context.WithoutCancel(ctx)
		var idx atomic.Int64
		var swg sync.WaitGroup
		for _, p := range pairs {
			swg.Add(1)
			go func() {
				defer swg.Done()
				for {
					i := int(idx.Add(1) - 1)
					if i >= len(rep.Classes) {
						return
					}
					cl := rep.Classes[i]
					mu.Lock()
					shrinking = fmt.Sprintf("class %d of %d", i+1, len(rep.Classes))
					mu.Unlock()
					shrinkClass(shrinkCtx, p, cl)
				}
			}()
		}
		swg.Wait()
		rep.Classes = mergeByShape(rep.Classes)
	}
	stopProgress()
	rep.Elapsed = time.Since(start)
	return rep, nil
}

func shrinkClass(ctx context.Context, p *Pair, cl *Divergence) {
	first := cl.First.Scenario
	again := p.Run(ctx, &first)
	if again.Verdict != Diverge || again.Signature != cl.Signature {
		cl.Flaky = true
		return
	}
	small, o, steps := Shrink(ctx, p, &first, cl.Signature)
	cl.ShrinkSteps = steps
	cl.Shrunk = &Example{Program: cl.First.Program, Scenario: *small, Outcome: o}
}

// openPairs opens one pair per worker; on failure it closes what it
// opened.
func openPairs(c Config, n int) ([]*Pair, error) {
	var pairs []*Pair
	fail := func(err error) ([]*Pair, error) {
		for _, p := range pairs {
			p.Close()
		}
		return nil, err
	}
	for i := 0; i < n; i++ {
		a, err := c.A()
		if err != nil {
			return fail(err)
		}
		b, err := c.B()
		if err != nil {
			a.Close()
			return fail(err)
		}
		pairs = append(pairs, &Pair{A: a, B: b, Messages: c.Messages})
	}
	return pairs, nil
}

// commonCaps are the capabilities both implementations announce: the
// generator makes only programs both can run.
func commonCaps(a, b adapters.Info) []Capability {
	var out []Capability
	for _, c := range a.Capabilities {
		if slices.Contains(b.Capabilities, c) {
			out = append(out, c)
		}
	}
	return out
}

// startProgress calls report about ten times a second until the returned
// function is called.
func startProgress(report func(Progress), snapshot func() Progress) (stop func()) {
	if report == nil {
		return func() {}
	}
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-quit:
				report(snapshot())
				return
			case <-t.C:
				report(snapshot())
			}
		}
	}()
	return func() { close(quit); wg.Wait() }
}

// String summarises a report in one line.
func (r *Report) String() string {
	return fmt.Sprintf("%d programs, %d diverged in %d classes, %d skipped, %d invalid, %.1fs",
		r.Programs, r.Diverged, len(r.Classes), r.Skipped, r.Invalid, r.Elapsed.Seconds())
}
