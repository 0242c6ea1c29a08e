package reference

import (
	"math"
	"testing"
)

// Group C: the SyntaxError an interpreter's compiler raises.
func TestCGroupSyntaxErrors(t *testing.T) {
	cases := []struct {
		id, msg string
		line    int
		want    string
	}{
		{"C01", MsgAsyncForOutside, 1, "SyntaxError: 'async for' outside async function (<p>, line 1)"},
		{"C02", MsgAsyncForOutside, 2, "SyntaxError: 'async for' outside async function (<p>, line 2)"},
		{"C04", MsgAwaitOutsideFunction, 1, "SyntaxError: 'await' outside function (<p>, line 1)"},
		{"C05", MsgAwaitOutsideAsync, 2, "SyntaxError: 'await' outside async function (<p>, line 2)"},
		{"C06", MsgAsyncComprehensionOutside, 2, "SyntaxError: asynchronous comprehension outside of an asynchronous function (<p>, line 2)"},
		{"C08", MsgReturnInAsyncGen, 3, "SyntaxError: 'return' with value in async generator (<p>, line 3)"},
		{"C09", MsgYieldFromInAsync, 2, "SyntaxError: 'yield from' inside async function (<p>, line 2)"},
		{"C11", MsgAsyncWithOutside, 1, "SyntaxError: 'async with' outside async function (<p>, line 1)"},
		{"C12", MsgYieldInComprehension("list"), 2, "SyntaxError: 'yield' inside list comprehension (<p>, line 2)"},
		{"C13", MsgAwaitOutsideAsync, 2, "SyntaxError: 'await' outside async function (<p>, line 2)"},
	}
	for _, c := range cases {
		e := NewSyntaxError(c.msg, "<p>", c.line, 1, "")
		if got := e.Error(); got != c.want {
			t.Errorf("%s: got %q want %q", c.id, got, c.want)
		}
		if m := must(GetAttr(e, "msg")); m != c.msg {
			t.Errorf("%s: msg = %v", c.id, m)
		}
		if l := must(GetAttr(e, "lineno")); l != c.line {
			t.Errorf("%s: lineno = %v", c.id, l)
		}
	}
	if got := MsgYieldInComprehension("generator"); got != "'yield' inside generator expression" {
		t.Errorf("genexp: %q", got)
	}
	if got := NewException(ExcSyntaxError, "m").Str(); got != "m" {
		t.Errorf("SyntaxError('m') = %q", got)
	}
	if got := NewException(ExcSyntaxError).Str(); got != "None" {
		t.Errorf("SyntaxError() = %q", got)
	}
}

// Exception str() and repr() follow CPython's rules.
func TestExceptionStrRepr(t *testing.T) {
	cases := []struct {
		e          *Exception
		str, repr_ string
	}{
		{NewException(ExcKeyError, "x"), "'x'", "KeyError('x')"},
		{NewException(ExcKeyError, "x", "y"), "('x', 'y')", "KeyError('x', 'y')"},
		{NewException(ExcKeyError), "", "KeyError()"},
		{NewException(ExcValueError, 1, 2), "(1, 2)", "ValueError(1, 2)"},
		{NewException(ExcStopIteration, 5), "5", "StopIteration(5)"},
		{NewException(ExcSystemExit, 3), "3", "SystemExit(3)"},
		{NewException(ExcCancelledError, ""), "", "CancelledError('')"},
	}
	for _, c := range cases {
		if c.e.Str() != c.str || c.e.Repr() != c.repr_ {
			t.Errorf("%s: str %q repr %q", c.e.Class.Name, c.e.Str(), c.e.Repr())
		}
	}
	if v := NewException(ExcStopIteration).Value(); !isNone(v) {
		t.Errorf("StopIteration().value = %v", v)
	}
	myErr := must(NewClass("MyErr", []*Class{ExcValueError}, nil))
	e := AsException(ExceptionFrom(myErr))
	if e.Error() != "MyErr" || !e.Matches(ExcException) || e.Matches(ExcKeyError) {
		t.Errorf("MyErr: %v", e)
	}
}

func TestReprOfValues(t *testing.T) {
	s := NewSet()
	for _, v := range []Object{10, 2, 33, 8, 1000, -1, 7} {
		s.Add(v)
	}
	t2 := NewSet()
	for _, v := range []Object{NewTuple(1, 2), NewTuple(3, 4), NewTuple(0)} {
		t2.Add(v)
	}
	t3 := NewSet()
	for _, v := range []Object{true, 2, 1.5} {
		t3.Add(v)
	}
	got := []string{reprOr(s), reprOr(t2), reprOr(t3), reprOr(3.0), reprOr(1e16), reprOr(1e-5), reprOr(0.1),
		reprOr(math.Copysign(0, -1)), reprOr("a\"b"), reprOr("a'b"), reprOr("a'\"b"), reprOr("\n\x01é"), reprOr(NewTuple(1)), reprOr(NewSet())}
	want := []string{"{33, 2, 7, 8, 1000, 10, -1}", "{(0,), (1, 2), (3, 4)}", "{True, 2, 1.5}", "3.0", "1e+16", "1e-05", "0.1",
		"-0.0", `'a"b'`, `"a'b"`, `'a\'"b'`, `'\n\x01é'`, "(1,)", "set()"}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("repr %d: got %s want %s", i, got[i], want[i])
		}
	}
}
