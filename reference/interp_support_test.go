package reference

import (
	"regexp"
	"testing"
)

// Library additions an interpreter needs: GET_AITER without a frame, dict
// values, function names, bool as an int, UnboundLocalError, and the
// finalisation of an async generator that returns when closed.

func TestGetAIter(t *testing.T) {
	e := newEnv(t)
	g := e.agen(1)
	if it, err := GetAIter(g); err != nil || it != g {
		t.Errorf("GetAIter(agen) = %v, %v", it, err)
	}
	for _, c := range []struct {
		o    Object
		want string
	}{
		{NewList(), "TypeError: 'async for' requires an object with __aiter__ method, got list"},
		{newObj(cls("BadAiter", "__aiter__", def("__aiter__", func([]Object) (Object, error) { return 1, nil }))),
			"TypeError: 'async for' received an object from __aiter__ that does not implement __anext__: int"},
	} {
		if _, err := GetAIter(c.o); fmtErr(err) != c.want {
			t.Errorf("GetAIter(%s) = %s, want %s", reprOr(c.o), fmtErr(err), c.want)
		}
	}
}

func TestDictValues(t *testing.T) {
	d := NewDict()
	for i, k := range []string{"a", "b", "c"} {
		must(None, d.SetItem(k, i))
	}
	must(None, d.Delete("b"))
	if got := reprOr(NewList(d.Values()...)); got != "[0, 2]" {
		t.Errorf("Values = %s", got)
	}
}

func TestFunctionNames(t *testing.T) {
	f := &Function{Name: "g", Qualname: "f.<locals>.g"}
	if S(GetAttr(f, "__name__")) != "'g'" || S(GetAttr(f, "__qualname__")) != "'f.<locals>.g'" {
		t.Errorf("__name__ %s, __qualname__ %s", S(GetAttr(f, "__name__")), S(GetAttr(f, "__qualname__")))
	}
}

func TestBoolIsAnInt(t *testing.T) {
	if !IsInstance(true, IntType) || !IsSubclass(BoolType, IntType) || IsInstance(1, BoolType) {
		t.Errorf("isinstance(True, int) must hold, isinstance(1, bool) must not")
	}
	if !ExcUnboundLocalError.IsSubclass(ExcNameError) {
		t.Errorf("UnboundLocalError is a NameError")
	}
}

// CPython 3.11 finalises an async generator without an event loop by
// closing it like a generator; when the generator returns in response,
// the StopAsyncIteration that return becomes is reported as unraisable.
func TestFinalizeAsyncGenThatReturns(t *testing.T) {
	e := newEnv(t)
	g := e.rt.NewAsyncGenerator("g", "g", func(f *Frame) error {
		if _, err := f.Yield(1); err != nil {
			e.print("caught", AsException(err).Class.Name)
			return nil
		}
		return nil
	})
	_, err := CallMethod(must(CallMethod(g, "__anext__")), "send", None)
	e.print("got", AsException(err).Value())
	e.rt.Finalize(g)
	e.print("end")
	e.want("got 1", "caught GeneratorExit", "end")
	re := regexp.MustCompile(`^Exception ignored in: <async_generator object g at 0x[0-9a-f]+>\nStopAsyncIteration\n$`)
	if !re.MatchString(e.stderr.String()) {
		t.Errorf("stderr = %q", e.stderr.String())
	}
}

// Two tasks awaiting each other deadlock; the loop reports it, and
// asyncio.run's shutdown, cancelling them, does not pass the request
// round the cycle forever (the tasks stay blocked: the program hangs).
func TestCancelTasksAwaitingEachOther(t *testing.T) {
	e := newEnv(t)
	var t1, t2 *Task
	mk := func(other **Task) *Coroutine {
		return e.rt.NewCoroutine("c", "c", func(f *Frame) (Object, error) {
			_, err := f.Await(*other)
			e.print("got", fmtErr(err))
			return None, err
		})
	}
	_, err := e.run(func(f *Frame) (Object, error) {
		t1 = must(e.rt.CreateTask(mk(&t2)))
		t2 = must(e.rt.CreateTask(mk(&t1)))
		return f.Await(t1)
	})
	if got := fmtErr(err); got != "RuntimeError: event loop deadlock: nothing is scheduled and no timer is pending (CPython would wait forever)" {
		t.Errorf("run: %s", got)
	}
	if t1.Done() || t2.Done() || t1.Cancelling() == 0 || t2.Cancelling() == 0 {
		t.Errorf("done %v %v, cancelling %d %d", t1.Done(), t2.Done(), t1.Cancelling(), t2.Cancelling())
	}
}
