package reference

import "iter"

// Frame is the execution of one generator, coroutine or async
// generator body, the Go side of CPython's frame object. The body
// receives its Frame and calls Await, Yield and YieldFrom on it; those
// calls suspend the body on its own coroutine stack (iter.Pull's
// runtime coroutine switch, no channels) until whoever drives the
// object resumes it.
//
// A Frame's methods may be called only by its own body, while it runs;
// called from anywhere else they panic, since they would switch the
// wrong stack.
type Frame struct {
	rt    *Runtime
	owner Object
	kind  frameKind
	state frameState

	coroBody func(*Frame) (Object, error)
	agenBody func(*Frame) error
	w        *worker
	// next and yield are w's switch functions, cached here because
	// the per-item path calls them.
	next  func() (struct{}, bool)
	yield func(struct{}) bool

	// Registers exchanged across a switch: in* is what the resumer
	// wants (send a value, throw, release), out* what the body did.
	// Separate fields rather than structs keep the per-item path to a
	// few plain stores.
	inKind  instrKind
	inClose bool
	inVal   Object
	inTh    *thrown
	outKind outKind
	outVal  Object
	outExc  *Exception

	// yf is the iterator being delegated to by await / yield from,
	// CPython's _PyGen_yf (ag_await, cr_await, gi_yieldfrom).
	yf Object

	prevLive, nextLive *Frame
	releasing          bool
	// fastYield is set for async generators that are not being
	// released: Yield may take its short path.
	fastYield bool
}

type frameKind uint8

const (
	kindCoroutine frameKind = iota
	kindGenerator
	kindAsyncGen
)

func (k frameKind) String() string {
	switch k {
	case kindCoroutine:
		return "coroutine"
	case kindGenerator:
		return "generator"
	}
	return "async generator"
}

type frameState uint8

const (
	frameCreated frameState = iota
	frameSuspended
	frameExecuting
	frameCompleted
)

type instrKind uint8

const (
	instrSend instrKind = iota
	instrThrow
	instrRelease
)

type instr struct {
	kind           instrKind
	closeOnGenExit bool
	val            Object
	th             *thrown
}

type outKind uint8

const (
	outYield  outKind = iota // a plain yield: travels up to the event loop
	outValue                 // an async generator's yield: ends asend()
	outReturn                // finished with a value
	outRaise                 // finished with an exception
)

type outcome struct {
	kind outKind
	val  Object
	exc  *Exception
}

func raised(e *Exception) outcome { return outcome{kind: outRaise, exc: e} }

// releaseSignal unwinds a body whose frame is being released; the
// worker recovers it.
type releaseSignal struct{}

// worker is a reusable coroutine stack. Frames take one when they
// first run and give it back when they finish, so starting a
// coroutine costs no goroutine creation in the steady state.
type worker struct {
	rt   *Runtime
	next func() (struct{}, bool)
	stop func()
	f    *Frame
}

func (rt *Runtime) getWorker() *worker {
	if n := len(rt.idle); n > 0 {
		w := rt.idle[n-1]
		rt.idle[n-1] = nil
		rt.idle = rt.idle[:n-1]
		return w
	}
	w := &worker{rt: rt}
	w.next, w.stop = iter.Pull(iter.Seq[struct{}](w.run))
	return w
}

func (w *worker) run(yield func(struct{}) bool) {
	for {
		w.f.yield = yield
		w.f.execute()
		w.f = nil
		rt := w.rt
		if rt.closed || len(rt.idle) >= maxIdleWorkers {
			return
		}
		rt.idle = append(rt.idle, w)
		if !yield(struct{}{}) {
			return
		}
	}
}

func (f *Frame) execute() {
	defer f.recoverRelease()
	var v Object = None
	var err error
	if f.kind == kindAsyncGen {
		err = f.agenBody(f)
	} else {
		v, err = f.coroBody(f)
	}
	f.finish()
	if err != nil {
		f.outKind, f.outVal, f.outExc = outRaise, nil, f.escape(AsException(err))
	} else {
		f.outKind, f.outVal, f.outExc = outReturn, orNone(v), nil
	}
}

