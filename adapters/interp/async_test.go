package interp_test

import (
	"testing"

	. "github.com/aiterspec/aiterspec/scenario"
)

// The async protocol through the interpreter: coroutines, async
// generators and their methods, tasks.

func TestCoroutines(t *testing.T) {
	run(t, []tcase{
		{name: "send drives a coroutine by hand", sc: sync(mod(
			Class("Bare", Def("__await__", Yield(Lit("y")), Return(Lit("r")))),
			AsyncDef("c", Emit("start"), Let("v", Await(Call("Bare"))), Emit("v", Var("v")), Return(Lit("done")))),
			Let("co", Call("c")), Observe(Method(Var("co"), "send", Lit(nil))),
			Try(Do(Method(Var("co"), "send", Lit("ignored")))).Except("StopIteration", "e", Observe(Attr(Var("e"), "value"))),
			Do(Method(Var("co"), "send", Lit(nil)))),
			want: obs(Event("start"), Got("y"), Event("v", "r"), Got("done"), Raises("RuntimeError", "cannot reuse already awaited coroutine"))},
		{name: "throw and close", sc: sync(mod(
			Class("Bare", Def("__await__", Yield())),
			AsyncDef("c", Try(Do(Await(Call("Bare")))).Except("ValueError", "e", Emit("caught", Var("e")), Do(Await(Call("Bare")))).WithFinally(Emit("finally")))),
			Let("co", Call("c")), Do(Method(Var("co"), "send", Lit(nil))), Observe(Method(Var("co"), "throw", Exc("ValueError", "t"))),
			Observe(Method(Var("co"), "close")), Observe(Attr(Var("co"), "cr_frame"))),
			want: obs(Event("caught", VException("ValueError", "t")), Got(nil), Event("finally"), Got(nil), Got(nil))},
		{name: "awaiting a coroutine twice", sc: async(mod(AsyncDef("c", Return(Lit(1)))), Let("co", Call("c")),
			Observe(Await(Var("co"))), Observe(Await(Var("co")))),
			want: obs(Got(1), Raises("RuntimeError", "cannot reuse already awaited coroutine"))},
		{name: "StopIteration out of a coroutine", sc: async(mod(AsyncDef("c", Raise(Exc("StopIteration", "s")))), Observe(Await(Call("c")))),
			want: obs(Raises("RuntimeError", "coroutine raised StopIteration").CausedBy("StopIteration", "s"))},
		{name: "await of non-awaitables", sc: async(mod(Class("C", Pass())), Do(Await(Lit("s"))), Do(Await(Call("C"))), Do(Await(Var("len")))),
			want: obs(Raises("TypeError", "object str can't be used in 'await' expression"), Raises("TypeError", "object C can't be used in 'await' expression"),
				Raises("TypeError", "object builtin_function_or_method can't be used in 'await' expression"))},
		{name: "an async def __await__ is rejected", sc: async(mod(Class("X", AsyncDef("__await__"))), Do(Await(Call("X")))),
			want: obs(Raises("TypeError", "__await__() returned a coroutine"))},
	})
}

func TestAsyncGenerators(t *testing.T) {
	g := AsyncDef("g", Let("x", YieldValue(Lit(1))), Emit("sent", Var("x")),
		Try(Yield(Lit(2))).Except("KeyError", "e", Emit("caught", Var("e")), Yield(Lit("after throw"))), Yield(Lit(3)))
	run(t, []tcase{
		{name: "asend, athrow, aclose", sc: async(mod(g), Let("it", Call("g")),
			Observe(Await(ANext(Var("it")))), Observe(Await(Method(Var("it"), "asend", Lit("s")))),
			Observe(Await(Method(Var("it"), "athrow", Exc("KeyError", "k")))), Observe(Await(Method(Var("it"), "aclose"))),
			Observe(Await(ANext(Var("it"), Lit("D"))))),
			want: obs(Got(1), Event("sent", "s"), Got(2), Event("caught", VException("KeyError", "'k'")), Got("after throw"), Got(nil), Got("D"))},
		{name: "a yield expression in an async generator", sc: async(mod(AsyncDef("echo", Let("v", Lit(nil)),
			For("i", Call("range", Lit(3)), Let("v", YieldValue(Var("v")))))),
			Let("e", Call("echo")), Observe(Await(ANext(Var("e")))), Observe(Await(Method(Var("e"), "asend", Lit("a")))),
			Observe(Await(Method(Var("e"), "asend", Lit("b"))))),
			want: obs(Got(nil), Got("a"), Got("b"))},
		{name: "ag_running, ag_await, ag_frame", sc: async(mod(AsyncDef("slow", Do(Await(Sleep(0))), Yield(Lit(1)))),
			Let("s", Call("slow")), Observe(Attr(Var("s"), "ag_running")), Let("t", Call("asyncio.create_task", ANext(Var("s")))),
			Do(Await(Sleep(0))), Observe(Attr(Var("s"), "ag_running")), Observe(TypeName(Attr(Var("s"), "ag_await"))),
			Observe(Await(Var("t"))), Observe(Attr(Var("s"), "ag_await")), Observe(Is(Attr(Var("s"), "ag_frame"), Lit(nil)))),
			want: obs(Got(false), Got(true), Got("coroutine"), Got(1), Got(nil), Got(false))},
		{name: "a class-based async iterator with a plain __anext__ returning futures", sc: async(mod(Class("F",
			Def("__init__", SetAttr(Self(), "n", Lit(0))),
			Def("__aiter__", Return(Self())),
			Def("__anext__", SetAttr(Self(), "n", BinOp(Attr(Self(), "n"), "+", Lit(1))),
				If(BinOp(Attr(Self(), "n"), ">", Lit(2)), Raise(Var("StopAsyncIteration"))),
				Return(FutureResult(Attr(Self(), "n")))))),
			Observe(Comprehension(ListForm, Var("x"), AsyncClause("x", Call("F"))))),
			want: obs(Got(VList(1, 2)))},
		{name: "aiter and anext on a class", sc: async(mod(Class("C", Def("__aiter__", Return(Self())), AsyncDef("__anext__", Return(Lit(7))))),
			Let("c", Call("C")), Observe(Is(Call("aiter", Var("c")), Var("c"))), Observe(Await(Call("anext", Var("c"))))),
			want: obs(Got(true), Got(7))},
		{name: "a generator's StopAsyncIteration becomes RuntimeError", sc: async(mod(AsyncDef("g", Yield(Lit(1)), Raise(Exc("StopAsyncIteration", "x")))),
			Observe(Comprehension(ListForm, Var("x"), AsyncClause("x", Call("g"))))),
			want: obs(Raises("RuntimeError", "async generator raised StopAsyncIteration").CausedBy("StopAsyncIteration", "x"))},
	})
}

