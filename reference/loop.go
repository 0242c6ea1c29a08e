package reference

import (
	"container/heap"
	"fmt"
	"sort"
	"strings"
)

// Loop is a single-threaded asyncio event loop with a virtual clock.
// Each iteration (one "loop turn") moves due timers to the ready queue
// and then runs exactly the callbacks that were ready when it started,
// in FIFO order, as BaseEventLoop._run_once does; callbacks scheduled
// meanwhile wait for the next turn. When nothing is ready the clock
// jumps to the earliest timer, so sleeps take no real time and runs
// are deterministic; timers due at the same instant run in the order
// they were scheduled.
//
// While it runs, the loop installs its async generator hooks
// (firstiter records each generator for shutdown; finalizer schedules
// aclose(), catalogue L13) and restores the previous hooks afterwards.
type Loop struct {
	rt        *Runtime
	ready     []*Handle
	head      int
	scheduled timerHeap
	now       float64
	seq       uint64
	stopping  bool
	running   bool
	closed    bool
	tasks     []*Task
	asyncgens map[*AsyncGenerator]uint64
	agSeq     uint64

	asyncgensShutdownCalled bool
	cancellingAll           bool // _cancel_all_tasks holds every task
	firstiterHook           *Function
	finalizerHook           *Function

	// ExceptionHandler receives errors nobody can catch (a failing
	// callback, an error closing an async generator at shutdown).
	// Default: written to the Runtime's Stderr.
	ExceptionHandler func(ctx ExceptionContext)
	// MaxIterations, when positive, makes a run fail with
	// RuntimeError after that many loop turns, to stop programs that
	// would spin forever.
	MaxIterations int
	iterations    int
}

// ExceptionContext is the context dict of call_exception_handler.
type ExceptionContext struct {
	Message   string
	Exception *Exception
	// Object is the task, future, async generator or handle involved,
	// under the key Key ("task", "future", "asyncgen", "handle").
	Key    string
	Object Object
}

// NewEventLoop is asyncio.new_event_loop().
func (rt *Runtime) NewEventLoop() *Loop {
	l := &Loop{rt: rt, asyncgens: map[*AsyncGenerator]uint64{}}
	l.firstiterHook = &Function{Name: "_asyncgen_firstiter_hook", Qualname: "BaseEventLoop._asyncgen_firstiter_hook",
		Fn: func(args []Object) (Object, error) {
			if g, ok := args[0].(*AsyncGenerator); ok {
				l.asyncgenFirstiter(g)
			}
			return None, nil
		}}
	l.finalizerHook = &Function{Name: "_asyncgen_finalizer_hook", Qualname: "BaseEventLoop._asyncgen_finalizer_hook",
		Fn: func(args []Object) (Object, error) {
			if g, ok := args[0].(*AsyncGenerator); ok {
				return None, l.asyncgenFinalizer(g)
			}
			return None, nil
		}}
	return l
}

// PyType implements [Typer].
func (l *Loop) PyType() *Class { return LoopType }

