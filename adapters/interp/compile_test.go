package interp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"os/exec"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/internal/peertest"
	"github.com/aiterspec/aiterspec/reference"
	. "github.com/aiterspec/aiterspec/scenario"
)

type compileCase struct {
	name string
	body []Stmt
	tla  bool
	msg  string // "" compiles
	line int
}

var (
	asyncForY   = AsyncFor("x", Var("y"), Pass())
	asyncListY  = Comprehension(ListForm, Var("x"), AsyncClause("x", Var("y")))
	asyncGenexp = Comprehension(GenexpForm, Var("x"), AsyncClause("x", Var("y")))
)

// compileCases are the catalogue's group C, the seed's compile cases and
// the orderings CPython 3.11's two passes give (each checked against
// python3 by TestCompileCheckerAgainstCPython).
var compileCases = []compileCase{
	{"C01 async for at module level", []Stmt{asyncForY}, false, reference.MsgAsyncForOutside, 1},
	{"C02 async for in a def", []Stmt{Def("f", asyncForY)}, false, reference.MsgAsyncForOutside, 2},
	{"C03 top-level await allows async for", []Stmt{asyncForY}, true, "", 0},
	{"C04 await at module level", []Stmt{Do(Await(Var("x")))}, false, reference.MsgAwaitOutsideFunction, 1},
	{"C05 await in a def", []Stmt{Def("f", Do(Await(Var("x"))))}, false, reference.MsgAwaitOutsideAsync, 2},
	{"C06 async listcomp in a def", []Stmt{Def("f", Return(asyncListY))}, false, reference.MsgAsyncComprehensionOutside, 2},
	{"C08 return value in async generator", []Stmt{AsyncDef("g", Yield(Lit(1)), Return(Lit(2)))}, false, reference.MsgReturnInAsyncGen, 3},
	{"C09 yield from in async def", []Stmt{AsyncDef("g", YieldFrom(Lit(VList(1))))}, false, reference.MsgYieldFromInAsync, 2},
	{"C10 async genexp in a def", []Stmt{Def("f", Return(asyncGenexp))}, false, "", 0},
	{"C11 async with at module level", []Stmt{AsyncWith(Var("x"), Pass())}, false, reference.MsgAsyncWithOutside, 1},
	{"C12 yield in an async listcomp", []Stmt{AsyncDef("f", Do(Comprehension(ListForm, YieldValue(Var("x")), AsyncClause("x", Var("y")))))}, false, "'yield' inside list comprehension", 2},
	{"C13 await in a lambda", []Stmt{AsyncDef("f", Return(Lambda(Await(Var("x")))))}, false, reference.MsgAwaitOutsideAsync, 2},
	{"seed: nested plain def does not inherit async", []Stmt{AsyncDef("outer", Def("inner", Pass(), asyncForY))}, false, reference.MsgAsyncForOutside, 4},
	{"await in a listcomp element in a def", []Stmt{Def("f", Return(Comprehension(ListForm, Await(Var("x")), SyncClause("x", Var("y")))))}, false, reference.MsgAsyncComprehensionOutside, 2},
	{"await in the outermost iterable belongs to the def", []Stmt{Def("f", Return(Comprehension(ListForm, Var("x"), SyncClause("x", Await(Var("y"))))))}, false, reference.MsgAwaitOutsideAsync, 2},
	{"nested async listcomp makes the outer one async", []Stmt{Def("f", Do(Comprehension(ListForm, asyncListY, SyncClause("z", Var("w")))))}, false, reference.MsgAsyncComprehensionOutside, 2},
	{"an async genexp inside a listcomp does not", []Stmt{Def("f", Do(Comprehension(ListForm, asyncGenexp, SyncClause("z", Var("w")))))}, false, "", 0},
	{"yield in a comprehension wins over an earlier error", []Stmt{Break(), AsyncDef("f", Do(Comprehension(ListForm, YieldValue(nil), SyncClause("x", Var("y")))))}, false, "'yield' inside list comprehension", 3},
	{"a try's else is compiled before its handlers", []Stmt{Try(Pass()).Except("", "", Break()).WithElse(Continue())}, false, "'continue' not properly in loop", 6},
	{"break compiles the finally it leaves first", []Stmt{Try(Pass()).Except("E", "", Break()).WithFinally(Continue())}, false, "'continue' not properly in loop", 6},
	{"return compiles the finally it leaves first", []Stmt{Def("f", Try(Return(Lit(1)), Do(Await(Var("x")))).WithFinally(Break()))}, false, "'break' outside loop", 6},
	{"a loop's else is outside the loop", []Stmt{For("x", Var("y"), Pass()).WithElse(Break())}, false, "'break' outside loop", 4},
	{"await in a class body", []Stmt{AsyncDef("f", Class("C", Let("x", Await(Var("y")))))}, false, reference.MsgAwaitOutsideFunction, 3},
	{"return in a class body", []Stmt{Def("f", Class("C", Def("m", Pass()), Let("x", Lit(1))))}, false, "", 0},
	{"yield at module level with the flag", []Stmt{Yield()}, true, "'yield' outside function", 1},
	{"generator: true makes an async generator", []Stmt{AsyncDef("g", Return(Lit(1))).AsGenerator()}, false, reference.MsgReturnInAsyncGen, 3},
	{"a yield in a per-call body makes an async generator", []Stmt{AsyncDef("g", Return(Lit(1))).PerCall([]Stmt{Yield()})}, false, reference.MsgReturnInAsyncGen, 6},
	{"per-call bodies take their rendered lines", []Stmt{Def("f", Break()).PerCall([]Stmt{Pass()}, []Stmt{Pass(), Pass()})}, false, "'break' outside loop", 9},
}

