package reference

import "fmt"

// The iterator protocol as await and yield from drive it. Results are
// (v, true, nil) for a yield, (v, false, nil) for a return, or an
// exception; a StopIteration raised by a Python-level iterator is
// turned into a return of its value here and nowhere else.

// getAwaitableIter is _PyCoro_GetAwaitableIter.
func getAwaitableIter(o Object) (Object, *Exception) {
	switch v := o.(type) {
	case *Coroutine:
		return v, nil
	case *Generator:
		if v.IterableCoroutine {
			return v, nil
		}
	}
	res, has, exc := awaitSlot(o)
	if !has {
		return nil, Errorf(ExcTypeError, "object %s can't be used in 'await' expression", TypeName(o))
	}
	if exc != nil {
		return nil, exc
	}
	if isCoroutine(res) {
		dropTemporary(res)
		return nil, Errorf(ExcTypeError, "__await__() returned a coroutine")
	}
	if !isIterator(res) {
		return nil, Errorf(ExcTypeError, "__await__() returned non-iterator of type '%s'", TypeName(res))
	}
	return res, nil
}

// dropTemporary is CPython releasing the last reference to a result
// the protocol discards (an async __aiter__ or __await__'s coroutine):
// a coroutine that never ran warns that it was never awaited.
func dropTemporary(o Object) {
	if c, ok := o.(*Coroutine); ok && c.frame.state == frameCreated {
		c.frame.rt.Finalize(c)
	}
}

func isCoroutine(o Object) bool {
	switch v := o.(type) {
	case *Coroutine:
		return true
	case *Generator:
		return v.IterableCoroutine
	}
	return false
}

// awaitSlot calls the am_await slot; has is false for an empty slot.
func awaitSlot(o Object) (res Object, has bool, exc *Exception) {
	switch v := o.(type) {
	case *ASend, *AThrow, *ANextAwaitable:
		return v, true, nil
	case *Future:
		return &futureIter{fut: v}, true, nil
	case *Task:
		return &futureIter{fut: &v.Future}, true, nil
	case *Instance, *Exception:
		if m, ok := instanceSpecial(o, "__await__", mutAwaitOnInstance); ok {
			r, exc := call(m, nil)
			return r, true, exc
		}
		m, ok := lookupSpecial(o, "__await__")
		if !ok {
			return nil, false, nil
		}
		r, exc := callBound(m, o, nil)
		return r, true, exc
	case Awaitable:
		r, err := v.Await()
		return orNone(r), true, AsException(err)
	}
	return nil, false, nil
}

// isIterator is PyIter_Check: the type fills tp_iternext.
func isIterator(o Object) bool {
	switch o.(type) {
	case *Generator, *ASend, *AThrow, *ANextAwaitable, *CoroutineWrapper, *futureIter, *seqIterator, *strIterator, *sequenceIterator:
		return true
	case *Coroutine, *AsyncGenerator:
		return false
	case *Instance, *Exception:
		_, ok := lookupSpecial(o, "__next__")
		return ok
	case Iterator, Sender:
		return true
	}
	return false
}

func fromOutcome(o outcome) (Object, bool, *Exception) {
	switch o.kind {
	case outYield, outValue:
		return o.val, true, nil
	case outReturn:
		return o.val, false, nil
	}
	return nil, false, o.exc
}

// stopValue turns a StopIteration from a Python-level iterator into a
// return (_PyGen_FetchStopIterationValue).
func stopValue(v Object, exc *Exception) (Object, bool, *Exception) {
	if exc == nil {
		return v, true, nil
	}
	if exc.Matches(ExcStopIteration) {
		return exc.Value(), false, nil
	}
	return nil, false, exc
}

