package reference

import (
	"fmt"
	"strconv"
)

// Task is asyncio.Task: it drives a coroutine (or any object
// asyncio.iscoroutine accepts, such as an asend awaitable) one step per
// loop callback, as Task.__step does. Its first step is scheduled with
// call_soon when it is created. A yielded Future suspends it until the
// future is done; a bare yield (None) reschedules it after one loop
// turn; anything else is "RuntimeError: Task got bad yield: ...".
//
// Cancel throws CancelledError into the coroutine at its current await
// on the task's next step; the task counts as cancelled once the
// coroutine lets CancelledError out.
type Task struct {
	Future
	coro       Object
	name       string
	mustCancel bool
	futWaiter  Object
	cancels    int
	cancelling bool // Cancel is passing a request to futWaiter
	// closes is the generator whose aclose() the task runs for the
	// finalizer hook: nothing but the loop holds such a task. CPython
	// frees it as soon as its last step returns (and a task freed with an
	// exception nobody retrieved calls the loop's exception handler:
	// "Task exception was never retrieved").
	closes *AsyncGenerator
}

// CreateTask is loop.create_task(coro). A value that is not a coroutine
// gives "TypeError: a coroutine was expected, got <repr>".
func (l *Loop) CreateTask(coro Object) (*Task, error) {
	t, exc := l.createTask(coro)
	if exc != nil {
		return nil, exc
	}
	return t, nil
}

func (l *Loop) createTask(coro Object) (*Task, *Exception) {
	if !IsCoroutine(coro) {
		return nil, Errorf(ExcTypeError, "a coroutine was expected, got %s", reprOr(coro))
	}
	if l.closed {
		dropTemporary(coro)
		return nil, Errorf(ExcRuntimeError, "Event loop is closed")
	}
	l.rt.taskCounter++
	t := &Task{coro: coro, name: "Task-" + strconv.Itoa(l.rt.taskCounter)}
	t.Future = Future{loop: l, cls: TaskType}
	t.self = t
	l.tasks = append(l.tasks, t)
	l.CallSoon(func() error { return errOf(t.step(nil)) })
	return t, nil
}

// CreateTask is asyncio.create_task(coro): no running loop gives
// "RuntimeError: no running event loop" (and the coroutine is dropped,
// warning that it was never awaited).
func (rt *Runtime) CreateTask(coro Object) (*Task, error) {
	if rt.loop == nil {
		dropTemporary(coro)
		return nil, Errorf(ExcRuntimeError, "no running event loop")
	}
	return rt.loop.CreateTask(coro)
}

// CurrentTask is asyncio.current_task(): nil outside a task step.
func (rt *Runtime) CurrentTask() *Task { return rt.task }

// PyType implements [Typer].
func (t *Task) PyType() *Class { return TaskType }

// Repr is repr(t), e.g. "<Task pending name='Task-1' coro=<main()
// running>>" (CPython also shows the source position).
func (t *Task) Repr() string {
	coro := reprOr(t.coro)
	if c, ok := t.coro.(*Coroutine); ok {
		state := "running"
		if c.Done() {
			state = "done"
		}
		coro = "<" + c.Qualname + "() " + state + ">"
	}
	return fmt.Sprintf("<Task %s name='%s' coro=%s>", t.reprInfo(), t.name, coro)
}

// Name is get_name().
func (t *Task) Name() string { return t.name }

// Coro is get_coro().
func (t *Task) Coro() Object { return t.coro }

// Cancelling is cancelling(): cancellation requests not yet uncancelled.
func (t *Task) Cancelling() int { return t.cancels }

// Uncancel is uncancel().
func (t *Task) Uncancel() int {
	if t.cancels > 0 {
		t.cancels--
	}
	return t.cancels
}

// Cancel is Task.cancel(msg): false if the task is done. Otherwise it
// cancels the future the task waits on, or arranges for CancelledError
// (with msg) to be thrown in at the next step. Cancelling again before
// the task has seen the first request counts another request
// ([Task.Cancelling]) but throws a single CancelledError.
func (t *Task) Cancel(msg Object) bool {
	if t.Done() {
		return false
	}
	t.cancels++
	if t.futWaiter != nil && !t.cancelling {
		// Tasks that await each other (a deadlock) would pass the
		// request round the cycle forever: CPython ends that with
		// RecursionError; here the request that comes back stops there.
		t.cancelling = true
		ok := Cancel(t.futWaiter, msg)
		t.cancelling = false
		if ok {
			return true
		}
	}
	t.mustCancel = true
	t.cancelMessage = msg
	return true
}

// step is Task.__step. It returns only SystemExit and
// KeyboardInterrupt, which escape the event loop.
func (t *Task) step(exc *Exception) *Exception {
	if t.Done() {
		return Errorf(ExcInvalidStateError, "_step(): already done: %s, %s", t.Repr(), reprOr(excOrNone(exc)))
	}
	if t.mustCancel {
		if exc == nil || !exc.Matches(ExcCancelledError) {
			exc = t.makeCancelledError()
		}
		t.mustCancel = false
	}
	t.futWaiter = nil
	rt := t.loop.rt
	if rt.task != nil {
		return Errorf(ExcRuntimeError, "Cannot enter into task %s while another task %s is being executed.", t.Repr(), rt.task.Repr())
	}
	rt.task = t
	var v Object
	var yielded bool
	if exc == nil {
		v, yielded, exc = taskSend(t.coro)
	} else {
		v, yielded, exc = taskThrow(t.coro, exc)
	}
	rt.task = nil
	switch {
	case exc != nil:
		switch {
		case exc.Matches(ExcCancelledError):
			t.cancelledExc = exc
			t.Future.cancel(nil)
		case exc.Matches(ExcSystemExit) || exc.Matches(ExcKeyboardInterrupt):
			t.Future.SetException(exc)
			return exc
		default:
			t.Future.SetException(exc)
			// Unless _cancel_all_tasks holds it (and retrieves it).
			if t.closes != nil && !t.loop.cancellingAll {
				t.loop.CallExceptionHandler(ExceptionContext{Message: "Task exception was never retrieved", Exception: exc, Key: "future", Object: t})
			}
		}
	case !yielded:
		if t.mustCancel {
			t.mustCancel = false
			t.Future.cancel(t.cancelMessage)
		} else {
			t.Future.SetResult(v)
		}
	default:
		t.handleYield(v)
	}
	if t.Done() {
		t.free()
	}
	return nil
}

