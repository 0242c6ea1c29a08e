package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family C that CPython's own tests check
// (docs/cpython-tests-coverage.md).
var _ = family("C", func() {
	syntax := func(msg string, line int) Observation { return Raises("SyntaxError", msg).AtLine(line) }
	const noLineBefore310 = "before 3.10 CPython reports this SyntaxError with lineno 0"
	asyncComp := "asynchronous comprehension outside of an asynchronous function"
	els := Var("els")

	behaviour("C15", "a yield in unreachable code still makes an async def an async generator: return with a value is a SyntaxError",
		spec("a yield in unreachable code still makes an async def an async generator: return 12 is a SyntaxError at line 4").
			Needs(CapCompile).
			Main(Observe(Compile(AsyncDef("foo", If(Lit(0), Yield()), Return(Lit(12)))))).
			Observes(syntax("'return' with value in async generator", 4)),
	)

	behaviour("C16", "await in a later clause or a condition of a comprehension in a plain def: asynchronous comprehension outside of an asynchronous function; in its first iterable: 'await' outside async function",
		spec("await in a later for clause or in a condition of a comprehension in a plain def is an asynchronous comprehension outside of an asynchronous function").
			Needs(CapCompile).
			Main(
				Observe(inPlainDef(Comprehension(ListForm, Var("i"), SyncClause("i", els), SyncClause("b", Await(els))))),
				Observe(inPlainDef(Comprehension(ListForm, Var("i"), SyncClause("i", els, Await(Var("i")))))),
				Observe(inPlainDef(Comprehension(ListForm, Var("i"), SyncClause("i", els), AsyncClause("b", els)))),
			).
			Observes(syntax(asyncComp, 2), syntax(asyncComp, 2), syntax(asyncComp, 2)).
			Since("< 3.10", noLineBefore310, Raises("SyntaxError", asyncComp), Raises("SyntaxError", asyncComp), Raises("SyntaxError", asyncComp)),
		spec("await in the first iterable of a comprehension in a plain def is 'await' outside async function: that iterable belongs to the def").
			Needs(CapCompile).
			Main(Observe(inPlainDef(Comprehension(ListForm, Var("i"), SyncClause("i", Await(els)))))).
			Observes(syntax("'await' outside async function", 2)),
	)
})
