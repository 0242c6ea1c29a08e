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
	f.mustBeRunning("AsyncIter")
	it, exc := getAIter(iterable)
	if exc != nil {
		return nil, exc
	}
	l := &AsyncForIter{f: f, it: it}
	if g, ok := it.(*AsyncGenerator); ok {
		l.agen = g
	}
	return l, nil
}

// GetAIter is GET_AITER on its own: what async for does with its
// iterable before the first item (__aiter__ once, checked to return an
// object with __anext__), with the errors of [Frame.AsyncIter]. An async
// generator expression does this to its outermost iterable when it is
// evaluated, which may be outside any coroutine, and iterates the result
// later; it needs no frame.
func GetAIter(iterable Object) (Object, error) {
	it, exc := getAIter(iterable)
	return it, errOf(exc)
}

func getAIter(iterable Object) (Object, *Exception) {
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
	return it, nil
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
// Next must be called from the body of the frame that made l, and not
// again while a previous call is suspended; calling it from elsewhere
// panics.
func (l *AsyncForIter) Next() (item Object, ok bool, err error) {
	if g := l.agen; g != nil {
		gf := &g.frame
		if gf.state == frameSuspended && !g.runningAsync && !l.done {
			// The per-item path: what awaiting a fresh asend(None) does
			// to a suspended, idle generator, written out so that one
			// call (the coroutine switch) separates this loop from the
			// generator's yield. A started generator has its hooks
			// initialised already.
			// The scratch asend and the consumer's await pointer are
			// set only when the body suspends in an await; while it
			// runs synchronously to its next yield nothing can see them.
			g.runningAsync = true
			gf.inKind, gf.inVal = instrSend, None
			gf.state = frameExecuting
			gf.next()
			if gf.outKind == outValue {
				g.runningAsync = false
				return gf.outVal, true, nil
			}
			return l.afterFirstSend()
		}
	}
	if l.done {
		return nil, false, nil
	}
	l.f.mustBeRunning("AsyncForIter.Next")
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
	return l.result(v, exc)
}

// afterFirstSend handles a first resumption that did not end in an
// item: the body awaited (the await chain takes over, through the
// scratch asend, now in its iterating state), returned or raised.
func (l *AsyncForIter) afterFirstSend() (Object, bool, error) {
	g := l.agen
	gf := &g.frame
	o := outcome{kind: gf.outKind, val: gf.outVal, exc: gf.outExc}
	gf.outVal, gf.outExc = nil, nil
	a := &l.scratch
	*a = ASend{gen: g, state: awaitableIter}
	v, yielded, exc := g.unwrap(o)
	if !yielded {
		a.state = awaitableClosed
	}
	l.f.yf = a
	v, exc = l.f.delegate(a, v, yielded, exc)
	return l.result(v, exc)
}

func (l *AsyncForIter) result(v Object, exc *Exception) (Object, bool, error) {
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
	g := l.agen
	for {
		var v Object
		if g != nil && g.frame.state == frameSuspended && !g.runningAsync {
			// Next's per-item path, repeated here so that the
			// coroutine switch is called from this loop directly.
			gf := &g.frame
			g.runningAsync = true
			gf.inKind, gf.inVal = instrSend, None
			gf.state = frameExecuting
			gf.next()
			if gf.outKind != outValue {
				v, ok, err := l.afterFirstSend()
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
				continue
			}
			g.runningAsync = false
			v = gf.outVal
		} else {
			item, ok, err := l.Next()
			if err != nil {
				return false, err
			}
			if !ok {
				return true, nil
			}
			v = item
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
