package interp_test

import (
	"testing"

	"github.com/aiterspec/aiterspec/adapters"
	. "github.com/aiterspec/aiterspec/scenario"
)

// Statements, one group per kind, each checked against CPython too.

func TestDef(t *testing.T) {
	add := Def("add", Return(BinOp(Var("a"), "+", Var("b")))).WithParams("a", "b")
	run(t, []tcase{
		{name: "call and return", sc: sync(mod(add), Observe(Call("add", Lit(1), Lit(2)))), want: obs(Got(3))},
		{name: "keyword arguments", sc: sync(mod(add), Observe(Call("add", Lit("x")).WithKwarg("b", Lit("y")))), want: obs(Got("xy"))},
		{name: "no return is None", sc: sync(mod(Def("f", Pass())), Observe(Call("f"))), want: obs(Got(nil))},
		{name: "bare return is None", sc: sync(mod(Def("f", Return(), Emit("unreached"))), Observe(Call("f"))), want: obs(Got(nil))},
		{name: "too many arguments", sc: sync(mod(add), Do(Call("add", Lit(1), Lit(2), Lit(3)))),
			want: obs(Raises("TypeError", "add() takes 2 positional arguments but 3 were given"))},
		{name: "missing arguments", sc: sync(mod(add), Do(Call("add"))),
			want: obs(Raises("TypeError", "add() missing 2 required positional arguments: 'a' and 'b'"))},
		{name: "unexpected keyword", sc: sync(mod(add), Do(Call("add", Lit(1), Lit(2)).WithKwarg("c", Lit(3)))),
			want: obs(Raises("TypeError", "add() got an unexpected keyword argument 'c'"))},
		{name: "multiple values", sc: sync(mod(add), Do(Call("add", Lit(1), Lit(2)).WithKwarg("a", Lit(3)))),
			want: obs(Raises("TypeError", "add() got multiple values for argument 'a'"))},
		{name: "recursion", sc: sync(mod(Def("f", If(BinOp(Var("n"), "==", Lit(0)), Return(Lit(0))),
			Return(BinOp(Var("n"), "+", Call("f", BinOp(Var("n"), "-", Lit(1)))))).WithParams("n")),
			Observe(Call("f", Lit(10)))), want: obs(Got(55))},
		{name: "runaway recursion is RecursionError", sc: sync(mod(Def("f", Return(Call("f")))), Do(Call("f")), Emit("after")),
			want: obs(Raises("RecursionError", "maximum recursion depth exceeded"), Event("after"))},
		{name: "runaway async recursion is RecursionError", sc: async(mod(AsyncDef("f", Do(Await(Call("f"))))), Do(Await(Call("f"))), Emit("after")),
			want: obs(Raises("RecursionError", "maximum recursion depth exceeded"), Event("after"))},
		{name: "a def rebinds its name", sc: sync(mod(Def("f", Return(Lit(1))), Def("f", Return(Lit(2)))), Observe(Call("f"))), want: obs(Got(2))},
		{name: "def is a function", sc: sync(mod(Def("f")), Observe(TypeName(Var("f"))), Observe(Attr(Var("f"), "__name__")), Observe(Attr(Var("f"), "__qualname__"))),
			want: obs(Got("function"), Got("f"), Got("f"))},
		{name: "qualified names of nested defs", sc: sync(mod(Def("outer", Def("inner"), Return(Var("inner")))),
			Observe(Attr(Call("outer"), "__qualname__")), Def("m"), Observe(Attr(Var("m"), "__qualname__"))),
			want: obs(Got("outer.<locals>.inner"), Got("m"))},
		{name: "async def makes a coroutine", sc: async(mod(AsyncDef("c", Return(Lit(5)))),
			Let("x", Call("c")), Observe(TypeName(Var("x"))), Observe(Await(Var("x")))), want: obs(Got("coroutine"), Got(5))},
		{name: "def with yield makes a generator", sc: sync(mod(Def("g", Yield(Lit(1)), Yield(Lit(2)))),
			Observe(TypeName(Call("g"))), Observe(Call("list", Call("g")))), want: obs(Got("generator"), Got(VList(1, 2)))},
		{name: "generator: true without yield", sc: sync(mod(Def("g", Emit("ran")).AsGenerator(), AsyncDef("ag", Emit("ran")).AsGenerator()),
			Observe(TypeName(Call("g"))), Observe(Call("list", Call("g"))), Observe(TypeName(Call("ag")))),
			want: obs(Got("generator"), Event("ran"), Got(VList()), Got("async_generator"))},
		{name: "per-call bodies of a def", sc: sync(mod(Def("f", Return(Lit("later"))).PerCall([]Stmt{Return(Lit("first"))}, []Stmt{Return(Lit("second"))})),
			Observe(Call("f")), Observe(Call("f")), Observe(Call("f")), Observe(Call("f"))),
			want: obs(Got("first"), Got("second"), Got("later"), Got("later"))},
		{name: "per-call bodies count when a coroutine first runs", sc: async(mod(AsyncDef("c", Return(Lit("later"))).PerCall([]Stmt{Return(Lit("first"))})),
			Let("a", Call("c")), Let("b", Call("c")), Observe(Await(Var("b"))), Observe(Await(Var("a")))),
			want: obs(Got("first"), Got("later"))},
		{name: "per-call bodies count per instance for methods", sc: sync(mod(Class("C", Def("m", Return(Lit("later"))).PerCall([]Stmt{Return(Lit("first"))}))),
			Let("a", Call("C")), Let("b", Call("C")), Observe(Method(Var("a"), "m")), Observe(Method(Var("b"), "m")), Observe(Method(Var("a"), "m"))),
			want: obs(Got("first"), Got("first"), Got("later"))},
		{name: "closures see the enclosing variable's current value", sc: sync(mod(Def("outer",
			Let("x", Lit(1)), Def("get", Return(Var("x"))), Let("x", Lit(2)), Return(Call("get")))),
			Observe(Call("outer"))), want: obs(Got(2))},
	})
}

