package scenario_test

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	. "github.com/aiterspec/aiterspec/scenario"
)

func sample() *Scenario {
	return &Scenario{
		ID:    "T-SAMPLE",
		Title: "every node kind at least once",
		Needs: []Capability{CapAsyncGenerators, CapTasks},
		Module: []Stmt{
			AsyncDef("gen", YieldEach(1, "two", nil, 2.5), Yield()),
			Class("C",
				Let("__aiter__", Lit(5)),
				AsyncDef("__anext__").PerCall([]Stmt{Return(Lit(1))}, nil).WithParams("x"),
				Def("__await__", YieldFrom(TupleOf()), Return(Lit(VTuple(1)))).AsGenerator(),
				Pass()),
			Class("Err", Pass()).WithBases("StopIteration", "C"),
		},
		Main: []Stmt{
			Let("g", Call("gen")),
			SetAttr(Var("g"), "x", ListOf(Lit(VSet(3, 1, 3)), Lit(VDict("k", VList(1))))),
			Observe(Await(ANext(Var("g"), Lit("D")))),
			Try(AsyncFor("x", Var("g"), Emit("item", Var("x")), If(Not(BinOp(Var("x"), "==", Lit(1))), Break()).WithElse(Continue())).WithElse(Emit("else"))).
				Except("ValueError", "e", Raise()).Except("", "").WithFinally(Del("g")),
			Do(Method(Var("t"), "cancel")),
			Observe(Call("asyncio.gather", FutureResult(Lit(1)), FutureException(Exc("KeyError", "k"))).WithKwarg("return_exceptions", Lit(true))),
			Observe(Comprehension(ListForm, YieldValue(Var("x")), AsyncClause("x", Call("gen"), Is(Var("x"), Lit(nil))), SyncClause("y", Call("range", Lit(2))))),
			Observe(DictComprehension(Var("x"), TypeName(Var("x")), AsyncClause("x", Call("gen")))),
			Observe(Compile(AsyncWith(Var("y"), Pass()), Do(Lambda(Attr(Var("z"), "w")))).WithFlags("top_level_await")),
			AsyncFor("", Var("g"), Pass()).Into(TupleOf(Var("a"), Subscript(Var("t"), Lit(0)), Attr(Var("o"), "x"))),
			For("", Var("pairs"), Pass()).Into(Unpack("k", "v")).WithElse(Pass()),
			While(Lit(false), Observe(Subscript(Var("l"), Lit(-1)))).WithElse(Emit("done")),
			Observe(Comprehension(ListForm, Var("i"), AsyncClause("", Call("gen")).Into(Unpack("i", "j")))),
		},
		After:  []Stmt{Observe(Attr(Var("g"), "ag_frame"))},
		Report: []string{ReportLoopExceptions},
	}
}

func TestRoundTrip(t *testing.T) {
	s := sample()
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(data)
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, data)
	}
	if !reflect.DeepEqual(s, back) {
		again, _ := json.Marshal(back)
		t.Fatalf("round trip changed the scenario:\n%s\n%s", data, again)
	}
}

func TestDecodeErrorsNamePath(t *testing.T) {
	for _, tc := range []struct{ json, want string }{
		{`{"id":"x","main":[{"kind":"pass"},{"kind":"pass"},{"kind":"anxt"}]}`, `main[2].kind: unknown statement "anxt"`},
		{`{"id":"x","main":[{"kind":"observe","expr":{"kind":"call","func":"f","args":[{"kind":"lit"}]}}]}`, `main[0].expr.args[0].value: missing field "value"`},
		{`{"id":"x","main":[{"kind":"let","name":"a","expr":{"kind":"var","name":"b"},"bogus":1}]}`, `main[0].bogus: unknown field "bogus" for statement "let"`},
		{`{"id":"x","module":[{"kind":"def","name":"f","body":[{"kind":"yield","expr":{"kind":"wat"}}]}]}`, `module[0].body[0].expr.kind: unknown expression "wat"`},
		{`{"id":"x","needs":["anext"]}`, `needs[0]: unknown capability "anext"`},
		{`{"id":"x","main":[{"kind":"observe","expr":{"kind":"lit","value":{"lst":[]}}}]}`, `main[0].expr.value.lst: unknown value kind "lst"`},
		{`{"id":"x","main":[{"kind":"try","body":[]}]}`, `main[0]: a try statement needs handlers or finally`},
		{`{"id":"x","mode":"source"}`, `source: mode "source" needs a non-empty source`},
		{`{"main":[]}`, `id: missing field "id"`},
		{`{"id":"x","main":[{"kind":"observe","expr":{"kind":"binop","op":"**","left":{"kind":"var","name":"a"},"right":{"kind":"var","name":"a"}}}]}`, `main[0].expr.op: unknown operator "**"`},
		{`[1]`, `a scenario must be an object, got an array`},
		{`{"id":"x"} {}`, `not JSON: more than one value`},
		{`{"id":"x","main":[{"kind":"for","target":{"kind":"call","func":"f"},"iter":{"kind":"var","name":"a"}}]}`, `main[0].target: a target is a name, or a var, attr, subscript or non-empty tuple of targets, not "call"`},
		{`{"id":"x","main":[{"kind":"for","target":{"kind":"tuple","items":[{"kind":"lit","value":1}]},"iter":{"kind":"var","name":"a"}}]}`, `main[0].target: a target is`},
		{`{"id":"x","main":[{"kind":"for","target":"","iter":{"kind":"var","name":"a"}}]}`, `main[0].target: must be a non-empty name`},
		{`{"id":"x","main":[{"kind":"while","body":[]}]}`, `main[0].cond: missing field "cond"`},
		{`{"id":"x","main":[{"kind":"observe","expr":{"kind":"subscript","of":{"kind":"var","name":"a"}}}]}`, `main[0].expr.index: missing field "index"`},
		{`{"id":"x","mode":"sync","after":[{"kind":"pass"}]}`, `after: after runs once asyncio.run returns: only in the default (async) mode`},
		{`{"id":"x","mode":"sync","report":["loop-exceptions"]}`, `report[0]: report "loop-exceptions" needs an event loop`},
		{`{"id":"x","report":["loop"]}`, `report[0]: unknown report "loop" (known: warnings, unraisable, loop-exceptions)`},
		{`{"id":"x","module":[{"kind":"class","name":"C","bases":[""]}]}`, `module[0].bases[0]: must be a non-empty name`},
	} {
		_, err := Decode([]byte(tc.json))
		var de *DecodeError
		if !errors.As(err, &de) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Decode(%s)\n got: %v\nwant prefix: %s", tc.json, err, tc.want)
		}
	}
}

