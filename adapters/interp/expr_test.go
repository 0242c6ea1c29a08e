package interp_test

import (
	"testing"

	. "github.com/aiterspec/aiterspec/scenario"
)

// Expressions, one group per kind, each checked against CPython too.

func TestLiteralsAndDisplays(t *testing.T) {
	run(t, []tcase{
		{name: "literals are fresh objects", sc: sync(nil, Let("a", Lit(VList(1))), Let("b", Lit(VList(1))),
			Observe(Is(Var("a"), Var("b"))), Observe(BinOp(Var("a"), "==", Var("b")))), want: obs(Got(false), Got(true))},
		{name: "displays evaluate items in order", sc: sync(mod(Def("f", Emit("f", Var("x")), Return(Var("x"))).WithParams("x")),
			Observe(ListOf(Call("f", Lit(1)), Call("f", Lit(2)))), Observe(TupleOf()), Observe(TupleOf(Call("f", Lit(3))))),
			want: obs(Event("f", 1), Event("f", 2), Got(VList(1, 2)), Got(VTuple()), Event("f", 3), Got(VTuple(3)))},
		{name: "None True False as names", sc: sync(nil, Observe(Var("None")), Observe(Var("True")), Observe(Var("False"))),
			want: obs(Got(nil), Got(true), Got(false))},
		{name: "a set literal orders like CPython", sc: sync(nil, Observe(Call("list", Lit(VSet(10, 3, 8, 1))))),
			want: obs(Got(VList(8, 1, 10, 3)))},
		{name: "an unhashable dict key", sc: sync(nil, Observe(Call("set", ListOf(ListOf())))),
			want: obs(Raises("TypeError", "unhashable type: 'list'"))},
	})
}

func TestOperators(t *testing.T) {
	b := func(l any, op string, r any) Stmt { return Observe(BinOp(Lit(l), op, Lit(r))) }
	run(t, []tcase{
		{name: "arithmetic", sc: sync(nil, b(7, "+", 2), b(7, "-", 9), b(7, "*", 3), b(-7, "//", 2), b(-7, "%", 3), b(7.5, "%", 2),
			b(1, "+", 0.5), b(true, "+", true), b("a", "+", "b"), b("ab", "*", 2), b(2, "*", VList(0)), b(-1.5, "//", 1)),
			want: obs(Got(9), Got(-2), Got(21), Got(-4), Got(2), Got(1.5), Got(1.5), Got(2), Got("ab"), Got("abab"), Got(VList(0, 0)), Got(-2.0))},
		{name: "comparisons", sc: sync(nil, b(1, "<", 2), b(2, "<=", 2.0), b("a", ">", "b"), b(VList(1, 2), "<", VList(1, 3)),
			b(VTuple(1), ">=", VTuple(1, 0)), b(1, "==", 1.0), b(true, "==", 1), b(VList(1), "!=", VList(1)), b(nil, "==", nil),
			b(VSet(1), "<", VSet(1, 2))),
			want: obs(Got(true), Got(true), Got(false), Got(true), Got(false), Got(true), Got(true), Got(false), Got(true), Got(true))},
		{name: "errors", sc: sync(nil, b(1, "+", "a"), b(1, "<", "a"), b("a", "*", "b"), b(1, "//", 0), b(1, "%", 0), b(1.0, "//", 0), b(nil, "-", nil), b("a", "+", 1)),
			want: obs(Raises("TypeError", "unsupported operand type(s) for +: 'int' and 'str'"),
				Raises("TypeError", "'<' not supported between instances of 'int' and 'str'"),
				Raises("TypeError", "can't multiply sequence by non-int of type 'str'"),
				Raises("ZeroDivisionError", "integer division or modulo by zero"),
				Raises("ZeroDivisionError", "integer modulo by zero"),
				Raises("ZeroDivisionError", "float floor division by zero"),
				Raises("TypeError", "unsupported operand type(s) for -: 'NoneType' and 'NoneType'"),
				Raises("TypeError", "can only concatenate str (not \"int\") to str"))},
		{name: "and, or short-circuit and return an operand", sc: sync(mod(Def("t", Emit("t"), Return(Lit("T")))),
			Observe(BinOp(Lit(0), "and", Call("t"))), Observe(BinOp(Lit(1), "and", Call("t"))),
			Observe(BinOp(Lit("x"), "or", Call("t"))), Observe(BinOp(Lit(""), "or", Call("t")))),
			want: obs(Got(0), Event("t"), Got("T"), Got("x"), Event("t"), Got("T"))},
		{name: "not, is, typename", sc: sync(nil, Observe(Not(Lit(VList()))), Observe(Not(Lit(2))), Observe(Is(Lit(nil), Var("None"))),
			Observe(Is(Var("int"), Var("int"))), Observe(TypeName(Lit(true))), Observe(TypeName(Lit(nil))), Observe(TypeName(Var("gc")))),
			want: obs(Got(true), Got(false), Got(true), Got(true), Got("bool"), Got("NoneType"), Got("module"))},
	})
}

