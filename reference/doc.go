// Package reference is a Go implementation of Python's async iteration
// protocol with CPython 3.11's exact semantics, errors and messages:
// the oracle of the aiterspec suite. It covers async generators and
// their asend/athrow/aclose awaitables, coroutines, generators,
// await, async for, the aiter/anext builtins and a single-threaded
// asyncio event loop (tasks, futures, sleep, gather, cancellation,
// asyncio.run with shutdown_asyncgens and the async generator hooks).
// Behaviour ids in comments (G01, L13, ...) refer to
// shared/behaviours/cpython-3.11-catalogue.md.
//
// # Execution model
//
// Every generator, coroutine and async generator body is a Go function
// that receives its [*Frame] and runs on a coroutine stack of its own
// (the runtime coroutine switch behind iter.Pull; stacks are pooled and
// reused, and there is no goroutine-plus-channel per item). A body
// suspends only inside [Frame.Yield], [Frame.Await] or
// [Frame.YieldFrom]; whoever drives the object — an await in another
// frame, an asend awaitable, a [Task], or a direct Send — resumes it.
// Suspension travels down the await chain exactly as CPython's
// yield-from chain does: an async generator's await of a Future yields
// the Future to the asend awaitable, which yields it to the frame
// awaiting that, and so on to the Task, which hands control back to
// the [Loop]. Values and exceptions sent or thrown come back up the
// same way, and thrown exceptions are raised at the await where the
// body is suspended.
//
// Nothing here is safe for concurrent use: a [Runtime] and its objects
// belong to one goroutine at a time, like a CPython thread state.
//
// # Values and errors
//
// A Python value is an [Object] (any). None is [None]; bool, int,
// float and str are Go bool, int, float64 and string; lists, tuples,
// dicts and sets are [*List], [*Tuple], [*Dict] and [*Set]. Python
// exceptions are [*Exception] and travel as Go errors: every error this
// package returns is an *Exception, and the same pointer arrives
// wherever it is caught (E06). Exception classes are [*Class] values
// named like CPython's PyExc_* ([ExcTypeError], [ExcStopAsyncIteration],
// [ExcCancelledError], ...); str(e) is [Exception.Str], and
// [Exception.Error] is the "Type: message" line of a traceback.
//
// # Types and slots
//
// Protocol operations look special methods up on the type, never on the
// instance (W07), and react to what they find the way CPython's type
// slots do. For a class made at run time with [NewClass], a special
// method is present when the name is in the class dictionary along the
// MRO, whatever its value: absent means the slot is empty ("'async for'
// requires an object with __aiter__ method"), 5 or None means the slot
// is filled and calling it fails ("'int' object is not callable",
// S10/S11), a plain def returns whatever it returns (N01), an async def
// returns a coroutine (S12). Go types take part by implementing the
// optional-slot interfaces [AsyncIterable], [AsyncIterator],
// [Awaitable], [Iterable], [Iterator], [Sender], [Thrower], [Closer];
// not implementing one is the empty slot.
//
// # Building an interpreter on this package
//
// One [Runtime] per program run. Python functions become [*Function]
// values; what a call returns depends on the kind of def:
//
//	// def f(a): ...                      -> runs now
//	f := &reference.Function{Name: "f", Qualname: "f", Fn: func(args []reference.Object) (reference.Object, error) {
//		return interp.exec(fBody, args) // return nil, exc to raise
//	}}
//
//	// async def c(a): ...                 -> a coroutine object; the body runs when awaited or driven
//	c := &reference.Function{Name: "c", Qualname: "c", Fn: func(args []reference.Object) (reference.Object, error) {
//		return rt.NewCoroutine("c", "c", func(fr *reference.Frame) (reference.Object, error) {
//			return interp.execIn(fr, cBody, args) // await x  ->  fr.Await(x)
//		}), nil
//	}}
//
//	// async def g(a): ... yield v ...    -> an async generator object
//	g := &reference.Function{Name: "g", Qualname: "g", Fn: func(args []reference.Object) (reference.Object, error) {
//		return rt.NewAsyncGenerator("g", "g", func(fr *reference.Frame) error {
//			// x = yield v  ->  x, err := fr.Yield(v); err is a thrown-in exception to raise here
//			// await x      ->  fr.Await(x)
//			return interp.execGen(fr, gBody, args) // return nil to finish (StopAsyncIteration)
//		}), nil
//	}}
//
//	// def s(): ... yield ...             -> a generator: rt.NewGenerator, fr.Yield, fr.YieldFrom
//
// Inside a body, the interpreter maps the statements it executes onto
// the frame it was given:
//
//   - await x: fr.Await(x). An error is raised at the await; it is how
//     task cancellation (CancelledError), athrow and aclose
//     (GeneratorExit) arrive.
//   - yield v / yield from x: fr.Yield(v) / fr.YieldFrom(x), with the
//     same rule for errors. A bare yield is fr.Yield(None).
//   - async for x in it: body / else: fr.AsyncFor(it, func(x) (stop,
//     err)) returns whether the loop was exhausted (run the else
//     clause). For break return stop=true; for return or continue-style
//     control flow record it and return stop=true / false. Async
//     comprehensions are the same loop appending to a [*List], [*Set]
//     or [*Dict]; an async generator expression is an async generator
//     whose body runs fr.AsyncFor and fr.Yield. CPython builds a list
//     display used as a comprehension's iterable as a tuple, so its
//     error names 'tuple' (S15): pass a [*Tuple] there. When several for
//     clauses nest, or control flow needs the loop unrolled, use
//     fr.AsyncIter(it) and [AsyncForIter.Next] instead. An async
//     generator expression does GET_AITER when it is evaluated, possibly
//     outside any coroutine: [GetAIter].
//   - for x in it: [For]; list(it): [ListOf]; iter/next: [Iter], [Next].
//   - try/except/finally: ordinary Go control flow on the returned
//     error; match with [Exception.Matches]. The package does not set
//     __context__ on exceptions the program raises while handling
//     another: the interpreter does that, as it knows which exception is
//     being handled.
//   - raise E / raise E(...) / raise ... from c: [ExceptionFrom] and
//     the Cause/Context fields; identity is kept.
//
// Classes are [NewClass] with a namespace dict: put a *Function under
// "__aiter__", "__anext__", "__await__", "__next__", "__iter__" and so
// on for a def (it is called with self first), a Function returning a
// coroutine for an async def, a Function returning a generator for
// "def __await__(self): yield ...", or any other value to fill the
// slot with something uncallable. Leave a name out to leave the slot
// empty. Instances come from [Class.Call] (which runs a runtime-defined
// __init__); attributes are [GetAttr], [SetAttr], [HasAttr];
// exception subclasses are classes whose bases include an Exc* class.
//
// Builtins: aiter and anext with argument-count checking are
// [BuiltinAIter] and [BuiltinANext]; [AIter], [ANext], [ANextDefault]
// take Go arguments. isinstance/issubclass, including the
// collections.abc classes ([AsyncIteratorABC], ...), are [IsInstance]
// and [IsSubclass]; type(x) is [TypeOf] and its __name__ the Class's
// Name; print uses [Str], repr [Repr]. Methods of builtin objects
// (g.asend(v), aw.send(None), aw.throw(E), fut.result(), ...) are
// reachable through GetAttr and [Call], or [CallMethod]; Go code can
// call the typed methods directly ([AsyncGenerator.ASend], ...).
// ag_running, ag_frame and ag_await are attributes too.
//
// asyncio: asyncio.run(main()) is [Runtime.Run]; sleep, create_task,
// gather, ensure_future, get_running_loop and current_task are
// [Runtime.Sleep], [Runtime.CreateTask], [Runtime.Gather],
// [Runtime.EnsureFuture], [Runtime.GetRunningLoop],
// [Runtime.CurrentTask]; task.cancel() is [Task.Cancel] (or [Cancel]
// for any future); loop methods are on [Loop]. The loop's clock is
// virtual: sleeps take no real time and runs are deterministic.
// sys.set_asyncgen_hooks is [Runtime.SetAsyncGenHooks].
//
// Object lifetime: the package cannot see Python references. When the
// program drops the last reference to a generator, coroutine or async
// generator (del x; gc.collect(), or an async for over a temporary that
// ends by break or an exception), call [Runtime.Finalize] on it: that
// is what runs the loop's finalizer hook (L13), closes generators
// synchronously when there is no loop (L14), and warns about
// coroutines that were never awaited (O10). At the end of the program
// call [Runtime.Close], which releases every coroutine stack still
// held without running more Python code. Bodies must not call
// runtime.LockOSThread, block on other goroutines, or recover the
// panics that unwind a released frame.
//
// Compile-time errors (group C) are the interpreter's to detect; raise
// them with [NewSyntaxError] and the Msg* constants.
//
// # Deviations
//
//   - anext(it, default) where a plain-def __anext__ raises crashes
//     CPython 3.11 (B13/B14, gh-131670); here, as in CPython with the
//     fix (PR gh-131682), anext() raises that exception itself.
//   - An event loop with nothing ready and no timer would wait forever
//     in CPython; here the run fails with a RuntimeError saying so.
//   - Tracebacks are not modelled: unraisable errors and loop errors
//     print the exception lines only; Task and Future reprs omit source
//     positions.
//   - Set iteration order matches CPython for numbers and tuples of
//     them; str hashes differ (CPython's are randomised per process).
//   - asyncio reports "Task exception was never retrieved" to the
//     loop's exception handler when a task that failed is freed with
//     nobody having asked for its exception. Here only the aclose()
//     tasks of the finalizer hook report it (nothing else holds them, so
//     CPython frees them once their last step returns); tasks a program
//     holds never do.
//   - While an async for resumes an async generator that runs straight
//     to its next yield, the consumer's cr_await/ag_await reads None
//     rather than the asend awaitable (the per-item path makes none);
//     only the generator's own body could look at it then.
//   - shutdown_asyncgens closes generators in first-iteration order
//     (CPython's order comes from a WeakSet and is unspecified), and a
//     generator that finished is dropped from that set at once, as the
//     garbage collector would.
package reference
