package reference

import "fmt"

// Coroutine is a coroutine object, what calling an async def returns.
// Its body runs when it is awaited, sent to, or driven by a [Task];
// the body calls [Frame.Await] to await.
//
// After the body returns or raises, every send, throw or await gives
// "RuntimeError: cannot reuse already awaited coroutine"; close is
// silent. Resuming it while its body runs gives "ValueError: coroutine
// already executing".
type Coroutine struct {
	// Name and Qualname are __name__ and __qualname__.
	Name, Qualname string
	// Code is the code object of the function that made it (ag_code,
	// cr_code, gi_code); nil when none was given.
	Code  Object
	frame Frame
}

// NewCoroutine returns a coroutine whose body is body; it does not run
// body. name and qualname are __name__ and __qualname__ (the latter
// appears in the "never awaited" warning).
func (rt *Runtime) NewCoroutine(name, qualname string, body func(f *Frame) (Object, error)) *Coroutine {
	c := &Coroutine{Name: name, Qualname: qualname}
	c.frame = Frame{rt: rt, owner: c, kind: kindCoroutine, coroBody: body}
	return c
}

// PyType implements [Typer].
func (c *Coroutine) PyType() *Class { return CoroutineType }

// Repr is repr(c).
func (c *Coroutine) Repr() string {
	return fmt.Sprintf("<coroutine object %s at %p>", c.Qualname, c)
}

// Send is coroutine.send(v): it runs the body until its next
// suspension and returns what it yields up (a Future, or None for a
// bare yield). When the body returns, Send returns a StopIteration
// carrying the result; when it raises, that exception. Sending a value
// other than None before the first run gives "TypeError: can't send
// non-None value to a just-started coroutine".
func (c *Coroutine) Send(v Object) (Object, error) {
	return pySend(c.frame.sendEx(v, nil, false, false), false)
}

// Throw is coroutine.throw(typ[, val[, tb]]): it raises the exception
// at the await where the body is suspended (delegating down the await
// chain), then behaves like Send. Invalid arguments give TypeError
// before the body is touched.
func (c *Coroutine) Throw(typ Object, rest ...Object) (Object, error) {
	th, bad := rawThrow(typ, rest)
	if bad != nil {
		return nil, bad
	}
	return pySend(c.frame.throwRaw(th, true), false)
}

// Close is coroutine.close(): GeneratorExit is thrown in; a body that
// suspends again gives "RuntimeError: coroutine ignored
// GeneratorExit". Closing a coroutine that never started or finished
// does nothing, and it then counts as finished.
func (c *Coroutine) Close() error { return errOf(c.frame.close()) }

// Await implements [Awaitable]: coroutine.__await__() returns a
// coroutine_wrapper iterator over c.
func (c *Coroutine) Await() (Object, error) { return &CoroutineWrapper{coro: c}, nil }

// Running is cr_running: the body is executing right now.
func (c *Coroutine) Running() bool { return c.frame.state == frameExecuting }

// Suspended is cr_suspended: the body is paused at an await.
func (c *Coroutine) Suspended() bool { return c.frame.state == frameSuspended }

// FrameObject is cr_frame: the frame until the body finishes, then None.
func (c *Coroutine) FrameObject() Object { return frameOrNone(&c.frame) }

// Awaiting is cr_await: the iterator the body is suspended on, or None.
func (c *Coroutine) Awaiting() Object { return orNone(c.frame.yf) }

// Done reports whether the body has finished (returned, raised, or
// was closed or released).
func (c *Coroutine) Done() bool { return c.frame.state == frameCompleted }

func frameOrNone(f *Frame) Object {
	if f.state == frameCompleted {
		return None
	}
	return f
}

// pySend maps a frame outcome to the Python-level send()/throw()
// result: a yield is returned, a return becomes StopIteration (or
// StopAsyncIteration for an async generator).
func pySend(o outcome, async bool) (Object, error) {
	switch o.kind {
	case outYield, outValue:
		return o.val, nil
	case outReturn:
		if async {
			return nil, NewException(ExcStopAsyncIteration)
		}
		return nil, stopIteration(o.val)
	}
	return nil, o.exc
}

// rawThrow checks throw()'s argument count (1 to 3) and keeps the
// arguments raw; see [thrown].
func rawThrow(typ Object, rest []Object) (thrown, *Exception) {
	switch len(rest) {
	case 0:
		return thrown{typ: typ}, nil
	case 1:
		return thrown{typ: typ, val: rest[0]}, nil
	case 2:
		return thrown{typ: typ, val: rest[0], tb: rest[1]}, nil
	}
	return thrown{}, Errorf(ExcTypeError, "throw expected at most 3 arguments, got %d", len(rest)+1)
}

// CoroutineWrapper is the iterator coroutine.__await__() returns; it
// drives the coroutine with the same send/throw/close semantics.
type CoroutineWrapper struct{ coro *Coroutine }

// PyType implements [Typer].
func (w *CoroutineWrapper) PyType() *Class { return CoroutineWrapperType }

// Send is coroutine_wrapper.send(v); see [Coroutine.Send].
func (w *CoroutineWrapper) Send(v Object) (Object, error) { return w.coro.Send(v) }

// Throw is coroutine_wrapper.throw(...); see [Coroutine.Throw].
func (w *CoroutineWrapper) Throw(typ Object, rest ...Object) (Object, error) {
	return w.coro.Throw(typ, rest...)
}

// Close is coroutine_wrapper.close(); see [Coroutine.Close].
func (w *CoroutineWrapper) Close() error { return w.coro.Close() }