func TestCallsAndAttributes(t *testing.T) {
	run(t, []tcase{
		{name: "a method's attribute is looked up before its arguments are evaluated", sc: sync(mod(Def("arg", Emit("arg"))),
			Do(Method(Lit(1), "nope", Call("arg")))),
			want: obs(Raises("AttributeError", "'int' object has no attribute 'nope'"))},
		{name: "call of a non-callable", sc: sync(nil, Do(Call("x")), Let("x", Lit(1)), Do(Call("x"))),
			want: obs(Raises("NameError", "name 'x' is not defined"), Raises("TypeError", "'int' object is not callable"))},
		{name: "methods of builtin objects", sc: sync(nil, Let("l", ListOf()), Do(Method(Var("l"), "append", Lit(1))), Observe(Var("l")),
			Do(Method(Var("l"), "append"))),
			want: obs(Got(VList(1)), Raises("TypeError", "list.append() takes exactly one argument (0 given)"))},
		{name: "a bound method", sc: sync(mod(Class("C", Def("m", Return(Lit(1))))), Let("m", Attr(Call("C"), "m")),
			Observe(TypeName(Var("m"))), Observe(Call("m"))), want: obs(Got("method"), Got(1))},
		{name: "module attributes", sc: sync(nil, Observe(TypeName(Var("asyncio.sleep"))), Observe(Var("asyncio.nope"))),
			want: obs(Got("function"), Raises("AttributeError", "module 'asyncio' has no attribute 'nope'"))},
		{name: "exception attributes", sc: sync(nil, Let("e", Call("ValueError", Lit(1), Lit(2))), Observe(Attr(Var("e"), "args")),
			Observe(Attr(Call("StopIteration", Lit(5)), "value")), Observe(Attr(Call("SystemExit", Lit(3)), "code"))),
			want: obs(Got(VTuple(1, 2)), Got(5), Got(3))},
		{name: "class attributes of the hierarchy", sc: sync(nil,
			Observe(Comprehension(ListForm, Attr(Var("c"), "__name__"), SyncClause("c", Attr(Var("KeyError"), "__mro__"))))),
			want: obs(Got(VList("KeyError", "LookupError", "Exception", "BaseException", "object")))},
	})
}

