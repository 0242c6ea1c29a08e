package reference

// Future is asyncio.Future (the C _asyncio.Future), also the base of
// [Task] and of gather's _GatheringFuture. Awaiting a pending future
// suspends the awaiting task until it is done. Callbacks run through
// the loop (call_soon), never synchronously.
//
// Result and Exception of a cancelled future raise CancelledError; of a
// pending one InvalidStateError "Result is not set." / "Exception is
// not set."; setting a done future gives InvalidStateError "invalid
// state".
type Future struct {
	loop          *Loop
	self          Object // the Python-visible object: this *Future or its *Task
	cls           *Class
	state         futureState
	value         Object
	exc           *Exception
	callbacks     []futureCallback
	cbSeq         uint64
	cancelMessage Object
	cancelledExc  *Exception
	blocking      bool
	gather        *gathering
}

type futureState uint8

const (
	futurePending futureState = iota
	futureCancelled
	futureFinished
)

func (s futureState) String() string {
	return [...]string{"PENDING", "CANCELLED", "FINISHED"}[s]
}

type futureCallback struct {
	id uint64
	fn func(fut Object) error
}

// CreateFuture is loop.create_future().
func (l *Loop) CreateFuture() *Future {
	f := &Future{loop: l, cls: FutureType}
	f.self = f
	return f
}

// PyType implements [Typer].
func (f *Future) PyType() *Class { return f.cls }

// Repr is repr(f), e.g. "<Future finished result=1>".
func (f *Future) Repr() string { return "<" + f.cls.Name + " " + f.reprInfo() + ">" }

func (f *Future) reprInfo() string {
	switch f.state {
	case futureCancelled:
		return "cancelled"
	case futureFinished:
		if f.exc != nil {
			return "finished exception=" + f.exc.Repr()
		}
		return "finished result=" + reprOr(f.value)
	}
	return "pending"
}

// Await implements [Awaitable]: an _asyncio.FutureIter.
func (f *Future) Await() (Object, error) { return &futureIter{fut: f}, nil }

// Loop is get_loop().
func (f *Future) Loop() *Loop { return f.loop }

// Done is done().
func (f *Future) Done() bool { return f.state != futurePending }

// Cancelled is cancelled().
func (f *Future) Cancelled() bool { return f.state == futureCancelled }

// Result is result().
func (f *Future) Result() (Object, error) {
	v, exc := f.result()
	return v, errOf(exc)
}

func (f *Future) result() (Object, *Exception) {
	switch f.state {
	case futureCancelled:
		return nil, f.makeCancelledError()
	case futurePending:
		return nil, Errorf(ExcInvalidStateError, "Result is not set.")
	}
	if f.exc != nil {
		return nil, f.exc
	}
	return f.value, nil
}

// Exception is exception(): the exception set, or nil when the future
// has a result.
func (f *Future) Exception() (*Exception, error) {
	switch f.state {
	case futureCancelled:
		return nil, f.makeCancelledError()
	case futurePending:
		return nil, Errorf(ExcInvalidStateError, "Exception is not set.")
	}
	return f.exc, nil
}

// makeCancelledError is _make_cancelled_error: the CancelledError that
// cancelled a task is raised once as is; later ones are new.
func (f *Future) makeCancelledError() *Exception {
	if e := f.cancelledExc; e != nil {
		f.cancelledExc = nil
		return e
	}
	if f.cancelMessage == nil || isNone(f.cancelMessage) {
		return NewException(ExcCancelledError)
	}
	return NewException(ExcCancelledError, f.cancelMessage)
}

// SetResult is set_result(v).
func (f *Future) SetResult(v Object) error {
	if f.state != futurePending {
		return Errorf(ExcInvalidStateError, "invalid state")
	}
	f.value, f.state = orNone(v), futureFinished
	f.scheduleCallbacks()
	return nil
}