func TestClass(t *testing.T) {
	counter := Class("Counter",
		Let("step", Lit(1)),
		Def("__init__", SetAttr(Self(), "n", Var("start"))).WithParams("start"),
		Def("bump", SetAttr(Self(), "n", BinOp(Attr(Self(), "n"), "+", Attr(Self(), "step"))), Return(Attr(Self(), "n"))),
	)
	run(t, []tcase{
		{name: "init, attributes, methods", sc: sync(mod(counter), Let("c", Call("Counter", Lit(5))),
			Observe(Method(Var("c"), "bump")), Observe(Method(Var("c"), "bump")), Observe(Attr(Var("c"), "n"))),
			want: obs(Got(6), Got(7), Got(7))},
		{name: "init with keyword", sc: sync(mod(counter), Observe(Attr(Call("Counter").WithKwarg("start", Lit(3)), "n"))), want: obs(Got(3))},
		{name: "class attribute read through the class and instances", sc: sync(mod(counter),
			Observe(Attr(Var("Counter"), "step")), SetAttr(Var("Counter"), "step", Lit(10)),
			Observe(Method(Call("Counter", Lit(0)), "bump"))), want: obs(Got(1), Got(10))},
		{name: "no init takes no arguments", sc: sync(mod(Class("P", Pass())), Do(Call("P", Lit(1)))),
			want: obs(Raises("TypeError", "P() takes no arguments"))},
		{name: "missing attribute", sc: sync(mod(Class("P", Pass())), Do(Attr(Call("P"), "x")), Do(Attr(Var("P"), "x"))),
			want: obs(Raises("AttributeError", "'P' object has no attribute 'x'"), Raises("AttributeError", "type object 'P' has no attribute 'x'"))},
		{name: "type names and qualname", sc: sync(mod(Class("P", Pass())), Observe(TypeName(Call("P"))), Observe(TypeName(Var("P"))),
			Observe(Attr(Var("P"), "__qualname__")), Class("Q", Pass()), Observe(Attr(Var("Q"), "__qualname__"))),
			want: obs(Got("P"), Got("type"), Got("P"), Got("Q"))},
		{name: "method arity uses the qualified name", sc: sync(mod(Class("P", Def("m"))), Do(Method(Call("P"), "m", Lit(1)))),
			want: obs(Raises("TypeError", "P.m() takes 1 positional argument but 2 were given"))},
		{name: "methods cannot see class-level names", sc: sync(mod(Class("P", Let("k", Lit(1)), Def("m", Return(Var("k"))))),
			Do(Method(Call("P"), "m"))), want: obs(Raises("NameError", "name 'k' is not defined"))},
		{name: "class body sees globals and its own names", sc: sync(mod(Let("g", Lit(2)), Class("P", Let("a", Var("g")), Let("b", BinOp(Var("a"), "+", Lit(1))))),
			Observe(Attr(Var("P"), "b"))), want: obs(Got(3))},
		{name: "an instance attribute does not fill a special method slot", sc: sync(mod(Class("P", Pass())),
			Let("p", Call("P")), SetAttr(Var("p"), "__iter__", Lambda(Call("iter", TupleOf()))), Do(Call("iter", Var("p")))),
			want: obs(Raises("TypeError", "'P' object is not iterable"))},
		{name: "user __iter__ and __next__", sc: sync(mod(Class("Two",
			Def("__init__", SetAttr(Self(), "i", Lit(0))),
			Def("__iter__", Return(Self())),
			Def("__next__", SetAttr(Self(), "i", BinOp(Attr(Self(), "i"), "+", Lit(1))),
				If(BinOp(Attr(Self(), "i"), ">", Lit(2)), Raise(Var("StopIteration"))), Return(Attr(Self(), "i"))))),
			Observe(Call("list", Call("Two")))), want: obs(Got(VList(1, 2)))},
	})
}