func TestBuiltins(t *testing.T) {
	run(t, []tcase{
		{name: "len, range, list, tuple, set, dict", sc: sync(nil,
			Observe(Call("len", Lit("héllo"))), Observe(Call("len", Lit(VDict(1, 2)))), Observe(Call("len", Call("range", Lit(1), Lit(10), Lit(3)))),
			Observe(Call("list", Call("range", Lit(5), Lit(0), Lit(-2)))), Observe(Call("tuple", Lit("ab"))), Observe(Call("set", Lit(VList(2, 2)))),
			Observe(Call("dict", Lit(VList(VTuple("a", 1))))), Observe(Call("list")), Observe(Call("len", Lit(5)))),
			want: obs(Got(5), Got(1), Got(3), Got(VList(5, 3, 1)), Got(VTuple("a", "b")), Got(VSet(2)), Got(VDict("a", 1)), Got(VList()),
				Raises("TypeError", "object of type 'int' has no len()"))},
		{name: "conversions", sc: sync(nil, Observe(Call("str", Lit(1.5))), Observe(Call("str", Exc("KeyError", "k"))), Observe(Call("int", Lit("42"))),
			Observe(Call("float", Lit(2))), Observe(Call("bool", Lit(VList()))), Observe(Call("int", Lit("x"))), Observe(TypeName(Call("object")))),
			want: obs(Got("1.5"), Got("'k'"), Got(42), Got(2.0), Got(false), Raises("ValueError", "invalid literal for int() with base 10: 'x'"), Got("object"))},
		{name: "iter and next", sc: sync(nil, Let("it", Call("iter", Lit(VList(1)))), Observe(TypeName(Var("it"))), Observe(Call("next", Var("it"))),
			Observe(Call("next", Var("it"))), Observe(Call("iter", Lit(1))), Observe(Call("next", Lit(1)))),
			want: obs(Got("list_iterator"), Got(1), Raises("StopIteration", ""), Raises("TypeError", "'int' object is not iterable"),
				Raises("TypeError", "'int' object is not an iterator"))},
		{name: "hasattr, isinstance, issubclass", sc: sync(nil,
			Observe(Call("hasattr", Lit(1), Lit("real_nope"))), Observe(Call("hasattr", Lit(VList()), Lit("append"))),
			Observe(Call("isinstance", Lit(true), Var("int"))), Observe(Call("isinstance", Lit(1), Var("bool"))),
			Observe(Call("isinstance", Var("int"), Var("type"))), Observe(Call("isinstance", Lit(1), Var("object"))),
			Observe(Call("isinstance", Lit(1), TupleOf(Var("str"), Var("int")))),
			Observe(Call("issubclass", Var("KeyError"), Var("Exception"))), Observe(Call("issubclass", Var("GeneratorExit"), Var("Exception"))),
			Observe(Call("isinstance", Lit(1), Lit(2))), Observe(Call("issubclass", Lit(1), Var("int")))),
			want: obs(Got(false), Got(true), Got(true), Got(false), Got(true), Got(true), Got(true), Got(true), Got(false),
				Raises("TypeError", "isinstance() arg 2 must be a type, a tuple of types, or a union"),
				Raises("TypeError", "issubclass() arg 1 must be a class"))},
		{name: "the ABCs", sc: sync(mod(agenDef("ag"), Def("g", Yield())), Let("a", Call("ag")), Let("s", Call("g")),
			Observe(Call("isinstance", Var("a"), Var("collections.abc.AsyncGenerator"))),
			Observe(Call("isinstance", Var("a"), Var("collections.abc.AsyncIterable"))),
			Observe(Call("isinstance", Var("a"), Var("collections.abc.Awaitable"))),
			Observe(Call("isinstance", Var("s"), Var("collections.abc.AsyncIterator"))),
			Observe(Call("isinstance", Method(Var("a"), "asend", Lit(nil)), Var("collections.abc.Coroutine")))),
			want: obs(Got(true), Got(true), Got(false), Got(false), Got(true))},
		{name: "print prints nowhere observable", sc: sync(nil, Observe(Call("print", Lit("x")))), want: obs(Got(nil))},
		{name: "anext and aiter argument counts", sc: sync(nil, Do(Call("aiter")), Do(Call("anext", Lit(1), Lit(2), Lit(3)))),
			want: obs(Raises("TypeError", "aiter() takes exactly one argument (0 given)"), Raises("TypeError", "anext expected at most 2 arguments, got 3"))},
	})
}

