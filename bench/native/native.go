// Package native holds the Go-native subjects of the benchmarks, measured
// in this process: the reference library driven from Go ("reference"), and
// the two ways Go programs write async iterators themselves, a goroutine
// sending on a channel ("go-chan") and a push iterator turned into a pull
// iterator by iter.Pull ("go-pull"). They put Go users' options next to
// the Pythons.
//
// Each workload of package bench is written here once for the reference
// library and once for the Go iterators. A Go-native subject cannot run a
// scenario, so its conformance check is that its loop returns the
// workload's result for several sizes; the reference also runs the
// workload's scenario on the scenario interpreter, which is the same
// library.
package native

import (
	"context"
	"fmt"
	"runtime"

	"github.com/aiterspec/aiterspec/bench"
	"github.com/aiterspec/aiterspec/scenario"
)

// Names are the Go-native subjects, as --adapter selects them.
var Names = []string{"reference", "go-chan", "go-pull"}

// Open returns the Go-native subject with the given name, and false if
// there is none.
func Open(name string) (bench.Subject, bool) {
	switch name {
	case "reference":
		return newReference(), true
	case "go-chan":
		return newGo(name, "a goroutine sending each item on an unbuffered channel; closing signals it to stop", chanFlavour), true
	case "go-pull":
		return newGo(name, "a push iterator (iter.Seq) pulled with iter.Pull", pullFlavour), true
	}
	return nil, false
}

// checkSizes are the numbers of operations whose results a Go-native
// subject's check compares with the workload's.
var checkSizes = []int{0, 1, 2, 3, 5, 300}

// checkLoop runs l for each of checkSizes and compares the results.
func checkLoop(w *bench.Workload, l bench.Loop) error {
	for _, n := range checkSizes {
		if n > 1 && n*w.ItemsPerOp > 300 {
			continue // the tree: one walk is enough
		}
		if l.Prepare != nil {
			l.Prepare(n)
		}
		got, err := l.Run(n)
		if err != nil {
			return fmt.Errorf("run(%d): %w", n, err)
		}
		if want := w.Result(n); !want.Equal(got) {
			return &bench.CheckError{
				Want: []scenario.Observation{{Kind: scenario.ObservedValue, Value: &want}},
				Got:  []scenario.Observation{{Kind: scenario.ObservedValue, Value: &got}},
			}
		}
	}
	return nil
}

// goSubject is go-chan or go-pull.
type goSubject struct {
	desc bench.Description
	fl   flavour
}

func newGo(name, detail string, fl flavour) *goSubject {
	return &goSubject{
		desc: bench.Description{Key: name, Name: name, Version: runtime.Version(),
			Language: "go " + runtime.Version(), Detail: detail},
		fl: fl,
	}
}

func (g *goSubject) Describe() bench.Description { return g.desc }

func (g *goSubject) loop(w *bench.Workload) (bench.Loop, error) {
	f, ok := goLoops[w.ID]
	if !ok {
		return bench.Loop{}, &bench.UnsupportedError{Reason: "no Go version of workload " + w.ID}
	}
	return bench.Loop{Run: func(ops int) (scenario.Value, error) { return scenario.V(f(g.fl, ops)), nil }}, nil
}

func (g *goSubject) Check(_ context.Context, w *bench.Workload) error {
	l, err := g.loop(w)
	if err != nil {
		return err
	}
	return checkLoop(w, l)
}

func (g *goSubject) Measure(_ context.Context, w *bench.Workload, ops int, s bench.Settings) (bench.Measurement, error) {
	l, err := g.loop(w)
	if err != nil {
		return bench.Measurement{}, err
	}
	return bench.MeasureLoop(l, ops, s)
}

func (g *goSubject) Close() error { return nil }