func (f *Frame) recoverRelease() {
	if !f.releasing {
		return
	}
	if r := recover(); r != nil {
		if _, ok := r.(releaseSignal); !ok {
			panic(r)
		}
	}
	f.finish()
	f.outKind, f.outVal, f.outExc = outReturn, None, nil
}

func (f *Frame) finish() {
	f.state = frameCompleted
	f.yf = nil
	f.rt.unlink(f)
	f.w, f.next, f.yield = nil, nil, nil
	if g, ok := f.owner.(*AsyncGenerator); ok && g.hookLoop != nil {
		// A finished generator needs no aclose at shutdown; dropping it
		// here stands in for the WeakSet losing it to the GC.
		delete(g.hookLoop.asyncgens, g)
		g.hookLoop = nil
	}
}

// escape applies the rules for exceptions leaving a frame: StopIteration
// (and StopAsyncIteration from an async generator) cannot escape and
// become RuntimeError chained from the original (PEP 479, PEP 525).
func (f *Frame) escape(exc *Exception) *Exception {
	if exc.Matches(ExcStopIteration) &&
		!(f.kind == kindAsyncGen && mutated(mutStopIterationEscapesAgen)) &&
		!(f.kind == kindCoroutine && mutated(mutStopIterationEscapesCoro)) {
		return fromCause(ExcRuntimeError, exc, "%s raised StopIteration", f.kind)
	}
	if f.kind == kindAsyncGen && exc.Matches(ExcStopAsyncIteration) && !mutated(mutStopAsyncIterationEscapes) {
		return fromCause(ExcRuntimeError, exc, "async generator raised StopAsyncIteration")
	}
	return exc
}

// sendEx is gen_send_ex2: resume with a value or, when exc is set, by
// raising exc at the suspension point. closing is set only by close(),
// which may touch a finished coroutine silently.
func (f *Frame) sendEx(arg Object, exc *Exception, closing, closeOnGenExit bool) outcome {
	switch f.state {
	case frameCreated:
		if exc == nil && !isNone(arg) {
			return raised(Errorf(ExcTypeError, "can't send non-None value to a just-started %s", f.kind))
		}
		if exc != nil {
			// Thrown into a frame that never ran: raised before its
			// first instruction, so no body code runs.
			f.finish()
			return raised(f.escape(exc))
		}
	case frameExecuting:
		return raised(Errorf(ExcValueError, "%s already executing", f.kind))
	case frameCompleted:
		if f.kind == kindCoroutine && !closing {
			return raised(Errorf(ExcRuntimeError, "cannot reuse already awaited coroutine"))
		}
		if exc == nil {
			return outcome{kind: outReturn, val: None}
		}
		return raised(exc)
	}
	if exc != nil {
		return f.resume(instr{kind: instrThrow, val: None, th: &thrown{exc: exc}, closeOnGenExit: closeOnGenExit})
	}
	return f.resume(instr{kind: instrSend, val: orNone(arg)})
}

func (f *Frame) throwEx(exc *Exception, closeOnGenExit bool) outcome {
	return f.sendEx(None, exc, false, closeOnGenExit)
}

// throwRaw is _gen_throw: a frame suspended in an await passes the
// throw down unvalidated; any other frame validates it first and, if it
// is invalid, reports the TypeError without being resumed.
func (f *Frame) throwRaw(th thrown, closeOnGenExit bool) outcome {
	if f.yf == nil || f.state != frameSuspended {
		exc, bad := th.normalize()
		if bad != nil {
			return raised(bad)
		}
		return f.sendEx(None, exc, false, closeOnGenExit)
	}
	return f.resume(instr{kind: instrThrow, val: None, th: &th, closeOnGenExit: closeOnGenExit})
}

func (f *Frame) resume(in instr) outcome {
	f.inKind, f.inClose, f.inVal, f.inTh = in.kind, in.closeOnGenExit, in.val, in.th
	f.state = frameExecuting
	if f.w == nil {
		w := f.rt.getWorker()
		w.f = f
		f.w, f.next = w, w.next
		f.rt.link(f)
	}
	f.next()
	out := outcome{kind: f.outKind, val: f.outVal, exc: f.outExc}
	f.outVal, f.outExc, f.inVal, f.inTh = nil, nil, nil, nil
	return out
}