func TestComprehensions(t *testing.T) {
	x := Var("x")
	run(t, []tcase{
		{name: "list, set, dict, genexp", sc: sync(nil,
			Observe(Comprehension(ListForm, BinOp(x, "*", x), SyncClause("x", Call("range", Lit(4)), BinOp(x, "%", Lit(2))))),
			Observe(Comprehension(SetForm, BinOp(x, "%", Lit(2)), SyncClause("x", Call("range", Lit(4))))),
			Observe(DictComprehension(x, BinOp(x, "+", Lit("1")), SyncClause("x", Lit("ab")))),
			Observe(Call("list", Comprehension(GenexpForm, x, SyncClause("x", TupleOf(Lit(1), Lit(2))))))),
			want: obs(Got(VList(1, 9)), Got(VSet(0, 1)), Got(VDict("a", "a1", "b", "b1")), Got(VList(1, 2)))},
		{name: "nested clauses and their order", sc: sync(nil,
			Observe(Comprehension(ListForm, TupleOf(Var("i"), Var("j")), SyncClause("i", Call("range", Lit(3))), SyncClause("j", Call("range", Var("i")))))),
			want: obs(Got(VList(VTuple(1, 0), VTuple(2, 0), VTuple(2, 1))))},
		{name: "targets do not leak", sc: sync(nil, Let("x", Lit("outer")), Do(Comprehension(ListForm, x, SyncClause("x", Lit(VList(1))))), Observe(x)),
			want: obs(Got("outer"))},
		{name: "the outermost iterable is evaluated in the enclosing scope", sc: sync(nil,
			Let("x", Lit(VList(1, 2))), Observe(Comprehension(ListForm, BinOp(x, "*", Lit(10)), SyncClause("x", x)))),
			want: obs(Got(VList(10, 20)))},
		{name: "a generator expression evaluates its first iterable at once, the rest lazily", sc: sync(mod(Def("it", Emit("iter"), Return(Lit(VList(1))))),
			Let("g", Comprehension(GenexpForm, Var("y"), SyncClause("x", Call("it")), SyncClause("y", Call("it")))), Emit("made"), Observe(Call("list", Var("g")))),
			want: obs(Event("iter"), Event("made"), Event("iter"), Got(VList(1)))},
		{name: "a generator expression over a non-iterable fails at once", sc: sync(nil, Let("g", Comprehension(GenexpForm, x, SyncClause("x", Lit(1))))),
			want: obs(Raises("TypeError", "'int' object is not iterable"))},
		{name: "__iter__ of the first iterable is called once", sc: sync(mod(Class("I",
			Def("__iter__", Emit("__iter__"), Return(Call("iter", Lit(VList(1, 2))))))),
			Observe(Call("list", Comprehension(GenexpForm, x, SyncClause("x", Call("I"))))),
			Observe(Comprehension(ListForm, x, SyncClause("x", Call("I"))))),
			want: obs(Event("__iter__"), Got(VList(1, 2)), Event("__iter__"), Got(VList(1, 2)))},
		{name: "async list, set and dict comprehensions with await", sc: async(mod(agenDef("ag", 1, 2, 3), AsyncDef("id", Return(x)).WithParams("x")),
			Observe(Comprehension(ListForm, Await(Call("id", x)), AsyncClause("x", Call("ag"), BinOp(x, "!=", Lit(2))))),
			Observe(Comprehension(SetForm, x, AsyncClause("x", Call("ag")))),
			Observe(DictComprehension(x, Await(Call("id", x)), AsyncClause("x", Call("ag"))))),
			want: obs(Got(VList(1, 3)), Got(VSet(1, 2, 3)), Got(VDict(1, 1, 2, 2, 3, 3)))},
		{name: "an async genexp is an async generator; __aiter__ is called when it is made", sc: async(mod(Class("A",
			Def("__aiter__", Emit("__aiter__"), Return(Call("ag")))), agenDef("ag", 1, 2)),
			Let("g", Comprehension(GenexpForm, x, AsyncClause("x", Call("A")))), Emit("made"),
			Observe(TypeName(Var("g"))), AsyncFor("y", Var("g"), Emit("y", Var("y")))),
			want: obs(Event("__aiter__"), Event("made"), Got("async_generator"), Event("y", 1), Event("y", 2))},
		{name: "an async genexp over a non-async-iterable fails when it is made", sc: async(nil, Let("g", Comprehension(GenexpForm, x, AsyncClause("x", Lit(1))))),
			want: obs(Raises("TypeError", "'async for' requires an object with __aiter__ method, got int"))},
		{name: "a genexp that awaits is an async generator", sc: async(mod(AsyncDef("id", Return(x)).WithParams("x")),
			Let("g", Comprehension(GenexpForm, Await(Call("id", x)), SyncClause("x", Lit(VList(1, 2))))),
			Observe(TypeName(Var("g"))), Observe(Comprehension(ListForm, Var("y"), AsyncClause("y", Var("g"))))),
			want: obs(Got("async_generator"), Got(VList(1, 2)))},
		{name: "an async genexp in a plain def", sc: async(mod(agenDef("ag", 5), Def("f", Return(Comprehension(GenexpForm, x, AsyncClause("x", Call("ag")))))),
			Observe(Comprehension(ListForm, x, AsyncClause("x", Call("f"))))), want: obs(Got(VList(5)))},
		{name: "sync genexp: next, send, close", sc: sync(nil, Let("g", Comprehension(GenexpForm, x, SyncClause("x", Lit(VList(1, 2))))),
			Observe(Call("next", Var("g"))), Observe(Method(Var("g"), "send", Lit(nil))), Observe(Call("next", Var("g"), Lit("end")))),
			want: obs(Got(1), Got(2), Got("end"))},
		{name: "a list display iterable is a tuple", sc: async(nil, Let("a", Lit(1)),
			Do(Comprehension(SetForm, x, AsyncClause("x", ListOf(Var("a")))))),
			want: obs(Raises("TypeError", "'async for' requires an object with __aiter__ method, got tuple"))},
		{name: "unbound comprehension variable", sc: sync(nil,
			Do(Comprehension(ListForm, x, SyncClause("y", Lit(VList(1)), Var("x")), SyncClause("x", Lit(VList(1)))))),
			want: obs(Raises("UnboundLocalError", "cannot access local variable 'x' where it is not associated with a value"))},
		// Found by differential search: an async comprehension is a
		// coroutine of its own, so StopIteration cannot leave it (PEP 479);
		// a sync one is a plain function and lets it through.
		{name: "StopIteration escaping an async comprehension becomes RuntimeError", sc: async(mod(Class("It",
			Def("__aiter__", Return(Self())), Def("__anext__", Raise(Var("StopIteration")))),
			Def("stop", Raise(Exc("StopIteration", "s"))),
			// __aiter__ runs outside the comprehension: its StopIteration
			// passes unchanged.
			Class("AIterStops", Def("__aiter__", Raise(Exc("StopIteration", "a"))))),
			Do(Comprehension(ListForm, x, AsyncClause("x", Call("It")))),
			Do(Comprehension(ListForm, Call("stop"), SyncClause("x", Lit(VList(1))))),
			Do(Comprehension(ListForm, TupleOf(Call("stop"), Await(Sleep(0))), SyncClause("x", Lit(VList(1))))),
			Do(Comprehension(ListForm, x, AsyncClause("x", Call("AIterStops"))))),
			want: obs(Raises("RuntimeError", "coroutine raised StopIteration").CausedBy("StopIteration", ""),
				Raises("StopIteration", "s"),
				Raises("RuntimeError", "coroutine raised StopIteration").CausedBy("StopIteration", "s"),
				Raises("StopIteration", "a"))},
		{name: "genexp qualified names", sc: sync(mod(Def("f", Return(Comprehension(GenexpForm, x, SyncClause("x", ListOf()))))),
			Observe(Attr(Call("f"), "__qualname__")), Observe(Attr(Comprehension(GenexpForm, x, SyncClause("x", ListOf())), "__qualname__"))),
			want: obs(Got("f.<locals>.<genexpr>"), Got("_aiterspec_main.<locals>.<genexpr>"))},
	})
}