// sendTo is PyIter_Send.
func sendTo(it Object, v Object) (Object, bool, *Exception) {
	switch x := it.(type) {
	case *ASend:
		return x.send(v)
	case *Coroutine:
		return fromOutcome(x.frame.sendEx(v, nil, false, false))
	case *Generator:
		return fromOutcome(x.frame.sendEx(v, nil, false, false))
	case *AThrow:
		return x.send(v)
	case *ANextAwaitable:
		if isNone(v) {
			return x.iternext()
		}
		return x.proxy(func(aw Object) (Object, bool, *Exception) {
			return stopValue(callMethod(aw, "send", []Object{v}))
		})
	case *CoroutineWrapper:
		return fromOutcome(x.coro.frame.sendEx(v, nil, false, false))
	case *futureIter:
		return x.send(v)
	case Sender:
		r, yielded, err := x.AmSend(orNone(v))
		if err != nil {
			return stopValue(nil, AsException(err))
		}
		return orNone(r), yielded, nil
	}
	if isNone(v) && isIterator(it) {
		return iterNext(it)
	}
	return stopValue(callMethod(it, "send", []Object{v}))
}

// iterNext calls tp_iternext; a return means exhaustion.
func iterNext(it Object) (Object, bool, *Exception) {
	switch x := it.(type) {
	case *seqIterator:
		v, ok, _ := x.Next()
		return v, ok, nil
	case *Generator:
		return fromOutcome(x.frame.sendEx(None, nil, false, false))
	case *ASend, *AThrow, *CoroutineWrapper, *futureIter:
		return sendTo(x, None)
	case *ANextAwaitable:
		return x.iternext()
	case *Instance, *Exception:
		m, ok := lookupSpecial(x, "__next__")
		if !ok {
			return nil, false, Errorf(ExcTypeError, "'%s' object is not an iterator", TypeName(it))
		}
		return stopValue(callBound(m, x, nil))
	case Iterator:
		v, ok, err := x.Next()
		if err != nil {
			return stopValue(nil, AsException(err))
		}
		if !ok {
			return None, false, nil
		}
		return orNone(v), true, nil
	case Sender:
		return sendTo(x, None)
	}
	return nil, false, Errorf(ExcTypeError, "'%s' object is not an iterator", TypeName(it))
}

// throwTo delivers a throw into the iterator a frame delegates to.
func throwTo(it Object, th thrown, closeOnGenExit bool) (Object, bool, *Exception) {
	switch x := it.(type) {
	case *Coroutine:
		return fromOutcome(x.frame.throwRaw(th, closeOnGenExit))
	case *Generator:
		return fromOutcome(x.frame.throwRaw(th, closeOnGenExit))
	case *ASend:
		return x.throw(th)
	case *AThrow:
		return x.throw(th)
	case *ANextAwaitable:
		return x.proxy(func(aw Object) (Object, bool, *Exception) {
			return throwTo(aw, th, true)
		})
	case *CoroutineWrapper:
		return fromOutcome(x.coro.frame.throwRaw(th, true))
	case *futureIter:
		return nil, false, futureIterThrow(th)
	case Thrower:
		exc, bad := th.normalize()
		if bad != nil {
			return nil, false, bad
		}
		r, yielded, err := x.AmThrow(exc)
		if err != nil {
			return stopValue(nil, AsException(err))
		}
		return orNone(r), yielded, nil
	}
	m, e := getAttr(it, "throw")
	if e != nil {
		if e.Matches(ExcAttributeError) {
			exc, bad := th.normalize()
			if bad != nil {
				return nil, false, bad
			}
			return nil, false, exc
		}
		return nil, false, e
	}
	return stopValue(call(m, th.args()))
}

// futureIterThrow is FutureIter.throw, which validates with messages
// of its own and raises.
func futureIterThrow(th thrown) *Exception {
	if th.exc != nil {
		return th.exc
	}
	val, tb := th.val, th.tb
	if isNone(val) {
		val = nil
	}
	if tb != nil && !isNone(tb) {
		return Errorf(ExcTypeError, "throw() third argument must be a traceback")
	}
	switch t := th.typ.(type) {
	case *Class:
		if t.exc {
			return instantiateException(t, val)
		}
	case *Exception:
		if val != nil {
			return Errorf(ExcTypeError, "instance exception may not have a separate value")
		}
		return t
	}
	return Errorf(ExcTypeError, "exceptions must be classes deriving BaseException or instances of such a class")
}

