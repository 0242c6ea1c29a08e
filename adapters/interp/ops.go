package interp

import (
	"github.com/aiterspec/aiterspec/reference"
	"github.com/aiterspec/aiterspec/scenario"
)

// Ops are the protocol operations the interpreter performs, one field per
// Python operation. The interpreter never calls the reference library for
// these directly: it always goes through the Ops it was built with, so a
// test can build a deliberately broken implementation by wrapping one
// field (see [New]) and check that the suite notices:
//
//	ops := interp.DefaultOps()
//	inner := ops.AsyncFor
//	ops.AsyncFor = func(fr *reference.Frame, it reference.Object, body func(reference.Object) (bool, error)) (bool, error) {
//		if l, ok := it.(*reference.List); ok { // bug: async for accepts a list
//			return reference.For(l, body)
//		}
//		return inner(fr, it, body)
//	}
//	a := interp.New(ops, adapters.Options{})
//
// Every field must be set; [DefaultOps] gives the reference behaviour.
// Fields receive and return Python values as the library represents them
// (see package github.com/aiterspec/aiterspec/reference); errors are
// *reference.Exception values, raised at the point of the operation.
type Ops struct {
	// AIter is the builtin aiter(x) with one argument (the interpreter
	// checks the argument count): type(x).__aiter__(x), checked to return
	// an async iterator.
	AIter func(x reference.Object) (reference.Object, error)
	// ANext is the builtin anext(it) without a default:
	// type(it).__anext__(it), called at once and returned as is (an
	// awaitable, or whatever __anext__ returned).
	ANext func(r *reference.Runtime, it reference.Object) (reference.Object, error)
	// ANextDefault is the builtin anext(it, default): __anext__ is called
	// at once and its awaitable wrapped in one that turns
	// StopAsyncIteration into default and lets every other exception
	// through.
	ANextDefault func(r *reference.Runtime, it, def reference.Object) (reference.Object, error)
	// Await is the expression `await x` in the coroutine or async
	// generator body running in fr: x's awaitable iterator is driven to
	// its end, suspending fr as often as it yields, and its result
	// returned. Re-awaiting spent awaitables, non-awaitables and the
	// already-running checks all fail here.
	Await func(fr *reference.Frame, x reference.Object) (reference.Object, error)
	// AsyncFor is the statement `async for x in iterable: body` in the body
	// running in fr, and also every `async for` clause of a comprehension
	// or async generator expression: __aiter__ once, then for each item
	// __anext__ and an await of its result, calling body with the item
	// (body returns stop for break) only after the previous body call
	// returned. exhausted reports that StopAsyncIteration ended the loop
	// (the else clause runs). For an async generator expression the
	// iterable is a wrapper whose __aiter__ returns the iterator
	// aiter() gave when the expression was evaluated.
	AsyncFor func(fr *reference.Frame, iterable reference.Object, body func(item reference.Object) (stop bool, err error)) (exhausted bool, err error)
	// GetAIter is GET_AITER on an async generator expression's outermost
	// iterable, done when the expression is evaluated (the expression's
	// body then loops with AsyncFor over the result): __aiter__ once,
	// checked to return an object with __anext__. The async for
	// statement and async comprehensions do this inside AsyncFor.
	GetAIter func(iterable reference.Object) (reference.Object, error)
	// For is the statement `for x in iterable: body`, every sync `for`
	// clause of a comprehension, and the iteration list(), tuple(),
	// set() and dict() do: iter() once, then next() until exhausted.
	For func(iterable reference.Object, body func(item reference.Object) (stop bool, err error)) (exhausted bool, err error)
	// Iter is the builtin iter(x), also what a generator expression calls
	// on its first iterable when it is created.
	Iter func(x reference.Object) (reference.Object, error)
	// Next is the builtin next(it): ok is false when it is exhausted.
	Next func(it reference.Object) (v reference.Object, ok bool, err error)
	// Unpack is the assignment of v to a tuple target of n names (also
	// an async for's or a comprehension's target): exactly n items, or
	// the TypeError or ValueError CPython raises.
	Unpack func(v reference.Object, n int) ([]reference.Object, error)
	// Yield is `yield v` (statement or expression) in the generator or
	// async generator body running in fr: it returns the value sent in,
	// or the exception thrown in, which is raised at the yield.
	Yield func(fr *reference.Frame, v reference.Object) (reference.Object, error)
	// YieldFrom is `yield from x` in the generator body running in fr.
	YieldFrom func(fr *reference.Frame, x reference.Object) (reference.Object, error)
	// NewCoroutine makes what calling an async def without yield returns:
	// a coroutine whose body is body (run when it is first resumed).
	NewCoroutine func(r *reference.Runtime, name, qualname string, body func(fr *reference.Frame) (reference.Object, error)) reference.Object
	// NewGenerator makes what calling a def with yield (or a generator
	// expression) returns.
	NewGenerator func(r *reference.Runtime, name, qualname string, body func(fr *reference.Frame) (reference.Object, error)) reference.Object
	// NewAsyncGenerator makes what calling an async def with yield (or an
	// async generator expression) returns: an async generator whose body
	// is body. The generator object turns a StopAsyncIteration or
	// StopIteration escaping body into RuntimeError.
	NewAsyncGenerator func(r *reference.Runtime, name, qualname string, body func(fr *reference.Frame) error) reference.Object
	// GetAttr is the expression `(o).name` (and the lookup hasattr does).
	GetAttr func(o reference.Object, name string) (reference.Object, error)
	// CallMethod is `(o).name(*args)` without keyword arguments: asend,
	// athrow, aclose, __anext__, __aiter__, send, throw, close, cancel,
	// result and the methods of user classes alike. (A method call with
	// keyword arguments is an attribute lookup and a call.)
	CallMethod func(o reference.Object, name string, args []reference.Object) (reference.Object, error)
	// Run is asyncio.run(main) for async-mode scenarios: a new event loop
	// runs main, then cancels the remaining tasks, finalises the async
	// generators still alive (shutdown_asyncgens) and closes.
	Run func(r *reference.Runtime, main reference.Object) (reference.Object, error)
	// Sleep is asyncio.sleep(delay, result): a coroutine.
	Sleep func(r *reference.Runtime, delay float64, result reference.Object) reference.Object
	// CreateTask is asyncio.create_task(coro).
	CreateTask func(r *reference.Runtime, coro reference.Object) (reference.Object, error)
	// Gather is asyncio.gather(*aws, return_exceptions=...).
	Gather func(r *reference.Runtime, aws []reference.Object, returnExceptions bool) (reference.Object, error)
	// Finalize is what happens when the last reference to a coroutine,
	// generator or async generator goes away (del x, a temporary dropped,
	// gc.collect()): a never-awaited warning, a close, or the event
	// loop's finalizer hook.
	Finalize func(r *reference.Runtime, o reference.Object)
	// Compile is compile(<body rendered as a module>, '<scenario>',
	// 'exec', flags): a code object, or the SyntaxError CPython's compiler
	// raises (msg and lineno as FORMAT.md's rendering rules number the
	// lines). topLevelAwait is PyCF_ALLOW_TOP_LEVEL_AWAIT.
	Compile func(body []scenario.Stmt, topLevelAwait bool) (reference.Object, error)
}