func TestLetDelScopes(t *testing.T) {
	run(t, []tcase{
		{name: "del then use", sc: sync(nil, Let("x", Lit(1)), Del("x"), Observe(Var("x")), Del("x")),
			want: obs(Raises("NameError", "name 'x' is not defined"), Raises("NameError", "name 'x' is not defined"))},
		{name: "main's names are globals", sc: sync(mod(Def("f", Return(Var("g")))), Let("g", Lit(7)), Observe(Call("f"))), want: obs(Got(7))},
		{name: "a function's names are local", sc: sync(mod(Let("x", Lit(1)), Def("f", Let("x", Lit(2)), Return(Var("x")))),
			Observe(Call("f")), Observe(Var("x"))), want: obs(Got(2), Got(1))},
		{name: "unbound local", sc: sync(mod(Let("x", Lit(1)), Def("f", Observe(Var("x")), Let("x", Lit(2)))), Do(Call("f"))),
			want: obs(Raises("UnboundLocalError", "cannot access local variable 'x' where it is not associated with a value"))},
		{name: "del of an unbound local", sc: sync(mod(Def("f", Del("x"))), Do(Call("f"))),
			want: obs(Raises("UnboundLocalError", "cannot access local variable 'x' where it is not associated with a value"))},
		{name: "unbound free variable", sc: sync(mod(Def("f", Def("g", Return(Var("y"))), Let("r", Call("g")), Let("y", Lit(1)))), Do(Call("f"))),
			want: obs(Raises("NameError", "cannot access free variable 'y' where it is not associated with a value in enclosing scope"))},
		{name: "undefined name", sc: sync(nil, Observe(Var("nope")), Observe(Call("nope"))),
			want: obs(Raises("NameError", "name 'nope' is not defined"), Raises("NameError", "name 'nope' is not defined"))},
		{name: "a module-level exception is recorded and the next statement runs", sc: sync(mod(Raise(Exc("ValueError", "m")), Let("x", Lit(1))), Observe(Var("x"))),
			want: obs(Raises("ValueError", "m"), Got(1))},
		{name: "setattr on a builtin value", sc: sync(nil, SetAttr(Lit(1), "x", Lit(2))),
			want: obs(Raises("AttributeError", "'int' object has no attribute 'x'"))},
		{name: "setattr evaluates the value first", sc: sync(mod(Def("v", Emit("value"), Return(Lit(1))), Def("o", Emit("object"), Return(Lit(nil)))),
			SetAttr(Call("o"), "x", Call("v"))),
			want: obs(Event("value"), Event("object"), Raises("AttributeError", "'NoneType' object has no attribute 'x'"))},
		{name: "names shadow builtins", sc: sync(nil, Let("len", Lit(3)), Observe(Var("len")), Del("len"), Observe(Call("len", Lit("ab")))),
			want: obs(Got(3), Got(2))},
	})
}

