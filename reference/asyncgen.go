package reference

import "fmt"

// AsyncGenerator is an async generator object, what calling an async
// def containing yield returns. Its body calls [Frame.Yield] to produce
// items and [Frame.Await] to await. It is an async iterator whose
// __anext__ is asend(None); it has no close/send/throw (catalogue L12).
//
// States follow CPython 3.11: while an asend/athrow/aclose awaitable is
// driving the body through an await, the generator is running
// (ag_running is true) and starting another awaitable gives
// "RuntimeError: anext(): / athrow(): / aclose(): asynchronous generator
// is already running" when that awaitable is first awaited (asend
// reports "anext():"). Once the body has returned or raised, __anext__
// and asend raise StopAsyncIteration, athrow and aclose return None.
type AsyncGenerator struct {
	// Name and Qualname are __name__ and __qualname__.
	Name, Qualname string
	// Code is the code object of the function that made it (ag_code,
	// cr_code, gi_code); nil when none was given.
	Code  Object
	frame Frame

	runningAsync bool // ag_running_async, what ag_running reports
	closed       bool // ag_closed
	hooksInited  bool
	finalizer    Object
	hookLoop     *Loop // the loop whose shutdown_asyncgens will close it
}

// NewAsyncGenerator returns an async generator whose body is body; it
// does not run body. Returning a nil error ends the iteration
// (StopAsyncIteration); a StopAsyncIteration or StopIteration escaping
// body becomes "RuntimeError: async generator raised ...", chained.
func (rt *Runtime) NewAsyncGenerator(name, qualname string, body func(f *Frame) error) *AsyncGenerator {
	g := &AsyncGenerator{Name: name, Qualname: qualname}
	g.frame = Frame{rt: rt, owner: g, kind: kindAsyncGen, agenBody: body, fastYield: true}
	return g
}

// PyType implements [Typer].
func (g *AsyncGenerator) PyType() *Class { return AsyncGeneratorType }

// Repr is repr(g).
func (g *AsyncGenerator) Repr() string {
	return fmt.Sprintf("<async_generator object %s at %p>", g.Qualname, g)
}

// initHooks is async_gen_init_hooks: on the first __anext__, asend,
// athrow or aclose the generator remembers the finalizer hook and is
// passed to the firstiter hook (asyncio's loop records it for
// shutdown_asyncgens).
func (g *AsyncGenerator) initHooks() *Exception {
	if g.hooksInited {
		return nil
	}
	g.hooksInited = true
	rt := g.frame.rt
	if !isNone(rt.finalizer) {
		g.finalizer = rt.finalizer
	}
	if !isNone(rt.firstiter) {
		_, exc := call(rt.firstiter, []Object{g})
		return exc
	}
	return nil
}

// AIter implements [AsyncIterable]: aiter(g) is g.
func (g *AsyncGenerator) AIter() (Object, error) { return g, nil }

// ANext implements [AsyncIterator]: g.__anext__() returns a fresh
// *ASend; nothing runs until it is awaited, so it may be called while
// the generator is running or exhausted (the awaitable reports that).
// An error comes only from the firstiter hook.
func (g *AsyncGenerator) ANext() (Object, error) {
	if exc := g.initHooks(); exc != nil {
		return nil, exc
	}
	return &ASend{gen: g}, nil
}

// ASend is g.asend(v). The awaitable, when awaited, resumes the body
// with v as the value of its current yield; non-None v before the
// first item gives "TypeError: can't send non-None value to a
// just-started async generator" when awaited, not here (D05).
func (g *AsyncGenerator) ASend(v Object) (*ASend, error) {
	if exc := g.initHooks(); exc != nil {
		return nil, exc
	}
	return &ASend{gen: g, sendval: orNone(v)}, nil
}

// AThrow is g.athrow(typ[, val[, tb]]). Arguments are checked when the
// awaitable is awaited (T07): a non-exception gives "TypeError:
// exceptions must be classes or instances deriving from BaseException,
// not T"; a class is instantiated (T06). The awaitable raises the
// exception at the suspended yield and returns the body's next item;
// on a never-started generator the exception is raised without running
// the body (T04); on a finished one it returns None (T11).
func (g *AsyncGenerator) AThrow(args ...Object) (*AThrow, error) {
	if exc := g.initHooks(); exc != nil {
		return nil, exc
	}
	if args == nil {
		args = []Object{}
	}
	return &AThrow{gen: g, args: args}, nil
}