// SetException is set_exception(e); an exception class is
// instantiated, and StopIteration is refused with TypeError.
func (f *Future) SetException(e Object) error {
	if f.state != futurePending {
		return Errorf(ExcInvalidStateError, "invalid state")
	}
	exc, ok := e.(*Exception)
	if c, isClass := e.(*Class); isClass && c.exc {
		exc, ok = instantiateException(c, nil), true
	}
	if !ok {
		return Errorf(ExcTypeError, "invalid exception object")
	}
	if exc.Class == ExcStopIteration {
		return Errorf(ExcTypeError, "StopIteration interacts badly with generators and cannot be raised into a Future")
	}
	f.exc, f.state = exc, futureFinished
	f.scheduleCallbacks()
	return nil
}

// Cancel is Future.cancel(msg): false when already done. A [Task]'s
// Cancel and a gathering future's differ; use [Cancel] to cancel any
// future-like value the Python way.
func (f *Future) Cancel(msg Object) bool {
	if f.gather != nil {
		return f.gather.cancel(f, msg)
	}
	return f.cancel(msg)
}

func (f *Future) cancel(msg Object) bool {
	if f.state != futurePending {
		return false
	}
	f.state = futureCancelled
	f.cancelMessage = msg
	f.scheduleCallbacks()
	return true
}

// Cancel calls cancel(msg) on a Future, Task or gathering future and
// reports whether it was cancelled; other values report false.
func Cancel(fut Object, msg Object) bool {
	switch v := fut.(type) {
	case *Task:
		return v.Cancel(msg)
	case *Future:
		return v.Cancel(msg)
	}
	return false
}

// AddDoneCallback is add_done_callback(fn): fn gets the future once it
// is done, through call_soon; the returned id removes it.
func (f *Future) AddDoneCallback(fn func(fut Object) error) uint64 {
	f.cbSeq++
	if f.state != futurePending {
		self := f.self
		f.loop.CallSoon(func() error { return fn(self) })
		return f.cbSeq
	}
	f.callbacks = append(f.callbacks, futureCallback{id: f.cbSeq, fn: fn})
	return f.cbSeq
}

// RemoveDoneCallback removes a callback added by AddDoneCallback and
// reports how many were removed.
func (f *Future) RemoveDoneCallback(id uint64) int {
	n := 0
	kept := f.callbacks[:0]
	for _, cb := range f.callbacks {
		if cb.id == id {
			n++
			continue
		}
		kept = append(kept, cb)
	}
	f.callbacks = kept
	return n
}

func (f *Future) scheduleCallbacks() {
	cbs := f.callbacks
	f.callbacks = nil
	self := f.self
	for _, cb := range cbs {
		fn := cb.fn
		f.loop.CallSoon(func() error { return fn(self) })
	}
}

// futureOf returns the Future part of a future-like value.
func futureOf(o Object) *Future {
	switch v := o.(type) {
	case *Future:
		return v
	case *Task:
		return &v.Future
	}
	return nil
}

// gathering is the state of a _GatheringFuture.
type gathering struct {
	children        []Object
	cancelRequested bool
}

func (g *gathering) cancel(f *Future, msg Object) bool {
	if f.state != futurePending {
		return false
	}
	ret := false
	for _, c := range g.children {
		if Cancel(c, msg) {
			ret = true
		}
	}
	if ret {
		g.cancelRequested = true
	}
	return ret
}

// Gather is asyncio.gather(*aws, return_exceptions=...) on the running
// loop: coroutines and other awaitables are wrapped in tasks in
// argument order (the same object twice shares one task); the result
// list keeps argument order. Without return_exceptions the first
// exception (or cancellation) of a child becomes the gathering
// future's; with it, exceptions are results, a cancelled child giving
// CancelledError(''). Cancelling the gathering future cancels the
// children. No running loop gives "RuntimeError: no running event
// loop".
func (rt *Runtime) Gather(aws []Object, returnExceptions bool) (*Future, error) {
	loop := rt.loop
	if loop == nil {
		return nil, Errorf(ExcRuntimeError, "no running event loop")
	}
	outer, exc := loop.gather(aws, returnExceptions)
	return outer, errOf(exc)
}