// free tells the runtime's OnFree that a finalizer hook's task has
// finished: nothing holds it, nor the generator it closed, any more.
func (t *Task) free() {
	if rt := t.loop.rt; t.closes != nil && !t.loop.cancellingAll && rt.OnFree != nil {
		rt.OnFree(t.closes)
	}
}

func (t *Task) handleYield(v Object) {
	l := t.loop
	retry := func(e *Exception) {
		l.CallSoon(func() error { return errOf(t.step(e)) })
	}
	if f := futureOf(v); f != nil {
		switch {
		case f.loop != l:
			retry(Errorf(ExcRuntimeError, "Task %s got Future %s attached to a different loop", t.Repr(), reprOr(v)))
		case !f.blocking:
			retry(Errorf(ExcRuntimeError, "yield was used instead of yield from in task %s with %s", t.Repr(), reprOr(v)))
		case f == &t.Future:
			retry(Errorf(ExcRuntimeError, "Task cannot await on itself: %s", t.Repr()))
		default:
			f.blocking = false
			f.AddDoneCallback(t.wakeup)
			t.futWaiter = v
			if t.mustCancel && Cancel(v, t.cancelMessage) {
				t.mustCancel = false
			}
		}
		return
	}
	switch v.(type) {
	case nil, NoneType:
		l.CallSoon(func() error { return errOf(t.step(nil)) })
	case *Generator:
		retry(Errorf(ExcRuntimeError, "yield was used instead of yield from for generator in task %s with %s", t.Repr(), reprOr(v)))
	default:
		retry(Errorf(ExcRuntimeError, "Task got bad yield: %s", reprOr(v)))
	}
}

func (t *Task) wakeup(fut Object) error {
	if _, exc := futureOf(fut).result(); exc != nil {
		return errOf(t.step(exc))
	}
	return errOf(t.step(nil))
}

// taskSend is coro.send(None) as Task.__step calls it.
func taskSend(coro Object) (Object, bool, *Exception) {
	switch x := coro.(type) {
	case *Coroutine, *Generator, *ASend, *AThrow, *CoroutineWrapper:
		return sendTo(x, None)
	case *ANextAwaitable:
		return x.proxy(func(it Object) (Object, bool, *Exception) { return methodSend(it, None) })
	}
	return stopValue(callMethod(coro, "send", []Object{None}))
}

// methodSend is it.send(v) as a method call.
func methodSend(it Object, v Object) (Object, bool, *Exception) {
	switch x := it.(type) {
	case *Coroutine, *Generator, *ASend, *AThrow, *CoroutineWrapper, *futureIter, *ANextAwaitable:
		return sendTo(x, v)
	}
	return stopValue(callMethod(it, "send", []Object{v}))
}

// taskThrow is coro.throw(exc) as Task.__step calls it.
func taskThrow(coro Object, exc *Exception) (Object, bool, *Exception) {
	switch x := coro.(type) {
	case *Coroutine, *Generator, *ASend, *AThrow, *CoroutineWrapper, *ANextAwaitable:
		return throwTo(x, ready(exc), true)
	}
	return stopValue(callMethod(coro, "throw", []Object{exc}))
}

// Sleep is asyncio.sleep(delay, result): a coroutine named sleep. With
// delay <= 0 it yields once (a bare yield from the __sleep0 generator),
// so the task runs again after one loop turn; otherwise it waits on a
// future that a timer resolves after delay seconds of the loop's
// virtual clock. Awaiting it with delay > 0 outside a running loop
// gives "RuntimeError: no running event loop".
func (rt *Runtime) Sleep(delay float64, result Object) *Coroutine {
	result = orNone(result)
	return rt.NewCoroutine("sleep", "sleep", func(f *Frame) (Object, error) {
		if delay <= 0 {
			if _, err := f.Await(rt.sleep0()); err != nil {
				return nil, err
			}
			return result, nil
		}
		loop, err := rt.GetRunningLoop()
		if err != nil {
			return nil, err
		}
		fut := loop.CreateFuture()
		h := loop.CallLater(delay, func() error {
			if !fut.Cancelled() {
				fut.SetResult(result)
			}
			return nil
		})
		v, err := f.Await(fut)
		h.Cancel()
		return v, err
	})
}

// sleep0 is asyncio.tasks.__sleep0, a types.coroutine generator that
// yields None once.
func (rt *Runtime) sleep0() *Generator {
	g := rt.NewGenerator("__sleep0", "__sleep0", func(f *Frame) (Object, error) {
		_, err := f.Yield(None)
		return None, err
	})
	g.IterableCoroutine = true
	return g
}

// GetRunningLoop is asyncio.get_running_loop().
func (rt *Runtime) GetRunningLoop() (*Loop, error) {
	if rt.loop == nil {
		return nil, Errorf(ExcRuntimeError, "no running event loop")
	}
	return rt.loop, nil
}
