package reference

import (
	"fmt"
	"strings"
)

// aiterSlot calls am_aiter; has is false for an empty slot.
func aiterSlot(o Object) (res Object, has bool, exc *Exception) {
	switch v := o.(type) {
	case *AsyncGenerator:
		return v, true, nil
	case *Instance, *Exception:
		if m, ok := instanceSpecial(o, "__aiter__", mutAiterOnInstance); ok {
			r, exc := call(m, nil)
			return r, true, exc
		}
		m, ok := lookupSpecial(o, "__aiter__")
		if !ok {
			return nil, false, nil
		}
		r, exc := callBound(m, o, nil)
		return r, true, exc
	case AsyncIterable:
		r, err := v.AIter()
		return orNone(r), true, AsException(err)
	}
	return nil, false, nil
}

// anextSlot calls am_anext; has is false for an empty slot.
func anextSlot(o Object) (res Object, has bool, exc *Exception) {
	switch v := o.(type) {
	case *AsyncGenerator:
		if exc := v.initHooks(); exc != nil {
			return nil, true, exc
		}
		return &ASend{gen: v}, true, nil
	case *Instance, *Exception:
		m, ok := lookupSpecial(o, "__anext__")
		if !ok {
			return nil, false, nil
		}
		r, exc := callBound(m, o, nil)
		return r, true, exc
	case AsyncIterator:
		r, err := v.ANext()
		return orNone(r), true, AsException(err)
	}
	return nil, false, nil
}

// hasANext is PyAIter_Check.
func hasANext(o Object) bool {
	switch o.(type) {
	case *AsyncGenerator:
		return true
	case *Instance, *Exception:
		_, ok := lookupSpecial(o, "__anext__")
		return ok
	case AsyncIterator:
		return true
	}
	return false
}

// AIter is aiter(o): o.__aiter__() checked to be an async iterator.
// Errors: "TypeError: 'T' object is not an async iterable" (no
// __aiter__, B01, B03), "TypeError: aiter() returned not an async
// iterator of type 'T'" (B02), or what __aiter__ raises or calling a
// non-callable __aiter__ gives (S10, S11).
func AIter(o Object) (Object, error) {
	r, has, exc := aiterSlot(o)
	if !has {
		return nil, Errorf(ExcTypeError, "'%s' object is not an async iterable", TypeName(o))
	}
	if exc != nil {
		return nil, exc
	}
	if !hasANext(r) {
		dropTemporary(r)
		return nil, Errorf(ExcTypeError, "aiter() returned not an async iterator of type '%s'", TypeName(r))
	}
	return r, nil
}

// ANext is anext(it): it.__anext__() returned unchanged, whatever it is
// (an int stays an int until awaited, B08). It calls __anext__ now, so
// a plain def __anext__ that raises raises here. Error when the type
// has no __anext__: "TypeError: 'T' object is not an async iterator"
// (B04, B05).
func ANext(it Object) (Object, error) {
	r, has, exc := anextSlot(it)
	if !has {
		return nil, Errorf(ExcTypeError, "'%s' object is not an async iterator", TypeName(it))
	}
	return r, errOf(exc)
}

// ANextDefault is anext(it, default): it calls __anext__ now and wraps
// the result in an [ANextAwaitable] that, awaited, turns
// StopAsyncIteration into default (G05, G06) and lets every other
// exception through (G07).
//
// When __anext__ itself raises (a plain def, catalogue B13/B14),
// CPython 3.11 crashes with SIGSEGV (gh-131670). The reference does
// what CPython does since the fix (PR gh-131682, in 3.12.10/3.13.3 and
// later): the exception, StopAsyncIteration included, is raised by
// anext() itself and no awaitable is made.
func ANextDefault(it, def Object) (Object, error) {
	r, has, exc := anextSlot(it)
	if !has {
		return nil, Errorf(ExcTypeError, "'%s' object is not an async iterator", TypeName(it))
	}
	if exc != nil {
		return nil, exc
	}
	return &ANextAwaitable{wrapped: r, def: orNone(def)}, nil
}

// BuiltinAIter is the aiter builtin called with Python arguments; the
// wrong number gives "TypeError: aiter() takes exactly one argument
// (N given)".
func BuiltinAIter(args []Object) (Object, error) {
	if len(args) != 1 {
		return nil, Errorf(ExcTypeError, "aiter() takes exactly one argument (%d given)", len(args))
	}
	return AIter(args[0])
}

// BuiltinANext is the anext builtin called with Python arguments; the
// wrong number gives "TypeError: anext expected at least 1 argument,
// got 0" or "... at most 2 arguments, got N" (B07).
func BuiltinANext(args []Object) (Object, error) {
	switch len(args) {
	case 0:
		return nil, Errorf(ExcTypeError, "anext expected at least 1 argument, got 0")
	case 1:
		return ANext(args[0])
	case 2:
		return ANextDefault(args[0], args[1])
	}
	return nil, Errorf(ExcTypeError, "anext expected at most 2 arguments, got %d", len(args))
}

