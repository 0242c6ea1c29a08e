package interp

import (
	"reflect"
	"runtime/debug"

	"github.com/aiterspec/aiterspec/reference"
)

// Object lifetime. CPython finalises a coroutine, generator or async
// generator the moment its last reference goes (reference counting): a
// never-awaited coroutine warns at once, a suspended generator is closed
// at once, a suspended async generator is handed to the event loop's
// finalizer hook. The library cannot see Python references
// (reference.Runtime.Finalize is for the interpreter to call), so the
// interpreter decides when: whenever a reference the program can see goes
// away (a name rebound or deleted, an attribute replaced, a statement's
// temporaries released, a call's locals gone, gc.collect()), and some
// object it made is still unfinished, it marks everything reachable from
// the roots and finalises, in creation order, the unfinished objects it
// did not reach.
//
// Roots are the globals, main, the activations running synchronously,
// the activations of frames that are executing (not suspended in an
// await or yield), pending tasks and gathering futures, and objects being
// finalised. Edges follow containers, instance and class dictionaries,
// exceptions, bound methods, closures, a frame object's activations and
// what it awaits, and what library objects hold that the library does not
// show (an asend awaitable's generator, recorded when the interpreter
// gets one). Every intermediate value of a statement is a temporary of
// its activation until the statement ends; so is a result the library
// got from a user function (a special method's return value), which the
// library may hold for the rest of the operation. Unreachable cycles are
// finalised at the next collection rather than only at gc.collect(); an
// object the library holds in a way the interpreter cannot see may be
// finalised late (at shutdown), never early.

// frameState is the interpreter's side of a generator, coroutine or async
// generator it made.
type frameState struct {
	owner reference.Object
	// acts are the activations running on the frame: its body and the
	// comprehension scopes inside it that are live.
	acts    []*act
	running bool // the body started and has not finished
	inOp    int  // >0 while the body is suspended in (or inside) an await, yield or async for step
	done    bool
}

type life struct {
	tracked    []reference.Object // unfinished objects made by the program, in creation order
	frames     map[reference.Object]*frameState
	holds      map[reference.Object][]any // reference.Object or *act
	tasks      []reference.Object         // tasks and gathering futures the program made
	finalizing []reference.Object         // finalised and not yet finished (an aclose scheduled)
	finalized  map[reference.Object]bool
	syncLive   []*act // activations running synchronously, innermost last
	mainObj    reference.Object
	// flying is the exception propagating out of the statement that just
	// ended: reachable from nothing the program sees until a handler
	// binds it.
	flying     *reference.Exception
	collecting bool
	dirty      bool
}

func (in *interp) initLife() {
	in.frames = map[reference.Object]*frameState{}
	in.holds = map[reference.Object][]any{}
	in.finalized = map[reference.Object]bool{}
}

// scalar reports values that reference nothing.
func scalar(v reference.Object) bool {
	switch v.(type) {
	case nil, reference.NoneType, bool, int, float64, string:
		return true
	}
	return false
}

func (in *interp) track(obj reference.Object, fs *frameState) {
	in.frames[obj] = fs
	in.tracked = append(in.tracked, obj)
}

// hold records that holder keeps held alive.
func (in *interp) hold(holder, held reference.Object) {
	if !scalar(held) && !scalar(holder) {
		in.holds[holder] = append(in.holds[holder], held)
	}
}

// holdIfAwaitable records what an awaitable a method returned refers to:
// g.asend(v), g.athrow(...), g.aclose(), g.__anext__() and c.__await__()
// keep their generator or coroutine alive.
func (in *interp) holdIfAwaitable(v, o reference.Object) {
	switch v.(type) {
	case *reference.ASend, *reference.AThrow, *reference.ANextAwaitable, *reference.CoroutineWrapper:
		in.hold(v, o)
	}
}

// traceback records that exc, raised out of activation a, keeps a's
// variables alive: its __traceback__ references the frame, until the
// exception itself goes.
func (in *interp) traceback(exc *reference.Exception, a *act) {
	in.holds[exc] = append(in.holds[exc], a)
}

