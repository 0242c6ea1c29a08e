package reference

import "testing"

// Coroutine and generator methods driven by hand, checked against
// CPython 3.11.7.
func TestCoroutineAndGeneratorMethods(t *testing.T) {
	e := newEnv(t)
	co := func() *Coroutine {
		return e.rt.NewCoroutine("co", "co", func(f *Frame) (Object, error) {
			if err := e.sleep(f, 0); err != nil {
				return nil, err
			}
			return 5, nil
		})
	}
	c := co()
	e.print(S(c.Send(1)))
	e.print(S(c.Send(None)), S(c.Send(None)), S(c.Send(None)))
	c = co()
	c.Send(None)
	// The invalid throw is passed down the await chain and raised in
	// every frame on the way back, so the coroutine is finished.
	e.print(S(c.Throw(5)), S(c.Send(None)))
	c = co()
	c.Send(None)
	e.print(S(None, c.Close()), isNone(c.FrameObject()), S(c.Send(None)))
	sg := e.rt.NewGenerator("sg", "sg", func(f *Frame) (Object, error) {
		return None, tryFinally(f, yields(f, 1), func(f *Frame) error { _, err := f.Yield(2); return err })
	})
	Next(sg)
	e.print(S(None, sg.Close()))
	sg2 := e.rt.NewGenerator("sg", "sg", func(f *Frame) (Object, error) { _, err := f.Yield(1); return None, err })
	e.print(S(sg2.Throw(Errorf(ExcValueError, "z"))), S(CallMethod(sg2, "__next__")))
	c = co()
	c.Send(None)
	e.print(S(c.Throw(ExcGeneratorExit)), isNone(c.FrameObject()))
	// A generator at a plain yield is untouched by an invalid throw.
	sg3 := e.rt.NewGenerator("sg", "sg", func(f *Frame) (Object, error) { _, err := f.Yield(1); return None, err })
	Next(sg3)
	e.print(S(sg3.Throw(5)), S(sg3.Send(5)))
	sg4 := e.rt.NewGenerator("sg", "sg", func(f *Frame) (Object, error) { _, err := f.Yield(1); return None, err })
	e.print(S(sg4.Send(5)), S(CallMethod(sg4, "__next__")))
	e.want("TypeError: can't send non-None value to a just-started coroutine",
		"None StopIteration: 5 RuntimeError: cannot reuse already awaited coroutine",
		"TypeError: exceptions must be classes or instances deriving from BaseException, not int RuntimeError: cannot reuse already awaited coroutine",
		"None True RuntimeError: cannot reuse already awaited coroutine",
		"RuntimeError: generator ignored GeneratorExit",
		"ValueError: z StopIteration",
		"GeneratorExit True",
		"TypeError: exceptions must be classes or instances deriving from BaseException, not int StopIteration",
		"TypeError: can't send non-None value to a just-started generator 1")
}

func TestCoroutineBeingAwaitedAlready(t *testing.T) {
	e := newEnv(t)
	e.run(func(f *Frame) (Object, error) {
		c := e.rt.NewCoroutine("co", "co", func(f *Frame) (Object, error) {
			if err := e.sleep(f, 0); err != nil {
				return nil, err
			}
			return 5, nil
		})
		task := must(e.rt.CreateTask(c))
		e.sleep(f, 0)
		e.print("await running coro:", A(f, c))
		e.print(A(f, task))
		w := must(c.Await())
		e.print(TypeName(w), S(CallMethod(w, "send", None)))
		return None, nil
	})
	e.want("await running coro: RuntimeError: coroutine is being awaited already", "5",
		"coroutine_wrapper RuntimeError: cannot reuse already awaited coroutine")
}

