package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family C found by differential search (`aiterspec diff`).
var _ = family("C", func() {
	caps := []Capability{CapCompile}
	asyncComp := "asynchronous comprehension outside of an asynchronous function"

	behaviour("C17", "return with a value in an async generator nested inside another function is a SyntaxError too",
		spec("an async generator defined inside an async def returning a value: 'return' with value in async generator at its line").
			Needs(caps...).
			Main(Observe(Compile(AsyncDef("outer", AsyncDef("inner", Return(Lit(1)), Yield()))))).
			Observes(Raises("SyntaxError", "'return' with value in async generator").AtLine(3)),
	)

	nested := Comprehension(ListForm, Comprehension(ListForm, Var("z"), AsyncClause("z", Var("y"))), SyncClause("x", Var("y")))
	behaviour("C18", "an async comprehension inside a sync comprehension is allowed where the outer one may be asynchronous (in an async def, or at top level with PyCF_ALLOW_TOP_LEVEL_AWAIT), since 3.11",
		spec("[[z async for z in y] for x in y] in an async def compiles").
			Needs(caps...).
			Main(Observe(Compile(AsyncDef("f", Do(nested))))).
			Observes(Got(VObject("code"))).
			Since("< 3.10", "before 3.11 the inner async comprehension makes the outer one an asynchronous comprehension outside of an asynchronous function (bpo-33346); before 3.10 without a line",
				Raises("SyntaxError", asyncComp)).
			Since("< 3.11", "before 3.11 the inner async comprehension makes the outer one an asynchronous comprehension outside of an asynchronous function (bpo-33346)",
				Raises("SyntaxError", asyncComp).AtLine(2)),
		spec("[[z async for z in y] for x in y] at top level compiles with PyCF_ALLOW_TOP_LEVEL_AWAIT").
			Needs(caps...).
			Main(Observe(Compile(Do(nested)).WithFlags("top_level_await"))).
			Observes(Got(VObject("code"))).
			Since("< 3.10", "before 3.11 a SyntaxError (bpo-33346); before 3.10 without a line",
				Raises("SyntaxError", asyncComp)).
			Since("< 3.11", "before 3.11 a SyntaxError (bpo-33346)",
				Raises("SyntaxError", asyncComp).AtLine(1)),
		spec("[[z async for z in y] for x in y] at top level without the flag is an asynchronous comprehension outside of an asynchronous function, at line 1").
			Needs(caps...).
			Main(Observe(Compile(Do(nested)))).
			Observes(Raises("SyntaxError", asyncComp).AtLine(1)).
			Since("< 3.10", "before 3.10 the SyntaxError has no line", Raises("SyntaxError", asyncComp)),
	)

	behaviour("C19", "return at module level: SyntaxError \"'return' outside function\"",
		spec("compiling a module whose statement is return").
			Needs(caps...).
			Main(Observe(Compile(Return()))).
			Observes(Raises("SyntaxError", "'return' outside function").AtLine(1)),
	)

	behaviour("C20", "yield from at module level: SyntaxError \"'yield' outside function\" (3.13: \"'yield from' outside function\")",
		spec("compiling a module whose statement is yield from").
			Needs(caps...).
			Main(Observe(Compile(YieldFrom(Var("y"))))).
			Observes(Raises("SyntaxError", "'yield' outside function").AtLine(1)).
			Since(">= 3.13", "3.13 names yield from in the message",
				Raises("SyntaxError", "'yield from' outside function").AtLine(1)),
	)
})