func TestObserveEmit(t *testing.T) {
	run(t, []tcase{
		{name: "values of every kind", sc: sync(nil,
			Observe(Lit(nil)), Observe(Lit(true)), Observe(Lit(3)), Observe(Lit(2.5)), Observe(Lit(1.0)), Observe(Lit("s")),
			Observe(Lit(VList(1, "a"))), Observe(TupleOf(Lit(1))), Observe(Lit(VSet(3, 1))), Observe(Lit(VDict("k", VList(1)))),
			Observe(Exc("KeyError", "k")), Observe(Var("len")), Observe(Var("int")), Observe(Call("range", Lit(2)))),
			want: obs(Got(nil), Got(true), Got(3), Got(2.5), Got(1.0), Got("s"), Got(VList(1, "a")), Got(VTuple(1)), Got(VSet(1, 3)),
				Got(VDict("k", VList(1))), Got(VException("KeyError", "'k'")), Got(VObject("builtin_function_or_method")),
				Got(VObject("type")), Got(VObject("range")))},
		{name: "a list containing itself", sc: sync(nil, Let("l", ListOf()), Do(Method(Var("l"), "append", Var("l"))), Observe(Var("l"))),
			want: obs(Got(VList(VObject("list"))))},
		{name: "events", sc: sync(nil, Emit("plain"), Emit("valued", TupleOf(Lit(1), Lit("x")))),
			want: obs(Event("plain"), Event("valued", VTuple(1, "x")))},
		{name: "an observe whose expression raises records nothing but the exception", sc: sync(nil, Observe(Call("len")), Emit("next")),
			want: obs(Raises("TypeError", "len() takes exactly one argument (0 given)"), Event("next"))},
	})
}

func TestRaise(t *testing.T) {
	run(t, []tcase{
		{name: "class and instance", sc: sync(nil, Raise(Var("ValueError")), Raise(Exc("ValueError", "v")), Raise(Exc("KeyError", "k"))),
			want: obs(Raises("ValueError", ""), Raises("ValueError", "v"), Raises("KeyError", "'k'"))},
		{name: "not an exception", sc: sync(nil, Raise(Lit(5)), Raise(Var("int"))),
			want: obs(Raises("TypeError", "exceptions must derive from BaseException"), Raises("TypeError", "exceptions must derive from BaseException"))},
		{name: "bare raise with nothing to re-raise", sc: sync(nil, Raise()),
			want: obs(Raises("RuntimeError", "No active exception to reraise"))},
		{name: "bare raise re-raises the same object", sc: sync(nil, Let("e1", Exc("ValueError", "x")),
			Try(Try(Raise(Var("e1"))).Except("ValueError", "", Raise())).Except("ValueError", "e2", Observe(Is(Var("e2"), Var("e1"))))),
			want: obs(Got(true))},
		{name: "bare raise in a function called from a handler", sc: sync(mod(Def("reraise", Raise())),
			Try(Raise(Exc("ValueError", "h"))).Except("", "", Do(Call("reraise")))),
			want: obs(Raises("ValueError", "h"))},
		{name: "several args", sc: sync(nil, Raise(Call("ValueError", Lit(1), Lit("a")))), want: obs(Raises("ValueError", "(1, 'a')"))},
		{name: "SystemExit and KeyboardInterrupt are recorded", sc: sync(nil, Raise(Call("SystemExit", Lit(2))), Raise(Var("KeyboardInterrupt"))),
			want: obs(Raises("SystemExit", "2"), Raises("KeyboardInterrupt", ""))},
	})
}

