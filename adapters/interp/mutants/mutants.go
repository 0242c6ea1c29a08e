// Package mutants holds deliberately broken variants of the reference
// implementation: each is the reference with one bug. They prove the
// suite can fail: spec/selftest runs the whole suite against each one and
// checks that a spec with one of the behaviour ids the mutant names
// fails. A bug that no spec catches is a missing spec.
//
// There are two kinds. Most inject their bug by wrapping one of the
// interpreter's protocol operations (interp.Ops). The library mutants
// ("lib-...") change the reference library itself, at mutation points
// that exist only in builds with -tags aiterspec_mutants (see
// reference/mutation.go): a build tag rather than a hook keeps the
// library's API and its speed untouched in every other build. Without
// the tag All holds only the first kind.
//
// The mutants are registered as the adapter "mutant:NAME" only in the
// suite's own test binary (spec/mutants_test.go), never in adapters/all.
package mutants

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/interp"
	"github.com/aiterspec/aiterspec/reference"
	"github.com/aiterspec/aiterspec/scenario"
)

// Mutant is the reference with one deliberate bug.
type Mutant struct {
	// Name selects it: --adapter=mutant:NAME.
	Name string
	// Bug says in one line what is broken.
	Bug string
	// Catches lists behaviour ids of which at least one spec must fail.
	Catches []string
	// Break injects the bug into ops; nil for a library mutant.
	Break func(ops *interp.Ops)
	// Library says the bug is a mutation point of the reference library
	// (named Name), switched on for the whole process when the mutant is
	// opened.
	Library bool
}

// BuildTag is the build tag that compiles the library mutants in.
const BuildTag = "aiterspec_mutants"

// switchLibrary switches the library mutation name on ("" off); nil
// in builds without the library mutants.
var switchLibrary func(name string) error

// Register makes every mutant available as the adapter "mutant:NAME".
func Register() {
	var names []string
	for _, m := range All {
		names = append(names, m.Name)
	}
	adapters.Register(adapters.Registration{
		Name:    "mutant",
		Usage:   "mutant:NAME",
		Summary: "the reference with one deliberate bug, for the suite's self-test (" + strings.Join(names, ", ") + ")",
		Open: func(arg string, opts adapters.Options) (adapters.Adapter, error) {
			m, ok := Lookup(arg)
			if !ok {
				return nil, fmt.Errorf("unknown mutant %q (known: %s)", arg, strings.Join(names, ", "))
			}
			return m.Open(opts)
		},
	})
}

// Lookup finds a mutant by name.
func Lookup(name string) (Mutant, bool) {
	for _, m := range All {
		if m.Name == name {
			return m, true
		}
	}
	return Mutant{}, false
}

// Open returns the reference adapter with m's bug. A library mutant's
// bug holds for the whole process until the adapter is closed, so only
// one can be open at a time.
func (m Mutant) Open(opts adapters.Options) (adapters.Adapter, error) {
	ops := interp.DefaultOps()
	if !m.Library {
		m.Break(&ops)
		return interp.New(ops, opts), nil
	}
	if switchLibrary == nil {
		return nil, fmt.Errorf("mutant %s changes the reference library, which has its mutation points only in a build with -tags %s (go test -tags %s ./spec -args --adapter=mutant:%s)", m.Name, BuildTag, BuildTag, m.Name)
	}
	libraryMu.Lock()
	defer libraryMu.Unlock()
	if libraryOpen != "" {
		return nil, fmt.Errorf("mutant %s: the library mutant %s is still open (one per process)", m.Name, libraryOpen)
	}
	if err := switchLibrary(m.Name); err != nil {
		return nil, err
	}
	libraryOpen = m.Name
	return libraryMutant{interp.New(ops, opts)}, nil
}

var (
	libraryMu   sync.Mutex
	libraryOpen string
)

// libraryMutant switches the library mutation off when closed.
type libraryMutant struct{ adapters.Adapter }

func (l libraryMutant) Close() error {
	libraryMu.Lock()
	defer libraryMu.Unlock()
	libraryOpen = ""
	err := switchLibrary("")
	return errors.Join(l.Adapter.Close(), err)
}

// All lists the mutants: first the seed tutorial's bugs, then the
// catalogue's, then those in the areas of CPython's own tests (all through
// Ops), then the library's (Library).
var All = append(append(append([]Mutant{}, opsMutants...), cpythonTestsMutants...), Library...)

