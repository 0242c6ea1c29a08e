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