// closeIter is gen_close_iter.
func closeIter(it Object) *Exception {
	switch x := it.(type) {
	case *Coroutine:
		return x.frame.close()
	case *Generator:
		return x.frame.close()
	case *ASend:
		x.state = awaitableClosed
		return nil
	case *AThrow:
		x.state = awaitableClosed
		return nil
	case *ANextAwaitable:
		_, _, exc := x.proxy(func(aw Object) (Object, bool, *Exception) {
			return nil, false, closeIter(aw)
		})
		return exc
	case *CoroutineWrapper:
		return x.coro.frame.close()
	case *futureIter:
		x.fut = nil
		return nil
	case Closer:
		return AsException(x.AmClose())
	}
	m, e := getAttr(it, "close")
	if e != nil {
		if !e.Matches(ExcAttributeError) {
			return e
		}
		return nil
	}
	_, e = call(m, nil)
	return e
}

// getIter is PyObject_GetIter (iter(o)).
func getIter(o Object) (Object, *Exception) {
	switch v := o.(type) {
	case string:
		return &strIterator{rs: []rune(v)}, nil
	case *List:
		return &seqIterator{items: &v.Items, cls: ListIteratorType}, nil
	case *Tuple:
		return &seqIterator{items: &v.Items, cls: TupleIteratorType}, nil
	case *Generator, *seqIterator, *strIterator, *sequenceIterator, *ASend, *AThrow, *ANextAwaitable, *CoroutineWrapper, *futureIter:
		return v, nil
	case *Instance, *Exception:
		m, ok := lookupSpecial(o, "__iter__")
		if !ok {
			if _, ok := lookupSpecial(o, "__getitem__"); ok {
				return &sequenceIterator{seq: o}, nil
			}
			break
		}
		if isNone(m) {
			break
		}
		r, exc := callBound(m, o, nil)
		if exc != nil {
			return nil, exc
		}
		if !isIterator(r) {
			return nil, Errorf(ExcTypeError, "iter() returned non-iterator of type '%s'", TypeName(r))
		}
		return r, nil
	case Iterable:
		r, err := v.Iter()
		if err != nil {
			return nil, AsException(err)
		}
		if !isIterator(r) {
			return nil, Errorf(ExcTypeError, "iter() returned non-iterator of type '%s'", TypeName(r))
		}
		return r, nil
	}
	return nil, Errorf(ExcTypeError, "'%s' object is not iterable", TypeName(o))
}

// sequenceIterator is the iterator iter() makes for an object with
// __getitem__ but no __iter__.
type sequenceIterator struct {
	seq Object
	i   int
}

func (it *sequenceIterator) PyType() *Class { return iteratorType }
func (it *sequenceIterator) Next() (Object, bool, error) {
	if it.seq == nil {
		return nil, false, nil
	}
	m, _ := lookupSpecial(it.seq, "__getitem__")
	v, exc := callBound(m, it.seq, []Object{it.i})
	if exc != nil {
		it.seq = nil
		if exc.Matches(ExcIndexError) || exc.Matches(ExcStopIteration) {
			return nil, false, nil
		}
		return nil, false, exc
	}
	it.i++
	return v, true, nil
}

var iteratorType = newBuiltinClass("iterator", "", ObjectType)

// futureIter is _asyncio.FutureIter, what awaiting a Future drives.
type futureIter struct{ fut *Future }

func (it *futureIter) PyType() *Class { return FutureIterType }

func (it *futureIter) send(Object) (Object, bool, *Exception) {
	f := it.fut
	if f == nil {
		return None, false, nil
	}
	if f.state == futurePending {
		if !f.blocking {
			f.blocking = true
			return f.self, true, nil
		}
		return nil, false, Errorf(ExcRuntimeError, "await wasn't used with future")
	}
	it.fut = nil
	v, exc := f.result()
	return v, false, exc
}

func (it *futureIter) Repr() string { return fmt.Sprintf("<_asyncio.FutureIter object at %p>", it) }