// AClose is g.aclose(). Awaited, it throws GeneratorExit at the
// suspended yield and returns None once the body has exited; awaits in
// finally blocks work (L05); a yield in response gives "RuntimeError:
// async generator ignored GeneratorExit" (L03, L04). A closed, finished
// or never-started generator just returns None (L01, L07).
func (g *AsyncGenerator) AClose() (*AThrow, error) {
	if exc := g.initHooks(); exc != nil {
		return nil, exc
	}
	return &AThrow{gen: g, aclose: true}, nil
}

// Running is ag_running: true from the moment an awaitable resumes the
// body until the body yields an item, returns or raises, including
// while it is suspended in an await.
func (g *AsyncGenerator) Running() bool { return g.runningAsync }

// FrameObject is ag_frame: the frame until the body finishes, then
// None (G16).
func (g *AsyncGenerator) FrameObject() Object { return frameOrNone(&g.frame) }

// Awaiting is ag_await: what the body is blocked on in an await, or
// None (X07).
func (g *AsyncGenerator) Awaiting() Object { return orNone(g.frame.yf) }

// Done reports whether the body has finished.
func (g *AsyncGenerator) Done() bool { return g.frame.state == frameCompleted }

// unwrap is async_gen_unwrap_value: an item yielded by the body ends
// the awaitable with that value; a plain yield from an await passes up.
func (g *AsyncGenerator) unwrap(o outcome) (Object, bool, *Exception) {
	var exc *Exception
	switch o.kind {
	case outYield:
		return o.val, true, nil
	case outValue:
		if !mutated(mutRunningFlagStaysSet) {
			g.runningAsync = false
		}
		return o.val, false, nil
	case outReturn:
		exc = NewException(ExcStopAsyncIteration)
	default:
		exc = o.exc
	}
	if exc.Matches(ExcStopAsyncIteration) || exc.Matches(ExcGeneratorExit) {
		g.closed = true
	}
	g.runningAsync = false
	return nil, false, exc
}

// finalize is _PyGen_Finalize for an async generator.
func (g *AsyncGenerator) finalize() {
	f := &g.frame
	if f.state == frameCompleted || f.state == frameExecuting {
		return
	}
	if g.finalizer != nil && !g.closed {
		if _, exc := call(g.finalizer, []Object{g}); exc != nil {
			f.rt.WriteUnraisable(exc, g)
		}
		return
	}
	f.finalizeClose(g)
}

type awaitableState uint8

const (
	awaitableInit awaitableState = iota
	awaitableIter
	awaitableClosed
)

// ASend is the async_generator_asend awaitable returned by __anext__
// and asend. What it produces depends on the generator's state when it
// is awaited, not when it was made (O03, O09): the next item, or
// StopAsyncIteration once the generator is exhausted (G04, D04).
// Awaiting it while another awaitable of the same generator is
// suspended in an await gives "RuntimeError: anext(): asynchronous
// generator is already running" (R01, R02, R04), and from inside the
// generator's own body the same (R05). Awaiting it a second time gives
// "RuntimeError: cannot reuse already awaited __anext__()/asend()"
// (O04, O07).
type ASend struct {
	gen     *AsyncGenerator
	sendval Object
	state   awaitableState
}

// PyType implements [Typer].
func (a *ASend) PyType() *Class { return ASendType }

// Repr is repr(a).
func (a *ASend) Repr() string { return fmt.Sprintf("<async_generator_asend object at %p>", a) }

// Await implements [Awaitable]: the awaitable is its own iterator.
func (a *ASend) Await() (Object, error) { return a, nil }