// ANextAwaitable is the anext_awaitable of anext(it, default). As in
// CPython 3.11 it re-derives its iterator from the wrapped awaitable
// at every step (calling __await__ again for a custom awaitable), so a
// custom __await__ that suspends restarts on each resumption; with
// asyncio that loops forever, as CPython 3.11–3.13 do.
type ANextAwaitable struct {
	wrapped, def Object
}

// PyType implements [Typer].
func (a *ANextAwaitable) PyType() *Class { return ANextAwaitableType }

// Repr is repr(a).
func (a *ANextAwaitable) Repr() string { return fmt.Sprintf("<anext_awaitable object at %p>", a) }

// Await implements [Awaitable]: the awaitable is its own iterator.
func (a *ANextAwaitable) Await() (Object, error) { return a, nil }

// Wrapped is the awaitable __anext__() returned, which a holds until it
// is awaited.
func (a *ANextAwaitable) Wrapped() Object { return a.wrapped }

// getiter is anextawaitable_getiter.
func (a *ANextAwaitable) getiter() (Object, *Exception) {
	it, exc := getAwaitableIter(a.wrapped)
	if exc != nil {
		return nil, exc
	}
	if c, ok := it.(*Coroutine); ok {
		return &CoroutineWrapper{coro: c}, nil
	}
	return it, nil
}

func (a *ANextAwaitable) fix(v Object, yielded bool, exc *Exception) (Object, bool, *Exception) {
	if exc != nil && exc.Matches(ExcStopAsyncIteration) {
		return a.def, false, nil
	}
	if exc != nil && mutated(mutANextDefaultHidesRunning) && exc.Matches(ExcRuntimeError) && strings.HasSuffix(exc.Str(), "asynchronous generator is already running") {
		return a.def, false, nil
	}
	return v, yielded, exc
}

func (a *ANextAwaitable) iternext() (Object, bool, *Exception) {
	it, exc := a.getiter()
	if exc != nil {
		return nil, false, exc
	}
	return a.fix(iterNext(it))
}

func (a *ANextAwaitable) proxy(op func(it Object) (Object, bool, *Exception)) (Object, bool, *Exception) {
	it, exc := a.getiter()
	if exc != nil {
		return nil, false, exc
	}
	return a.fix(op(it))
}

// Send is anext_awaitable.send(v).
func (a *ANextAwaitable) Send(v Object) (Object, error) { return pyResult(sendTo(a, v)) }

// Throw is anext_awaitable.throw(...), passed to the wrapped awaitable.
func (a *ANextAwaitable) Throw(typ Object, rest ...Object) (Object, error) {
	th, bad := rawThrow(typ, rest)
	if bad != nil {
		return nil, bad
	}
	return pyResult(throwTo(a, th, true))
}

// Close is anext_awaitable.close(), passed to the wrapped awaitable.
func (a *ANextAwaitable) Close() error { return errOf(closeIter(a)) }

// Iter is iter(o). Errors: "TypeError: 'T' object is not iterable"
// (an async generator is not iterable, S01, S02), "TypeError: iter()
// returned non-iterator of type 'T'".
func Iter(o Object) (Object, error) {
	it, exc := getIter(o)
	return it, errOf(exc)
}

// Next is next(it): ok is false when it is exhausted. A non-iterator
// gives "TypeError: 'T' object is not an iterator".
func Next(it Object) (v Object, ok bool, err error) {
	v, ok, exc := iterNext(it)
	if exc != nil || !ok {
		return nil, false, errOf(exc)
	}
	return v, true, nil
}

// For runs the for statement: body gets each item and returns stop to
// break. exhausted reports that the loop ran out (the else clause
// runs); an error from iter, next or body ends the loop.
func For(iterable Object, body func(item Object) (stop bool, err error)) (exhausted bool, err error) {
	it, exc := getIter(iterable)
	if exc != nil {
		return false, exc
	}
	for {
		v, ok, exc := iterNext(it)
		if exc != nil {
			return false, exc
		}
		if !ok {
			return true, nil
		}
		stop, err := body(v)
		if err != nil {
			return false, AsException(err)
		}
		if stop {
			return false, nil
		}
	}
}

// ListOf is list(o).
func ListOf(o Object) (*List, error) {
	l := NewList()
	_, err := For(o, func(v Object) (bool, error) {
		l.Items = append(l.Items, v)
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// IsInstance is isinstance(o, cls) for one class (collections.abc
// classes included, X06).
func IsInstance(o Object, cls *Class) bool { return TypeOf(o).IsSubclass(cls) }

// IsSubclass is issubclass(c, base) (X05).
func IsSubclass(c, base *Class) bool { return c.IsSubclass(base) }

// IsCoroutine is asyncio.iscoroutine(o) in Python 3.11: a coroutine, a
// generator, or an object whose type has send, throw, close and
// __await__ (collections.abc.Coroutine), such as the asend and
// anext_awaitable objects.
func IsCoroutine(o Object) bool {
	switch o.(type) {
	case *Coroutine, *Generator:
		return true
	}
	return TypeOf(o).IsSubclass(CoroutineABC)
}

// IsAwaitable is inspect.isawaitable(o).
func IsAwaitable(o Object) bool {
	if isCoroutine(o) {
		return true
	}
	return TypeOf(o).IsSubclass(AwaitableABC)
}