func TestTry(t *testing.T) {
	raiseV := Raise(Exc("ValueError", "v"))
	run(t, []tcase{
		{name: "except, else, finally order", sc: sync(nil,
			Try(Emit("body")).Except("ValueError", "", Emit("handler")).WithElse(Emit("else")).WithFinally(Emit("finally")),
			Try(Emit("body"), raiseV).Except("ValueError", "", Emit("handler")).WithElse(Emit("else")).WithFinally(Emit("finally"))),
			want: obs(Event("body"), Event("else"), Event("finally"), Event("body"), Event("handler"), Event("finally"))},
		{name: "first matching handler wins, on the hierarchy", sc: sync(nil,
			Try(raiseV).Except("KeyError", "", Emit("key")).Except("Exception", "", Emit("exception")).Except("ValueError", "", Emit("value")),
			Try(Raise(Var("GeneratorExit"))).Except("Exception", "", Emit("exception")).Except("BaseException", "", Emit("base")),
			Try(Raise(Var("StopAsyncIteration"))).Except("StopIteration", "", Emit("stop")).Except("", "", Emit("bare"))),
			want: obs(Event("exception"), Event("base"), Event("bare"))},
		{name: "unmatched propagates after finally", sc: sync(nil, Try(raiseV).Except("KeyError", "", Emit("key")).WithFinally(Emit("finally"))),
			want: obs(Event("finally"), Raises("ValueError", "v"))},
		{name: "as binds and is deleted after the handler", sc: sync(nil,
			Try(raiseV).Except("ValueError", "e", Observe(Var("e"))), Observe(Var("e"))),
			want: obs(Got(VException("ValueError", "v")), Raises("NameError", "name 'e' is not defined"))},
		{name: "finally's return overrides the exception", sc: sync(mod(Def("f", Try(raiseV).WithFinally(Return(Lit("finally"))))), Observe(Call("f"))),
			want: obs(Got("finally"))},
		{name: "finally's exception replaces, with context", sc: sync(nil,
			Try(Try(raiseV).WithFinally(Raise(Exc("KeyError", "k")))).Except("KeyError", "e", Observe(Attr(Var("e"), "__context__")))),
			want: obs(Got(VException("ValueError", "v")))},
		{name: "an exception raised in a handler has the handled one as context, no cause", sc: sync(nil,
			Try(Try(raiseV).Except("ValueError", "", Raise(Exc("TypeError", "t")))).Except("TypeError", "e",
				Observe(Attr(Var("e"), "__context__")), Observe(Attr(Var("e"), "__cause__")))),
			want: obs(Got(VException("ValueError", "v")), Got(nil))},
		{name: "the handled exception escapes the top-level statement with its context", sc: sync(nil,
			Try(raiseV).Except("ValueError", "", Raise(Exc("TypeError", "t")))),
			want: obs(Raises("TypeError", "t"))},
		{name: "return in try runs finally", sc: sync(mod(Def("f", Try(Return(Lit(1))).WithFinally(Emit("finally")))), Observe(Call("f"))),
			want: obs(Event("finally"), Got(1))},
		{name: "break in try runs finally and skips else", sc: sync(nil,
			For("i", Call("range", Lit(3)), Try(If(BinOp(Var("i"), "==", Lit(1)), Break()), Emit("body", Var("i"))).WithFinally(Emit("finally", Var("i")))).
				WithElse(Emit("else"))),
			want: obs(Event("body", 0), Event("finally", 0), Event("finally", 1))},
		{name: "catching a non-exception class", sc: sync(nil, Try(raiseV).Except("int", "", Pass()), Try(Pass()).Except("int", "", Pass())),
			want: obs(Raises("TypeError", "catching classes that do not inherit from BaseException is not allowed"))},
		{name: "asyncio.CancelledError is a BaseException", sc: sync(nil,
			Try(Raise(Var("asyncio.CancelledError"))).Except("Exception", "", Emit("exception")).Except("asyncio.CancelledError", "", Emit("cancelled"))),
			want: obs(Event("cancelled"))},
	})
}