func (a *ASend) send(arg Object) (Object, bool, *Exception) {
	if a.state == awaitableClosed && !mutated(mutASendReusable) {
		return nil, false, Errorf(ExcRuntimeError, "cannot reuse already awaited __anext__()/asend()")
	}
	g := a.gen
	if a.state == awaitableInit {
		if g.runningAsync {
			return nil, false, Errorf(ExcRuntimeError, "anext(): asynchronous generator is already running")
		}
		if isNone(arg) {
			arg = a.sendval
		}
		a.state = awaitableIter
	}
	g.runningAsync = true
	v, yielded, exc := g.unwrap(g.frame.sendEx(arg, nil, false, false))
	if !yielded {
		a.state = awaitableClosed
	}
	return v, yielded, exc
}

func (a *ASend) throw(th thrown) (Object, bool, *Exception) {
	if a.state == awaitableClosed {
		return nil, false, Errorf(ExcRuntimeError, "cannot reuse already awaited __anext__()/asend()")
	}
	g := a.gen
	if mutated(mutCancelNotDelivered) && th.exc != nil && th.exc.Matches(ExcCancelledError) {
		a.state = awaitableClosed
		return nil, false, th.exc
	}
	v, yielded, e := g.unwrap(g.frame.throwRaw(th, true))
	if !yielded {
		a.state = awaitableClosed
	}
	return v, yielded, e
}

// Send is asend.send(v): it drives the generator by hand. An item
// yielded by the body arrives as StopIteration(item) (G13); a plain
// yield from an await inside the body is returned. Called from the
// generator's own body it gives "ValueError: async generator already
// executing".
func (a *ASend) Send(v Object) (Object, error) { return pyResult(a.send(v)) }

// Throw is asend.throw(...): the exception goes straight into the
// generator's body, even before the awaitable was first sent to (X10).
func (a *ASend) Throw(typ Object, rest ...Object) (Object, error) {
	th, bad := rawThrow(typ, rest)
	if bad != nil {
		return nil, bad
	}
	return pyResult(a.throw(th))
}

// Close is asend.close(): the awaitable becomes unusable; the
// generator is not affected.
func (a *ASend) Close() error {
	a.state = awaitableClosed
	return nil
}

// pyResult maps a yield-from style result to a Python-level send():
// a return becomes StopIteration(value).
func pyResult(v Object, yielded bool, exc *Exception) (Object, error) {
	if exc != nil {
		return nil, exc
	}
	if !yielded {
		return nil, stopIteration(v)
	}
	return v, nil
}

// AThrow is the async_generator_athrow awaitable of athrow and aclose.
// Awaiting it while another awaitable of the same generator is
// suspended in an await gives "RuntimeError: athrow(): / aclose():
// asynchronous generator is already running" (R02). Awaiting it again
// gives "RuntimeError: cannot reuse already awaited aclose()/athrow()"
// (O06).
type AThrow struct {
	gen    *AsyncGenerator
	args   []Object // athrow's arguments; nil in aclose mode
	aclose bool
	state  awaitableState
}

// PyType implements [Typer].
func (t *AThrow) PyType() *Class { return AThrowType }

// Repr is repr(t).
func (t *AThrow) Repr() string { return fmt.Sprintf("<async_generator_athrow object at %p>", t) }

// Await implements [Awaitable]: the awaitable is its own iterator.
func (t *AThrow) Await() (Object, error) { return t, nil }

