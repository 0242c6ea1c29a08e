package mutants

import (
	"github.com/aiterspec/aiterspec/adapters/interp"
	"github.com/aiterspec/aiterspec/reference"
	"github.com/aiterspec/aiterspec/scenario"
)

// cpythonTestsMutants are bugs in the areas of the behaviours CPython's
// own tests check (docs/cpython-tests-coverage.md), one per area, injected
// through Ops.
var cpythonTestsMutants = []Mutant{
	{
		Name:    "await-drops-sent-value",
		Bug:     "an await of a custom awaitable evaluates to None instead of what the driver sent back through the generator",
		Catches: []string{"G17", "G18"},
		Break: func(ops *interp.Ops) {
			inner := ops.Await
			ops.Await = func(fr *reference.Frame, x reference.Object) (reference.Object, error) {
				v, err := inner(fr, x)
				if _, custom := x.(*reference.Instance); custom && err == nil {
					return reference.None, nil
				}
				return v, err
			}
		},
	},
	{
		Name:    "anext-send-drops-its-value",
		Bug:     "__anext__().send(v) sends None into the generator, whatever v is",
		Catches: []string{"D07"},
		Break: func(ops *interp.Ops) {
			call := ops.CallMethod
			ops.CallMethod = func(o reference.Object, name string, args []reference.Object) (reference.Object, error) {
				if _, ok := o.(*reference.ASend); ok && name == "send" && len(args) == 1 {
					return call(o, name, []reference.Object{reference.None})
				}
				return call(o, name, args)
			}
		},
	},
	{
		Name:    "anext-default-throw-skips-generator",
		Bug:     "throw() into the awaitable of anext(it, default) raises the exception at once instead of throwing it into the generator",
		Catches: []string{"G23"},
		Break: func(ops *interp.Ops) {
			call := ops.CallMethod
			ops.CallMethod = func(o reference.Object, name string, args []reference.Object) (reference.Object, error) {
				if _, ok := o.(*reference.ANextAwaitable); ok && name == "throw" && len(args) >= 1 {
					exc := args[0]
					if cls, ok := exc.(*reference.Class); ok {
						v, err := cls.Call(nil)
						if err != nil {
							return nil, err
						}
						exc = v
					}
					return nil, reference.ExceptionFrom(exc)
				}
				return call(o, name, args)
			}
		},
	},
	{
		Name:    "exception-after-yield-ends-quietly",
		Bug:     "an exception raised in an async generator after it has yielded ends the iteration quietly, as if the body had returned",
		Catches: []string{"E08", "E10"},
		Break: func(ops *interp.Ops) {
			yielded := map[*reference.Frame]bool{}
			yield := ops.Yield
			ops.Yield = func(fr *reference.Frame, v reference.Object) (reference.Object, error) {
				yielded[fr] = true
				return yield(fr, v)
			}
			inner := ops.NewAsyncGenerator
			ops.NewAsyncGenerator = func(r *reference.Runtime, name, qualname string, body func(*reference.Frame) error) reference.Object {
				return inner(r, name, qualname, func(fr *reference.Frame) error {
					err := body(fr)
					e := reference.AsException(err)
					if e != nil && yielded[fr] && e.Matches(reference.ExcException) &&
						!e.Matches(reference.ExcStopAsyncIteration) && !e.Matches(reference.ExcStopIteration) {
						return nil
					}
					return err
				})
			}
		},
	},
	{
		Name:    "nested-async-comprehension-rejected",
		Bug:     "compile() rejects an async comprehension nested in a sync comprehension inside an async def, as Python 3.10 did",
		Catches: []string{"Q08"},
		Break: func(ops *interp.Ops) {
			inner := ops.Compile
			ops.Compile = func(body []scenario.Stmt, topLevelAwait bool) (reference.Object, error) {
				if nestsAsyncComprehension(body) {
					return nil, reference.NewSyntaxError(reference.MsgAsyncComprehensionOutside, "<scenario>", 2, 0, "")
				}
				return inner(body, topLevelAwait)
			}
		},
	},
	{
		Name:    "asyncio-run-skips-shutdown-asyncgens",
		Bug:     "asyncio.run returns without closing the async generators main left suspended (no shutdown_asyncgens)",
		Catches: []string{"L16"},
		Break: func(ops *interp.Ops) {
			ops.Run = func(r *reference.Runtime, main reference.Object) (reference.Object, error) {
				l := r.NewEventLoop()
				v, err := l.RunUntilComplete(main)
				l.Close()
				return v, err
			}
		},
	},
	{
		Name:    "target-stop-ends-loop",
		Bug:     "a StopAsyncIteration raised in an async for's target assignment or body ends the loop quietly",
		Catches: []string{"E11"},
		Break: func(ops *interp.Ops) {
			inner := ops.AsyncFor
			ops.AsyncFor = func(fr *reference.Frame, it reference.Object, body func(reference.Object) (bool, error)) (bool, error) {
				return inner(fr, it, func(item reference.Object) (bool, error) {
					stop, err := body(item)
					if e := reference.AsException(err); e != nil && e.Matches(reference.ExcStopAsyncIteration) {
						return true, nil
					}
					return stop, err
				})
			}
		},
	},
	{
		Name:    "stopiteration-iterator-ends-loop",
		Bug:     "async for takes an async iterator that is a StopIteration instance for the end signal and ends before its first item",
		Catches: []string{"S19"},
		Break: func(ops *interp.Ops) {
			inner := ops.AsyncFor
			ops.AsyncFor = func(fr *reference.Frame, it reference.Object, body func(reference.Object) (bool, error)) (bool, error) {
				if e, ok := it.(*reference.Exception); ok && e.Matches(reference.ExcStopIteration) {
					return true, nil
				}
				return inner(fr, it, body)
			}
		},
	},
	{
		Name:    "async-for-iterates-tuple-items",
		Bug:     "async for over an instance of a tuple subclass iterates the tuple's items instead of calling its __aiter__ and __anext__",
		Catches: []string{"S20"},
		Break: func(ops *interp.Ops) {
			inner := ops.AsyncFor
			ops.AsyncFor = func(fr *reference.Frame, it reference.Object, body func(reference.Object) (bool, error)) (bool, error) {
				if in, ok := it.(*reference.Instance); ok && in.Tuple != nil {
					for _, item := range in.Tuple.Items {
						if stop, err := body(item); stop || err != nil {
							return false, err
						}
					}
					return true, nil
				}
				return inner(fr, it, body)
			}
		},
	},
	{
		Name:    "unpack-says-not-iterable",
		Bug:     "unpacking a non-iterable item into a tuple target raises iter()'s \"'int' object is not iterable\" instead of \"cannot unpack non-iterable int object\"",
		Catches: []string{"G25"},
		Break: func(ops *interp.Ops) {
			inner := ops.Unpack
			ops.Unpack = func(v reference.Object, n int) ([]reference.Object, error) {
				items, err := inner(v, n)
				if e := reference.AsException(err); e != nil && e.Matches(reference.ExcTypeError) {
					return nil, reference.Errorf(reference.ExcTypeError, "'%s' object is not iterable", reference.TypeName(v))
				}
				return items, err
			}
		},
	},
}

