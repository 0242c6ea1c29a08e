package reference

import (
	"runtime"
	"testing"
)

// Abandoned objects: Release and Close drop stacks without running
// finally blocks; Finalize closes the way the garbage collector would.
func TestReleaseCloseFinalize(t *testing.T) {
	e := newEnv(t)
	gen := func(name string) *Generator {
		return e.rt.NewGenerator(name, name, func(f *Frame) (Object, error) {
			return None, tryFinally(f, yields(f, 1, 2), func(*Frame) error { e.print(name, "finally"); return nil })
		})
	}
	a, b, c := gen("a"), gen("b"), gen("c")
	for _, g := range []*Generator{a, b, c} {
		must(g.Send(None))
	}
	if n := e.rt.LiveFrames(); n != 3 {
		t.Fatalf("LiveFrames = %d, want 3", n)
	}
	e.rt.Release(a)
	e.rt.Finalize(b)
	e.print("a done:", a.Done(), "b done:", b.Done())
	co := e.rt.NewCoroutine("co", "co", func(f *Frame) (Object, error) {
		return None, tryFinally(f, func() error { return e.sleep(f, 0) }, func(*Frame) error { e.print("co finally"); return nil })
	})
	must(co.Send(None))
	e.rt.Close()
	e.print("c done:", c.Done(), "co done:", co.Done(), "live:", e.rt.LiveFrames())
	e.want("b finally", "a done: True b done: True", "c done: True co done: True live: 0")
}

// Many coroutines run one after another reuse a few goroutines.
func TestWorkersAreReused(t *testing.T) {
	e := newEnv(t)
	before := runtime.NumGoroutine()
	peak := before
	e.run(func(f *Frame) (Object, error) {
		for i := range 1000 {
			c := e.rt.NewCoroutine("c", "c", func(f *Frame) (Object, error) { return i, e.sleep(f, 0) })
			if v := must(f.Await(c)); v != i {
				t.Errorf("got %v", v)
			}
			peak = max(peak, runtime.NumGoroutine())
		}
		return None, nil
	})
	if peak > before+10 {
		t.Errorf("goroutines grew from %d to %d", before, peak)
	}
}

// The hooks of sys.set_asyncgen_hooks see the generator on its first
// iteration and at finalisation.
func TestAsyncGenHooks(t *testing.T) {
	e := newEnv(t)
	var log []Object
	first := NewFunction("firstiter", func(a []Object) (Object, error) { log = append(log, "first "+TypeName(a[0])); return None, nil })
	final := NewFunction("finalizer", func(a []Object) (Object, error) { log = append(log, "final "+TypeName(a[0])); return None, nil })
	if err := e.rt.SetAsyncGenHooks(first, final); err != nil {
		t.Fatal(err)
	}
	e.print(S(None, e.rt.SetAsyncGenHooks(5, None)))
	g := e.agen(1, 2)
	aw := must(ANext(g))
	must(ANext(g))
	_, err := CallMethod(aw, "send", None)
	e.print(fmtErr(err))
	e.rt.Finalize(g)
	e.print(NewList(log...))
	e.want("TypeError: callable firstiter expected, got int", "StopIteration: 1",
		"['first async_generator', 'final async_generator']")
}