func TestLambda(t *testing.T) {
	run(t, []tcase{
		{name: "lambda returns its expression, late binding", sc: sync(nil, Let("n", Lit(1)), Let("f", Lambda(BinOp(Var("n"), "+", Lit(1)))),
			Let("n", Lit(5)), Observe(Call("f")), Observe(TypeName(Var("f"))), Observe(Attr(Var("f"), "__qualname__"))),
			want: obs(Got(6), Got("function"), Got("_aiterspec_main.<locals>.<lambda>"))},
		{name: "a lambda closes over a function's locals", sc: sync(mod(Def("mk", Let("v", Var("a")), Return(Lambda(Var("v")))).WithParams("a")),
			Observe(Call("mk", Lit("x")))), want: obs(Got(VObject("function")))},
		{name: "calling the closure", sc: sync(mod(Def("mk", Let("v", Var("a")), Return(Lambda(Var("v")))).WithParams("a")),
			Let("f", Call("mk", Lit("x"))), Observe(Call("f")), Observe(Call("f", Lit(1)))),
			want: obs(Got("x"), Raises("TypeError", "mk.<locals>.<lambda>() takes 0 positional arguments but 1 was given"))},
		{name: "a lambda with yield is a generator function", sc: sync(nil, Let("f", Lambda(YieldValue(Lit(1)))),
			Observe(Call("list", Call("f")))), want: obs(Got(VList(1)))},
	})
}