// push keeps v alive until a's current statement ends.
func (in *interp) push(a *act, v reference.Object) {
	if a != nil && !scalar(v) {
		a.temps = append(a.temps, v)
	}
}

// endStatement releases the statement's temporaries.
func (in *interp) endStatement(a *act, mark int) {
	if len(a.temps) > mark {
		clear(a.temps[mark:])
		a.temps = a.temps[:mark]
		in.maybeCollect()
	} else if in.dirty {
		in.maybeCollect()
	}
}

// dropped is a reference to old going away.
func (in *interp) dropped(old reference.Object) {
	if !scalar(old) {
		in.maybeCollect()
	}
}

func (in *interp) enterSync(a *act) {
	in.syncLive = append(in.syncLive, a)
	in.cur = a
}

// exitSync ends a synchronous activation. Its locals die, but collecting
// waits for the caller's next statement boundary: the return value is
// in flight and reachable from nothing yet.
func (in *interp) exitSync(a *act) {
	for i := len(in.syncLive) - 1; i >= 0; i-- {
		if in.syncLive[i] == a {
			in.syncLive = append(in.syncLive[:i], in.syncLive[i+1:]...)
			break
		}
	}
	in.dirty = true
}

// enterAct and exitAct bracket a comprehension scope.
func (in *interp) enterAct(a *act) {
	if a.fs != nil {
		a.fs.acts = append(a.fs.acts, a)
		in.cur = a
		return
	}
	in.enterSync(a)
}

func (in *interp) exitAct(a *act) {
	if fs := a.fs; fs != nil {
		for i := len(fs.acts) - 1; i >= 0; i-- {
			if fs.acts[i] == a {
				fs.acts = append(fs.acts[:i], fs.acts[i+1:]...)
				break
			}
		}
		in.dirty = true
		return
	}
	in.exitSync(a)
}

// finishFrame is a frame body ending: its activations die.
func (in *interp) finishFrame(a *act) {
	if a.fs != nil {
		a.fs.acts = nil
	}
	in.dirty = true
}

// notePanic keeps the stack of the first unexpected panic through a frame
// body (the library re-raises it in the resumer, losing the stack).
func (in *interp) notePanic(completed *bool) {
	if !*completed && !in.closing && in.panicStack == nil && !in.abort.Load() {
		in.panicStack = debug.Stack()
	}
}

func (in *interp) maybeCollect() {
	if in.collecting {
		in.dirty = true
		return
	}
	in.dirty = false
	if len(in.tracked) == 0 || in.closing {
		return
	}
	in.collect()
}

// pending compacts the tracked list and returns the objects that are
// unfinished and not yet finalised.
func (in *interp) pending() []reference.Object {
	kept := in.tracked[:0]
	var out []reference.Object
	for _, o := range in.tracked {
		if isDone(o) {
			delete(in.frames, o)
			continue
		}
		kept = append(kept, o)
		if !in.finalized[o] {
			out = append(out, o)
		}
	}
	clear(in.tracked[len(kept):])
	in.tracked = kept
	return out
}

type doner interface{ Done() bool }

func isDone(o reference.Object) bool {
	if d, ok := o.(doner); ok {
		return d.Done()
	}
	return false
}

// collect finalises the tracked objects nothing reaches, repeating while
// finalisation releases more.
func (in *interp) collect() {
	in.collecting = true
	defer func() { in.collecting = false }()
	for round := 0; round < 64; round++ {
		in.dirty = false
		pending := in.pending()
		if len(pending) == 0 {
			return
		}
		reached := in.mark()
		var dead []reference.Object
		for _, o := range pending {
			if !reached[o] {
				dead = append(dead, o)
			}
		}
		if len(dead) == 0 {
			return
		}
		for _, o := range dead {
			if isDone(o) || in.finalized[o] {
				continue
			}
			in.finalized[o] = true
			in.finalizing = append(in.finalizing, o)
			cur := in.cur
			in.ops.Finalize(in.r, o)
			in.cur = cur
			if _, ok := o.(doner); !ok {
				// An object of unknown kind cannot say when it finishes:
				// finalise it once and forget it.
				in.forget(o)
			}
		}
	}
}

