package reference

import (
	"regexp"
	"testing"
)

// tryFinally is `try: <yields> finally: cleanup()` in an async
// generator body: cleanup runs on every exit, and the exit is kept.
func tryFinally(f *Frame, body func() error, cleanup func(f *Frame) error) error {
	err := body()
	if cerr := cleanup(f); cerr != nil {
		return cerr
	}
	return err
}

func yields(f *Frame, vals ...Object) func() error {
	return func() error {
		for _, v := range vals {
			if _, err := f.Yield(v); err != nil {
				return err
			}
		}
		return nil
	}
}

// Group L: aclose(), finalisation.

func TestL01L02Aclose(t *testing.T) {
	e := newEnv(t)
	g := func() *AsyncGenerator {
		return e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
			return tryFinally(f, func() error {
				_, err := f.Yield(1)
				if exc := AsException(err); exc != nil && exc.Matches(ExcGeneratorExit) {
					e.print("got", fmtErr(exc))
				}
				return err
			}, func(*Frame) error { e.print("finally ran"); return nil })
		})
	}
	e.run(func(f *Frame) (Object, error) {
		it := g()
		e.print("aclose ->", A(f, must(it.AClose())), "| anext ->", A(f, must(ANext(it))))
		it = g()
		f.Await(must(ANext(it)))
		e.print("aclose ->", A(f, must(it.AClose())), "| anext ->", A(f, must(ANext(it))))
		return None, nil
	})
	e.want("aclose -> None | anext -> StopAsyncIteration",
		"got GeneratorExit", "finally ran", "aclose -> None | anext -> StopAsyncIteration")
}

func TestL03L04L05L08YieldOrAwaitDuringAclose(t *testing.T) {
	e := newEnv(t)
	l03 := e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
		if _, err := f.Yield(1); err != nil && AsException(err).Matches(ExcGeneratorExit) {
			_, err = f.Yield(2)
			return err
		}
		return nil
	})
	l04 := e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
		return tryFinally(f, yields(f, 1), func(f *Frame) error { _, err := f.Yield("cleanup"); return err })
	})
	l05 := e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
		return tryFinally(f, yields(f, 1), func(f *Frame) error {
			if err := e.sleep(f, 0); err != nil {
				return err
			}
			e.print("async cleanup done")
			return nil
		})
	})
	l08 := e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
		if _, err := f.Yield(1); err != nil && AsException(err).Matches(ExcGeneratorExit) {
			return nil
		}
		return nil
	})
	e.run(func(f *Frame) (Object, error) {
		for _, it := range []*AsyncGenerator{l03, l04, l05, l08} {
			f.Await(must(ANext(it)))
			e.print("aclose ->", A(f, must(it.AClose())))
		}
		return None, nil
	})
	e.want("aclose -> RuntimeError: async generator ignored GeneratorExit",
		"aclose -> RuntimeError: async generator ignored GeneratorExit",
		"async cleanup done", "aclose -> None",
		"aclose -> None")
}

func TestL07L09AfterClose(t *testing.T) {
	e := newEnv(t)
	e.run(func(f *Frame) (Object, error) {
		it := e.agen(1)
		f.Await(must(ANext(it)))
		e.print(A(f, must(it.AClose())), A(f, must(it.AClose())))
		ex := e.agen()
		drain(f, ex)
		e.print(A(f, must(ex.AClose())))
		it = e.agen(1, 2)
		f.Await(must(ANext(it)))
		f.Await(must(it.AClose()))
		e.print("asend :", A(f, must(it.ASend(None))))
		e.print("athrow:", A(f, must(it.AThrow(Errorf(ExcValueError, "v")))))
		e.print("anext default:", A(f, must(ANextDefault(it, "D"))))
		return None, nil
	})
	e.want("None None", "None", "asend : StopAsyncIteration", "athrow: None", "anext default: 'D'")
}

func TestL12NoSyncClose(t *testing.T) {
	e := newEnv(t)
	g := e.agen()
	var r []Object
	for _, n := range []string{"close", "aclose", "throw", "athrow", "send", "asend"} {
		r = append(r, must(HasAttr(g, n)))
	}
	e.print(r...)
	e.want("False True False True False True")
}

func TestL13FinalizerHookSchedulesAclose(t *testing.T) {
	e := newEnv(t)
	g := e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
		return tryFinally(f, yields(f, 1, 2), func(*Frame) error { e.print("finally ran (via loop finalizer)"); return nil })
	})
	e.run(func(f *Frame) (Object, error) {
		f.Await(must(ANext(g)))
		e.rt.Finalize(g)
		e.print("after gc")
		e.sleep(f, 0)
		e.print("after 1st loop turn")
		e.sleep(f, 0)
		e.print("after 2nd loop turn")
		return None, nil
	})
	e.want("after gc", "after 1st loop turn", "finally ran (via loop finalizer)", "after 2nd loop turn")
}

