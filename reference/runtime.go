package reference

import (
	"fmt"
	"io"
	"os"
)

// Runtime is the state CPython keeps per thread: the running event
// loop, the async generator hooks, the current task, where warnings
// and unraisable exceptions go, and the coroutine stacks of every
// started generator and coroutine.
//
// A Runtime and every object made from it must be used by one
// goroutine at a time; the package switches to and from the
// goroutines that run frame bodies itself, so callers never see them.
type Runtime struct {
	// Stderr receives warnings and unraisable exceptions when the
	// hooks below are nil. Default os.Stderr.
	Stderr io.Writer
	// OnWarning, when set, receives every warning instead of Stderr
	// (e.g. RuntimeWarning "coroutine 'f' was never awaited").
	OnWarning func(category *Class, message string)
	// OnUnraisable, when set, receives every exception that cannot be
	// raised (sys.unraisablehook), e.g. from finalising a generator.
	OnUnraisable func(exc *Exception, obj Object)
	// OnFree, when set, is called when the library lets go of a
	// finalised async generator: when the aclose() task an event loop's
	// finalizer hook made for it has finished (CPython frees the task
	// then, and with it the generator, finished or not). What only the
	// generator held may be finalised now.
	OnFree func(g *AsyncGenerator)

	firstiter, finalizer Object
	loop                 *Loop
	task                 *Task
	live                 Frame // sentinel of the list of frames holding a worker
	idle                 []*worker
	closed               bool
	taskCounter          int
}

// maxIdleWorkers bounds the goroutines kept for reuse.
const maxIdleWorkers = 64

// NewRuntime returns a Runtime with no running loop and no hooks.
func NewRuntime() *Runtime {
	rt := &Runtime{Stderr: os.Stderr, firstiter: None, finalizer: None}
	rt.live.nextLive, rt.live.prevLive = &rt.live, &rt.live
	return rt
}

// Warn issues a warning of category (e.g. [ExcRuntimeWarning]).
func (rt *Runtime) Warn(category *Class, message string) {
	if rt.OnWarning != nil {
		rt.OnWarning(category, message)
		return
	}
	fmt.Fprintf(rt.Stderr, "%s: %s\n", category.Name, message)
}

// WriteUnraisable reports an exception that has nowhere to go, as
// PyErr_WriteUnraisable does ("Exception ignored in: <obj>" followed
// by the exception; there is no traceback).
func (rt *Runtime) WriteUnraisable(exc *Exception, obj Object) {
	if rt.OnUnraisable != nil {
		rt.OnUnraisable(exc, obj)
		return
	}
	fmt.Fprintf(rt.Stderr, "Exception ignored in: %s\n%s", reprOr(obj), FormatException(exc))
}

// SetAsyncGenHooks is sys.set_asyncgen_hooks: firstiter is called with
// each async generator when it is first iterated, finalizer is
// remembered by it then and called when it is finalised (see
// [Runtime.Finalize]). None clears a hook. A value that is neither
// None nor callable gives TypeError.
func (rt *Runtime) SetAsyncGenHooks(firstiter, finalizer Object) error {
	firstiter, finalizer = orNone(firstiter), orNone(finalizer)
	for _, h := range []struct {
		name string
		v    Object
	}{{"finalizer", finalizer}, {"firstiter", firstiter}} {
		if !isNone(h.v) && !isCallable(h.v) {
			return Errorf(ExcTypeError, "callable %s expected, got %s", h.name, TypeName(h.v))
		}
	}
	rt.firstiter, rt.finalizer = firstiter, finalizer
	return nil
}

// AsyncGenHooks is sys.get_asyncgen_hooks: (firstiter, finalizer).
func (rt *Runtime) AsyncGenHooks() (firstiter, finalizer Object) {
	return rt.firstiter, rt.finalizer
}

func isCallable(o Object) bool {
	switch v := o.(type) {
	case *Function, *Method, *Class, Callable:
		return true
	case *Instance:
		_, ok := v.Class.Lookup("__call__")
		return ok
	}
	return false
}

// Finalize is what CPython does when the last reference to o goes
// away (del x; gc.collect()): the package cannot see Python
// references, so the interpreter calls it.
//
//   - An async generator that is suspended and not closed calls the
//     finalizer hook it remembered on first iteration (with asyncio's
//     loop that schedules aclose(); catalogue L13). Without a hook it
//     is closed synchronously like a generator: GeneratorExit is
//     thrown in, and a yield or an await that suspends in response is
//     reported as unraisable "RuntimeError: async generator ignored
//     GeneratorExit" and the rest of its body never runs (L14).
//   - A coroutine that never started warns "RuntimeWarning: coroutine
//     'qualname' was never awaited"; a suspended one is closed.
//   - A suspended generator is closed.
//
// Errors from closing are reported through [Runtime.WriteUnraisable].
// Then the object's coroutine stack is released, and a coroutine or
// generator it was awaiting is finalised too (it held the only
// reference in the common case). Finalize of anything else, or of an
// object already finished, does nothing. o must not be used afterwards.
func (rt *Runtime) Finalize(o Object) {
	switch v := o.(type) {
	case *AsyncGenerator:
		v.finalize()
	case *Coroutine:
		if v.frame.state == frameCreated {
			v.frame.finish()
			rt.Warn(ExcRuntimeWarning, fmt.Sprintf("coroutine '%s' was never awaited", v.Qualname))
			return
		}
		v.frame.finalizeClose(v)
	case *Generator:
		v.frame.finalizeClose(v)
	}
}

// Release drops the coroutine stack of a suspended generator,
// coroutine or async generator without running any more of its body
// (not even finally blocks), as clearing a frame does; the object then
// behaves as finished. Use it when a program abandons an object whose
// finalisation must not run Python code; use [Runtime.Finalize] to
// finalise it the way garbage collection would. Releasing an object
// whose body is running, or that is not one of these, does nothing.
func (rt *Runtime) Release(o Object) {
	switch v := o.(type) {
	case *AsyncGenerator:
		v.frame.release()
	case *Coroutine:
		v.frame.release()
	case *Generator:
		v.frame.release()
	}
}

// Close releases every coroutine stack still held by a suspended
// generator or coroutine made from rt, without running any more of
// their Python code (no finally blocks run: it is interpreter exit),
// and stops the idle workers. Called from inside a body, it leaves the
// running frames alone. Objects whose frames were released behave as
// finished. Close may be called more than once; objects made from rt
// keep working afterwards, without reusing coroutine stacks.
func (rt *Runtime) Close() {
	rt.closed = true
	for rt.live.nextLive != &rt.live {
		f := rt.live.nextLive
		if f.state == frameSuspended {
			f.release()
		}
		// A frame still executing is the caller's own (Close called
		// from a body) or one whose body panicked; neither can be
		// released from here.
		rt.unlink(f)
	}
	for _, w := range rt.idle {
		w.stop()
	}
	rt.idle = nil
}

// LiveFrames reports how many frames currently hold a coroutine stack:
// started and not finished. It exists for leak checks.
func (rt *Runtime) LiveFrames() int {
	n := 0
	for f := rt.live.nextLive; f != &rt.live; f = f.nextLive {
		n++
	}
	return n
}

func (rt *Runtime) link(f *Frame) {
	f.prevLive, f.nextLive = rt.live.prevLive, &rt.live
	rt.live.prevLive.nextLive = f
	rt.live.prevLive = f
}

func (rt *Runtime) unlink(f *Frame) {
	if f.nextLive == nil {
		return
	}
	f.prevLive.nextLive, f.nextLive.prevLive = f.nextLive, f.prevLive
	f.prevLive, f.nextLive = nil, nil
}