// suspend hands out to the resumer and waits to be resumed.
func (f *Frame) suspend(kind outKind, v Object) instr {
	if f.releasing {
		panic(releaseSignal{})
	}
	f.outKind, f.outVal, f.outExc = kind, v, nil
	f.state = frameSuspended
	if !f.yield(struct{}{}) {
		f.releasing, f.fastYield = true, false
		panic(releaseSignal{})
	}
	return f.resumed()
}

// resumed reads what the resumer asked for after a switch back in.
func (f *Frame) resumed() instr {
	if f.inKind == instrRelease {
		panic(releaseSignal{})
	}
	return instr{kind: f.inKind, closeOnGenExit: f.inClose, val: f.inVal, th: f.inTh}
}

// close is gen_close.
func (f *Frame) close() *Exception {
	out := f.sendEx(None, NewException(ExcGeneratorExit), true, true)
	switch out.kind {
	case outYield, outValue:
		return Errorf(ExcRuntimeError, "%s ignored GeneratorExit", f.kind)
	case outReturn:
		if f.kind == kindAsyncGen {
			// An async generator that returns in response: gen_send_ex
			// raises StopAsyncIteration for it, which gen_close does not
			// treat as a clean exit, so finalising such a generator
			// without an event loop reports StopAsyncIteration() as
			// unraisable in CPython 3.11.
			return NewException(ExcStopAsyncIteration)
		}
		return nil
	}
	if out.exc.Matches(ExcStopIteration) || out.exc.Matches(ExcGeneratorExit) {
		return nil
	}
	return out.exc
}

// release drops the frame's stack without running more of its body.
func (f *Frame) release() {
	switch f.state {
	case frameCreated:
		f.finish()
	case frameSuspended:
		f.releasing, f.fastYield = true, false
		f.resume(instr{kind: instrRelease})
	}
}

// finalizeClose is _PyGen_Finalize for generators and coroutines.
func (f *Frame) finalizeClose(owner Object) {
	switch f.state {
	case frameCreated:
		f.finish()
		return
	case frameSuspended:
	default:
		return
	}
	if exc := f.close(); exc != nil {
		f.rt.WriteUnraisable(exc, owner)
	}
	f.dropStack()
}

// dropStack is the frame being cleared: its stack goes, and an
// awaited coroutine or generator it referenced is finalised.
func (f *Frame) dropStack() {
	yf := f.yf
	f.release()
	switch yf.(type) {
	case *Coroutine, *Generator:
		f.rt.Finalize(yf)
	}
}

// mustBeRunning catches a body's Frame used from outside that body,
// which would switch the wrong coroutine stack.
func (f *Frame) mustBeRunning(op string) {
	if f.state != frameExecuting {
		panic("reference: Frame." + op + " called while the frame's body is not running")
	}
}

// Runtime returns the Runtime the frame's object was made from.
func (f *Frame) Runtime() *Runtime { return f.rt }

// PyType implements [Typer].
func (f *Frame) PyType() *Class { return FrameType }

// Yield suspends a generator or async generator body, producing v
// (yield v). It returns the value sent by send/asend/__next__ (None for
// next), or the exception thrown in by throw/athrow/close/aclose or a
// task's cancellation, which the body must raise at the yield. Calling
// Yield from a coroutine body panics (a compile-time error in Python).
//
// In an async generator the value goes to the asend/__anext__ awaitable
// being awaited, not to the event loop.
func (f *Frame) Yield(v Object) (Object, error) {
	// The common case is written out here, one call deep: the
	// return predictor loses its entries at every coroutine switch,
	// so each call frame between the body and the switch costs a
	// mispredicted return per item.
	if f.fastYield && v != nil && f.state == frameExecuting {
		f.outKind, f.outVal = outValue, v
		f.state = frameSuspended
		if f.yield(struct{}{}) && f.inKind == instrSend {
			return f.inVal, nil
		}
		return f.afterYield()
	}
	return f.yieldSlow(v)
}