// Repr is repr(l).
func (l *Loop) Repr() string {
	return fmt.Sprintf("<EventLoop running=%s closed=%s debug=False>", pyBool(l.running), pyBool(l.closed))
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// Handle is a scheduled callback (asyncio.Handle / TimerHandle).
type Handle struct {
	fn        func() error
	when      float64
	seq       uint64
	index     int
	cancelled bool
	timer     bool
}

// PyType implements [Typer].
func (h *Handle) PyType() *Class { return HandleType }

// Cancel is handle.cancel(): the callback will not run.
func (h *Handle) Cancel() { h.cancelled = true }

// Cancelled is handle.cancelled().
func (h *Handle) Cancelled() bool { return h.cancelled }

// When is a timer's scheduled time on the loop's clock.
func (h *Handle) When() float64 { return h.when }

// Time is loop.time(): virtual seconds since the loop was made.
func (l *Loop) Time() float64 { return l.now }

// CallSoon is loop.call_soon(fn): fn runs on the next loop turn after
// every callback scheduled before it. An error it returns goes to the
// exception handler, except SystemExit and KeyboardInterrupt, which
// stop the loop and propagate from the run.
func (l *Loop) CallSoon(fn func() error) *Handle {
	l.seq++
	h := &Handle{fn: fn, seq: l.seq}
	l.ready = append(l.ready, h)
	return h
}

// CallLater is loop.call_later(delay, fn) on the virtual clock.
func (l *Loop) CallLater(delay float64, fn func() error) *Handle {
	return l.CallAt(l.now+delay, fn)
}

// CallAt is loop.call_at(when, fn).
func (l *Loop) CallAt(when float64, fn func() error) *Handle {
	l.seq++
	h := &Handle{fn: fn, when: when, seq: l.seq, timer: true}
	heap.Push(&l.scheduled, h)
	return h
}

// Stop is loop.stop(): the run ends after the current loop turn.
func (l *Loop) Stop() { l.stopping = true }

// IsRunning is loop.is_running().
func (l *Loop) IsRunning() bool { return l.running }

// IsClosed is loop.is_closed().
func (l *Loop) IsClosed() bool { return l.closed }

// AllTasks is asyncio.all_tasks(): tasks not done, in creation order.
func (l *Loop) AllTasks() []*Task {
	var out []*Task
	kept := l.tasks[:0]
	for _, t := range l.tasks {
		if !t.Done() {
			out = append(out, t)
			kept = append(kept, t)
		}
	}
	clear(l.tasks[len(kept):])
	l.tasks = kept
	return out
}

// CallExceptionHandler is loop.call_exception_handler(ctx).
func (l *Loop) CallExceptionHandler(ctx ExceptionContext) {
	if l.ExceptionHandler != nil {
		l.ExceptionHandler(ctx)
		return
	}
	var b strings.Builder
	b.WriteString(ctx.Message + "\n")
	if ctx.Key != "" {
		fmt.Fprintf(&b, "%s: %s\n", ctx.Key, reprOr(ctx.Object))
	}
	if ctx.Exception != nil {
		b.WriteString(FormatException(ctx.Exception))
	}
	fmt.Fprint(l.rt.Stderr, b.String())
}

// runOnce is one loop turn.
func (l *Loop) runOnce() *Exception {
	for len(l.scheduled) > 0 && l.scheduled[0].cancelled {
		heap.Pop(&l.scheduled)
	}
	if l.head == len(l.ready) && !l.stopping {
		if len(l.scheduled) == 0 {
			return Errorf(ExcRuntimeError, "event loop deadlock: nothing is scheduled and no timer is pending (CPython would wait forever)")
		}
		if w := l.scheduled[0].when; w > l.now {
			l.now = w
		}
	}
	if l.MaxIterations > 0 {
		l.iterations++
		if l.iterations > l.MaxIterations {
			return Errorf(ExcRuntimeError, "event loop exceeded %d iterations", l.MaxIterations)
		}
	}
	const resolution = 1e-9
	end := l.now + resolution
	for len(l.scheduled) > 0 && l.scheduled[0].when < end {
		h := heap.Pop(&l.scheduled).(*Handle)
		l.ready = append(l.ready, h)
	}
	ntodo := len(l.ready) - l.head
	for i := 0; i < ntodo; i++ {
		h := l.ready[l.head]
		l.ready[l.head] = nil
		l.head++
		if h.cancelled {
			continue
		}
		if err := h.fn(); err != nil {
			exc := AsException(err)
			if exc.Matches(ExcSystemExit) || exc.Matches(ExcKeyboardInterrupt) {
				l.compact()
				return exc
			}
			l.CallExceptionHandler(ExceptionContext{Message: "Exception in callback", Exception: exc, Key: "handle", Object: h})
		}
	}
	l.compact()
	return nil
}

func (l *Loop) compact() {
	if l.head == len(l.ready) {
		l.ready, l.head = l.ready[:0], 0
	} else if l.head > 1024 && l.head > len(l.ready)/2 {
		n := copy(l.ready, l.ready[l.head:])
		clear(l.ready[n:])
		l.ready, l.head = l.ready[:n], 0
	}
}

// RunForever is loop.run_forever(): loop turns until Stop. It fails
// with RuntimeError when the loop is closed or running, or another
// loop runs; with SystemExit or KeyboardInterrupt from a callback; and
// when no callback and no timer is left (see [Loop.runOnce]).
func (l *Loop) RunForever() error {
	if exc := l.checkRunnable(); exc != nil {
		return exc
	}
	rt := l.rt
	oldFirst, oldFinal := rt.firstiter, rt.finalizer
	rt.firstiter, rt.finalizer = l.firstiterHook, l.finalizerHook
	rt.loop, l.running = l, true
	defer func() {
		l.stopping, l.running = false, false
		rt.loop = nil
		rt.firstiter, rt.finalizer = oldFirst, oldFinal
	}()
	for {
		if exc := l.runOnce(); exc != nil {
			return exc
		}
		if l.stopping {
			return nil
		}
	}
}

func (l *Loop) checkRunnable() *Exception {
	switch {
	case l.closed:
		return Errorf(ExcRuntimeError, "Event loop is closed")
	case l.running:
		return Errorf(ExcRuntimeError, "This event loop is already running")
	case l.rt.loop != nil:
		return Errorf(ExcRuntimeError, "Cannot run the event loop while another loop is running")
	}
	return nil
}

// RunUntilComplete is loop.run_until_complete(aw): aw is wrapped in a
// task unless it is a future, the loop runs until it is done, and its
// result is returned or its exception raised.
func (l *Loop) RunUntilComplete(aw Object) (Object, error) {
	if exc := l.checkRunnable(); exc != nil {
		return nil, exc
	}
	fo, exc := l.ensureFuture(aw, true)
	if exc != nil {
		return nil, exc
	}
	fut := futureOf(fo)
	id := fut.AddDoneCallback(func(Object) error {
		if !fut.Cancelled() {
			if fut.exc != nil && (fut.exc.Matches(ExcSystemExit) || fut.exc.Matches(ExcKeyboardInterrupt)) {
				return nil
			}
		}
		l.Stop()
		return nil
	})
	err := l.RunForever()
	fut.RemoveDoneCallback(id)
	if err != nil {
		return nil, err
	}
	if !fut.Done() {
		return nil, Errorf(ExcRuntimeError, "Event loop stopped before Future completed.")
	}
	v, exc := fut.result()
	return v, errOf(exc)
}

// Close is loop.close(): pending callbacks and timers are dropped; the
// finalizer hook no longer schedules aclose().
func (l *Loop) Close() error {
	if l.running {
		return Errorf(ExcRuntimeError, "Cannot close a running event loop")
	}
	if l.closed {
		return nil
	}
	l.closed = true
	clear(l.ready)
	l.ready, l.head = nil, 0
	l.scheduled = nil
	return nil
}

func (l *Loop) asyncgenFirstiter(g *AsyncGenerator) {
	if l.asyncgensShutdownCalled {
		l.rt.Warn(ExcResourceWarning, fmt.Sprintf("asynchronous generator %s was scheduled after loop.shutdown_asyncgens() call", g.Repr()))
	}
	l.agSeq++
	l.asyncgens[g] = l.agSeq
	g.hookLoop = l
}

func (l *Loop) asyncgenFinalizer(g *AsyncGenerator) error {
	delete(l.asyncgens, g)
	if l.closed {
		g.frame.dropStack()
		return nil
	}
	aw, err := g.AClose()
	if err != nil {
		return err
	}
	if mutated(mutFinalizerClosesImmediately) {
		t, err := l.CreateTask(aw)
		if t != nil {
			t.closes = g
		}
		return err
	}
	l.CallSoon(func() error {
		t, err := l.CreateTask(aw)
		if t != nil {
			t.closes = g
		}
		return err
	})
	return nil
}

// ShutdownAsyncgens is loop.shutdown_asyncgens(): a coroutine that
// calls aclose() on every async generator first iterated under this
// loop and not yet finished or finalised (in first-iteration order;
// CPython's order comes from a WeakSet and is not defined), awaits
// them with gather(return_exceptions=True), and reports errors to the
// exception handler.
func (l *Loop) ShutdownAsyncgens() *Coroutine {
	return l.rt.NewCoroutine("shutdown_asyncgens", "BaseEventLoop.shutdown_asyncgens", func(f *Frame) (Object, error) {
		l.asyncgensShutdownCalled = true
		if len(l.asyncgens) == 0 || mutated(mutShutdownAsyncgensSkipped) {
			return None, nil
		}
		gens := make([]*AsyncGenerator, 0, len(l.asyncgens))
		for g := range l.asyncgens {
			gens = append(gens, g)
		}
		sort.Slice(gens, func(i, j int) bool { return l.asyncgens[gens[i]] < l.asyncgens[gens[j]] })
		clear(l.asyncgens)
		aws := make([]Object, len(gens))
		for i, g := range gens {
			g.hookLoop = nil
			aw, err := g.AClose()
			if err != nil {
				return nil, err
			}
			aws[i] = aw
		}
		outer, exc := l.gather(aws, true)
		if exc != nil {
			return nil, exc
		}
		res, err := f.Await(outer)
		if err != nil {
			return nil, err
		}
		for i, r := range res.(*List).Items {
			if e, ok := r.(*Exception); ok && e.Matches(ExcException) {
				if mutated(mutShutdownErrorEscapes) {
					return nil, e
				}
				l.CallExceptionHandler(ExceptionContext{
					Message:   "an error occurred during closing of asynchronous generator " + gens[i].Repr(),
					Exception: e, Key: "asyncgen", Object: gens[i],
				})
			}
		}
		return None, nil
	})
}

type timerHeap []*Handle

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].when != h[j].when {
		return h[i].when < h[j].when
	}
	return h[i].seq < h[j].seq
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *timerHeap) Push(x any) {
	hd := x.(*Handle)
	hd.index = len(*h)
	*h = append(*h, hd)
}
func (h *timerHeap) Pop() any {
	old := *h
	n := len(old)
	x := old[n-1]
	old[n-1] = nil
	*h = old[:n-1]
	return x
}