func (l *Loop) gather(aws []Object, returnExceptions bool) (*Future, *Exception) {
	if len(aws) == 0 {
		outer := l.CreateFuture()
		outer.SetResult(NewList())
		return outer, nil
	}
	type pair struct{ arg, fut Object }
	var seen []pair
	children := make([]Object, 0, len(aws))
	var outer *Future
	nfuts, nfinished := 0, 0
	var loop *Loop
	done := func(fut Object) error {
		nfinished++
		ff := futureOf(fut)
		if outer == nil || outer.Done() {
			if !ff.Cancelled() {
				ff.Exception()
			}
			return nil
		}
		if !returnExceptions {
			if ff.Cancelled() {
				outer.SetException(ff.makeCancelledError())
				return nil
			}
			if e, _ := ff.Exception(); e != nil {
				outer.SetException(e)
				return nil
			}
		}
		if nfinished == nfuts {
			results := make([]Object, len(children))
			for i, c := range children {
				cf := futureOf(c)
				if cf.Cancelled() {
					msg := Object("")
					if cf.cancelMessage != nil && !isNone(cf.cancelMessage) {
						msg = cf.cancelMessage
					}
					results[i] = NewException(ExcCancelledError, msg)
				} else if e, _ := cf.Exception(); e != nil {
					results[i] = e
				} else {
					results[i] = cf.value
				}
			}
			if outer.gather.cancelRequested {
				outer.SetException(ff.makeCancelledError())
			} else {
				outer.SetResult(NewList(results...))
			}
		}
		return nil
	}
	for _, arg := range aws {
		var fut Object
		for _, p := range seen {
			if Is(p.arg, arg) {
				fut = p.fut
			}
		}
		if fut == nil {
			target := loop
			if target == nil {
				target = l
			}
			var exc *Exception
			fut, exc = target.ensureFuture(arg, loop != nil)
			if exc != nil {
				return nil, exc
			}
			if loop == nil {
				loop = futureOf(fut).loop
			}
			nfuts++
			seen = append(seen, pair{arg, fut})
			futureOf(fut).AddDoneCallback(done)
		}
		children = append(children, fut)
	}
	outer = &Future{loop: loop, cls: GatheringFutureType, gather: &gathering{children: children}}
	outer.self = outer
	return outer, nil
}

// ensureFuture is asyncio.ensure_future; checkLoop refuses a future of
// another loop.
func (l *Loop) ensureFuture(o Object, checkLoop bool) (Object, *Exception) {
	if f := futureOf(o); f != nil {
		if checkLoop && f.loop != l {
			return nil, Errorf(ExcValueError, "The future belongs to a different loop than the one specified as the loop argument")
		}
		return o, nil
	}
	if !IsCoroutine(o) {
		if !IsAwaitable(o) {
			return nil, Errorf(ExcTypeError, "An asyncio.Future, a coroutine or an awaitable is required")
		}
		o = l.rt.wrapAwaitable(o)
	}
	t, exc := l.createTask(o)
	if exc != nil {
		return nil, exc
	}
	return t, nil
}

// wrapAwaitable is asyncio's _wrap_awaitable, a types.coroutine
// generator doing yield from awaitable.__await__().
func (rt *Runtime) wrapAwaitable(aw Object) *Generator {
	g := rt.NewGenerator("_wrap_awaitable", "_wrap_awaitable", func(f *Frame) (Object, error) {
		it, has, exc := awaitSlot(aw)
		if !has {
			return nil, Errorf(ExcAttributeError, "'%s' object has no attribute '__await__'", TypeName(aw))
		}
		if exc != nil {
			return nil, exc
		}
		return f.YieldFrom(it)
	})
	g.IterableCoroutine = true
	return g
}

// EnsureFuture is asyncio.ensure_future(o) on the running loop.
func (rt *Runtime) EnsureFuture(o Object) (Object, error) {
	if rt.loop == nil {
		return nil, Errorf(ExcRuntimeError, "no running event loop")
	}
	v, exc := rt.loop.ensureFuture(o, true)
	return v, errOf(exc)
}
