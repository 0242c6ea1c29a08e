// Package minimalnode_test checks the minimal Node harness: the protocol
// checks, and that it observes what CPython does inside its subset.
package minimalnode_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/process"
	"github.com/aiterspec/aiterspec/adapters/process/protocoltest"
	"github.com/aiterspec/aiterspec/internal/peertest"
	. "github.com/aiterspec/aiterspec/scenario"
)

// subset are scenarios inside the minimal Node harness's subset.
func subset() []*Scenario {
	gen := AsyncDef("gen", Try(YieldEach(1, 2, 3)).WithFinally(Emit("gen finally")))
	agen := []Capability{CapAsyncGenerators}
	var evens []Stmt
	evens = append(evens, Let("g", Call("gen")))
	for range 5 {
		evens = append(evens, Observe(Await(ANext(Var("g")))))
	}
	return []*Scenario{
		{ID: "ANEXT", Needs: agen, Module: []Stmt{gen}, Main: evens},
		{ID: "ASYNC-FOR-BREAK", Needs: agen, Module: []Stmt{gen}, Main: []Stmt{
			AsyncFor("x", Call("gen"), Observe(Var("x")), If(BinOp(Var("x"), "==", Lit(2)), Break())).WithElse(Emit("else")),
			Emit("after loop"),
		}},
		{ID: "ASYNC-FOR-ELSE", Needs: agen, Module: []Stmt{gen}, Main: []Stmt{
			AsyncFor("x", Call("gen"), If(BinOp(Var("x"), "==", Lit(2)), Continue()), Observe(Var("x"))).WithElse(Emit("else")),
		}},
		{ID: "STOPASYNC-IN-GEN", Needs: agen, Module: []Stmt{
			AsyncDef("bad", Yield(Lit(1)), Raise(Var("StopAsyncIteration"))),
		}, Main: []Stmt{
			Let("g", Call("bad")),
			Observe(Await(ANext(Var("g")))),
			Observe(Await(ANext(Var("g")))),
			Observe(Await(ANext(Var("g"), Lit("default")))),
		}},
		{ID: "TYPENAMES", Needs: agen, Module: []Stmt{gen, AsyncDef("co", Return(Lit(5)))}, Main: []Stmt{
			Let("g", Call("gen")),
			Observe(TypeName(Var("g"))),
			Observe(TypeName(ANext(Var("g")))),
			Observe(TypeName(ANext(Var("g"), Lit(1)))),
			Let("c", Call("co")),
			Observe(TypeName(Var("c"))),
			Observe(Await(Var("c"))),
			Observe(Await(Var("c"))),
			Observe(Is(AIter(Var("g")), Var("g"))),
		}},
		{ID: "NAMES", Module: []Stmt{
			AsyncDef("f", Observe(Var("x")), Let("x", Lit(1))),
		}, Main: []Stmt{
			Observe(Var("nope")),
			Do(Await(Call("f"))),
		}},
		{ID: "EXCEPTIONS", Needs: agen, Module: []Stmt{
			AsyncDef("boom", Yield(Lit(1)), Raise(Exc("ValueError", "bad value"))),
		}, Main: []Stmt{
			Try(AsyncFor("x", Call("boom"), Observe(Var("x")))).Except("ValueError", "e", Observe(Var("e")), Observe(TypeName(Var("e")))),
			Observe(Exc("KeyError", "k")),
			Raise(Exc("KeyError", "k")),
			Try(Raise(Var("TypeError"))).Except("", "", Emit("bare except")).WithElse(Emit("else")).WithFinally(Emit("finally")),
			Try(Pass()).Except("Exception", "", Emit("no")).WithElse(Emit("else")),
			Raise(),
		}},
		{ID: "ARITHMETIC", Main: []Stmt{
			Observe(BinOp(Lit(7), "//", Lit(-2))),
			Observe(BinOp(Lit(-7), "%", Lit(3))),
			Observe(BinOp(Lit(1), "+", Lit(2.5))),
			Observe(BinOp(Lit(3.0), "*", Lit(2))),
			Observe(BinOp(Lit("a"), "+", Lit("b"))),
			Observe(BinOp(Lit(1), "==", Lit(1.0))),
			Observe(BinOp(ListOf(Lit(1)), "+", ListOf(Lit(2)))),
			Observe(TupleOf(Lit(1))),
			Observe(BinOp(Lit(0), "or", Lit("x"))),
			Observe(BinOp(Lit(0), "and", Lit("x"))),
			Observe(Not(ListOf())),
			Observe(BinOp(Lit(1), "<", Lit("a"))),
			Observe(BinOp(Lit(1), "//", Lit(0))),
			Observe(BinOp(Lit(1), "+", Lit(nil))),
		}},
		{ID: "TYPE-ERRORS", Main: []Stmt{
			Do(Await(Lit(1))),
			Do(ANext(Lit(1))),
			Do(AIter(Lit(1))),
			AsyncFor("x", Lit(1), Pass()),
			For("x", Lit(1), Pass()),
		}},
		{ID: "FUNCTIONS", Module: []Stmt{
			Def("add", Return(BinOp(Var("a"), "+", Var("b")))).WithParams("a", "b"),
			Def("early", Try(Return(Lit("from try"))).WithFinally(Emit("finally ran"))),
			AsyncDef("outer", Let("k", Lit(10)), Def("inner", Return(Var("k"))), Return(Call("inner"))),
		}, Main: []Stmt{
			Observe(Call("add", Lit(1), Lit(2))),
			Observe(Call("early")),
			Observe(Await(Call("outer"))),
			Observe(Call("add", Lit(1))),
			Observe(Call("add", Lit(1), Lit(2), Lit(3))),
			Observe(Var("add")),
			Return(),
			Emit("not reached"),
		}},
	}
}

const harness = "adapters/process/examples/minimal-node/harness.mjs"

// The harness speaks protocol 1, which aiterspec still accepts, and
// validates scenarios as protocol 1 required: both tiers apply.
func TestProtocol(t *testing.T) {
	protocoltest.Check(t, []string{peertest.Find(t, "node"), harness})
}

// TestMinimalNodeAgreesWithCPython runs scenarios inside the minimal Node
// harness's subset on it and on CPython: a harness written from the
// documents alone should observe what CPython does.
func TestMinimalNodeAgreesWithCPython(t *testing.T) {
	node := peertest.Find(t, "node")
	python := peertest.Find(t, "python3")
	root := process.ModuleRoot()
	open := func(argv ...string) *process.Client {
		c, err := process.Open(process.Config{Name: argv[0], Argv: argv, Dir: root})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	js := open(node, harness)
	py := open(python, "-u", "-I", "adapters/python/harness.py")
	if v := py.Info().LanguageVersion; v < "3.11" {
		t.Skipf("the Node harness follows Python 3.11; python3 is %s", v)
	}
	show := func(r adapters.Result) []string {
		if r.State != adapters.Completed {
			return []string{fmt.Sprintf("%s: %s", r.State, r.Reason)}
		}
		var out []string
		for _, o := range r.Observations {
			out = append(out, o.String())
		}
		return out
	}
	for _, s := range subset() {
		t.Run(s.ID, func(t *testing.T) {
			want := show(py.Run(context.Background(), s))
			got := show(js.Run(context.Background(), s))
			if !slices.Equal(got, want) {
				t.Errorf("node:\n\t%q\ncpython:\n\t%q", got, want)
			}
		})
	}
}