func (in *interp) forget(o reference.Object) {
	for i, t := range in.tracked {
		if t == o {
			in.tracked = append(in.tracked[:i], in.tracked[i+1:]...)
			break
		}
	}
	delete(in.frames, o)
}

// mark returns everything reachable from the roots.
func (in *interp) mark() map[any]bool {
	seen := map[any]bool{}
	var stack []any
	add := func(x any) {
		if x == nil {
			return
		}
		if scalar(x) {
			return
		}
		if t := reflect.TypeOf(x); !t.Comparable() {
			return
		}
		if !seen[x] {
			seen[x] = true
			stack = append(stack, x)
		}
	}
	addAll := func(xs []reference.Object) {
		for _, x := range xs {
			add(x)
		}
	}
	for _, v := range in.globals {
		add(v)
	}
	add(in.mainObj)
	if in.flying != nil {
		add(in.flying)
	}
	for _, a := range in.syncLive {
		add(a)
	}
	for _, fs := range in.frames {
		if fs.running && fs.inOp == 0 {
			for _, a := range fs.acts {
				add(a)
			}
		}
	}
	for _, t := range in.tasks {
		if !isDone(t) {
			add(t)
		}
	}
	for _, o := range in.finalizing {
		if !isDone(o) {
			add(o)
		}
	}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if a, ok := x.(*act); ok {
			for _, v := range a.vars {
				add(v)
			}
			addAll(a.temps)
			for _, e := range a.handling {
				add(e)
			}
			add(a.ret)
			if a.parent != nil {
				add(a.parent)
			}
			continue
		}
		switch v := x.(type) {
		case *reference.List:
			addAll(v.Items)
		case *reference.Tuple:
			addAll(v.Items)
		case *reference.Dict:
			addAll(v.Keys())
			addAll(v.Values())
		case *reference.Set:
			addAll(v.Items())
		case *reference.Instance:
			add(v.Class)
			for _, y := range v.Dict {
				add(y)
			}
		case *reference.Class:
			if in.classes[v] {
				for _, y := range v.Dict {
					add(y)
				}
			}
		case *reference.Exception:
			addAll(v.Args)
			if v.Cause != nil {
				add(v.Cause)
			}
			if v.Context != nil {
				add(v.Context)
			}
			for _, y := range v.Attrs {
				add(y)
			}
		case *reference.Method:
			add(v.Self)
			add(v.Func)
		case *reference.Function:
			if fo := in.funcs[v]; fo != nil && fo.closure != nil {
				add(fo.closure)
			}
		case *reference.Task:
			add(v.Coro())
			addFutureResult(&v.Future, add)
		case *reference.Future:
			addFutureResult(v, add)
		case *module:
			for _, y := range v.attrs {
				add(y)
			}
		case *aiterOf:
			add(v.it)
		case *iterOf:
			add(v.it)
		}
		if fs := in.frames[x]; fs != nil && !fs.done {
			for _, a := range fs.acts {
				add(a)
			}
		}
		if aw, ok := x.(interface{ Awaiting() reference.Object }); ok {
			add(aw.Awaiting())
		}
		if yf, ok := x.(interface{ YieldingFrom() reference.Object }); ok {
			add(yf.YieldingFrom())
		}
		for _, h := range in.holds[x] {
			add(h)
		}
	}
	return seen
}

func addFutureResult(f *reference.Future, add func(any)) {
	if !f.Done() || f.Cancelled() {
		return
	}
	if e, _ := f.Exception(); e != nil {
		add(e)
		return
	}
	if v, err := f.Result(); err == nil {
		add(v)
	}
}
