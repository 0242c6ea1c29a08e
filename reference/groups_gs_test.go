package reference

import "testing"

// Group G: async generators, ordering, exhaustion, anext()/default.

func TestG01AsyncForYieldsInOrder(t *testing.T) {
	e := newEnv(t)
	e.run(func(f *Frame) (Object, error) {
		e.print(drain(f, e.agen(1, 2, 3)))
		return None, nil
	})
	e.want("[1, 2, 3]")
}

func TestG02G03G04Exhaustion(t *testing.T) {
	e := newEnv(t)
	e.run(func(f *Frame) (Object, error) {
		g := e.agen(1, 2)
		e.print(A(f, must(ANext(g))), A(f, must(ANext(g))))
		_, err := f.Await(must(ANext(g)))
		exc := AsException(err)
		e.print(fmtErr(err), exc.Repr(), reprOr(NewTuple(exc.Args...)))
		g = e.agen()
		e.print(A(f, must(ANext(g))), A(f, must(ANext(g))), A(f, must(ANext(g))))
		return None, nil
	})
	e.want("1 2", "StopAsyncIteration StopAsyncIteration() ()",
		"StopAsyncIteration StopAsyncIteration StopAsyncIteration")
}

func TestG05G06G07G08Defaults(t *testing.T) {
	e := newEnv(t)
	boom := func() *AsyncGenerator {
		return e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error { return Errorf(ExcValueError, "boom") })
	}
	e.run(func(f *Frame) (Object, error) {
		g := e.agen(1)
		e.print(A(f, must(ANextDefault(g, "D"))), A(f, must(ANextDefault(g, "D"))), A(f, must(ANextDefault(g, "D"))))
		e.print(A(f, must(ANextDefault(e.agen(), None))))
		e.print(A(f, must(ANextDefault(boom(), "D"))))
		it := boom()
		e.print(A(f, must(ANext(it))), A(f, must(ANext(it))))
		return None, nil
	})
	e.want("1 'D' 'D'", "None", "ValueError: boom", "ValueError: boom StopAsyncIteration")
}

func TestG10AsyncForElse(t *testing.T) {
	e := newEnv(t)
	e.run(func(f *Frame) (Object, error) {
		exhausted, _ := f.AsyncFor(e.agen(1, 2), func(Object) (bool, error) { return false, nil })
		if exhausted {
			e.print("else ran after exhaustion")
		}
		exhausted, _ = f.AsyncFor(e.agen(1, 2), func(Object) (bool, error) { return true, nil })
		if exhausted {
			e.print("else ran after break")
		}
		e.print("done")
		return None, nil
	})
	e.want("else ran after exhaustion", "done")
}

func TestG11G12TypeNames(t *testing.T) {
	e := newEnv(t)
	e.run(func(f *Frame) (Object, error) {
		g := e.agen()
		e.print(Is(must(AIter(g)), g), TypeName(g), TypeName(must(CallMethod(g, "__anext__"))),
			TypeName(must(ANextDefault(g, 0))), TypeName(must(CallMethod(g, "asend", None))),
			TypeName(must(CallMethod(g, "athrow", ExcValueError))), TypeName(must(CallMethod(g, "aclose"))))
		g = e.agen(1)
		e.print(TypeName(must(ANext(g))), TypeName(must(ANextDefault(g, 0))))
		return None, nil
	})
	e.want("True async_generator async_generator_asend anext_awaitable async_generator_asend async_generator_athrow async_generator_athrow",
		"async_generator_asend anext_awaitable")
}

func TestG13DrivingAnextByHand(t *testing.T) {
	e := newEnv(t)
	g := e.agen(7)
	for range 2 {
		_, err := CallMethod(must(CallMethod(g, "__anext__")), "send", None)
		exc := AsException(err)
		e.print(fmtErr(err), reprOr(NewTuple(exc.Args...)))
	}
	e.want("StopIteration: 7 (7,)", "StopAsyncIteration ()")
}

func TestG15ReturnEndsIteration(t *testing.T) {
	e := newEnv(t)
	g := e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
		if _, err := f.Yield(1); err != nil {
			return err
		}
		return nil
	})
	e.run(func(f *Frame) (Object, error) { e.print(drain(f, g)); return None, nil })
	e.want("[1]")
}

func TestG16StateAttributes(t *testing.T) {
	e := newEnv(t)
	e.run(func(f *Frame) (Object, error) {
		g := e.agen(1)
		e.print("fresh:", must(GetAttr(g, "ag_running")), isNone(must(GetAttr(g, "ag_frame"))))
		drain(f, g)
		e.print("exhausted:", must(GetAttr(g, "ag_running")), isNone(must(GetAttr(g, "ag_frame"))))
		return None, nil
	})
	e.want("fresh: False False", "exhausted: False True")
}