func TestL14FinalizeWithoutLoop(t *testing.T) {
	e := newEnv(t)
	g := e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
		return tryFinally(f, yields(f, 1), func(f *Frame) error {
			e.print("finally entered")
			if err := e.sleep(f, 0); err != nil {
				return err
			}
			e.print("never printed")
			return nil
		})
	})
	_, err := CallMethod(must(CallMethod(g, "__anext__")), "send", None)
	e.print("got", AsException(err).Value())
	e.rt.Finalize(g)
	e.print("end")
	e.want("got 1", "finally entered", "end")
	re := regexp.MustCompile(`^Exception ignored in: <async_generator object g at 0x[0-9a-f]+>\nRuntimeError: async generator ignored GeneratorExit\n$`)
	if !re.MatchString(e.stderr.String()) {
		t.Errorf("stderr = %q", e.stderr.String())
	}
	if !g.Done() {
		t.Errorf("generator not finished after Finalize")
	}
}

func TestShutdownAsyncgensClosesAliveGenerators(t *testing.T) {
	e := newEnv(t)
	g := e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
		return tryFinally(f, yields(f, 1, 2), func(f *Frame) error {
			e.sleep(f, 0)
			e.print("closed at shutdown")
			return nil
		})
	})
	e.run(func(f *Frame) (Object, error) {
		f.Await(must(ANext(g)))
		e.print("main done")
		return None, nil
	})
	e.print("after run")
	e.want("main done", "closed at shutdown", "after run")
}

// Group T: athrow().

func TestTGroup(t *testing.T) {
	e := newEnv(t)
	handled := func(ret bool) *AsyncGenerator {
		return e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
			_, err := f.Yield(1)
			if exc := AsException(err); exc != nil {
				if !exc.Matches(ExcValueError) || ret {
					return err
				}
				if _, err := f.Yield("handled"); err != nil {
					return err
				}
			}
			_, err = f.Yield("after")
			return err
		})
	}
	e.run(func(f *Frame) (Object, error) {
		it := e.agen(1, 2)
		f.Await(must(ANext(it)))
		e.print("T01", A(f, must(it.AThrow(Errorf(ExcValueError, "v")))), "|", A(f, must(ANext(it))))
		it = handled(false)
		f.Await(must(ANext(it)))
		e.print("T02", A(f, must(it.AThrow(ExcValueError))), "|", A(f, must(ANext(it))))
		t03 := e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
			if _, err := f.Yield(1); err != nil && AsException(err).Matches(ExcValueError) {
				return nil
			}
			return nil
		})
		f.Await(must(ANext(t03)))
		e.print("T03", A(f, must(t03.AThrow(ExcValueError))))
		t04 := e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error { e.print("body ran"); _, err := f.Yield(1); return err })
		e.print("T04", A(f, must(t04.AThrow(Errorf(ExcValueError, "early")))), "|", A(f, must(ANext(t04))))
		it = e.agen(1)
		f.Await(must(ANext(it)))
		e.print("T06", A(f, must(it.AThrow(ExcKeyError))))
		it = e.agen(1)
		f.Await(must(ANext(it)))
		aw := must(it.AThrow(5))
		e.print("T07", TypeName(aw), "|", A(f, aw), "|", TypeName(must(it.AThrow("x"))))
		it = e.agen(1, 2)
		f.Await(must(ANext(it)))
		e.print("T08", A(f, must(it.AThrow(ExcStopAsyncIteration))))
		it = e.agen(1, 2)
		f.Await(must(ANext(it)))
		e.print("T09", A(f, must(it.AThrow(ExcGeneratorExit))), "|", A(f, must(ANext(it))))
		it = e.agen(1)
		f.Await(must(ANext(it)))
		e.print("T10", A(f, must(it.AThrow(ExcValueError, Errorf(ExcValueError, "v3"), None))))
		it = e.agen()
		drain(f, it)
		e.print("T11 agen.athrow ->", A(f, must(it.AThrow(Errorf(ExcValueError, "x")))))
		c := e.agen(1)
		f.Await(must(ANext(c)))
		f.Await(must(c.AClose()))
		e.print("T11 closed agen.athrow ->", A(f, must(c.AThrow(Errorf(ExcValueError, "y")))))
		s := e.rt.NewGenerator("sg", "sg", func(f *Frame) (Object, error) { _, err := f.Yield(1); return None, err })
		must(ListOf(s))
		e.print("T11 gen.throw ->", S(s.Throw(Errorf(ExcValueError, "x"))))
		return None, nil
	})
	e.want("T01 ValueError: v | StopAsyncIteration",
		"T02 'handled' | 'after'",
		"T03 StopAsyncIteration",
		"T04 ValueError: early | StopAsyncIteration",
		"T06 KeyError",
		"T07 async_generator_athrow | TypeError: exceptions must be classes or instances deriving from BaseException, not int | async_generator_athrow",
		"T08 RuntimeError: async generator raised StopAsyncIteration",
		"T09 GeneratorExit | StopAsyncIteration",
		"T10 ValueError: v3",
		"T11 agen.athrow -> None",
		"T11 closed agen.athrow -> None",
		"T11 gen.throw -> ValueError: x")
}