func (t *AThrow) send(arg Object) (Object, bool, *Exception) {
	g := t.gen
	if t.state == awaitableClosed {
		return nil, false, Errorf(ExcRuntimeError, "cannot reuse already awaited aclose()/athrow()")
	}
	if g.frame.state == frameCompleted {
		t.state = awaitableClosed
		if mutated(mutAthrowFinishedRaises) && !t.aclose && len(t.args) > 0 {
			th, bad := rawThrow(t.args[0], t.args[1:])
			if bad == nil {
				bad, _ = th.normalize()
			}
			return nil, false, bad
		}
		return None, false, nil
	}
	if t.state == awaitableInit {
		if g.runningAsync {
			t.state = awaitableClosed
			if t.aclose {
				return nil, false, Errorf(ExcRuntimeError, "aclose(): asynchronous generator is already running")
			}
			return nil, false, Errorf(ExcRuntimeError, "athrow(): asynchronous generator is already running")
		}
		if g.closed {
			t.state = awaitableClosed
			return nil, false, NewException(ExcStopAsyncIteration)
		}
		if !isNone(arg) {
			return nil, false, Errorf(ExcRuntimeError, "can't send non-None value to a just-started coroutine")
		}
		t.state = awaitableIter
		g.runningAsync = true
		if (mutated(mutAcloseRunsUnstarted) && t.aclose || mutated(mutAthrowRunsUnstarted) && !t.aclose) && g.frame.state == frameCreated {
			if o := g.frame.sendEx(None, nil, false, false); o.kind != outValue {
				return t.checkError(agenExc(o))
			}
		}
		if t.aclose {
			g.closed = true
			o := g.frame.throwEx(NewException(ExcGeneratorExit), false)
			switch o.kind {
			case outValue:
				return t.yieldClose()
			case outYield:
				return o.val, true, nil
			}
			return t.checkError(agenExc(o))
		}
		var typ, val, tb Object
		switch n := len(t.args); {
		case n == 0:
			// CPython 3.11 leaves the generator marked running here.
			return nil, false, Errorf(ExcTypeError, "athrow expected at least 1 argument, got 0")
		case n > 3:
			return nil, false, Errorf(ExcTypeError, "athrow expected at most 3 arguments, got %d", n)
		default:
			typ = t.args[0]
			if n > 1 {
				val = t.args[1]
			}
			if n > 2 {
				tb = t.args[2]
			}
		}
		v, yielded, exc := g.unwrap(g.frame.throwRaw(thrown{typ: typ, val: val, tb: tb}, false))
		if yielded {
			return v, true, nil
		}
		if exc == nil {
			g.runningAsync = false
			t.state = awaitableClosed
			return v, false, nil
		}
		return t.checkError(exc)
	}
	o := g.frame.sendEx(arg, nil, false, false)
	if !t.aclose {
		return g.unwrap(o)
	}
	switch o.kind {
	case outValue:
		return t.yieldClose()
	case outYield:
		return o.val, true, nil
	}
	return t.checkError(agenExc(o))
}

// agenExc is the exception gen_send_ex leaves for a finished async
// generator frame.
func agenExc(o outcome) *Exception {
	if o.kind == outReturn {
		return NewException(ExcStopAsyncIteration)
	}
	return o.exc
}

func (t *AThrow) yieldClose() (Object, bool, *Exception) {
	t.gen.runningAsync = false
	t.state = awaitableClosed
	return nil, false, Errorf(ExcRuntimeError, "async generator ignored GeneratorExit")
}

func (t *AThrow) checkError(exc *Exception) (Object, bool, *Exception) {
	t.gen.runningAsync = false
	t.state = awaitableClosed
	if t.aclose && (exc.Matches(ExcStopAsyncIteration) || exc.Matches(ExcGeneratorExit)) {
		return None, false, nil
	}
	return nil, false, exc
}

func (t *AThrow) throw(th thrown) (Object, bool, *Exception) {
	if t.state == awaitableClosed {
		return nil, false, Errorf(ExcRuntimeError, "cannot reuse already awaited aclose()/athrow()")
	}
	g := t.gen
	o := g.frame.throwRaw(th, true)
	if !t.aclose {
		return g.unwrap(o)
	}
	switch o.kind {
	case outValue:
		return t.yieldClose()
	case outYield:
		return o.val, true, nil
	}
	e := agenExc(o)
	if e.Matches(ExcStopAsyncIteration) || e.Matches(ExcGeneratorExit) {
		return None, false, nil
	}
	return nil, false, e
}

// Send is athrow.send(v); see [ASend.Send]. Sending a value other than
// None first gives "RuntimeError: can't send non-None value to a
// just-started coroutine".
func (t *AThrow) Send(v Object) (Object, error) { return pyResult(t.send(v)) }

// Throw is athrow.throw(...): the exception goes straight into the
// generator's body.
func (t *AThrow) Throw(typ Object, rest ...Object) (Object, error) {
	th, bad := rawThrow(typ, rest)
	if bad != nil {
		return nil, bad
	}
	return pyResult(t.throw(th))
}

// Close is athrow.close(): the awaitable becomes unusable.
func (t *AThrow) Close() error {
	t.state = awaitableClosed
	return nil
}
