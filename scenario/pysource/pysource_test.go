package pysource_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/internal/peertest"
	. "github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/scenario/pysource"
)

// FORMAT.md's example, rendered.
func TestProgramOfTheFormatExample(t *testing.T) {
	s := &Scenario{ID: "SEED-AGEN-ORDER",
		Module: []Stmt{AsyncDef("get_evens", For("v", TupleOf(Lit(0), Lit(2)), Yield(Var("v"))))},
		Main:   []Stmt{Let("evens", Call("get_evens")), Observe(Await(ANext(Var("evens"))))},
	}
	got, err := pysource.Program(s)
	if err != nil {
		t.Fatal(err)
	}
	want := `try:
    async def get_evens():
        for v in (0, 2):
            yield v
except BaseException as _aiterspec_exc:
    _aiterspec_raised(_aiterspec_exc)
async def _aiterspec_main():
    global evens
    try:
        evens = get_evens()
    except BaseException as _aiterspec_exc:
        _aiterspec_raised(_aiterspec_exc)
    try:
        _aiterspec_value((await anext(evens)))
    except BaseException as _aiterspec_exc:
        _aiterspec_raised(_aiterspec_exc)
try:
    _aiterspec_asyncio.run(_aiterspec_main())
except BaseException as _aiterspec_exc:
    _aiterspec_raised(_aiterspec_exc)
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	s.Mode = SyncMode
	if got, _ := pysource.Program(s); !strings.Contains(got, "\ndef _aiterspec_main():\n") || !strings.Contains(got, "\n    _aiterspec_main()\n") {
		t.Errorf("sync mode:\n%s", got)
	}
}

// Compile bodies follow FORMAT.md's line rules: one line per simple
// statement, a header line per compound statement, pass for an empty
// block, per-call dispatch lines.
func TestModuleLines(t *testing.T) {
	got, err := pysource.Module([]Stmt{
		Def("f").WithParams("a").PerCall([]Stmt{Return(Var("a"))}),
		Try(Pass()).Except("ValueError", "e").Except("", "", Pass()).WithElse(Pass()).WithFinally(Pass()),
		Class("C", Def("m"), Let("x", Lit(VSet()))),
		AsyncFor("x", ListOf(), Break()).WithElse(Continue()),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `def f(a):
    _aiterspec_k = _aiterspec_call(None, 1)
    if _aiterspec_k == 0:
        return a
    else:
        pass
try:
    pass
except ValueError as e:
    pass
except:
    pass
else:
    pass
finally:
    pass
class C:
    def m(self):
        pass
    x = set()
async for x in []:
    break
else:
    continue
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestWhatPythonCannotExpress(t *testing.T) {
	for _, tc := range []struct {
		stmt    Stmt
		missing string
		reason  string
	}{
		{Let("1x", Lit(1)), `name "1x"`, `"1x" is not a Python identifier`},
		{Let("class", Lit(1)), `name "class"`, `"class" is not a Python identifier`},
		{Let("_aiterspec_x", Lit(1)), `name "_aiterspec_x"`, "names starting with _aiterspec are reserved by the harness"},
		{Do(Call("asyncio.sl eep")), `name "asyncio.sl eep"`, `"asyncio.sl eep" is not a Python (dotted) name`},
		{Observe(Lit(VSet(VTuple(VList())))), "unhashable literal", "a list inside a set or as a dict key cannot be built in Python"},
		{Observe(Lit(VDict(VDict(), 1))), "unhashable literal", "a dict inside a set or as a dict key cannot be built in Python"},
		{Do(Call("f").WithKwarg("not a name", Lit(1))), `name "not a name"`, `"not a name" is not a Python identifier`},
	} {
		_, err := pysource.Program(&Scenario{ID: "X", Main: []Stmt{tc.stmt}})
		e, ok := err.(*pysource.Error)
		if !ok || len(e.Missing) != 1 || e.Missing[0] != tc.missing || e.Reason != tc.reason {
			t.Errorf("%+v: got %#v, want missing %q, reason %q", tc.stmt, err, tc.missing, tc.reason)
		}
	}
	// None, True and False are keywords, yet fine as expressions; soft
	// keywords are names.
	if _, err := pysource.Program(&Scenario{ID: "X", Main: []Stmt{Observe(Var("None")), Let("match", Var("True"))}}); err != nil {
		t.Error(err)
	}
}

// StrRepr and FloatRepr are Python's repr: checked against python3 on
// strings with every kind of escape and floats in every notation.
func TestReprIsPythons(t *testing.T) {
	python := peertest.Find(t, "python3")
	strs := []string{"", "a", "it's", `"`, `'"`, "\\", "\t\n\r\x00\x1f\x7f", "\u0080\u0085\u00a0\u00ad\u00e9\u00ff",
		"\u0100\u0378\u061c\u200b\u200e\u2028\u2029\u3000\ue000\ufeff\uffff", "🙂\U000e0001\U0010ffff\U0001d400", "ß\u0301\u05d0"}
	for r := rune(0); r < 0x3000; r += 7 {
		strs = append(strs, string(r))
	}
	floats := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 0.5, 1.5, 100, 1e15, 1e16, 1.25e16, 123456789.125, 1e-4, 1.5e-4, 1e-5,
		5e-324, math.MaxFloat64, math.SmallestNonzeroFloat64, 2.5e-7, 1e22, 9007199254740993, math.Inf(1), math.Inf(-1), math.NaN()}
	var in bytes.Buffer
	var ours []string
	for _, s := range strs {
		line, _ := json.Marshal(s)
		in.Write(append(line, '\n'))
		ours = append(ours, StrRepr(s))
	}
	for _, f := range floats {
		in.WriteString("f" + strconv.FormatUint(math.Float64bits(f), 10) + "\n")
		ours = append(ours, FloatRepr(f))
	}
	cmd := exec.Command(python, "-I", "-c", `
import json, struct, sys
for line in sys.stdin:
    if line.startswith("f"):
        x = struct.unpack("<d", struct.pack("<Q", int(line[1:])))[0]
    else:
        x = json.loads(line)
    print(json.dumps(repr(x)))
`)
	cmd.Stdin = &in
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(ours) {
		t.Fatalf("%d answers for %d values", len(lines), len(ours))
	}
	for i, line := range lines {
		var theirs string
		if err := json.Unmarshal([]byte(line), &theirs); err != nil {
			t.Fatal(err)
		}
		if ours[i] != theirs {
			t.Errorf("repr: ours %s, python3's %s", ours[i], theirs)
		}
	}
}