func TestIfFor(t *testing.T) {
	run(t, []tcase{
		{name: "if and else on truth", sc: sync(nil,
			If(Lit(0), Emit("zero")).WithElse(Emit("not zero")), If(Lit("x"), Emit("str")), If(ListOf(), Emit("empty list")).WithElse(Emit("falsy list"))),
			want: obs(Event("not zero"), Event("str"), Event("falsy list"))},
		{name: "for with continue, break, else", sc: sync(nil,
			For("i", Call("range", Lit(5)), If(BinOp(Var("i"), "%", Lit(2)), Continue()), If(BinOp(Var("i"), "==", Lit(4)), Break()), Emit("i", Var("i"))).WithElse(Emit("else")),
			For("c", Lit("ab"), Emit("c", Var("c"))).WithElse(Emit("else")), Observe(Var("c"))),
			want: obs(Event("i", 0), Event("i", 2), Event("c", "a"), Event("c", "b"), Event("else"), Got("b"))},
		{name: "for over dict, set, tuple", sc: sync(nil, For("k", Lit(VDict("a", 1, "b", 2)), Emit("k", Var("k"))),
			For("k", Lit(VSet(2, 1)), Emit("s", Var("k"))), For("k", TupleOf(Lit(9)), Emit("t", Var("k")))),
			want: obs(Event("k", "a"), Event("k", "b"), Event("s", 1), Event("s", 2), Event("t", 9))},
		{name: "for over a non-iterable", sc: sync(nil, For("i", Lit(3), Pass())), want: obs(Raises("TypeError", "'int' object is not iterable"))},
		{name: "return from inside for in a function", sc: sync(mod(Def("f", For("i", Call("range", Lit(9)), If(BinOp(Var("i"), "==", Lit(3)), Return(Var("i")))))),
			Observe(Call("f"))), want: obs(Got(3))},
		{name: "async for with continue, break, else, return", sc: async(mod(
			agenDef("ag", 1, 2, 3, 4),
			AsyncDef("first_even", AsyncFor("x", Call("ag"), If(BinOp(Var("x"), "%", Lit(2)), Continue()), Return(Var("x"))))),
			AsyncFor("x", Call("ag"), If(BinOp(Var("x"), "==", Lit(3)), Break()), Emit("x", Var("x"))).WithElse(Emit("else")),
			AsyncFor("x", Call("ag"), Continue()).WithElse(Emit("else")),
			Observe(Await(Call("first_even")))),
			want: obs(Event("x", 1), Event("x", 2), Event("else"), Got(2))},
		{name: "async for over a class-based iterator, exception in body", sc: async(mod(Class("It",
			Def("__aiter__", Return(Self())),
			AsyncDef("__anext__", Return(Lit(1))))),
			AsyncFor("x", Call("It"), Emit("x", Var("x")), Raise(Exc("ValueError", "stop")))),
			want: obs(Event("x", 1), Raises("ValueError", "stop"))},
	})
}

func TestAsyncWith(t *testing.T) {
	cm := Class("CM",
		AsyncDef("__aenter__", Emit("enter"), Return(Lit(1))),
		AsyncDef("__aexit__", Emit("exit", Var("t")), Return(Var("suppress"))).WithParams("t", "e", "tb"),
		Def("__init__", SetAttr(Self(), "s", Var("suppress"))).WithParams("suppress"))
	cm.Body[1].Body[1] = Return(Attr(Self(), "s"))
	run(t, []tcase{
		{name: "enter, body, exit", sc: async(mod(cm), AsyncWith(Call("CM", Lit(false)), Emit("body"))),
			want: obs(Event("enter"), Event("body"), Event("exit", nil))},
		{name: "exit sees the exception and may suppress it", sc: async(mod(cm),
			AsyncWith(Call("CM", Lit(true)), Raise(Var("ValueError"))), AsyncWith(Call("CM", Lit(false)), Raise(Var("KeyError")))),
			want: obs(Event("enter"), Event("exit", VObject("type")), Event("enter"), Event("exit", VObject("type")), Raises("KeyError", ""))},
		{name: "not a context manager", sc: async(nil, AsyncWith(Lit(5), Pass())),
			want: obs(Raises("TypeError", "'int' object does not support the asynchronous context manager protocol"))},
	})
}

