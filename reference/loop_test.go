package reference

import (
	"fmt"
	"strings"
	"testing"
)

// TestEventOrderMatchesCPython mirrors a probe whose log CPython 3.11.7
// printed: the async for body and the generator interleave with another
// task one loop turn at a time, __anext__ for item k+1 starts only after
// the body of item k, timers fire by due time then creation order,
// gather keeps argument order and does not cancel siblings on error,
// cancelling a gathering future cancels its children, a call_later(0)
// runs after the callbacks already queued, and asyncio.run cancels the
// tasks left at the end.
func TestEventOrderMatchesCPython(t *testing.T) {
	e := newEnv(t)
	logf := func(format string, a ...any) { e.out = append(e.out, fmt.Sprintf(format, a...)) }
	g := e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
		return tryFinally(f, func() error {
			for i := range 3 {
				logf("gen before await %d", i)
				if err := e.sleep(f, 0); err != nil {
					return err
				}
				logf("gen yield %d", i)
				if _, err := f.Yield(i); err != nil {
					return err
				}
			}
			logf("gen end")
			return nil
		}, func(*Frame) error { logf("gen finally"); return nil })
	})
	other := e.rt.NewCoroutine("other", "other", func(f *Frame) (Object, error) {
		for i := range 4 {
			logf("other %d", i)
			if err := e.sleep(f, 0); err != nil {
				return nil, err
			}
		}
		return None, nil
	})
	timed := func(name string, d float64) *Coroutine {
		return e.rt.NewCoroutine("timed", "timed", func(f *Frame) (Object, error) {
			if err := e.sleep(f, d); err != nil {
				return nil, err
			}
			logf("timer %s", name)
			return name, nil
		})
	}
	slowc := func() *Coroutine {
		return e.rt.NewCoroutine("slowc", "slowc", func(f *Frame) (Object, error) {
			err := e.sleep(f, 1)
			if exc := AsException(err); exc != nil && exc.Matches(ExcCancelledError) {
				logf("slowc cancelled")
			}
			return None, err
		})
	}
	_, err := e.run(func(f *Frame) (Object, error) {
		task := must(e.rt.CreateTask(other))
		exhausted, err := f.AsyncFor(g, func(x Object) (bool, error) {
			logf("body start %v", x)
			err := e.sleep(f, 0)
			logf("body end %v", x)
			return false, err
		})
		if err != nil {
			return nil, err
		}
		if exhausted {
			logf("else")
		}
		f.Await(task)
		r := must(f.Await(must(e.rt.Gather([]Object{timed("b", 0.02), timed("a", 0.01), timed("c", 0.01)}, false))))
		logf("%s", reprOr(r))
		boom := e.rt.NewCoroutine("boom", "boom", func(*Frame) (Object, error) { return nil, Errorf(ExcValueError, "b") })
		_, err = f.Await(must(e.rt.Gather([]Object{boom, slowc()}, false)))
		logf("gather raised %s", AsException(err).Repr())
		e.sleep(f, 0)
		e.sleep(f, 0)
		t2 := must(e.rt.CreateTask(slowc()))
		e.sleep(f, 0)
		outer := must(e.rt.Gather([]Object{t2}, false))
		outer.Cancel(None)
		_, err = f.Await(outer)
		logf("outer cancelled %s", AsException(err).Repr())
		loop := must(e.rt.GetRunningLoop())
		cb := func(n int) func() error { return func() error { logf("cb %d", n); return nil } }
		loop.CallSoon(cb(1))
		loop.CallLater(0, cb(2))
		loop.CallSoon(cb(3))
		e.sleep(f, 0)
		logf("after sleep0")
		e.sleep(f, 0)
		logf("after sleep0 2")
		return None, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.want(strings.Split(`gen before await 0
other 0
gen yield 0
body start 0
other 1
body end 0
gen before await 1
other 2
gen yield 1
body start 1
other 3
body end 1
gen before await 2
gen yield 2
body start 2
body end 2
gen end
gen finally
else
timer a
timer c
timer b
['b', 'a', 'c']
gather raised ValueError('b')
slowc cancelled
outer cancelled CancelledError()
cb 1
cb 3
after sleep0
cb 2
after sleep0 2
slowc cancelled`, "\n")...)
}

// TestCancellationDetails checks the CancelledError a cancelled task
// raises (its own once, then fresh ones) and what gather reports.
func TestCancellationDetails(t *testing.T) {
	e := newEnv(t)
	canc := func() *Coroutine {
		return e.rt.NewCoroutine("canc", "canc", func(f *Frame) (Object, error) { return None, e.sleep(f, 1) })
	}
	e.run(func(f *Frame) (Object, error) {
		task := must(e.rt.CreateTask(canc()))
		e.sleep(f, 0)
		task.Cancel("msg")
		r := must(f.Await(must(e.rt.Gather([]Object{task}, true))))
		e.print(r)
		task = must(e.rt.CreateTask(canc()))
		e.sleep(f, 0)
		task.Cancel("m2")
		e.print(A(f, task), task.Cancelled())
		_, err := f.Await(task)
		exc := AsException(err)
		e.print(exc.Repr(), excOrNone(exc.Context))
		// Cancelled before its first step: CancelledError is thrown
		// into the coroutine before its body runs.
		ran := false
		c := e.rt.NewCoroutine("c", "c", func(*Frame) (Object, error) { ran = true; return None, nil })
		task = must(e.rt.CreateTask(c))
		task.Cancel(None)
		e.print(A(f, task), ran, task.Cancelled())
		// A task that catches the cancellation and returns normally.
		c = e.rt.NewCoroutine("c", "c", func(f *Frame) (Object, error) {
			if err := e.sleep(f, 1); err != nil {
				return "caught", nil
			}
			return "slept", nil
		})
		task = must(e.rt.CreateTask(c))
		e.sleep(f, 0)
		task.Cancel(None)
		e.print(A(f, task), task.Cancelled(), task.Cancelling())
		return None, nil
	})
	e.want("[CancelledError('')]",
		"CancelledError: m2 True",
		"CancelledError() None",
		"CancelledError False True",
		"'caught' False 1")
}

func TestRunErrors(t *testing.T) {
	e := newEnv(t)
	e.print(S(e.rt.Run(5)))
	_, err := e.run(func(f *Frame) (Object, error) {
		inner := e.rt.NewCoroutine("inner", "inner", func(*Frame) (Object, error) { return None, nil })
		e.print(S(e.rt.Run(inner)))
		e.print(S(e.rt.CreateTask(5)))
		e.print(S(e.rt.Gather([]Object{5}, false)))
		e.print(reprOr(must(f.Await(must(e.rt.Gather(nil, false))))))
		return nil, NewException(ExcSystemExit, 3)
	})
	e.print(fmtErr(err))
	e.print(S(e.rt.CreateTask(e.rt.Sleep(0, nil))))
	e.want("ValueError: a coroutine was expected, got 5",
		"RuntimeError: asyncio.run() cannot be called from a running event loop",
		"TypeError: a coroutine was expected, got 5",
		"TypeError: An asyncio.Future, a coroutine or an awaitable is required",
		"[]",
		"SystemExit: 3",
		"RuntimeError: no running event loop")
	if !strings.Contains(e.stderr.String(), "coroutine 'inner' was never awaited") ||
		!strings.Contains(e.stderr.String(), "coroutine 'sleep' was never awaited") {
		t.Errorf("stderr = %q", e.stderr.String())
	}
}

func TestTaskBadYields(t *testing.T) {
	e := newEnv(t)
	y := cls("Y", "__await__", e.genDef("Y.__await__", func(f *Frame, _ []Object) (Object, error) {
		_, err := f.Yield(5)
		return None, err
	}))
	e.run(func(f *Frame) (Object, error) {
		c := e.rt.NewCoroutine("yy", "yy", func(f *Frame) (Object, error) { return f.Await(newObj(y)) })
		e.print(A(f, must(e.rt.CreateTask(c))))
		var self *Task
		c = e.rt.NewCoroutine("me", "me", func(f *Frame) (Object, error) { return f.Await(self) })
		self = must(e.rt.CreateTask(c))
		_, err := f.Await(self)
		e.print(strings.HasPrefix(fmtErr(err), "RuntimeError: Task cannot await on itself: <Task pending name="))
		return None, nil
	})
	e.want("RuntimeError: Task got bad yield: 5", "True")
}

func TestDeadlockIsReported(t *testing.T) {
	e := newEnv(t)
	_, err := e.run(func(f *Frame) (Object, error) {
		loop := must(e.rt.GetRunningLoop())
		return f.Await(loop.CreateFuture())
	})
	if !strings.Contains(fmtErr(err), "deadlock") {
		t.Errorf("err = %v", err)
	}
}

func TestCallbackErrorsGoToHandler(t *testing.T) {
	e := newEnv(t)
	var got []string
	e.run(func(f *Frame) (Object, error) {
		loop := must(e.rt.GetRunningLoop())
		loop.ExceptionHandler = func(ctx ExceptionContext) { got = append(got, ctx.Message+": "+ctx.Exception.Error()) }
		loop.CallSoon(func() error { return Errorf(ExcValueError, "cb") })
		return None, e.sleep(f, 0)
	})
	if len(got) != 1 || got[0] != "Exception in callback: ValueError: cb" {
		t.Errorf("got %q", got)
	}
}

func TestVirtualClock(t *testing.T) {
	e := newEnv(t)
	e.run(func(f *Frame) (Object, error) {
		loop := must(e.rt.GetRunningLoop())
		t0 := loop.Time()
		e.sleep(f, 5)
		e.print(loop.Time() - t0)
		v := must(f.Await(e.rt.Sleep(0.5, "r")))
		e.print(v, loop.Time()-t0)
		return None, nil
	})
	e.want("5.0", "r 5.5")
}

// TestFinalizeTemporariesMatchesCPython: an async for over a temporary
// generator that breaks, a class-based iterator whose async __anext__
// awaits, and a generator left in a local when main returns (finalised
// then, so its aclose task is cancelled by asyncio.run's shutdown),
// with the order CPython 3.11.7 printed.
func TestFinalizeTemporariesMatchesCPython(t *testing.T) {
	e := newEnv(t)
	g := func(name string) *AsyncGenerator {
		return e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
			return tryFinally(f, yields(f, 1, 2), func(f *Frame) error {
				e.print(name, "finally start")
				if err := e.sleep(f, 0); err != nil {
					return err
				}
				e.print(name, "finally end")
				return nil
			})
		})
	}
	c := iterClass("C", e.asyncDef("C.__anext__", func(f *Frame, a []Object) (Object, error) {
		i := incr(a[0])
		e.print("anext", i)
		if err := e.sleep(f, 0); err != nil {
			return nil, err
		}
		if i > 2 {
			return nil, NewException(ExcStopAsyncIteration)
		}
		return i, nil
	}))
	other := e.rt.NewCoroutine("other", "other", func(f *Frame) (Object, error) {
		for i := range 3 {
			e.print("other", i)
			if err := e.sleep(f, 0); err != nil {
				return nil, err
			}
		}
		return None, nil
	})
	_, err := e.run(func(f *Frame) (Object, error) {
		temp := g("temp")
		f.AsyncFor(temp, func(Object) (bool, error) { return true, nil })
		e.rt.Finalize(temp)
		e.print("after break")
		for i := 1; i <= 3; i++ {
			e.sleep(f, 0)
			e.print("turn", i)
		}
		task := must(e.rt.CreateTask(other))
		f.AsyncFor(newObj(c), func(x Object) (bool, error) { e.print("body", x); return false, nil })
		f.Await(task)
		kept := g("kept")
		f.Await(must(ANext(kept)))
		e.print("main end")
		e.rt.Finalize(kept)
		return None, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.print("after run")
	e.want("after break", "turn 1", "temp finally start", "turn 2", "temp finally end", "turn 3",
		"anext 1", "other 0", "body 1", "anext 2", "other 1", "body 2", "anext 3", "other 2",
		"main end", "kept finally start", "after run")
}