func TestCompileAndFuture(t *testing.T) {
	co := func(e *Expr) *Expr {
		return BinOp(BinOp(Attr(e, "co_flags"), "//", Lit(0x80)), "%", Lit(2))
	}
	run(t, []tcase{
		{name: "compile gives a code object or a SyntaxError", sc: sync(nil, Observe(Compile(Let("x", Lit(1)))),
			Observe(Compile(AsyncDef("f", Do(Await(Var("x"))), Def("g", Do(Await(Var("x"))))))),
			Do(Compile(Continue()))),
			want: obs(Got(VObject("code")), Raises("SyntaxError", "'await' outside async function").AtLine(4),
				Raises("SyntaxError", "'continue' not properly in loop").AtLine(1))},
		{name: "CO_COROUTINE with top-level await", sc: sync(nil,
			Observe(co(Compile(Do(Await(Var("x")))).WithFlags("top_level_await"))),
			Observe(co(Compile(Let("x", Lit(1))).WithFlags("top_level_await"))),
			Observe(co(Compile(Do(Comprehension(GenexpForm, Var("x"), AsyncClause("x", Var("y"))))).WithFlags("top_level_await"))),
			Observe(co(Compile(AsyncDef("f", Do(Await(Var("x")))))))),
			want: obs(Got(1), Got(0), Got(1), Got(0))},
		{name: "the SyntaxError's str and text", sc: sync(nil, Try(Do(Compile(Def("f", Pass(), Do(Await(Var("x"))))))).Except("SyntaxError", "e",
			Observe(Call("str", Var("e"))), Observe(Attr(Var("e"), "text")), Observe(Attr(Var("e"), "filename")))),
			want: obs(Got("'await' outside async function (<scenario>, line 3)"), Got(nil), Got("<scenario>"))},
		{name: "done futures", sc: async(nil, Let("f", FutureResult(Lit(3))), Observe(TypeName(Var("f"))), Observe(Await(Var("f"))),
			Observe(Method(Var("f"), "done")), Observe(Await(FutureException(Exc("KeyError", "k")))), Observe(Await(FutureResult(nil))),
			Do(FutureException(Var("StopIteration")))),
			want: obs(Got("Future"), Got(3), Got(true), Raises("KeyError", "'k'"), Got(nil),
				Raises("TypeError", "StopIteration interacts badly with generators and cannot be raised into a Future"))},
		{name: "a future needs a running loop", sc: sync(nil, Do(FutureResult(Lit(1)))),
			want: obs(Raises("RuntimeError", "no running event loop"))},
	})
}