func TestYieldStatements(t *testing.T) {
	run(t, []tcase{
		{name: "yield, send, return value", sc: sync(mod(Def("g", Let("x", YieldValue(Lit(1))), Emit("got", Var("x")), Return(Lit("done")))),
			Let("it", Call("g")), Observe(Call("next", Var("it"))),
			Try(Do(Method(Var("it"), "send", Lit("s")))).Except("StopIteration", "e", Observe(Attr(Var("e"), "value")))),
			want: obs(Got(1), Event("got", "s"), Got("done"))},
		{name: "yield from delegates", sc: sync(mod(
			Def("inner", Yield(Lit(1)), Yield(Lit(2)), Return(Lit("r"))),
			Def("outer", YieldFrom(Call("inner")), Yield(Lit(3)))),
			Observe(Call("list", Call("outer")))), want: obs(Got(VList(1, 2, 3)))},
		{name: "yield from a list", sc: sync(mod(Def("g", YieldFrom(Lit(VList(1, 2))))), Observe(Call("list", Call("g")))), want: obs(Got(VList(1, 2)))},
		{name: "throw and close", sc: sync(mod(Def("g", Try(Yield(Lit(1))).Except("ValueError", "", Yield(Lit("caught"))).WithFinally(Emit("finally")))),
			Let("it", Call("g")), Do(Call("next", Var("it"))), Observe(Method(Var("it"), "throw", Var("ValueError"))),
			Observe(Method(Var("it"), "close")), Observe(Call("next", Var("it")))),
			want: obs(Got("caught"), Event("finally"), Got(nil), Raises("StopIteration", ""))},
		{name: "next with a default", sc: sync(nil, Observe(Call("next", Call("iter", ListOf()), Lit("d")))), want: obs(Got("d"))},
		{name: "async generator: bare return ends it", sc: async(mod(AsyncDef("g", Yield(Lit(1)), Return(), Yield(Lit(2)))),
			Observe(Comprehension(ListForm, Var("x"), AsyncClause("x", Call("g"))))), want: obs(Got(VList(1)))},
	})
}

func TestProgramsThatAreNotPython(t *testing.T) {
	run(t, []tcase{
		{name: "break outside loop in main", sc: async(nil, Break()), state: adapters.Errored},
		{name: "await in sync main", sc: sync(nil, Do(Await(Lit(1)))), state: adapters.Errored},
		{name: "await in a module-level statement", sc: async(mod(Do(Await(Lit(1))))), state: adapters.Errored},
		{name: "return with a value in an async generator", sc: async(mod(AsyncDef("g", Yield(), Return(Lit(1))))), state: adapters.Errored},
		{name: "yield in a class body", sc: sync(mod(Class("C", Let("x", YieldValue(nil))))), state: adapters.Errored},
		{name: "a compile expression's errors are observations", sc: sync(nil, Observe(Compile(Break()))),
			want: obs(Raises("SyntaxError", "'break' outside loop").AtLine(1))},
	})
}

func TestUnsupported(t *testing.T) {
	run(t, []tcase{
		{name: "source mode", sc: Scenario{ID: "T", Mode: SourceMode, Source: "print(1)\n"}, state: adapters.Unsupported, notCPython: true},
		{name: "a keyword as a name", sc: sync(nil, Let("class", Lit(1))), state: adapters.Unsupported},
		{name: "a reserved name", sc: sync(nil, Let("_aiterspec_x", Lit(1))), state: adapters.Unsupported},
		{name: "a list in a set", sc: sync(nil, Observe(Lit(Value{Kind: SetKind, Items: []Value{VList(1)}}))), state: adapters.Unsupported},
		// CPython renders a set in a set as a frozenset, which the reference
		// does not model.
		{name: "a set in a set", sc: sync(nil, Observe(Lit(Value{Kind: SetKind, Items: []Value{VSet(1)}}))), state: adapters.Unsupported, notCPython: true},
	})
}

// agenDef is `async def name(): yield each value`.
func agenDef(name string, values ...any) Stmt { return AsyncDef(name, YieldEach(values...)) }