// Group D: asend().

func TestDGroup(t *testing.T) {
	e := newEnv(t)
	e.run(func(f *Frame) (Object, error) {
		e.print("D01", A(f, must(e.agen(1).ASend(42))))
		e.print("D02", A(f, must(e.agen(1).ASend(None))))
		it := e.agen()
		drain(f, it)
		e.print("D04", A(f, must(it.ASend(None))), "|", A(f, must(it.ASend(1))))
		g := e.agen(1)
		aw := must(g.ASend(42))
		e.print("D05 created", TypeName(aw))
		e.print("D05", A(f, aw), "|", A(f, must(ANext(g))))
		return None, nil
	})
	e.want("D01 TypeError: can't send non-None value to a just-started async generator",
		"D02 1",
		"D04 StopAsyncIteration | StopAsyncIteration",
		"D05 created async_generator_asend",
		"D05 TypeError: can't send non-None value to a just-started async generator | 1")
}

// Group O: awaitable objects, creation order and reuse.

func TestOGroup(t *testing.T) {
	e := newEnv(t)
	e.run(func(f *Frame) (Object, error) {
		g := e.agen("v1", "v2")
		for range 3 {
			must(ANext(g))
		}
		e.print("O03", must(f.Await(must(ANext(g)))))
		g = e.agen(1, 2)
		aw := must(ANext(g))
		e.print("O04", A(f, aw), "|", A(f, aw), "|", A(f, aw), "| next anext:", A(f, must(ANext(g))))
		g = e.agen(1, 2)
		aw = must(ANextDefault(g, "D"))
		e.print("O05", A(f, aw), "|", A(f, aw), "| next anext:", A(f, must(ANext(g))))
		o6 := e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
			if _, err := f.Yield(1); err != nil {
				if !AsException(err).Matches(ExcValueError) {
					return err
				}
				if _, err := f.Yield("h"); err != nil {
					return err
				}
			}
			_, err := f.Yield(2)
			return err
		})
		aw = must(o6.ASend(None))
		e.print("O06 asend :", A(f, aw), "|", A(f, aw))
		aw = must(o6.AThrow(ExcValueError))
		e.print("O06 athrow:", A(f, aw), "|", A(f, aw))
		aw = must(o6.AClose())
		e.print("O06 aclose:", A(f, aw), "|", A(f, aw))
		g = e.agen()
		aw = must(ANext(g))
		e.print("O07", A(f, aw), "|", A(f, aw))
		coro := e.rt.NewCoroutine("coro", "coro", func(*Frame) (Object, error) { return 1, nil })
		e.print("O08", A(f, coro), "|", A(f, coro))
		g = e.agen("v1", "v2", "v3")
		a1 := must(ANext(g))
		v := must(f.Await(must(ANext(g))))
		e.print("O09", v, "|", A(f, a1))
		return None, nil
	})
	e.want("O03 v1",
		"O04 1 | RuntimeError: cannot reuse already awaited __anext__()/asend() | RuntimeError: cannot reuse already awaited __anext__()/asend() | next anext: 2",
		"O05 1 | RuntimeError: cannot reuse already awaited __anext__()/asend() | next anext: 2",
		"O06 asend : 1 | RuntimeError: cannot reuse already awaited __anext__()/asend()",
		"O06 athrow: 'h' | RuntimeError: cannot reuse already awaited aclose()/athrow()",
		"O06 aclose: None | RuntimeError: cannot reuse already awaited aclose()/athrow()",
		"O07 StopAsyncIteration | RuntimeError: cannot reuse already awaited __anext__()/asend()",
		"O08 1 | RuntimeError: cannot reuse already awaited coroutine",
		"O09 v1 | 'v2'")
}

func TestO10OnlyCoroutinesWarn(t *testing.T) {
	e := newEnv(t)
	var warnings []Object
	e.rt.OnWarning = func(c *Class, msg string) { warnings = append(warnings, c.Name+": "+msg) }
	e.run(func(f *Frame) (Object, error) {
		g := e.agen(1)
		e.rt.Finalize(must(ANext(g)))
		e.rt.Finalize(must(g.ASend(None)))
		e.rt.Finalize(e.rt.NewCoroutine("coro", "coro", func(*Frame) (Object, error) { return 1, nil }))
		e.print(reprOr(NewList(warnings...)))
		return None, nil
	})
	e.want(`["RuntimeWarning: coroutine 'coro' was never awaited"]`)
}
