package reference

// AsyncForIter is the state of one async for loop (or one async
// comprehension's for clause) in a frame; see [Frame.AsyncIter].
type AsyncForIter struct {
	f  *Frame
	it Object
	// agen is set when the iterator is an async generator: its
	// __anext__ cannot be overridden, so the loop drives it through
	// scratch, one reused asend awaitable, instead of allocating one per
	// item; that is the whole difference from the generic path.
	agen    *AsyncGenerator
	scratch ASend
	done    bool
}

// AsyncIter starts an async for over iterable in this coroutine or
// async generator body (GET_AITER): it calls __aiter__ once. Errors:
// "TypeError: 'async for' requires an object with __aiter__ method,
// got T" (S03–S07), "TypeError: 'async for' received an object from
// __aiter__ that does not implement __anext__: T" (S08, S12), or what
// __aiter__ raises or calling a non-callable __aiter__ gives (S10,
// S11, S14).
func (f *Frame) AsyncIter(iterable Object) (*AsyncForIter, error) {
	it, has, exc := aiterSlot(iterable)
	if !has {
		return nil, Errorf(ExcTypeError, "'async for' requires an object with __aiter__ method, got %s", TypeName(iterable))
	}
	if exc != nil {
		return nil, exc
	}
	if !hasANext(it) {
		dropTemporary(it)
		return nil, Errorf(ExcTypeError, "'async for' received an object from __aiter__ that does not implement __anext__: %s", TypeName(it))
	}
	l := &AsyncForIter{f: f, it: it}
	if g, ok := it.(*AsyncGenerator); ok {
		l.agen = g
	}
	return l, nil
}

// Iterator returns what __aiter__ returned.
func (l *AsyncForIter) Iterator() Object { return l.it }

// Next awaits the next item (GET_ANEXT, then await): it calls
// __anext__ only now, after the previous item's body has finished, and
// suspends this frame for as long as the awaitable does. ok is false
// when StopAsyncIteration ended the loop (from the awaitable or raised
// by a plain def __anext__, N07; its value is ignored, N11); the loop's
// else clause then runs. A result of __anext__ that cannot be awaited
// gives "TypeError: 'async for' received an invalid object from
// __anext__: T" with the await error as __cause__ (N01, N13). Once
// Next has returned ok=false or an error, it keeps returning ok=false.
func (l *AsyncForIter) Next() (item Object, ok bool, err error) {
	if l.done {
		return nil, false, nil
	}
	var v Object
	var exc *Exception
	if g := l.agen; g != nil {
		if !g.hooksInited {
			if exc := g.initHooks(); exc != nil {
				l.done = true
				return nil, false, exc
			}
		}
		a := &l.scratch
		*a = ASend{gen: g}
		v, exc = l.f.yieldFrom(a)
	} else {
		v, exc = l.generic()
	}
	if exc != nil {
		l.done = true
		if exc.Matches(ExcStopAsyncIteration) {
			return nil, false, nil
		}
		return nil, false, exc
	}
	return v, true, nil
}

func (l *AsyncForIter) generic() (Object, *Exception) {
	aw, has, exc := anextSlot(l.it)
	if !has {
		return nil, Errorf(ExcTypeError, "'async for' requires an iterator with __anext__ method, got %s", TypeName(l.it))
	}
	if exc != nil {
		return nil, exc
	}
	it, exc := getAwaitableIter(aw)
	if exc != nil {
		return nil, fromCause(ExcTypeError, exc, "'async for' received an invalid object from __anext__: %s", TypeName(aw))
	}
	return l.f.yieldFrom(it)
}

// AsyncFor runs the async for statement in this frame: body gets each
// item and returns stop to break. exhausted reports that the loop ran
// out, so the else clause runs (G10). Item k+1 is requested only after
// body returned for item k. Errors from __aiter__, __anext__, the
// awaitable or body end the loop and are returned; the iterator is not
// closed (E05): when it was a temporary, call [Runtime.Finalize] on
// it afterwards to match CPython, which finalises it at once.
func (f *Frame) AsyncFor(iterable Object, body func(item Object) (stop bool, err error)) (exhausted bool, err error) {
	l, err := f.AsyncIter(iterable)
	if err != nil {
		return false, err
	}
	for {
		v, ok, err := l.Next()
		if err != nil {
			return false, err
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