func TestTasks(t *testing.T) {
	worker := AsyncDef("worker", Emit("start", Var("n")), Do(Await(Call("asyncio.sleep", Var("d")))), Emit("end", Var("n")), Return(Var("n"))).WithParams("n", "d")
	run(t, []tcase{
		{name: "tasks interleave on the virtual clock", sc: async(mod(worker),
			Let("a", Call("asyncio.create_task", Call("worker", Lit("a"), Lit(0.02)))),
			Let("b", Call("asyncio.create_task", Call("worker", Lit("b"), Lit(0.01)))),
			Observe(Await(Var("a"))), Observe(Await(Var("b")))),
			want: obs(Event("start", "a"), Event("start", "b"), Event("end", "b"), Event("end", "a"), Got("a"), Got("b"))},
		{name: "gather keeps argument order", sc: async(mod(worker),
			Observe(Await(Call("asyncio.gather", Call("worker", Lit(1), Lit(0.02)), Call("worker", Lit(2), Lit(0)))))),
			want: obs(Event("start", 1), Event("start", 2), Event("end", 2), Event("end", 1), Got(VList(1, 2)))},
		{name: "gather with return_exceptions", sc: async(mod(AsyncDef("bad", Raise(Exc("ValueError", "b")))),
			Observe(Await(Call("asyncio.gather", Call("bad"), Sleep(0)).WithKwarg("return_exceptions", Lit(true)))),
			Observe(Await(Call("asyncio.gather", Call("bad"))))),
			want: obs(Got(VList(VException("ValueError", "b"), nil)), Raises("ValueError", "b"))},
		{name: "cancel a task", sc: async(mod(AsyncDef("long", Try(Do(Await(Sleep(10)))).Except("asyncio.CancelledError", "", Emit("cancelled"), Raise()))),
			Let("t", Call("asyncio.create_task", Call("long"))), Do(Await(Sleep(0))), Observe(Method(Var("t"), "cancel")),
			Observe(Await(Var("t"))), Observe(Method(Var("t"), "cancelled"))),
			want: obs(Got(true), Event("cancelled"), Raises("CancelledError", ""), Got(true))},
		{name: "sleep's result and a bad delay", sc: async(nil, Observe(Await(Call("asyncio.sleep", Lit(0), Lit("r")))),
			Observe(Await(Call("asyncio.sleep", Lit(0)).WithKwarg("result", Lit("k")))), Do(Await(Call("asyncio.sleep", Lit("x"))))),
			want: obs(Got("r"), Got("k"), Raises("TypeError", "'<=' not supported between instances of 'str' and 'int'"))},
		{name: "no running loop in sync mode", sc: withReport(sync(mod(AsyncDef("c")), Do(Call("asyncio.create_task", Call("c")))), ReportWarnings),
			want: obs(Raises("RuntimeError", "no running event loop"), Event("warning", "RuntimeWarning: coroutine 'c' was never awaited"))},
		{name: "an exception escaping asyncio.run is recorded", sc: async(mod(AsyncDef("die", Raise(Call("SystemExit", Lit(4))))),
			Do(Call("asyncio.create_task", Call("die"))), Do(Await(Sleep(0))), Emit("main goes on")),
			want: obs(Raises("CancelledError", ""), Event("main goes on"), Raises("SystemExit", "4"))},
		{name: "main may return early", sc: async(nil, Emit("a"), Return(Lit(1)), Emit("b")), want: obs(Event("a"))},
	})
}
