package reference

import "testing"

// iterClass is `class name: def __aiter__(self): return self` plus the
// given __anext__.
func iterClass(name string, anext Object, extra ...any) *Class {
	return cls(name, append([]any{"__aiter__", def("__aiter__", returnsSelf), "__anext__", anext}, extra...)...)
}

// counter returns a class whose instances count self.i up from 0.
func incr(self Object) int {
	d := self.(*Instance).Dict
	i, _ := d["i"].(int)
	i++
	d["i"] = i
	return i
}

// Group N: what __anext__ may return.

func TestNGroup(t *testing.T) {
	type tc struct {
		id    string
		build func(e *env) Object
		want  string
	}
	retInt := def("__anext__", func([]Object) (Object, error) { return 1, nil })
	bad := cls("Bad", "__await__", def("__await__", func([]Object) (Object, error) { return 1, nil }))
	cases := []tc{
		{"N01", func(e *env) Object { return newObj(iterClass("I", retInt)) },
			"[] then TypeError: 'async for' received an invalid object from __anext__: int"},
		{"N02", func(e *env) Object {
			return newObj(iterClass("I", def("__anext__", func([]Object) (Object, error) { return None, nil })))
		}, "[] then TypeError: 'async for' received an invalid object from __anext__: NoneType"},
		{"N03", func(e *env) Object {
			return newObj(iterClass("C", e.asyncDef("C.__anext__", func(_ *Frame, a []Object) (Object, error) {
				if i := incr(a[0]); i <= 3 {
					return i, nil
				}
				return nil, NewException(ExcStopAsyncIteration)
			})))
		}, "[1, 2, 3]"},
		{"N04", func(e *env) Object {
			aw := cls("Aw", "__await__", e.genDef("Aw.__await__", func(f *Frame, a []Object) (Object, error) {
				v := a[0].(*Instance).Dict["v"].(int)
				if v > 2 {
					return nil, NewException(ExcStopAsyncIteration)
				}
				if _, err := f.YieldFrom(NewTuple()); err != nil {
					return nil, err
				}
				return v, nil
			}))
			return newObj(iterClass("C", def("__anext__", func(a []Object) (Object, error) {
				o := NewInstance(aw)
				o.Dict["v"] = incr(a[0])
				return o, nil
			})))
		}, "[1, 2]"},
		{"N05", func(e *env) Object {
			return newObj(iterClass("F", def("__anext__", func(a []Object) (Object, error) {
				loop, err := e.rt.GetRunningLoop()
				if err != nil {
					return nil, err
				}
				fut := loop.CreateFuture()
				if i := incr(a[0]); i > 2 {
					fut.SetException(NewException(ExcStopAsyncIteration))
				} else {
					fut.SetResult(i * 10)
				}
				return fut, nil
			})))
		}, "[10, 20]"},
		{"N06", func(e *env) Object {
			next := e.asyncDef("P._next", func(_ *Frame, a []Object) (Object, error) {
				if i := incr(a[0]); i <= 2 {
					return i, nil
				}
				return nil, NewException(ExcStopAsyncIteration)
			})
			return newObj(iterClass("P", def("__anext__", func(a []Object) (Object, error) { return next.Call(a) })))
		}, "[1, 2]"},
		{"N07", func(e *env) Object {
			return newObj(iterClass("P", def("__anext__", raises(NewException(ExcStopAsyncIteration)))))
		}, "[]"},
		{"N08", func(e *env) Object {
			return newObj(iterClass("I", def("__anext__", func([]Object) (Object, error) { return newObj(bad), nil })))
		}, "[] then TypeError: 'async for' received an invalid object from __anext__: Bad"},
		{"N09", func(e *env) Object {
			gen := e.genDef("<genexpr>", func(*Frame, []Object) (Object, error) { return None, nil })
			return newObj(iterClass("I", def("__anext__", func([]Object) (Object, error) { return gen.Call(nil) })))
		}, "[] then TypeError: 'async for' received an invalid object from __anext__: generator"},
		{"N10", func(e *env) Object {
			return newObj(iterClass("I", e.asyncDef("I.__anext__", func(*Frame, []Object) (Object, error) {
				return nil, NewException(ExcStopIteration)
			})))
		}, "[] then RuntimeError: coroutine raised StopIteration"},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			e := newEnv(t)
			e.run(func(f *Frame) (Object, error) { e.print(drain(f, c.build(e))); return None, nil })
			e.want(c.want)
		})
	}
}

func TestN11StopAsyncIterationPayload(t *testing.T) {
	e := newEnv(t)
	i := iterClass("I", e.asyncDef("I.__anext__", func(*Frame, []Object) (Object, error) {
		return nil, NewException(ExcStopAsyncIteration, "payload")
	}))
	e.run(func(f *Frame) (Object, error) {
		e.print(drain(f, newObj(i)), "|", A(f, must(ANext(newObj(i)))), "|", A(f, must(ANextDefault(newObj(i), "D"))))
		return None, nil
	})
	e.want("[] | StopAsyncIteration: payload | 'D'")
}