// nestsAsyncComprehension reports a list, set or dict comprehension whose
// element or key holds an async list, set or dict comprehension.
func nestsAsyncComprehension(body []scenario.Stmt) bool {
	found := false
	var expr func(e *scenario.Expr, inSync bool)
	var stmts func(ss []scenario.Stmt)
	expr = func(e *scenario.Expr, inSync bool) {
		if e == nil || found {
			return
		}
		if e.Kind == scenario.ComprehensionExpr && e.Form != scenario.GenexpForm {
			async := false
			for _, c := range e.Clauses {
				async = async || c.Async
			}
			if async && inSync {
				found = true
				return
			}
			expr(e.Element, !async)
			expr(e.Key, !async)
			return
		}
		for _, x := range []*scenario.Expr{e.Of, e.Expr, e.Left, e.Right, e.Element, e.Key} {
			expr(x, inSync)
		}
		for i := range e.Args {
			expr(&e.Args[i], inSync)
		}
		for i := range e.Items {
			expr(&e.Items[i], inSync)
		}
	}
	stmts = func(ss []scenario.Stmt) {
		for i := range ss {
			s := &ss[i]
			for _, x := range []*scenario.Expr{s.Expr, s.Iter, s.Cond, s.Object} {
				expr(x, false)
			}
			stmts(s.Body)
			stmts(s.Else)
			stmts(s.Finally)
			for _, h := range s.Handlers {
				stmts(h.Body)
			}
		}
	}
	stmts(body)
	return found
}