// athrow() with no arguments leaves the generator marked running in
// CPython 3.11, so later operations report it as already running.
func TestAthrowArgumentErrors(t *testing.T) {
	e := newEnv(t)
	e.run(func(f *Frame) (Object, error) {
		g := e.agen(1, 2)
		f.Await(must(ANext(g)))
		e.print(TypeName(must(CallMethod(g, "athrow"))))
		e.print(A(f, must(g.AThrow())))
		e.print(A(f, must(g.AThrow(ExcValueError, "v"))), A(f, must(ANext(g))))
		g = e.agen(1, 2)
		f.Await(must(ANext(g)))
		e.print(A(f, must(g.AThrow(ExcValueError, None, 5))))
		e.print(A(f, must(g.AThrow(Errorf(ExcValueError, "a"), "b"))))
		e.print(S(CallMethod(g, "asend")), S(CallMethod(g, "asend", 1, 2)), S(CallMethod(g, "aclose", 1)))
		aw := must(g.AThrow(ExcValueError))
		e.print(S(aw.Send(5)), S(aw.Send(None)))
		return None, nil
	})
	e.want("async_generator_athrow",
		"TypeError: athrow expected at least 1 argument, got 0",
		"RuntimeError: athrow(): asynchronous generator is already running RuntimeError: anext(): asynchronous generator is already running",
		"TypeError: throw() third argument must be a traceback object",
		"TypeError: instance exception may not have a separate value",
		"TypeError: async_generator.asend() takes exactly one argument (0 given) TypeError: async_generator.asend() takes exactly one argument (2 given) TypeError: async_generator.aclose() takes no arguments (1 given)",
		"RuntimeError: can't send non-None value to a just-started coroutine ValueError")
}

// After aclose() was refused by a yield, the generator can still be
// resumed by asend/anext, while athrow/aclose report it closed.
func TestAfterIgnoredGeneratorExit(t *testing.T) {
	e := newEnv(t)
	g := func() *AsyncGenerator {
		return e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
			if _, err := f.Yield(1); err != nil && AsException(err).Matches(ExcGeneratorExit) {
				if _, err := f.Yield(2); err != nil {
					return err
				}
			}
			e.print("after yield 2")
			return nil
		})
	}
	e.run(func(f *Frame) (Object, error) {
		it := g()
		f.Await(must(ANext(it)))
		e.print(A(f, must(it.AClose())))
		e.print("ag_running", it.Running())
		e.print("anext after ignored:", A(f, must(ANext(it))))
		e.print("anext again:", A(f, must(ANext(it))))
		it = g()
		f.Await(must(ANext(it)))
		e.print(A(f, must(it.AClose())))
		e.print("athrow after ignored:", A(f, must(it.AThrow(Errorf(ExcValueError, "q")))))
		e.print("aclose after ignored:", A(f, must(it.AClose())))
		e.print("asend after ignored:", A(f, must(it.ASend(None))))
		return None, nil
	})
	e.want("RuntimeError: async generator ignored GeneratorExit", "ag_running False",
		"after yield 2", "anext after ignored: StopAsyncIteration", "anext again: StopAsyncIteration",
		"RuntimeError: async generator ignored GeneratorExit",
		"athrow after ignored: StopAsyncIteration", "aclose after ignored: StopAsyncIteration",
		"after yield 2", "asend after ignored: StopAsyncIteration")
}

// anext_awaitable's close and throw act on the awaitable it wraps.
func TestANextAwaitableMethods(t *testing.T) {
	e := newEnv(t)
	i := iterClass("I", def("__anext__", func([]Object) (Object, error) { return 1, nil }))
	e.run(func(f *Frame) (Object, error) {
		g := e.agen(1, 2)
		aw := must(ANextDefault(g, "D"))
		e.print(S(CallMethod(aw, "close")))
		e.print(S(CallMethod(aw, "send", None)))
		aw2 := must(ANextDefault(g, "D"))
		e.print(S(CallMethod(aw2, "throw", Errorf(ExcValueError, "x"))), A(f, must(ANext(g))))
		e.print(S(CallMethod(must(ANextDefault(newObj(i), "D")), "send", None)))
		return None, nil
	})
	e.want("None", "RuntimeError: cannot reuse already awaited __anext__()/asend()",
		"ValueError: x StopAsyncIteration", "TypeError: object int can't be used in 'await' expression")
}
