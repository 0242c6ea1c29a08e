package reference

// The compile-time messages of CPython 3.11 for misplaced async syntax
// (catalogue group C), for an interpreter's compiler to raise with
// [NewSyntaxError]. Which construct gets which message:
//
//   - async for / async with outside an async def, at module level or
//     in a def: MsgAsyncForOutside / MsgAsyncWithOutside (C01, C02,
//     C11); at module level they are allowed only with
//     PyCF_ALLOW_TOP_LEVEL_AWAIT (C03).
//   - await at module level: MsgAwaitOutsideFunction (C04); in a def
//     or a lambda, even inside an async def: MsgAwaitOutsideAsync (C05,
//     C13).
//   - an async comprehension (list, set or dict) outside an async def:
//     MsgAsyncComprehensionOutside (C06, C14); an async generator
//     expression is allowed anywhere and makes an async_generator (C10).
//   - return with a value in an async generator: MsgReturnInAsyncGen
//     (C08); yield from in an async def: MsgYieldFromInAsync (C09);
//     yield inside a comprehension: MsgYieldInComprehension with the
//     comprehension's kind (C12).
//
// The line number is the line of the offending statement.
const (
	MsgAsyncForOutside           = "'async for' outside async function"
	MsgAsyncWithOutside          = "'async with' outside async function"
	MsgAwaitOutsideFunction      = "'await' outside function"
	MsgAwaitOutsideAsync         = "'await' outside async function"
	MsgAsyncComprehensionOutside = "asynchronous comprehension outside of an asynchronous function"
	MsgReturnInAsyncGen          = "'return' with value in async generator"
	MsgYieldFromInAsync          = "'yield from' inside async function"
)

// MsgYieldInComprehension is the message for yield inside a
// comprehension of the given kind: "list", "set" or "dict" give
// "'yield' inside list comprehension" and so on, "generator" gives
// "'yield' inside generator expression".
func MsgYieldInComprehension(kind string) string {
	if kind == "generator" {
		return "'yield' inside generator expression"
	}
	return "'yield' inside " + kind + " comprehension"
}