// opsMutants inject their bug through the interpreter's Ops.
var opsMutants = []Mutant{
	{
		Name:    "yields-out-of-order",
		Bug:     "an async generator hands out its values in swapped pairs (2 1 4 3 ...)",
		Catches: []string{"SEED-AGEN-ORDER", "SEED-ASYNC-FOR", "G01", "G02"},
		Break: func(ops *interp.Ops) {
			inner := ops.Yield
			held := map[*reference.Frame]reference.Object{}
			ops.Yield = func(fr *reference.Frame, v reference.Object) (reference.Object, error) {
				if _, ok := held[fr]; !ok {
					held[fr] = v // keep it; hand out the next value first
					return reference.None, nil
				}
				first := held[fr]
				delete(held, fr)
				if _, err := inner(fr, v); err != nil {
					return nil, err
				}
				return inner(fr, first)
			}
		},
	},
	{
		Name:    "no-stop-at-end",
		Bug:     "an exhausted async generator first gives None instead of raising StopAsyncIteration",
		Catches: []string{"SEED-AGEN-EXHAUST", "G03"},
		Break: func(ops *interp.Ops) {
			inner := ops.NewAsyncGenerator
			ops.NewAsyncGenerator = func(r *reference.Runtime, name, qualname string, body func(*reference.Frame) error) reference.Object {
				return inner(r, name, qualname, func(fr *reference.Frame) error {
					if err := body(fr); err != nil {
						return err
					}
					_, err := fr.Yield(reference.None)
					return err
				})
			}
		},
	},
	{
		Name:    "async-for-accepts-list",
		Bug:     "async for iterates a list or tuple as a plain for would",
		Catches: []string{"SEED-NON-ITERABLE", "S03"},
		Break: func(ops *interp.Ops) {
			inner, plain := ops.AsyncFor, ops.For
			ops.AsyncFor = func(fr *reference.Frame, it reference.Object, body func(reference.Object) (bool, error)) (bool, error) {
				switch it.(type) {
				case *reference.List, *reference.Tuple:
					return plain(it, body)
				}
				return inner(fr, it, body)
			}
		},
	},
	{
		Name:    "await-accepts-non-awaitable",
		Bug:     "await of a non-awaitable, and async for over an __anext__ returning one, give the object itself",
		Catches: []string{"SEED-ANEXT-NON-AWAITABLE", "N01", "W01"},
		Break: func(ops *interp.Ops) {
			inner, getAIter := ops.Await, ops.GetAIter
			ops.Await = func(fr *reference.Frame, x reference.Object) (reference.Object, error) {
				if !reference.IsAwaitable(x) {
					return x, nil
				}
				return inner(fr, x)
			}
			innerFor := ops.AsyncFor
			ops.AsyncFor = func(fr *reference.Frame, it reference.Object, body func(reference.Object) (bool, error)) (bool, error) {
				return innerFor(fr, &mapped{iterable: it, getAIter: getAIter, each: func(x reference.Object) reference.Object {
					if reference.IsAwaitable(x) {
						return x
					}
					return ready(x, nil)
				}}, body)
			}
		},
	},
	{
		Name:    "missing-aiter-accepted",
		Bug:     "async for accepts an object that has __anext__ but no __aiter__",
		Catches: []string{"SEED-MISSING-AITER", "S07"},
		Break: func(ops *interp.Ops) {
			inner := ops.AsyncFor
			ops.AsyncFor = func(fr *reference.Frame, it reference.Object, body func(reference.Object) (bool, error)) (bool, error) {
				_, hasAiter := reference.TypeOf(it).Lookup("__aiter__")
				_, hasAnext := reference.TypeOf(it).Lookup("__anext__")
				if !hasAiter && hasAnext {
					it = selfIterable{it}
				}
				return inner(fr, it, body)
			}
		},
	},
	{
		Name:    "prefetching-async-for",
		Bug:     "async for asks for the next item in a task of its own while the body for the current one runs",
		Catches: []string{"SEED-SEQUENTIAL"},
		Break: func(ops *interp.Ops) {
			inner, getAIter := ops.AsyncFor, ops.GetAIter
			ops.AsyncFor = func(fr *reference.Frame, it reference.Object, body func(reference.Object) (bool, error)) (bool, error) {
				return inner(fr, &prefetching{r: fr.Runtime(), iterable: it, getAIter: getAIter}, body)
			}
		},
	},
	{
		Name:    "reworded-aiter-error",
		Bug:     "async for over a non-async-iterable words its TypeError differently",
		Catches: []string{"SEED-NON-ITERABLE", "S03", "S04"},
		Break: func(ops *interp.Ops) {
			inner := ops.AsyncFor
			ops.AsyncFor = func(fr *reference.Frame, it reference.Object, body func(reference.Object) (bool, error)) (bool, error) {
				done, err := inner(fr, it, body)
				const prefix = "'async for' requires an object with __aiter__ method, got "
				if e := reference.AsException(err); e != nil && e.Matches(reference.ExcTypeError) && strings.HasPrefix(e.Str(), prefix) {
					return done, reference.NewException(reference.ExcTypeError, "'"+strings.TrimPrefix(e.Str(), prefix)+"' object is not async iterable")
				}
				return done, err
			}
		},
	},
	{
		Name:    "sync-for-runs-async-generator",
		Bug:     "a plain for over an async generator silently iterates nothing",
		Catches: []string{"SEED-SYNC-FOR-REJECT", "S01"},
		Break: func(ops *interp.Ops) {
			inner := ops.For
			ops.For = func(it reference.Object, body func(reference.Object) (bool, error)) (bool, error) {
				if _, ok := it.(*reference.AsyncGenerator); ok {
					return true, nil
				}
				return inner(it, body)
			}
		},
	},
	{
		Name:    "anext-runs-eagerly",
		Bug:     "anext() on an async generator runs it to its next value at once, instead of when the awaitable is awaited",
		Catches: []string{"SEED-ANEXT-AWAITABLE", "O09"},
		Break: func(ops *interp.Ops) {
			inner, call := ops.ANext, ops.CallMethod
			ops.ANext = func(r *reference.Runtime, it reference.Object) (reference.Object, error) {
				aw, err := inner(r, it)
				if _, ok := it.(*reference.AsyncGenerator); !ok || err != nil {
					return aw, err
				}
				// Step the generator now, as if the awaitable were awaited
				// at creation, and hand out the outcome later.
				_, err = call(aw, "send", []reference.Object{reference.None})
				var e *reference.Exception
				if errors.As(err, &e) && e.Matches(reference.ExcStopIteration) {
					return ready(e.Value(), nil), nil
				}
				return ready(nil, err), nil
			}
		},
	},
	{
		Name:    "aiter-returns-a-copy",
		Bug:     "aiter() and __aiter__ of an async generator return a wrapper instead of the generator itself",
		Catches: []string{"SEED-AGEN-PROTOCOL", "G11"},
		Break: func(ops *interp.Ops) {
			inner, call := ops.AIter, ops.CallMethod
			ops.AIter = func(x reference.Object) (reference.Object, error) {
				if g, ok := x.(*reference.AsyncGenerator); ok {
					return delegate{g}, nil
				}
				return inner(x)
			}
			ops.CallMethod = func(o reference.Object, name string, args []reference.Object) (reference.Object, error) {
				if g, ok := o.(*reference.AsyncGenerator); ok && name == "__aiter__" && len(args) == 0 {
					return delegate{g}, nil
				}
				return call(o, name, args)
			}
		},
	},
	{
		Name:    "stop-leaks-from-class-iterators",
		Bug:     "StopAsyncIteration from a class-based iterator escapes the async for instead of ending it",
		Catches: []string{"SEED-STOP-SIGNAL", "SEED-CUSTOM-ITERATOR"},
		Break: func(ops *interp.Ops) {
			inner := ops.AsyncFor
			ops.AsyncFor = func(fr *reference.Frame, it reference.Object, body func(reference.Object) (bool, error)) (bool, error) {
				done, err := inner(fr, it, body)
				if _, isGen := it.(*reference.AsyncGenerator); err == nil && done && !isGen {
					return false, reference.NewException(reference.ExcStopAsyncIteration)
				}
				return done, err
			}
		},
	},
	{
		Name:    "compile-allows-async-for-anywhere",
		Bug:     "compile() accepts async for outside an async function",
		Catches: []string{"SEED-ASYNC-FOR-OUTSIDE", "C01", "C02"},
		Break: func(ops *interp.Ops) {
			inner := ops.Compile
			ops.Compile = func(body []scenario.Stmt, topLevelAwait bool) (reference.Object, error) {
				v, err := inner(body, topLevelAwait)
				if e := reference.AsException(err); e != nil && strings.Contains(e.Str(), "'async for' outside async function") {
					return inner(nil, false)
				}
				return v, err
			}
		},
	},

	// The catalogue's areas.
	{
		Name:    "running-check-says-valueerror",
		Bug:     "a step of a running async generator raises ValueError('async generator already executing'), as PyPy does",
		Catches: []string{"R01", "R05"},
		Break: func(ops *interp.Ops) {
			ops.Await = rewordError(ops.Await, func(e *reference.Exception) *reference.Exception {
				if e.Matches(reference.ExcRuntimeError) && strings.HasSuffix(e.Str(), "asynchronous generator is already running") {
					return reference.NewException(reference.ExcValueError, "async generator already executing")
				}
				return nil
			})
		},
	},
	{
		Name:    "athrow-is-asend",
		Bug:     "athrow() resumes the generator as asend(None) would, never raising the exception in it",
		Catches: []string{"T01", "T02"},
		Break: func(ops *interp.Ops) {
			call := ops.CallMethod
			ops.CallMethod = func(o reference.Object, name string, args []reference.Object) (reference.Object, error) {
				if _, ok := o.(*reference.AsyncGenerator); ok && name == "athrow" {
					return call(o, "asend", []reference.Object{reference.None})
				}
				return call(o, name, args)
			}
		},
	},
	{
		Name:    "aclose-skips-finally",
		Bug:     "aclose() marks the generator closed without throwing GeneratorExit in: its finally does not run then (only when asyncio.run finalises the generator at the end)",
		Catches: []string{"L02"},
		Break: func(ops *interp.Ops) {
			// closed holds the generators aclose() marked closed: from then
			// on every step of them sees an exhausted generator, as after
			// a real aclose(), but their finally blocks never ran.
			closed := map[*reference.AsyncGenerator]bool{}
			isClosed := func(o reference.Object) bool {
				g, ok := o.(*reference.AsyncGenerator)
				return ok && closed[g]
			}
			exhausted := func() reference.Object { return ready(nil, reference.NewException(reference.ExcStopAsyncIteration)) }
			call, anext, anextDefault, asyncFor := ops.CallMethod, ops.ANext, ops.ANextDefault, ops.AsyncFor
			ops.CallMethod = func(o reference.Object, name string, args []reference.Object) (reference.Object, error) {
				if g, ok := o.(*reference.AsyncGenerator); ok {
					switch {
					case name == "aclose":
						closed[g] = true
						return ready(reference.None, nil), nil
					case closed[g] && (name == "__anext__" || name == "asend"):
						return exhausted(), nil
					case closed[g] && name == "athrow":
						return ready(reference.None, nil), nil
					}
				}
				return call(o, name, args)
			}
			ops.ANext = func(r *reference.Runtime, it reference.Object) (reference.Object, error) {
				if isClosed(it) {
					return exhausted(), nil
				}
				return anext(r, it)
			}
			ops.ANextDefault = func(r *reference.Runtime, it, def reference.Object) (reference.Object, error) {
				if isClosed(it) {
					return ready(def, nil), nil
				}
				return anextDefault(r, it, def)
			}
			ops.AsyncFor = func(fr *reference.Frame, it reference.Object, body func(reference.Object) (bool, error)) (bool, error) {
				if isClosed(it) {
					return true, nil // ends at once, as over an exhausted generator
				}
				return asyncFor(fr, it, body)
			}
		},
	},
	{
		Name:    "asend-drops-its-value",
		Bug:     "asend(value) sends None, so a just-started generator accepts a non-None value",
		Catches: []string{"D01", "D05"},
		Break: func(ops *interp.Ops) {
			call := ops.CallMethod
			ops.CallMethod = func(o reference.Object, name string, args []reference.Object) (reference.Object, error) {
				if _, ok := o.(*reference.AsyncGenerator); ok && name == "asend" && len(args) == 1 {
					return call(o, name, []reference.Object{reference.None})
				}
				return call(o, name, args)
			}
		},
	},
	{
		Name:    "reawait-gives-none",
		Bug:     "awaiting an already-awaited anext()/asend()/athrow()/aclose() awaitable gives None instead of RuntimeError",
		Catches: []string{"O04", "O06"},
		Break: func(ops *interp.Ops) {
			inner := ops.Await
			ops.Await = func(fr *reference.Frame, x reference.Object) (reference.Object, error) {
				v, err := inner(fr, x)
				if e := reference.AsException(err); e != nil && e.Matches(reference.ExcRuntimeError) && strings.HasPrefix(e.Str(), "cannot reuse already awaited") {
					return reference.None, nil
				}
				return v, err
			}
		},
	},
	{
		Name:    "stop-in-body-ends-quietly",
		Bug:     "StopAsyncIteration raised in an async generator body ends it quietly instead of becoming RuntimeError",
		Catches: []string{"E01"},
		Break: func(ops *interp.Ops) {
			inner := ops.NewAsyncGenerator
			ops.NewAsyncGenerator = func(r *reference.Runtime, name, qualname string, body func(*reference.Frame) error) reference.Object {
				return inner(r, name, qualname, func(fr *reference.Frame) error {
					err := body(fr)
					if e := reference.AsException(err); e != nil && e.Matches(reference.ExcStopAsyncIteration) {
						return nil
					}
					return err
				})
			}
		},
	},
	{
		Name:    "anext-default-swallows-everything",
		Bug:     "anext(it, default) returns the default for any exception, not only StopAsyncIteration",
		Catches: []string{"G07"},
		Break: func(ops *interp.Ops) {
			inner, innerNext := ops.ANextDefault, ops.ANext
			ops.ANextDefault = func(r *reference.Runtime, it, def reference.Object) (reference.Object, error) {
				if _, ok := it.(*reference.AsyncGenerator); !ok {
					return inner(r, it, def)
				}
				aw, err := innerNext(r, it)
				if err != nil {
					return def, nil
				}
				return r.NewCoroutine("swallow", "swallow", func(fr *reference.Frame) (reference.Object, error) {
					v, err := fr.Await(aw)
					if err != nil {
						return def, nil
					}
					return v, nil
				}), nil
			}
		},
	},
	{
		Name:    "else-runs-after-break",
		Bug:     "the else clause of async for runs after a break too",
		Catches: []string{"G10"},
		Break: func(ops *interp.Ops) {
			inner := ops.AsyncFor
			ops.AsyncFor = func(fr *reference.Frame, it reference.Object, body func(reference.Object) (bool, error)) (bool, error) {
				_, err := inner(fr, it, body)
				return err == nil, err
			}
		},
	},
	{
		Name:    "cancel-is-ignored",
		Bug:     "Task.cancel() returns True but does not cancel the task",
		Catches: []string{"X01"},
		Break: func(ops *interp.Ops) {
			call := ops.CallMethod
			ops.CallMethod = func(o reference.Object, name string, args []reference.Object) (reference.Object, error) {
				if _, ok := o.(*reference.Task); ok && name == "cancel" {
					return true, nil
				}
				return call(o, name, args)
			}
		},
	},
	{
		Name:    "gather-runs-in-reverse",
		Bug:     "asyncio.gather starts its awaitables last to first (results still in argument order)",
		Catches: []string{"R03", "X02"},
		Break: func(ops *interp.Ops) {
			inner := ops.Gather
			ops.Gather = func(r *reference.Runtime, aws []reference.Object, returnExceptions bool) (reference.Object, error) {
				fut, err := inner(r, reversed(aws), returnExceptions)
				if err != nil {
					return nil, err
				}
				return r.NewCoroutine("gather", "gather", func(fr *reference.Frame) (reference.Object, error) {
					v, err := fr.Await(fut)
					if l, ok := v.(*reference.List); ok && err == nil {
						return reference.NewList(reversed(l.Items)...), nil
					}
					return v, err
				}), nil
			}
		},
	},
	{
		Name:    "aiter-accepts-iterables",
		Bug:     "aiter() of a plain iterable returns an async iterator over it instead of raising TypeError",
		Catches: []string{"B01"},
		Break: func(ops *interp.Ops) {
			inner := ops.AIter
			ops.AIter = func(x reference.Object) (reference.Object, error) {
				v, err := inner(x)
				if err == nil {
					return v, nil
				}
				items, lerr := reference.ListOf(x)
				if lerr != nil {
					return nil, err
				}
				return &listIter{items: items.Items}, nil
			}
		},
	},
}

// rewordError wraps an await so that exceptions change returns a
// replacement for (nil: keep the exception).
func rewordError(inner func(*reference.Frame, reference.Object) (reference.Object, error), change func(*reference.Exception) *reference.Exception) func(*reference.Frame, reference.Object) (reference.Object, error) {
	return func(fr *reference.Frame, x reference.Object) (reference.Object, error) {
		v, err := inner(fr, x)
		var e *reference.Exception
		if errors.As(err, &e) {
			if repl := change(e); repl != nil {
				return nil, repl
			}
		}
		return v, err
	}
}

func reversed(xs []reference.Object) []reference.Object {
	out := make([]reference.Object, len(xs))
	for i, x := range xs {
		out[len(xs)-1-i] = x
	}
	return out
}