// Group S: async for / sync iteration over the wrong kinds of object.

func TestS01S02SyncIterationOfAsyncGenerator(t *testing.T) {
	e := newEnv(t)
	_, err := For(e.agen(1), func(Object) (bool, error) { return false, nil })
	e.print(fmtErr(err))
	e.print(S(ListOf(e.agen(1))), "|", S(Iter(e.agen(1))))
	e.want("TypeError: 'async_generator' object is not iterable",
		"TypeError: 'async_generator' object is not iterable | TypeError: 'async_generator' object is not iterable")
}

func TestS03toS17AsyncForOverWrongObjects(t *testing.T) {
	e := newEnv(t)
	gen := e.genDef("<genexpr>", func(f *Frame, _ []Object) (Object, error) { return None, nil })
	onlyNext := cls("OnlyNext", "__anext__", e.asyncDef("OnlyNext.__anext__", func(*Frame, []Object) (Object, error) {
		return nil, NewException(ExcStopAsyncIteration)
	}))
	badAiter := cls("BadAiter", "__aiter__", def("__aiter__", func([]Object) (Object, error) { return NewList(1), nil }))
	nc := cls("NC", "__aiter__", 5)
	opt := cls("Opt", "__aiter__", None)
	asyncAiter := cls("AsyncAiter",
		"__aiter__", e.asyncDef("AsyncAiter.__aiter__", func(_ *Frame, a []Object) (Object, error) { return a[0], nil }),
		"__anext__", e.asyncDef("AsyncAiter.__anext__", func(*Frame, []Object) (Object, error) {
			return nil, NewException(ExcStopAsyncIteration)
		}))
	r := cls("R", "__aiter__", def("__aiter__", raises(NewException(ExcKeyError, "x"))))
	p := cls("P", "__aiter__", def("__aiter__", returnsSelf), "__anext__", def("__anext__", raises(Errorf(ExcValueError, "sync"))))
	cases := []struct {
		id   string
		it   func() Object
		want string
	}{
		{"S03", func() Object { return NewList(1, 2) }, "[] then TypeError: 'async for' requires an object with __aiter__ method, got list"},
		{"S04", func() Object { return 5 }, "[] then TypeError: 'async for' requires an object with __aiter__ method, got int"},
		{"S05", func() Object { return None }, "[] then TypeError: 'async for' requires an object with __aiter__ method, got NoneType"},
		{"S06", func() Object { return must(gen.Call(nil)) }, "[] then TypeError: 'async for' requires an object with __aiter__ method, got generator"},
		{"S07", func() Object { return newObj(onlyNext) }, "[] then TypeError: 'async for' requires an object with __aiter__ method, got OnlyNext"},
		{"S08", func() Object { return newObj(badAiter) }, "[] then TypeError: 'async for' received an object from __aiter__ that does not implement __anext__: list"},
		{"S10", func() Object { return newObj(nc) }, "[] then TypeError: 'int' object is not callable"},
		{"S11", func() Object { return newObj(opt) }, "[] then TypeError: 'NoneType' object is not callable"},
		{"S12", func() Object { return newObj(asyncAiter) }, "[] then TypeError: 'async for' received an object from __aiter__ that does not implement __anext__: coroutine"},
		{"S14", func() Object { return newObj(r) }, "[] then KeyError: 'x'"},
		{"S15", func() Object { return NewTuple(1, 2) }, "[] then TypeError: 'async for' requires an object with __aiter__ method, got tuple"},
		{"S17", func() Object { return newObj(p) }, "[] then ValueError: sync"},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			e := newEnv(t)
			e.run(func(f *Frame) (Object, error) { e.print(drain(f, c.it())); return None, nil })
			e.want(c.want)
		})
	}
	e.print("aiter():", S(AIter(newObj(nc))))
	e.print("aiter():", S(AIter(newObj(opt))))
	e.want("aiter(): TypeError: 'int' object is not callable", "aiter(): TypeError: 'NoneType' object is not callable")
}

func TestS12WarnsNeverAwaited(t *testing.T) {
	e := newEnv(t)
	asyncAiter := cls("AsyncAiter",
		"__aiter__", e.asyncDef("AsyncAiter.__aiter__", func(_ *Frame, a []Object) (Object, error) { return a[0], nil }))
	e.run(func(f *Frame) (Object, error) { drain(f, newObj(asyncAiter)); return None, nil })
	if got := e.stderr.String(); got != "RuntimeWarning: coroutine 'AsyncAiter.__aiter__' was never awaited\n" {
		t.Errorf("stderr = %q", got)
	}
}