func TestObservationsRoundTripAndMatch(t *testing.T) {
	want := []Observation{
		Got(1), Got(nil), Got(VList(1, VException("RuntimeError", "boom"))),
		Raises("TypeError", "bad").CausedBy("TypeError", "inner"), Raises("SyntaxError", "x").AtLine(2),
		Event("finally ran"), Event("item", "a"),
	}
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeObservations(data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if !Matches(want, got, ExactMessages) {
		t.Fatalf("round trip does not match itself:\n%s", SideBySide(want, got, ExactMessages))
	}
	reworded := append([]Observation(nil), got...)
	reworded[3] = Raises("TypeError", "other words").CausedBy("TypeError", "also other")
	if Matches(want, reworded, ExactMessages) {
		t.Error("exact messages accepted a different message")
	}
	if !Matches(want, reworded, TypeOnly) {
		t.Errorf("type-only rejected a reworded message:\n%s", SideBySide(want, reworded, TypeOnly))
	}
	wrongType := append([]Observation(nil), got...)
	wrongType[3] = Raises("ValueError", "bad")
	if Matches(want, wrongType, TypeOnly) {
		t.Error("type-only accepted a different type")
	}
	if Matches(want, got[:3], ExactMessages) {
		t.Error("a shorter list matched")
	}
}

func TestReprIsPythons(t *testing.T) {
	for _, tc := range []struct {
		v    Value
		want string
	}{
		{V(nil), "None"}, {V(true), "True"}, {V(-3), "-3"}, {V(1.0), "1.0"}, {V(0.01), "0.01"},
		{V("it's"), `"it's"`}, {V("a'b\"c"), `'a\'b"c'`}, {VTuple(1), "(1,)"}, {VTuple(), "()"},
		{VSet(3, 1, 3), "{1, 3}"}, {VSet(), "set()"}, {VDict(1, 1, 2, 4), "{1: 1, 2: 4}"},
		{VList(VTuple(0, "a")), "[(0, 'a')]"}, {VException("StopAsyncIteration", ""), "StopAsyncIteration()"},
		{VObject("code"), "<code object>"},
	} {
		if got := tc.v.String(); got != tc.want {
			t.Errorf("repr = %s, want %s", got, tc.want)
		}
	}
}

func TestSideBySideMarksDifferences(t *testing.T) {
	out := SideBySide([]Observation{Got(0), Got(2)}, []Observation{Got(0), Got(4), Got(6)}, ExactMessages)
	for _, want := range []string{"expected", "observed", "✗ value 2", "value 4", "(nothing)"} {
		if !strings.Contains(out, want) {
			t.Errorf("side by side lacks %q:\n%s", want, out)
		}
	}
}

// Integral floats keep a fraction on the wire at every size, so that they
// decode as floats (Go's encoder writes 1e15 through 1e20 as integers).
func TestIntegralFloatsStayFloats(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 1, 1e14, 1e15, 1e16, 123456789012345678, 1e20, 1e21, 1e300} {
		data, err := json.Marshal(V(f))
		if err != nil {
			t.Fatal(err)
		}
		var back Value
		if err := json.Unmarshal(data, &back); err != nil || back.Kind != FloatKind || back.Float != f {
			t.Errorf("%v: encoded %s, decoded %+v (%v)", f, data, back, err)
		}
	}
}

func TestEncodeRejectsWhatDecodeRejects(t *testing.T) {
	s := &Scenario{ID: "X", Main: []Stmt{Observe(Lit(1)), {Kind: LetStmt, Name: "x"}}}
	if _, err := Encode(s); err == nil || err.Error() != `main[1].expr: missing field "expr" for statement "let"` {
		t.Errorf("got %v", err)
	}
	if data, err := Encode(&Scenario{ID: "X", Main: []Stmt{Observe(Lit(1))}}); err != nil || !strings.Contains(string(data), `"observe"`) {
		t.Errorf("got %s, %v", data, err)
	}
}
