package pysource_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/internal/peertest"
	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/scenario/pysource"
)

// oldRenderer renders scenarios (JSON lines on stdin) with harness.py's
// own decoder and Renderer, one JSON answer per line: the program, or why
// it could not be rendered.
const oldRenderer = `
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("harness", sys.argv[1])
h = importlib.util.module_from_spec(spec)
spec.loader.exec_module(h)
for line in sys.stdin:
    try:
        sc = h.decode_scenario(h.parse_json(line))
        out = {"program": sc.source if sc.mode == "source" else h.render_program(sc)}
    except h.Unsupported as u:
        out = {"unsupported": u.reason, "missing": u.missing}
    except h.DecodeError as e:
        out = {"error": str(e)}
    print(json.dumps(out))
`

// TestMigrationFromHarnessPy renders every spec's scenario, and scenarios
// chosen for their literals and names, with pysource and with the Python
// harness's renderer, and requires byte-identical programs (and the same
// scenarios refused).
func TestMigrationFromHarnessPy(t *testing.T) {
	python := peertest.Find(t, "python3")
	scenarios := append(suite(t), corners()...)
	var in bytes.Buffer
	for _, s := range scenarios {
		data, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("%s: %v", s.ID, err)
		}
		in.Write(append(data, '\n'))
	}
	cmd := exec.Command(python, "-I", "-c", oldRenderer, filepath.Join("..", "..", "adapters", "python", "harness.py"))
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("harness.py's renderer: %v\n%s", err, stderr.String())
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<24)
	same, refused := 0, 0
	for i := 0; sc.Scan(); i++ {
		s := scenarios[i]
		var old struct {
			Program, Unsupported, Error string
			Missing                     []string
		}
		if err := json.Unmarshal(sc.Bytes(), &old); err != nil {
			t.Fatal(err)
		}
		got, err := pysource.Program(s)
		switch {
		case old.Error != "":
			t.Errorf("%s %q: harness.py cannot decode it: %s", s.ID, s.Title, old.Error)
		case old.Unsupported != "":
			perr, ok := err.(*pysource.Error)
			if !ok || perr.Reason != old.Unsupported || strings.Join(perr.Missing, "|") != strings.Join(old.Missing, "|") {
				t.Errorf("%s %q: harness.py refuses it (%s %q), pysource gives %v", s.ID, s.Title, old.Unsupported, old.Missing, err)
				continue
			}
			refused++
		case err != nil:
			t.Errorf("%s %q: pysource: %v; harness.py renders it", s.ID, s.Title, err)
		case got != old.Program:
			t.Errorf("%s %q: programs differ\n%s", s.ID, s.Title, diff(old.Program, got))
		default:
			same++
		}
	}
	if same+refused != len(scenarios) {
		t.Errorf("%d scenarios, %d identical and %d refused by both", len(scenarios), same, refused)
	}
	t.Logf("%d scenarios (%d of the suite): %d rendered byte-identical, %d refused alike by both", len(scenarios), len(suite(t)), same, refused)
}

// corners are scenarios chosen for what the suite's own scenarios seldom
// hold: strings Python escapes, floats in every notation, frozensets,
// per-call bodies inside compile bodies, and names Python refuses.
func corners() []*scenario.Scenario {
	S := func(id string, main ...scenario.Stmt) *scenario.Scenario {
		return &scenario.Scenario{ID: id, Main: main}
	}
	var lits []scenario.Stmt
	for _, v := range []any{
		"plain", "it's", `say "hi"`, `both ' and "`, "back\\slash", "tab\tnew\nline\rcr", "\x00\x01\x1f\x7f",
		"\u0080\u0085\u00a0\u00ad\u00e9\u00ff", "\u0378\u2028\u2029\u200b\ufeff\ue000\uffff", "é🙂\U0001f600\U000e0001\U0010ffff",
		0.0, math.Copysign(0, -1), 1.0, 0.1, 1e15, 1e16, 123456789012345678.0, 1e-4, 1e-5, 5e-324, 1.7976931348623157e308, -2.5e-7, 1.5e300,
		int64(-9223372036854775808), int64(9223372036854775807),
		scenario.VSet(scenario.VSet(1), scenario.VTuple(scenario.VSet()), "x"), scenario.VDict(scenario.VSet(), 1, scenario.VTuple(), scenario.VList()),
	} {
		lits = append(lits, scenario.Observe(scenario.Lit(v)))
	}
	perCall := scenario.Def("f", scenario.Pass()).PerCall([]scenario.Stmt{scenario.Return(scenario.Lit(1))})
	return []*scenario.Scenario{
		S("CORNER-LITERALS", lits...),
		S("CORNER-EVENTS", scenario.Emit("it's \"quoted\"\n"), scenario.Emit("é\u2028", scenario.Lit(1))),
		{ID: "CORNER-DEF-IDS", Module: []scenario.Stmt{perCall}, Main: []scenario.Stmt{
			scenario.Observe(scenario.Compile(perCall, scenario.Class("C", perCall))),
			scenario.Let("x", scenario.Compile(scenario.AsyncFor("x", scenario.Var("y"), scenario.Pass())).WithFlags("top_level_await")),
			perCall,
		}},
		S("CORNER-KWARGS", scenario.Observe(scenario.Call("f", scenario.Lit(1)).WithKwarg("zeta", scenario.Lit(2)).WithKwarg("alpha", scenario.Lit(3)))),
		S("CORNER-BAD-NAME", scenario.Let("1x", scenario.Lit(1))),
		S("CORNER-KEYWORD", scenario.Observe(scenario.Var("lambda"))),
		S("CORNER-RESERVED", scenario.Let("_aiterspec_x", scenario.Lit(1))),
		S("CORNER-DOTTED", scenario.Observe(scenario.Call("asyncio.1sleep"))),
		S("CORNER-UNHASHABLE", scenario.Observe(scenario.Lit(scenario.VSet(scenario.VTuple(scenario.VList()))))),
		S("CORNER-UNICODE-NAMES", scenario.Let("é", scenario.Lit(1)), scenario.Let("x\u00b7y", scenario.Lit(2)), scenario.Let("ℌ", scenario.Lit(3))),
		S("CORNER-FIRST-ERROR", scenario.Let("ok", scenario.Lit(1)), scenario.Let("for", scenario.Var("1y"))),
		{ID: "CORNER-GLOBALS", Mode: scenario.SyncMode, Main: []scenario.Stmt{
			scenario.For("b", scenario.Lit(scenario.VList()), scenario.Let("a", scenario.Lit(1))),
			scenario.Try(scenario.Pass()).Except("", "e", scenario.Del("z")).Except("", "", scenario.Pass()).WithFinally(scenario.Let("é", scenario.Lit(0))),
			scenario.Def("g", scenario.Let("local", scenario.Lit(1))),
			scenario.Class("K", scenario.Let("attr", scenario.Lit(1))),
		}},
		{ID: "CORNER-SOURCE", Mode: scenario.SourceMode, Source: "print('hi')\n"},
		{ID: "CORNER-EMPTY"},
	}
}

// diff shows the first differing line of two programs, with context.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n  harness.py: " + a + "\n  pysource:   " + b
		}
	}
	return "(equal lines, different ends)"
}