// DefaultOps returns the reference behaviour: every field calls the
// reference library (or, for Compile, the compile-time checker of this
// package).
func DefaultOps() Ops {
	return Ops{
		AIter: reference.AIter,
		ANext: func(_ *reference.Runtime, it reference.Object) (reference.Object, error) { return reference.ANext(it) },
		ANextDefault: func(_ *reference.Runtime, it, def reference.Object) (reference.Object, error) {
			return reference.ANextDefault(it, def)
		},
		Await:     (*reference.Frame).Await,
		AsyncFor:  (*reference.Frame).AsyncFor,
		GetAIter:  reference.GetAIter,
		For:       reference.For,
		Iter:      reference.Iter,
		Next:      reference.Next,
		Unpack:    reference.Unpack,
		Yield:     (*reference.Frame).Yield,
		YieldFrom: (*reference.Frame).YieldFrom,
		NewCoroutine: func(r *reference.Runtime, name, qualname string, body func(*reference.Frame) (reference.Object, error)) reference.Object {
			return r.NewCoroutine(name, qualname, body)
		},
		NewGenerator: func(r *reference.Runtime, name, qualname string, body func(*reference.Frame) (reference.Object, error)) reference.Object {
			return r.NewGenerator(name, qualname, body)
		},
		NewAsyncGenerator: func(r *reference.Runtime, name, qualname string, body func(*reference.Frame) error) reference.Object {
			return r.NewAsyncGenerator(name, qualname, body)
		},
		GetAttr: reference.GetAttr,
		CallMethod: func(o reference.Object, name string, args []reference.Object) (reference.Object, error) {
			return reference.CallMethod(o, name, args...)
		},
		Run: (*reference.Runtime).Run,
		Sleep: func(r *reference.Runtime, delay float64, result reference.Object) reference.Object {
			return r.Sleep(delay, result)
		},
		CreateTask: func(r *reference.Runtime, coro reference.Object) (reference.Object, error) {
			t, err := r.CreateTask(coro)
			if err != nil {
				return nil, err
			}
			return t, nil
		},
		Gather: func(r *reference.Runtime, aws []reference.Object, returnExceptions bool) (reference.Object, error) {
			f, err := r.Gather(aws, returnExceptions)
			if err != nil {
				return nil, err
			}
			return f, nil
		},
		Finalize: (*reference.Runtime).Finalize,
		Compile:  compileCode,
	}
}