func TestCompileChecker(t *testing.T) {
	for _, c := range compileCases {
		t.Run(c.name, func(t *testing.T) {
			got := compileCheck(c.body, c.tla)
			want := &syntaxError{c.msg, c.line}
			if c.msg == "" {
				want = nil
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("got %v, want %v\n%s", got, want, moduleText(c.body))
			}
		})
	}
}

// TestCompileCheckerAgainstCPython compiles the rendered text of the
// cases above and of thousands of random bodies with python3 and checks
// that the checker gives CPython's message and line (and CO_COROUTINE
// under top-level await). It skips when python3 is not 3.11.
func TestCompileCheckerAgainstCPython(t *testing.T) {
	python := python311(t)
	var jobs []compileJob
	var bodies [][]Stmt
	add := func(body []Stmt, tla bool) {
		jobs = append(jobs, compileJob{moduleText(body), tla})
		bodies = append(bodies, body)
	}
	for _, c := range compileCases {
		add(c.body, c.tla)
	}
	r := rand.New(rand.NewSource(1))
	n := 4000
	if testing.Short() {
		n = 400
	}
	for i := 0; i < n; i++ {
		g := &bodyGen{r: r}
		add(g.block(3, 0), r.Intn(4) == 0)
	}
	results := compileWithPython(t, python, jobs)
	failures := 0
	for i, j := range jobs {
		want := results[i]
		got := "OK"
		if e := compileCheck(bodies[i], j.TLA); e != nil {
			got = fmt.Sprintf("ERR %s %d", e.msg, e.line)
		} else if j.TLA && moduleIsCoroutine(bodies[i]) {
			got = "OK coroutine"
		} else if j.TLA {
			got = "OK"
		}
		if got != want {
			failures++
			if failures <= 10 {
				t.Errorf("checker says %q, CPython %q (top-level await %v) for\n%s", got, want, j.TLA, j.Src)
			}
		}
	}
	if failures > 10 {
		t.Errorf("... and %d more", failures-10)
	}
}

func python311(t *testing.T) string {
	t.Helper()
	path := peertest.Find(t, "python3")
	out, err := exec.Command(path, "-c", "import sys; print('%d.%d' % sys.version_info[:2])").Output()
	if err != nil || strings.TrimSpace(string(out)) != "3.11" {
		t.Skipf("python3 is %s, not 3.11", strings.TrimSpace(string(out)))
	}
	return path
}

const compileScript = `
import ast, json, sys
for line in sys.stdin:
    job = json.loads(line)
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if job["tla"] else 0
    try:
        co = compile(job["src"], "<scenario>", "exec", flags=flags, dont_inherit=True)
        res = "OK coroutine" if co.co_flags & 0x80 else "OK"
    except SyntaxError as e:
        res = "ERR %s %d" % (e.msg, e.lineno)
    print(json.dumps(res))
`

// compileJob is one source for python3 to compile.
type compileJob struct {
	Src string `json:"src"`
	TLA bool   `json:"tla"`
}

func compileWithPython(t *testing.T, python string, jobs []compileJob) []string {
	t.Helper()
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, j := range jobs {
		if err := enc.Encode(j); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(python, "-I", "-W", "ignore", "-c", compileScript)
	cmd.Stdin = &in
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var results []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var s string
		if err := dec.Decode(&s); err != nil {
			t.Fatal(err)
		}
		results = append(results, s)
	}
	return results
}