func (f *Frame) yieldSlow(v Object) (Object, error) {
	f.mustBeRunning("Yield")
	kind := outYield
	switch f.kind {
	case kindAsyncGen:
		kind = outValue
	case kindCoroutine:
		panic("reference: Yield called from a coroutine body")
	}
	in := f.suspend(kind, orNone(v))
	if in.kind == instrThrow {
		return nil, in.th.exc
	}
	return in.val, nil
}

// afterYield finishes Yield's fast path when the resumer threw, or
// is releasing the frame.
func (f *Frame) afterYield() (Object, error) {
	if f.state != frameExecuting {
		// yield returned false: the worker is being stopped.
		f.releasing, f.fastYield = true, false
		panic(releaseSignal{})
	}
	in := f.resumed()
	if in.kind == instrThrow {
		return nil, in.th.exc
	}
	return in.val, nil
}

// Await is the await expression in a coroutine or async generator body:
// it gets x's awaitable iterator (TypeError "object T can't be used in
// 'await' expression" and the other W-group errors otherwise) and
// delegates to it like yield from, so every value it yields travels up
// through whoever drives this frame to the event loop, and what they
// send or throw comes back down. It returns the awaitable's result or
// its exception. Awaiting a coroutine that is suspended in an await of
// its own gives "RuntimeError: coroutine is being awaited already".
// Calling Await from a generator body panics.
func (f *Frame) Await(x Object) (Object, error) {
	f.mustBeRunning("Await")
	if f.kind == kindGenerator {
		panic("reference: Await called from a generator body")
	}
	it, exc := getAwaitableIter(x)
	if exc != nil {
		return nil, exc
	}
	if c, ok := it.(*Coroutine); ok && c.frame.yf != nil {
		return nil, Errorf(ExcRuntimeError, "coroutine is being awaited already")
	}
	v, exc := f.yieldFrom(it)
	if exc != nil {
		return nil, exc
	}
	return v, nil
}

// YieldFrom is yield from x in a generator body: x must be iterable
// (a coroutine is refused unless this generator is an iterable
// coroutine, as types.coroutine makes it). It returns the subiterator's
// return value.
func (f *Frame) YieldFrom(x Object) (Object, error) {
	f.mustBeRunning("YieldFrom")
	if f.kind != kindGenerator {
		panic("reference: YieldFrom called outside a generator body")
	}
	var it Object
	switch v := x.(type) {
	case *Coroutine:
		if f.owner.(*Generator).IterableCoroutine {
			it = v
		} else {
			return nil, Errorf(ExcTypeError, "cannot 'yield from' a coroutine object in a non-coroutine generator")
		}
	case *Generator:
		it = v
	default:
		var exc *Exception
		if it, exc = getIter(x); exc != nil {
			return nil, exc
		}
	}
	v, exc := f.yieldFrom(it)
	if exc != nil {
		return nil, exc
	}
	return v, nil
}

// yieldFrom is CPython's SEND loop, with _gen_throw's delegation of
// thrown exceptions.
func (f *Frame) yieldFrom(it Object) (Object, *Exception) {
	f.yf = it
	v, yielded, exc := sendTo(it, None)
	return f.delegate(it, v, yielded, exc)
}

// delegate continues the SEND loop after the first send to it gave
// (v, yielded, exc); f.yf is it.
func (f *Frame) delegate(it Object, v Object, yielded bool, exc *Exception) (Object, *Exception) {
	for yielded {
		in := f.suspend(outYield, v)
		if in.kind == instrSend {
			v, yielded, exc = sendTo(it, in.val)
		} else {
			v, yielded, exc = f.throwInto(it, *in.th, in.closeOnGenExit)
		}
	}
	f.yf = nil
	return v, exc
}

func (f *Frame) throwInto(it Object, th thrown, closeOnGenExit bool) (Object, bool, *Exception) {
	if closeOnGenExit && th.matches(ExcGeneratorExit) {
		if e := closeIter(it); e != nil {
			return nil, false, e
		}
		exc, bad := th.normalize()
		if bad != nil {
			return nil, false, bad
		}
		return nil, false, exc
	}
	return throwTo(it, th, closeOnGenExit)
}
