package native

import (
	"context"
	"fmt"
	"runtime"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/interp"
	"github.com/aiterspec/aiterspec/bench"
	"github.com/aiterspec/aiterspec/reference"
	"github.com/aiterspec/aiterspec/scenario"
)

// refSubject is the reference library driven from Go: what a Go program
// embedding it pays per item, without the scenario interpreter.
type refSubject struct {
	desc   bench.Description
	interp adapters.Adapter // runs the workloads' scenarios for Check
}

func newReference() *refSubject {
	return &refSubject{
		desc: bench.Description{Key: "reference", Name: "reference", Version: interp.Version,
			Language: "python 3.11 semantics", Detail: "the Go reference library driven from Go, " + runtime.Version()},
		interp: interp.New(interp.DefaultOps(), adapters.Options{}),
	}
}

func (r *refSubject) Describe() bench.Description { return r.desc }

func (r *refSubject) Close() error { return r.interp.Close() }

// Check runs the workload's scenario on the scenario interpreter (the
// library's behaviour) and the Go loop for several sizes.
func (r *refSubject) Check(ctx context.Context, w *bench.Workload) error {
	res := r.interp.Run(ctx, w.Scenario())
	switch {
	case res.State == adapters.Unsupported:
		return &bench.UnsupportedError{Reason: res.Reason}
	case res.State != adapters.Completed:
		return fmt.Errorf("the scenario %s: %s", res.State, res.Reason)
	case !scenario.Matches(w.Expect, res.Observations, scenario.ExactMessages):
		return &bench.CheckError{Want: w.Expect, Got: res.Observations}
	}
	f, ok := refLoops[w.ID]
	if !ok {
		return &bench.UnsupportedError{Reason: "no Go version of workload " + w.ID}
	}
	var err error
	inRuntime(func(rt *reference.Runtime, fr *reference.Frame) {
		err = checkLoop(w, refLoop(rt, fr, f))
	})
	return err
}

// Measure times the workload inside one asyncio.run of the reference's
// event loop, as a harness does inside its own.
func (r *refSubject) Measure(_ context.Context, w *bench.Workload, ops int, s bench.Settings) (bench.Measurement, error) {
	f, ok := refLoops[w.ID]
	if !ok {
		return bench.Measurement{}, &bench.UnsupportedError{Reason: "no Go version of workload " + w.ID}
	}
	var m bench.Measurement
	var err error
	inRuntime(func(rt *reference.Runtime, fr *reference.Frame) {
		m, err = bench.MeasureLoop(refLoop(rt, fr, f), ops, s)
	})
	return m, err
}

// inRuntime runs body inside the main coroutine of a new runtime's
// asyncio.run.
func inRuntime(body func(rt *reference.Runtime, f *reference.Frame)) {
	rt := reference.NewRuntime()
	defer rt.Close()
	main := rt.NewCoroutine("main", "main", func(f *reference.Frame) (reference.Object, error) {
		body(rt, f)
		return reference.None, nil
	})
	if _, err := rt.Run(main); err != nil {
		panic(fmt.Sprintf("bench: the reference's event loop failed: %v", err))
	}
}

// refLoop makes a bench.Loop of a reference workload. Its Prepare boxes
// the items the call will yield, so that the timed loop does not pay for
// boxing ints in interfaces (Go allocates for each int above 255; CPython's
// range() has its own free list), only for the protocol.
func refLoop(rt *reference.Runtime, f *reference.Frame, run refRun) bench.Loop {
	boxed(bench.TreeSize)
	refTreeNow = refBuildTree(rt, 0, bench.TreeSize)
	return bench.Loop{
		Prepare: func(ops int) { items = boxed(ops) },
		Run: func(ops int) (scenario.Value, error) {
			v, err := run(rt, f, ops)
			if err != nil {
				return scenario.Value{}, err
			}
			i, ok := v.(int)
			if !ok {
				return scenario.Value{}, fmt.Errorf("run returned %T, want int", v)
			}
			return scenario.V(i), nil
		},
	}
}

// items holds the boxed ints 0, 1, … that the generators yield.
var items []reference.Object

func boxed(n int) []reference.Object {
	for len(items) < n {
		items = append(items, reference.Object(len(items)))
	}
	return items
}

// refRun is a workload's run(n) on the reference library, run inside a
// coroutine whose frame is f.
type refRun func(rt *reference.Runtime, f *reference.Frame, n int) (reference.Object, error)

// refTreeNow is the tree workload's tree, built untimed by refLoop for
// the runtime of the measurement.
var refTreeNow *refTree

