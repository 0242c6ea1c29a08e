package reference

import "testing"

// slow is `async def slow(): await asyncio.sleep(d); yield 1; yield 2`.
func (e *env) slow(d float64, vals ...Object) *AsyncGenerator {
	return e.rt.NewAsyncGenerator("slow", "slow", func(f *Frame) error {
		if err := e.sleep(f, d); err != nil {
			return err
		}
		for _, v := range vals {
			if _, err := f.Yield(v); err != nil {
				return err
			}
		}
		return nil
	})
}

func fmtResults(res Object) string {
	items := res.(*List).Items
	out := make([]Object, len(items))
	for i, r := range items {
		if exc, ok := r.(*Exception); ok {
			out[i] = exc.Error()
		} else {
			out[i] = r
		}
	}
	return reprOr(NewList(out...))
}

// Group R: concurrency and re-entrancy.

func TestR01R04ConcurrentAnext(t *testing.T) {
	e := newEnv(t)
	e.run(func(f *Frame) (Object, error) {
		g := e.slow(0.01, 1, 2)
		fut := must(e.rt.Gather([]Object{must(ANext(g)), must(ANext(g))}, true))
		e.print(fmtResults(must(f.Await(fut))))
		g = e.slow(0.01, 1)
		fut = must(e.rt.Gather([]Object{must(ANextDefault(g, "D")), must(ANextDefault(g, "D"))}, true))
		e.print(fmtResults(must(f.Await(fut))))
		return None, nil
	})
	e.want("[1, 'RuntimeError: anext(): asynchronous generator is already running']",
		"[1, 'RuntimeError: anext(): asynchronous generator is already running']")
}

func TestR02OperationsWhileRunning(t *testing.T) {
	e := newEnv(t)
	e.run(func(f *Frame) (Object, error) {
		g := e.slow(0.05, 1)
		task := must(e.rt.CreateTask(must(ANext(g))))
		e.sleep(f, 0)
		e.print("ag_running:", must(GetAttr(g, "ag_running")))
		e.print("asend :", A(f, must(g.ASend(None))))
		e.print("athrow:", A(f, must(g.AThrow(ExcValueError))))
		e.print("aclose:", A(f, must(g.AClose())))
		e.print("task  :", A(f, task))
		return None, nil
	})
	e.want("ag_running: True",
		"asend : RuntimeError: anext(): asynchronous generator is already running",
		"athrow: RuntimeError: athrow(): asynchronous generator is already running",
		"aclose: RuntimeError: aclose(): asynchronous generator is already running",
		"task  : 1")
}

func TestR03NoAwaitNoConflict(t *testing.T) {
	e := newEnv(t)
	e.run(func(f *Frame) (Object, error) {
		g := e.agen(1, 2)
		e.print(reprOr(must(f.Await(must(e.rt.Gather([]Object{must(ANext(g)), must(ANext(g))}, false))))))
		return None, nil
	})
	e.want("[1, 2]")
}

func TestR05SelfAnext(t *testing.T) {
	e := newEnv(t)
	var me *AsyncGenerator
	me = e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
		v, err := f.Await(must(ANext(me)))
		if err != nil {
			return err
		}
		_, err = f.Yield(v)
		return err
	})
	e.run(func(f *Frame) (Object, error) { e.print(A(f, must(ANext(me)))); return None, nil })
	e.want("RuntimeError: anext(): asynchronous generator is already running")
}

// Group E: exceptions raised in the generator body.

func TestE01E02StopEscapingBody(t *testing.T) {
	e := newEnv(t)
	g := func(exc *Class) *AsyncGenerator {
		return e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
			if _, err := f.Yield(1); err != nil {
				return err
			}
			return NewException(exc)
		})
	}
	e.run(func(f *Frame) (Object, error) {
		e.print(drain(f, g(ExcStopAsyncIteration)))
		it := g(ExcStopAsyncIteration)
		f.Await(must(ANext(it)))
		_, err := f.Await(must(ANext(it)))
		e.print("__cause__:", AsException(err).Cause.Repr())
		e.print(drain(f, g(ExcStopIteration)))
		return None, nil
	})
	e.want("[1] then RuntimeError: async generator raised StopAsyncIteration",
		"__cause__: StopAsyncIteration()",
		"[1] then RuntimeError: async generator raised StopIteration")
}

func TestE04StopAsyncIterationFromAwaitedCoroutine(t *testing.T) {
	e := newEnv(t)
	inner := e.asyncDef("inner", func(*Frame, []Object) (Object, error) { return nil, NewException(ExcStopAsyncIteration) })
	c := iterClass("C", e.asyncDef("C.__anext__", func(f *Frame, _ []Object) (Object, error) {
		return f.Await(must(inner.Call(nil)))
	}))
	e.run(func(f *Frame) (Object, error) { e.print(drain(f, newObj(c))); return None, nil })
	e.want("[]")
}

func TestE05ConsumerExceptionDoesNotClose(t *testing.T) {
	e := newEnv(t)
	e.run(func(f *Frame) (Object, error) {
		g := e.agen(1, 2, 3)
		_, err := f.AsyncFor(g, func(Object) (bool, error) { return false, NewException(ExcValueError) })
		if AsException(err).Matches(ExcValueError) {
			e.print(A(f, must(ANext(g))), !isNone(g.FrameObject()))
		}
		return None, nil
	})
	e.want("2 True")
}

func TestE06E07IdentityAndBaseException(t *testing.T) {
	e := newEnv(t)
	errObj := Errorf(ExcValueError, "x")
	e.run(func(f *Frame) (Object, error) {
		g := e.rt.NewAsyncGenerator("g", "g", func(*Frame) error { return errObj })
		_, err := f.Await(must(ANext(g)))
		e.print(err == error(errObj))
		g = e.rt.NewAsyncGenerator("g", "g", func(*Frame) error { return NewException(ExcSystemExit, 3) })
		e.print(A(f, must(ANext(g))))
		return None, nil
	})
	e.want("True", "SystemExit: 3")
}
