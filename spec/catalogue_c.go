package spec

import (
	. "github.com/onsi/ginkgo/v2"

	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group C: compile-time rules, SyntaxError messages and lines
// (cpython-3.11-catalogue.md, C01–C14).
var _ = Describe("Catalogue C: compile-time rules (SyntaxError)", func() {
	syntax := func(msg string, line int) Observation { return Raises("SyntaxError", msg).AtLine(line) }
	code := Got(VObject("code"))
	// CPython 3.8 and 3.9 give C06's SyntaxError lineno 0, which a harness
	// reports as no line.
	const noLineBefore310 = "before 3.10 CPython reports this SyntaxError with lineno 0, not the comprehension's line 2"
	asyncForY := AsyncFor("x", Var("y"), Pass())
	// asyncListY is [x async for x in y]; asyncGenexpY (x async for x in y).
	asyncListY := Comprehension(ListForm, Var("x"), AsyncClause("x", Var("y")))
	asyncGenexpY := Comprehension(GenexpForm, Var("x"), AsyncClause("x", Var("y")))

	DescribeTable("C01, C02: async for outside an async function does not compile", check,
		entry(New("C01", "async for at module level is a SyntaxError at line 1").
			Needs(CapCompile).
			Main(Observe(Compile(asyncForY))).
			Observes(syntax("'async for' outside async function", 1))),
		entry(New("C02", "async for inside a plain def is a SyntaxError at line 2").
			Needs(CapCompile).
			Main(Observe(Compile(Def("f", asyncForY)))).
			Observes(syntax("'async for' outside async function", 2))),
	)

	DescribeTable("C03: PyCF_ALLOW_TOP_LEVEL_AWAIT allows async for at module level", check,
		entry(New("C03", "with the flag, a module-level async for compiles to a code object").
			Needs(CapCompile).
			Main(Observe(Compile(asyncForY).WithFlags("top_level_await"))).
			Observes(code)),
		entry(New("C03", "that code object is flagged CO_COROUTINE").
			Needs(CapCompile).
			AsDetail().
			Main(
				Let("c", Compile(asyncForY).WithFlags("top_level_await")),
				Observe(BinOp(BinOp(BinOp(Attr(Var("c"), "co_flags"), "//", Lit(0x80)), "%", Lit(2)), "==", Lit(1))),
			).
			Observes(Got(true))),
	)

	DescribeTable("C04, C05, C13: await outside an async function does not compile", check,
		entry(New("C04", "await at module level is 'await' outside function at line 1").
			Needs(CapCompile).
			Main(Observe(Compile(Do(Await(Var("x")))))).
			Observes(syntax("'await' outside function", 1))),
		entry(New("C05", "await inside a plain def is 'await' outside async function at line 2").
			Needs(CapCompile).
			Main(Observe(Compile(Def("f", Do(Await(Var("x"))))))).
			Observes(syntax("'await' outside async function", 2))),
		entry(New("C13", "await inside a lambda within an async def is 'await' outside async function at line 2").
			Needs(CapCompile).
			Main(Observe(Compile(AsyncDef("f", Return(Lambda(Await(Var("x")))))))).
			Observes(syntax("'await' outside async function", 2))),
	)

	DescribeTable("C06, C14: an async comprehension in a plain def does not compile; an async genexp does", check,
		entry(New("C06", "[x async for x in y] in a plain def is a SyntaxError at line 2").
			Needs(CapCompile).
			Main(Observe(Compile(Def("f", Return(asyncListY))))).
			Observes(syntax("asynchronous comprehension outside of an asynchronous function", 2)).
			Since("< 3.10", noLineBefore310, Raises("SyntaxError", "asynchronous comprehension outside of an asynchronous function"))),
		entry(New("C14", "the list comprehension form in a plain def is rejected").
			Needs(CapCompile).
			Main(Observe(Compile(Def("f", Return(asyncListY))))).
			Observes(syntax("asynchronous comprehension outside of an asynchronous function", 2)).
			Since("< 3.10", noLineBefore310, Raises("SyntaxError", "asynchronous comprehension outside of an asynchronous function"))),
		entry(New("C14", "the generator expression form in a plain def compiles").
			Needs(CapCompile).
			Main(Observe(Compile(Def("f", Return(asyncGenexpY))))).
			Observes(code)),
	)

	DescribeTable("C08, C09: return with a value and yield from are not allowed in an async generator", check,
		entry(New("C08", "return 2 after yield 1 in an async def is a SyntaxError at line 3").
			Needs(CapCompile).
			Main(Observe(Compile(AsyncDef("g", Yield(Lit(1)), Return(Lit(2)))))).
			Observes(syntax("'return' with value in async generator", 3))),
		entry(New("C09", "yield from in an async def is a SyntaxError at line 2").
			Needs(CapCompile).
			Main(Observe(Compile(AsyncDef("g", YieldFrom(Lit(VList(1))))))).
			Observes(syntax("'yield from' inside async function", 2))),
	)

	DescribeTable("C10: an async generator expression inside a plain def is allowed", check,
		entry(New("C10", "a plain def returning (x async for x in y) returns an async_generator").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(agen("agen", 1), Def("f", Return(asyncGenexpY)).WithParams("y")).
			Main(Observe(TypeName(Call("f", Call("agen"))))).
			Observes(Got("async_generator"))),
		entry(New("C10", "that async generator gives the values of the iterable").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(agen("agen", 1), Def("f", Return(asyncGenexpY)).WithParams("y")).
			Main(drain(Call("f", Call("agen")))).
			Observes(Got(1))),
	)

	DescribeTable("C11: async with outside an async function does not compile", check,
		entry(New("C11", "async with at module level is a SyntaxError at line 1").
			Needs(CapCompile).
			Main(Observe(Compile(AsyncWith(Var("x"), Pass())))).
			Observes(syntax("'async with' outside async function", 1))),
	)

	DescribeTable("C12: yield inside an async comprehension does not compile", check,
		entry(New("C12", "[(yield x) async for x in y] in an async def is a SyntaxError at line 2").
			Needs(CapCompile).
			Main(Observe(Compile(AsyncDef("f", Do(Comprehension(ListForm, YieldValue(Var("x")), AsyncClause("x", Var("y")))))))).
			Observes(syntax("'yield' inside list comprehension", 2))),
	)
})