// bodyGen generates random compile bodies from the constructs that decide
// compile-time errors: every statement kind, await, yield, lambdas and
// comprehensions of every form, nested in every way FORMAT.md allows.
type bodyGen struct{ r *rand.Rand }

func (g *bodyGen) pick(n int) int { return g.r.Intn(n) }

func (g *bodyGen) block(n, depth int) []Stmt {
	k := 1 + g.pick(n)
	out := make([]Stmt, k)
	for i := range out {
		out[i] = g.stmt(depth)
	}
	return out
}

func (g *bodyGen) stmt(depth int) Stmt {
	if depth >= 3 {
		return g.simple(depth)
	}
	switch g.pick(14) {
	case 0, 1:
		s := Def("f", g.block(3, depth+1)...)
		s.Async = g.pick(2) == 0
		if g.pick(8) == 0 {
			s.Generator = true
		}
		if g.pick(8) == 0 {
			s.Calls = [][]Stmt{g.block(2, depth+1)}
		}
		return s
	case 2:
		body := []Stmt{Pass()}
		if g.pick(2) == 0 {
			body = []Stmt{Let("a", g.expr(depth+1)), Def("m", g.block(2, depth+1)...)}
			body[1].Async = g.pick(2) == 0
		}
		return Class("C", body...)
	case 3:
		t := Try(g.block(2, depth+1)...)
		for i := g.pick(3); i > 0; i-- {
			t = t.Except([]string{"", "E"}[g.pick(2)], []string{"", "e"}[g.pick(2)], g.block(2, depth+1)...)
		}
		if len(t.Handlers) > 0 && g.pick(2) == 0 {
			t = t.WithElse(g.block(2, depth+1)...)
		}
		if len(t.Handlers) == 0 || g.pick(2) == 0 {
			t = t.WithFinally(g.block(2, depth+1)...)
		}
		return t
	case 4:
		s := If(g.expr(depth+1), g.block(2, depth+1)...)
		if g.pick(2) == 0 {
			s = s.WithElse(g.block(2, depth+1)...)
		}
		return s
	case 5, 6:
		s := For("x", g.expr(depth+1), g.block(2, depth+1)...)
		if g.pick(2) == 0 {
			s.Kind = AsyncForStmt
		}
		if g.pick(3) == 0 {
			s = s.WithElse(g.block(2, depth+1)...)
		}
		return s
	case 7:
		return AsyncWith(g.expr(depth+1), g.block(2, depth+1)...)
	}
	return g.simple(depth)
}

func (g *bodyGen) simple(depth int) Stmt {
	switch g.pick(12) {
	case 0:
		return Break()
	case 1:
		return Continue()
	case 2:
		return Return()
	case 3:
		return Return(g.expr(depth + 1))
	case 4:
		return Yield(g.expr(depth + 1))
	case 5:
		return YieldFrom(g.expr(depth + 1))
	case 6:
		return Pass()
	case 7:
		return Raise(g.expr(depth + 1))
	case 8:
		return SetAttr(g.expr(depth+1), "a", g.expr(depth+1))
	}
	return Do(g.expr(depth + 1))
}

func (g *bodyGen) expr(depth int) *Expr {
	if depth >= 5 {
		return Var("y")
	}
	switch g.pick(12) {
	case 0, 1:
		return Await(g.expr(depth + 1))
	case 2:
		return YieldValue(g.expr(depth + 1))
	case 3:
		return Lambda(g.expr(depth + 1))
	case 4, 5:
		form := []string{ListForm, SetForm, DictForm, GenexpForm}[g.pick(4)]
		var clauses []Clause
		for i := 1 + g.pick(2); i > 0; i-- {
			c := SyncClause("x", g.expr(depth+1))
			c.Async = g.pick(3) == 0
			if g.pick(3) == 0 {
				c.If = []Expr{*g.expr(depth + 1)}
			}
			clauses = append(clauses, c)
		}
		e := Comprehension(form, g.expr(depth+1), clauses...)
		if form == DictForm {
			e.Key = g.expr(depth + 1)
		}
		return e
	case 6:
		return Call("f", g.expr(depth+1), g.expr(depth+1))
	case 7:
		return BinOp(g.expr(depth+1), "+", g.expr(depth+1))
	case 8:
		return ListOf(g.expr(depth + 1))
	}
	return Var("y")
}