func TestN13CauseChained(t *testing.T) {
	e := newEnv(t)
	bad := cls("Bad", "__await__", def("__await__", func([]Object) (Object, error) { return 1, nil }))
	i := iterClass("I", def("__anext__", func([]Object) (Object, error) { return newObj(bad), nil }))
	j := iterClass("J", def("__anext__", func([]Object) (Object, error) { return 1, nil }))
	e.run(func(f *Frame) (Object, error) {
		for _, o := range []Object{newObj(i), newObj(j)} {
			_, err := f.AsyncFor(o, func(Object) (bool, error) { return false, nil })
			exc := AsException(err)
			e.print(fmtErr(exc), "| __cause__:", fmtErr(exc.Cause), Is(exc.Context, exc.Cause))
		}
		return None, nil
	})
	e.want("TypeError: 'async for' received an invalid object from __anext__: Bad | __cause__: TypeError: __await__() returned non-iterator of type 'int' True",
		"TypeError: 'async for' received an invalid object from __anext__: int | __cause__: TypeError: object int can't be used in 'await' expression True")
}

// Group B: the aiter()/anext() builtins on wrong types.

func TestB01toB07Builtins(t *testing.T) {
	e := newEnv(t)
	gen := func() Object {
		return e.rt.NewGenerator("<genexpr>", "<genexpr>", func(*Frame) (Object, error) { return None, nil })
	}
	for _, o := range []Object{NewList(1), 5, None, gen()} {
		e.print(S(AIter(o)))
	}
	badAiter := cls("BadAiter", "__aiter__", def("__aiter__", func([]Object) (Object, error) { return NewList(1), nil }))
	e.print(S(AIter(newObj(badAiter))))
	onlyNext := cls("OnlyNext", "__anext__", def("__anext__", returnsSelf))
	e.print(S(AIter(newObj(onlyNext))))
	for _, o := range []Object{NewList(1), must(Iter(NewList(1))), 5, None, gen()} {
		e.print(S(ANext(o)))
	}
	iterable := cls("Iterable", "__aiter__", def("__aiter__", func([]Object) (Object, error) { return e.agen(1), nil }))
	e.print(S(ANext(newObj(iterable))))
	e.print(S(ANextDefault(NewList(1), "D")))
	g := e.agen()
	e.print(S(BuiltinAIter([]Object{g, 1})))
	e.print(S(BuiltinANext(nil)))
	e.print(S(BuiltinANext([]Object{g, 1, 2})))
	e.want(
		"TypeError: 'list' object is not an async iterable",
		"TypeError: 'int' object is not an async iterable",
		"TypeError: 'NoneType' object is not an async iterable",
		"TypeError: 'generator' object is not an async iterable",
		"TypeError: aiter() returned not an async iterator of type 'list'",
		"TypeError: 'OnlyNext' object is not an async iterable",
		"TypeError: 'list' object is not an async iterator",
		"TypeError: 'list_iterator' object is not an async iterator",
		"TypeError: 'int' object is not an async iterator",
		"TypeError: 'NoneType' object is not an async iterator",
		"TypeError: 'generator' object is not an async iterator",
		"TypeError: 'Iterable' object is not an async iterator",
		"TypeError: 'list' object is not an async iterator",
		"TypeError: aiter() takes exactly one argument (2 given)",
		"TypeError: anext expected at least 1 argument, got 0",
		"TypeError: anext expected at most 2 arguments, got 3",
	)
}

func TestB08toB11AnextOnCustomIterators(t *testing.T) {
	e := newEnv(t)
	i := iterClass("I", def("__anext__", func([]Object) (Object, error) { return 1, nil }))
	fcls := iterClass("F", def("__anext__", func([]Object) (Object, error) {
		loop, _ := e.rt.GetRunningLoop()
		fut := loop.CreateFuture()
		fut.SetResult(5)
		return fut, nil
	}))
	aw := cls("Aw", "__await__", e.genDef("Aw.__await__", func(*Frame, []Object) (Object, error) {
		return nil, NewException(ExcStopAsyncIteration)
	}))
	c := iterClass("C", def("__anext__", func([]Object) (Object, error) { return newObj(aw), nil }))
	e.run(func(f *Frame) (Object, error) {
		x := must(ANext(newObj(i)))
		e.print(reprOr(x), "|", A(f, x))
		e.print(A(f, must(ANextDefault(newObj(i), "D"))))
		e.print(A(f, must(ANextDefault(newObj(fcls), "D"))))
		e.print(A(f, must(ANextDefault(newObj(c), "D"))), "|", A(f, must(ANext(newObj(c)))))
		return None, nil
	})
	e.want("1 | TypeError: object int can't be used in 'await' expression",
		"TypeError: object int can't be used in 'await' expression",
		"5",
		"'D' | StopAsyncIteration")
}

// B13/B14 crash CPython 3.11 (gh-131670); the reference raises at the
// anext() call, as CPython does since the fix.
func TestB13B14SyncAnextRaisingWithDefault(t *testing.T) {
	e := newEnv(t)
	p := iterClass("P", def("__anext__", raises(NewException(ExcStopAsyncIteration))))
	q := iterClass("Q", def("__anext__", raises(Errorf(ExcValueError, "x"))))
	e.print(S(ANextDefault(newObj(p), "D")))
	e.print(S(ANextDefault(newObj(q), "D")))
	e.print(S(ANext(newObj(q))))
	e.want("StopAsyncIteration", "ValueError: x", "ValueError: x")
}
