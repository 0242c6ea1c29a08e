package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Catalogue group C: compile-time rules, SyntaxError messages and lines
// (cpython-3.11-catalogue.md, C01–C14).
var _ = family("C", func() {
	syntax := func(msg string, line int) Observation { return Raises("SyntaxError", msg).AtLine(line) }
	code := Got(VObject("code"))
	// CPython 3.8 and 3.9 give C06's SyntaxError lineno 0, which a harness
	// reports as no line.
	const noLineBefore310 = "before 3.10 CPython reports this SyntaxError with lineno 0, not the comprehension's line 2"
	asyncComp := "asynchronous comprehension outside of an asynchronous function"
	asyncForY := AsyncFor("x", Var("y"), Pass())
	// asyncListY is [x async for x in y]; asyncGenexpY (x async for x in y).
	asyncListY := Comprehension(ListForm, Var("x"), AsyncClause("x", Var("y")))
	asyncGenexpY := Comprehension(GenexpForm, Var("x"), AsyncClause("x", Var("y")))

	behaviour("C01", "async for at module level (compile)",
		spec("async for at module level is a SyntaxError at line 1").
			Needs(CapCompile).
			Main(Observe(Compile(asyncForY))).
			Observes(syntax("'async for' outside async function", 1)),
	)

	behaviour("C02", "async for inside a normal def",
		spec("async for inside a plain def is a SyntaxError at line 2").
			Needs(CapCompile).
			Main(Observe(Compile(Def("f", asyncForY)))).
			Observes(syntax("'async for' outside async function", 2)),
	)

	behaviour("C03", "async for at module level is allowed with PyCF_ALLOW_TOP_LEVEL_AWAIT",
		spec("with the flag, a module-level async for compiles to a code object").
			Needs(CapCompile).
			Main(Observe(Compile(asyncForY).WithFlags("top_level_await"))).
			Observes(code),
		spec("that code object is flagged CO_COROUTINE").
			Needs(CapCompile).
			AsDetail().
			Main(
				Let("c", Compile(asyncForY).WithFlags("top_level_await")),
				Observe(BinOp(BinOp(BinOp(Attr(Var("c"), "co_flags"), "//", Lit(0x80)), "%", Lit(2)), "==", Lit(1))),
			).
			Observes(Got(true)),
	)

	behaviour("C04", "await at module level (compile)",
		spec("await at module level is 'await' outside function at line 1").
			Needs(CapCompile).
			Main(Observe(Compile(Do(Await(Var("x")))))).
			Observes(syntax("'await' outside function", 1)),
	)

	behaviour("C05", "await inside a normal def",
		spec("await inside a plain def is 'await' outside async function at line 2").
			Needs(CapCompile).
			Main(Observe(Compile(Def("f", Do(Await(Var("x"))))))).
			Observes(syntax("'await' outside async function", 2)),
	)

	behaviour("C13", "await inside a lambda within an async def",
		spec("await inside a lambda within an async def is 'await' outside async function at line 2").
			Needs(CapCompile).
			Main(Observe(Compile(AsyncDef("f", Return(Lambda(Await(Var("x")))))))).
			Observes(syntax("'await' outside async function", 2)),
	)

	behaviour("C06", "async comprehension inside a normal def",
		spec("[x async for x in y] in a plain def is a SyntaxError at line 2").
			Needs(CapCompile).
			Main(Observe(Compile(Def("f", Return(asyncListY))))).
			Observes(syntax(asyncComp, 2)).
			Since("< 3.10", noLineBefore310, Raises("SyntaxError", asyncComp)),
		spec("async set and dict comprehensions in a plain def, and any in a plain def nested in an async def, are SyntaxErrors").
			Needs(CapCompile).
			Main(
				Observe(inPlainDef(Comprehension(SetForm, Var("i"), AsyncClause("i", Var("els"))))),
				Observe(inPlainDef(DictComprehension(Var("i"), Var("i"), AsyncClause("i", Var("els"))))),
				Observe(Compile(AsyncDef("foo", Def("bar", Do(Comprehension(ListForm, Var("i"), AsyncClause("i", Var("els")))))))),
				Observe(Compile(AsyncDef("foo", Def("bar", Do(Comprehension(ListForm, Await(Var("i")), SyncClause("i", Var("els")))))))),
			).
			Observes(syntax(asyncComp, 2), syntax(asyncComp, 2), syntax(asyncComp, 3), syntax(asyncComp, 3)).
			Since("< 3.10", noLineBefore310, Raises("SyntaxError", asyncComp), Raises("SyntaxError", asyncComp), Raises("SyntaxError", asyncComp), Raises("SyntaxError", asyncComp)),
	)

	behaviour("C14", "an async list comprehension in a plain def is a SyntaxError, alone or nested in a sync comprehension (also at module level); an async generator expression compiles there, alone or nested",
		spec("the list comprehension form in a plain def is rejected").
			Needs(CapCompile).
			Main(Observe(Compile(Def("f", Return(asyncListY))))).
			Observes(syntax(asyncComp, 2)).
			Since("< 3.10", noLineBefore310, Raises("SyntaxError", asyncComp)),
		spec("the generator expression form in a plain def compiles").
			Needs(CapCompile).
			Main(Observe(Compile(Def("f", Return(asyncGenexpY))))).
			Observes(code),
		spec("an async comprehension nested in a list comprehension in a plain def is a SyntaxError at line 2").
			Needs(CapCompile).
			Main(Observe(inPlainDef(Comprehension(ListForm, asyncListY, SyncClause("z", Var("w")))))).
			Observes(syntax(asyncComp, 2)).
			Since("< 3.10", noLineBefore310, Raises("SyntaxError", asyncComp)),
		spec("an async comprehension nested in a list comprehension at module level is a SyntaxError at line 1").
			Needs(CapCompile).
			Main(Observe(Compile(Do(Comprehension(ListForm, asyncListY, SyncClause("z", Var("w"))))))).
			Observes(syntax(asyncComp, 1)).
			Since("< 3.10", noLineBefore310, Raises("SyntaxError", asyncComp)),
		spec("an async generator expression nested in a list comprehension in a plain def compiles").
			Needs(CapCompile).
			Main(Observe(inPlainDef(Comprehension(ListForm, Comprehension(GenexpForm, Var("x"), AsyncClause("x", Var("y"))), SyncClause("z", Var("w")))))).
			Observes(code),
	)

	behaviour("C08", "return with a value inside an async generator",
		spec("return 2 after yield 1 in an async def is a SyntaxError at line 3").
			Needs(CapCompile).
			Main(Observe(Compile(AsyncDef("g", Yield(Lit(1)), Return(Lit(2)))))).
			Observes(syntax("'return' with value in async generator", 3)),
	)

	behaviour("C09", "yield from inside an async generator",
		spec("yield from in an async def is a SyntaxError at line 2").
			Needs(CapCompile).
			Main(Observe(Compile(AsyncDef("g", YieldFrom(Lit(VList(1))))))).
			Observes(syntax("'yield from' inside async function", 2)),
	)

	behaviour("C10", "async generator expression inside a normal def is allowed (creates an async_generator)",
		spec("a plain def returning (x async for x in y) returns an async_generator").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(agen("agen", 1), Def("f", Return(asyncGenexpY)).WithParams("y")).
			Main(Observe(TypeName(Call("f", Call("agen"))))).
			Observes(Got("async_generator")),
		spec("that async generator gives the values of the iterable").
			Needs(CapAsyncGenerators, CapAsyncComprehensions).
			Module(agen("agen", 1), Def("f", Return(asyncGenexpY)).WithParams("y")).
			Main(drain(Call("f", Call("agen")))).
			Observes(Got(1)),
	)

	behaviour("C11", "async with at module level (compile), for comparison",
		spec("async with at module level is a SyntaxError at line 1").
			Needs(CapCompile).
			Main(Observe(Compile(AsyncWith(Var("x"), Pass())))).
			Observes(syntax("'async with' outside async function", 1)),
	)

	behaviour("C12", "yield inside an async comprehension",
		spec("[(yield x) async for x in y] in an async def is a SyntaxError at line 2").
			Needs(CapCompile).
			Main(Observe(Compile(AsyncDef("f", Do(Comprehension(ListForm, YieldValue(Var("x")), AsyncClause("x", Var("y")))))))).
			Observes(syntax("'yield' inside list comprehension", 2)),
	)
})
