package reference

import (
	"strings"
	"testing"
)

// Group W: await of non-awaitables.

func TestWGroup(t *testing.T) {
	e := newEnv(t)
	_, err := e.run(func(f *Frame) (Object, error) { return f.Await(5) })
	e.print("W01", fmtErr(err))
	bad := cls("Bad", "__await__", def("__await__", func([]Object) (Object, error) { return 1, nil }))
	x := cls("X", "__await__", e.asyncDef("X.__await__", func(*Frame, []Object) (Object, error) { return 1, nil }))
	plain := cls("Plain")
	e.run(func(f *Frame) (Object, error) {
		gen := e.rt.NewGenerator("<genexpr>", "<genexpr>", func(*Frame) (Object, error) { return None, nil })
		for _, o := range []Object{None, NewList(1), gen} {
			e.print("W02", A(f, o))
		}
		e.print("W03", A(f, newObj(bad)))
		e.print("W05", A(f, e.agen(1)))
		e.print("W06", A(f, newObj(x)))
		o := newObj(plain)
		must(0, SetAttr(o, "__await__", def("<lambda>", func([]Object) (Object, error) { return Iter(NewTuple()) })))
		e.print("W07", A(f, o))
		return None, nil
	})
	e.want("W01 TypeError: object int can't be used in 'await' expression",
		"W02 TypeError: object NoneType can't be used in 'await' expression",
		"W02 TypeError: object list can't be used in 'await' expression",
		"W02 TypeError: object generator can't be used in 'await' expression",
		"W03 TypeError: __await__() returned non-iterator of type 'int'",
		"W05 TypeError: object async_generator can't be used in 'await' expression",
		"W06 TypeError: __await__() returned a coroutine",
		"W07 TypeError: object Plain can't be used in 'await' expression")
	if got := e.stderr.String(); got != "RuntimeWarning: coroutine 'X.__await__' was never awaited\n" {
		t.Errorf("stderr = %q", got)
	}
}

// Group Q: async comprehensions, as an interpreter builds them on
// Frame.AsyncFor.

func TestQGroup(t *testing.T) {
	e := newEnv(t)
	listComp := func(f *Frame, it Object, elt func(Object) (Object, error), cond func(Object) (bool, error)) (Object, error) {
		out := NewList()
		_, err := f.AsyncFor(it, func(x Object) (bool, error) {
			if cond != nil {
				ok, err := cond(x)
				if err != nil || !ok {
					return false, err
				}
			}
			v, err := elt(x)
			if err != nil {
				return false, err
			}
			out.Append(v)
			return false, nil
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	}
	ident := func(x Object) (Object, error) { return x, nil }
	dbl := e.asyncDef("dbl", func(_ *Frame, a []Object) (Object, error) { return 2 * a[0].(int), nil })
	keep := e.asyncDef("keep", func(_ *Frame, a []Object) (Object, error) { return a[0].(int) % 2, nil })
	e.run(func(f *Frame) (Object, error) {
		e.print(must(listComp(f, e.agen(3, 1, 3), ident, nil)))
		set := NewSet()
		f.AsyncFor(e.agen(3, 1, 3), func(x Object) (bool, error) { return false, set.Add(x) })
		e.print(set)
		d := NewDict()
		f.AsyncFor(e.agen(1, 2), func(x Object) (bool, error) { return false, d.SetItem(x, x.(int)*x.(int)) })
		e.print(d)
		src := e.agen(1, 2)
		ge := e.rt.NewAsyncGenerator("<genexpr>", "<genexpr>", func(gf *Frame) error {
			_, err := gf.AsyncFor(src, func(x Object) (bool, error) { _, err := gf.Yield(x); return false, err })
			return err
		})
		e.print(TypeName(ge), must(listComp(f, ge, ident, nil)))
		e.print(must(listComp(f, e.agen(1, 2, 3),
			func(x Object) (Object, error) { return f.Await(must(dbl.Call([]Object{x}))) },
			func(x Object) (bool, error) {
				v, err := f.Await(must(keep.Call([]Object{x})))
				if err != nil {
					return false, err
				}
				return Truth(v)
			})))
		nested := NewList()
		For(NewList(0, 1), func(i Object) (bool, error) {
			_, err := f.AsyncFor(e.agen("a", "b"), func(x Object) (bool, error) {
				nested.Append(NewTuple(i, x))
				return false, nil
			})
			return false, err
		})
		e.print(nested)
		mid := e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
			if _, err := f.Yield(1); err != nil {
				return err
			}
			return Errorf(ExcValueError, "mid")
		})
		_, err := listComp(f, mid, ident, nil)
		e.print(fmtErr(err))
		ge2 := e.rt.NewAsyncGenerator("<genexpr>", "<genexpr>", func(*Frame) error { return nil })
		e.print(S(ListOf(ge2)))
		return None, nil
	})
	e.want("[3, 1, 3]", "{1, 3}", "{1: 1, 2: 4}", "async_generator [1, 2]", "[2, 6]",
		"[(0, 'a'), (0, 'b'), (1, 'a'), (1, 'b')]", "ValueError: mid",
		"TypeError: 'async_generator' object is not iterable")
}

// Group X: miscellaneous.

func TestX01CancelWhileAwaiting(t *testing.T) {
	e := newEnv(t)
	g := e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
		return tryFinally(f, func() error {
			if err := e.sleep(f, 10); err != nil {
				return err
			}
			_, err := f.Yield(1)
			return err
		}, func(*Frame) error { e.print("finally ran on cancel"); return nil })
	})
	e.run(func(f *Frame) (Object, error) {
		task := must(e.rt.CreateTask(must(ANext(g))))
		e.sleep(f, 0)
		task.Cancel(None)
		e.print(A(f, task), "|", A(f, must(ANext(g))))
		return None, nil
	})
	e.want("finally ran on cancel", "CancelledError | StopAsyncIteration")
}