// Targets, subscripts, while, class bases and the after block.
func TestTargetsWhileBasesAfter(t *testing.T) {
	s := &Scenario{ID: "X",
		Module: []Stmt{Class("E", Pass()).WithBases("StopIteration")},
		Main: []Stmt{
			AsyncFor("", Var("g"), Pass()).Into(TupleOf(Var("a"), Subscript(Var("t"), Lit(0)), Attr(Var("o"), "x"), Unpack("b", "c"))),
			While(Not(Var("done")), Observe(Comprehension(ListForm, Var("k"), SyncClause("", Var("d")).Into(Unpack("k", "v"))))).WithElse(Emit("ended")),
		},
		After: []Stmt{Observe(Subscript(Var("a"), Lit(-1)))},
	}
	got, err := pysource.Program(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"    class E(StopIteration):\n        pass\n",
		"    global a, b, c\n",
		"        async for (a, (t)[0], (o).x, (b, c)) in g:\n",
		"        while (not done):\n            _aiterspec_value([k for (k, v) in d])\n        else:\n            _aiterspec_event('ended')\n",
		"    _aiterspec_asyncio.run(_aiterspec_main())\nexcept BaseException as _aiterspec_exc:\n    _aiterspec_raised(_aiterspec_exc)\ntry:\n    _aiterspec_value((a)[-1])\nexcept",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the program lacks\n%s\nin\n%s", want, got)
		}
	}
	bad := &Scenario{ID: "X", Main: []Stmt{For("", Var("g"), Pass()).Into(Call("f"))}}
	if _, err := pysource.Program(bad); err == nil {
		t.Error("a call was rendered as a target")
	}
}

// The report option loop-exceptions sets the loop's handler as main's
// first line.
func TestLoopExceptionsHandler(t *testing.T) {
	s := &Scenario{ID: "X", Report: []string{ReportLoopExceptions}, Main: []Stmt{Let("x", Lit(1))}}
	got, err := pysource.Program(s)
	if err != nil {
		t.Fatal(err)
	}
	if want := "async def _aiterspec_main():\n    global x\n    " + pysource.LoopExceptionHandler + "\n    try:\n"; !strings.Contains(got, want) {
		t.Errorf("the program lacks\n%s\nin\n%s", want, got)
	}
}