// refGen is `async def gen(n): for i in range(n): yield i`.
func refGen(rt *reference.Runtime, n int) *reference.AsyncGenerator {
	return rt.NewAsyncGenerator("gen", "gen", func(gf *reference.Frame) error {
		for i := range n {
			if _, err := gf.Yield(items[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// refDrain is `x = -1; async for x in it: pass; return x`.
func refDrain(f *reference.Frame, it reference.Object) (reference.Object, error) {
	var x reference.Object = -1
	_, err := f.AsyncFor(it, func(v reference.Object) (bool, error) { x = v; return false, nil })
	return x, err
}

// refRelay is `async def relay(inner): async for x in inner: yield x`.
func refRelay(rt *reference.Runtime, inner reference.Object) *reference.AsyncGenerator {
	return rt.NewAsyncGenerator("relay", "relay", func(gf *reference.Frame) error {
		_, err := gf.AsyncFor(inner, func(x reference.Object) (bool, error) {
			_, err := gf.Yield(x)
			return err != nil, err
		})
		return err
	})
}

// refCounter is the class workload's Counter written in Go: __aiter__ and
// __anext__ return itself, and it is its own awaitable, finishing at once
// with the item the way an async def __anext__ that never suspends does.
type refCounter struct{ i, n int }

var refCounterClass, _ = reference.NewClass("Counter", nil, nil)

func (c *refCounter) PyType() *reference.Class         { return refCounterClass }
func (c *refCounter) AIter() (reference.Object, error) { return c, nil }
func (c *refCounter) ANext() (reference.Object, error) { return c, nil }
func (c *refCounter) Await() (reference.Object, error) { return c, nil }
func (c *refCounter) AmSend(reference.Object) (reference.Object, bool, error) {
	if c.i >= c.n {
		return nil, false, reference.NewException(reference.ExcStopAsyncIteration)
	}
	c.i++
	return items[c.i-1], false, nil
}

// refTree is a node of the tree workload's tree; its __aiter__ is a
// recursive async generator.
type refTree struct {
	rt          *reference.Runtime
	left, right *refTree
	value       reference.Object
}

var refTreeClass, _ = reference.NewClass("Tree", nil, nil)

func (t *refTree) PyType() *reference.Class { return refTreeClass }

func (t *refTree) AIter() (reference.Object, error) {
	return t.rt.NewAsyncGenerator("__aiter__", "Tree.__aiter__", func(gf *reference.Frame) error {
		reyield := func(x reference.Object) (bool, error) {
			_, err := gf.Yield(x)
			return err != nil, err
		}
		if t.left != nil {
			if _, err := gf.AsyncFor(t.left, reyield); err != nil {
				return err
			}
		}
		if _, err := gf.Yield(t.value); err != nil {
			return err
		}
		if t.right != nil {
			if _, err := gf.AsyncFor(t.right, reyield); err != nil {
				return err
			}
		}
		return nil
	}), nil
}

func refBuildTree(rt *reference.Runtime, lo, hi int) *refTree {
	if lo >= hi {
		return nil
	}
	mid := (lo + hi) / 2
	return &refTree{rt: rt, left: refBuildTree(rt, lo, mid), value: items[mid], right: refBuildTree(rt, mid+1, hi)}
}

// refLoops are the workloads' run(n) on the reference library, by ID.
var refLoops = map[string]refRun{
	"asyncgen": func(rt *reference.Runtime, f *reference.Frame, n int) (reference.Object, error) {
		return refDrain(f, refGen(rt, n))
	},
	"class": func(rt *reference.Runtime, f *reference.Frame, n int) (reference.Object, error) {
		return refDrain(f, &refCounter{n: n})
	},
	"anext": func(rt *reference.Runtime, f *reference.Frame, n int) (reference.Object, error) {
		g := refGen(rt, n)
		var x reference.Object = -1
		for range n {
			aw, err := reference.ANext(g)
			if err == nil {
				x, err = f.Await(aw)
			}
			if err != nil {
				return nil, err
			}
		}
		// The generator is suspended at its last yield; dropping it is
		// what Python does at the end of run(n).
		rt.Finalize(g)
		return x, nil
	},
	"comprehension": func(rt *reference.Runtime, f *reference.Frame, n int) (reference.Object, error) {
		xs := reference.NewList()
		_, err := f.AsyncFor(refGen(rt, n), func(x reference.Object) (bool, error) { xs.Append(x); return false, nil })
		return len(xs.Items), err
	},
	"sleep0": func(rt *reference.Runtime, f *reference.Frame, n int) (reference.Object, error) {
		return refDrain(f, rt.NewAsyncGenerator("ticker", "ticker", func(gf *reference.Frame) error {
			for i := range n {
				if _, err := gf.Await(rt.Sleep(0, reference.None)); err != nil {
					return err
				}
				if _, err := gf.Yield(items[i]); err != nil {
					return err
				}
			}
			return nil
		}))
	},
	"tree": func(rt *reference.Runtime, f *reference.Frame, n int) (reference.Object, error) {
		tree := refTreeNow
		var x reference.Object = -1
		for range n {
			var err error
			if x, err = refDrain(f, tree); err != nil {
				return nil, err
			}
		}
		return x, nil
	},
	"first-item": func(rt *reference.Runtime, f *reference.Frame, n int) (reference.Object, error) {
		var x reference.Object = -1
		for k := range n {
			one := rt.NewAsyncGenerator("one", "one", func(gf *reference.Frame) error {
				_, err := gf.Yield(items[k])
				return err
			})
			var err error
			if x, err = refDrain(f, one); err != nil {
				return nil, err
			}
		}
		return x, nil
	},
	"aclose": func(rt *reference.Runtime, f *reference.Frame, n int) (reference.Object, error) {
		closed := 0
		for range n {
			g := rt.NewAsyncGenerator("held", "held", func(gf *reference.Frame) error {
				_, err := gf.Yield(1)
				if err == nil {
					_, err = gf.Yield(2)
				}
				closed++ // finally
				return err
			})
			if _, err := f.AsyncFor(g, func(reference.Object) (bool, error) { return true, nil }); err != nil {
				return nil, err
			}
			aw, err := g.AClose()
			if err == nil {
				_, err = f.Await(aw)
			}
			if err != nil {
				return nil, err
			}
		}
		return closed, nil
	},
}

func init() {
	for _, k := range bench.ChainDepths {
		refLoops[fmt.Sprintf("chain-%d", k)] = func(rt *reference.Runtime, f *reference.Frame, n int) (reference.Object, error) {
			var it reference.Object = refGen(rt, n)
			for range k {
				it = refRelay(rt, it)
			}
			return refDrain(f, it)
		}
	}
}