func TestX02X03TaskAffinityAndNoLoop(t *testing.T) {
	e := newEnv(t)
	e.run(func(f *Frame) (Object, error) {
		g := e.agen(1, 2)
		v1 := must(f.Await(must(e.rt.CreateTask(must(ANext(g))))))
		v2 := must(f.Await(must(e.rt.CreateTask(must(ANext(g))))))
		e.print(v1, v2)
		return None, nil
	})
	aw := must(ANext(e.agen(1)))
	_, err := CallMethod(aw, "send", None)
	e.print("StopIteration value =", AsException(err).Value())
	e.want("1 2", "StopIteration value = 1")
}

func TestX04BareYieldInAwait(t *testing.T) {
	e := newEnv(t)
	aw := cls("Aw", "__await__", e.genDef("Aw.__await__", func(f *Frame, _ []Object) (Object, error) {
		if _, err := f.Yield(None); err != nil {
			return nil, err
		}
		return 1, nil
	}))
	c := iterClass("C", def("__anext__", func([]Object) (Object, error) { return newObj(aw), nil }))
	e.run(func(f *Frame) (Object, error) { e.print(A(f, must(ANext(newObj(c))))); return None, nil })
	e.want("1")
}

func TestX05X06Classes(t *testing.T) {
	e := newEnv(t)
	var names []Object
	for _, c := range ExcStopAsyncIteration.MRO() {
		names = append(names, c.Name)
	}
	e.print(NewList(names...), IsSubclass(ExcStopAsyncIteration, ExcStopIteration))
	onlyNext := cls("OnlyNext", "__anext__", def("__anext__", returnsSelf))
	both := iterClass("Both", def("__anext__", returnsSelf))
	e.print(IsInstance(e.agen(), AsyncGeneratorABC), IsInstance(newObj(both), AsyncIteratorABC),
		IsInstance(newObj(both), AsyncGeneratorABC), IsInstance(newObj(onlyNext), AsyncIteratorABC),
		IsInstance(newObj(onlyNext), AsyncIterableABC))
	e.print(IsSubclass(ExcCancelledError, ExcException), IsSubclass(ExcCancelledError, ExcBaseException))
	e.want("['StopAsyncIteration', 'Exception', 'BaseException', 'object'] False",
		"True True False False False", "False True")
}

func TestX07AgAwait(t *testing.T) {
	e := newEnv(t)
	g := e.slow(0.01, 1)
	e.run(func(f *Frame) (Object, error) {
		task := must(e.rt.CreateTask(must(ANext(g))))
		e.sleep(f, 0)
		e.print(TypeName(must(GetAttr(g, "ag_await"))), must(GetAttr(g, "ag_running")))
		f.Await(task)
		e.print(must(GetAttr(g, "ag_await")), must(GetAttr(g, "ag_running")))
		return None, nil
	})
	e.want("coroutine True", "None False")
}

func TestX08FinallyOnExhaustion(t *testing.T) {
	e := newEnv(t)
	g := e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
		return tryFinally(f, yields(f, 1), func(*Frame) error { e.print("finally ran"); return nil })
	})
	e.run(func(f *Frame) (Object, error) {
		e.print(must(f.Await(must(ANext(g)))))
		e.print(A(f, must(ANext(g))))
		return None, nil
	})
	e.want("1", "finally ran", "StopAsyncIteration")
}

func TestX10ThrowOnUnawaitedAnext(t *testing.T) {
	e := newEnv(t)
	g := e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
		err := yields(f, 1, 2)()
		if exc := AsException(err); exc != nil && exc.Matches(ExcValueError) {
			e.print("gen caught", fmtErr(exc))
			_, err = f.Yield("recovered")
		}
		return err
	})
	e.run(func(f *Frame) (Object, error) {
		f.Await(must(ANext(g)))
		aw := must(ANext(g))
		e.print(S(CallMethod(aw, "throw", Errorf(ExcValueError, "t"))))
		return None, nil
	})
	e.want("gen caught ValueError: t", "StopIteration: recovered")
}

// Group Z: the tutorial's examples that differ from the others.

func TestZ06AwaitablesCreatedFirst(t *testing.T) {
	e := newEnv(t)
	odds := e.rt.NewAsyncGenerator("get_odds", "get_odds", func(f *Frame) error {
		for i := range 10 {
			if i%2 == 1 {
				if _, err := f.Yield(i); err != nil {
					return err
				}
			}
		}
		return nil
	})
	e.run(func(f *Frame) (Object, error) {
		var aws []Object
		for range 4 {
			aws = append(aws, must(ANext(odds)))
		}
		for _, aw := range aws {
			e.print(must(f.Await(aw)))
		}
		return None, nil
	})
	e.want("1", "3", "5", "7")
}

func TestZ09TracebackShowsCauseFirst(t *testing.T) {
	e := newEnv(t)
	ev := iterClass("EvensGenerator", def("__anext__", func(a []Object) (Object, error) { return incr(a[0]) * 2, nil }))
	_, err := e.run(func(f *Frame) (Object, error) {
		return f.AsyncFor(newObj(ev), func(x Object) (bool, error) { e.print(x); return false, nil })
	})
	got := FormatException(AsException(err))
	want := strings.Join([]string{
		"TypeError: object int can't be used in 'await' expression",
		"",
		"The above exception was the direct cause of the following exception:",
		"",
		"TypeError: 'async for' received an invalid object from __anext__: int",
		"",
	}, "\n")
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	e.want()
}
