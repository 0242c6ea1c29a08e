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
	// activations are the activations running on the frame: its body and the
	// comprehension scopes inside it that are live.
	activations []*activation
	running     bool // the body started and has not finished
	inOp        int  // >0 while the body is suspended in (or inside) an await, yield or async for step
	done        bool
}

type life struct {
	tracked    []reference.Object // unfinished objects made by the program, in creation order
	frames     map[reference.Object]*frameState
	holds      map[reference.Object][]any // reference.Object or *activation
	tasks      []reference.Object         // tasks and gathering futures the program made
	finalizing []reference.Object         // finalised and not yet finished (an aclose scheduled)
	finalized  map[reference.Object]bool
	syncLive   []*activation // activations running synchronously, innermost last
	mainObj    reference.Object
	// flying is the exception propagating out of the statement that just
	// ended: reachable from nothing the program sees until a handler
	// binds it.
	flying     *reference.Exception
	collecting bool
	dirty      bool
}

func (interp *interpreter) initLife() {
	interp.frames = map[reference.Object]*frameState{}
	interp.holds = map[reference.Object][]any{}
	interp.finalized = map[reference.Object]bool{}
}

// scalar reports values that reference nothing.
func scalar(v reference.Object) bool {
	switch v.(type) {
	case nil, reference.NoneType, bool, int, float64, string:
		return true
	}
	return false
}

func (interp *interpreter) track(obj reference.Object, fs *frameState) {
	interp.frames[obj] = fs
	interp.tracked = append(interp.tracked, obj)
}

// hold records that holder keeps held alive.
func (interp *interpreter) hold(holder, held reference.Object) {
	if !scalar(held) && !scalar(holder) {
		interp.holds[holder] = append(interp.holds[holder], held)
	}
}

// holdIfAwaitable records what an awaitable a method returned refers to:
// g.asend(v), g.athrow(...), g.aclose(), g.__anext__() and c.__await__()
// keep their generator or coroutine alive.
func (interp *interpreter) holdIfAwaitable(v, o reference.Object) {
	switch v.(type) {
	case *reference.ASend, *reference.AThrow, *reference.ANextAwaitable, *reference.CoroutineWrapper:
		interp.hold(v, o)
	}
}

// traceback records that exc, raised out of activation a, keeps a's
// variables alive: its __traceback__ references the frame, until the
// exception itself goes.
func (interp *interpreter) traceback(exc *reference.Exception, a *activation) {
	interp.holds[exc] = append(interp.holds[exc], a)
}

// push keeps v alive until a's current statement ends.
func (interp *interpreter) push(a *activation, v reference.Object) {
	if a != nil && !scalar(v) {
		a.temps = append(a.temps, v)
	}
}

// endStatement releases the statement's temporaries.
func (interp *interpreter) endStatement(a *activation, mark int) {
	if len(a.temps) > mark {
		clear(a.temps[mark:])
		a.temps = a.temps[:mark]
		interp.maybeCollect()
	} else if interp.dirty {
		interp.maybeCollect()
	}
}

// freed is the library letting go of a generator it finalised (the
// finalizer hook's aclose() task has finished): it is no longer a root
// even if that aclose() left it unfinished, and what only it held goes
// now.
func (interp *interpreter) freed(g *reference.AsyncGenerator) {
	for i, o := range interp.finalizing {
		if o == g {
			interp.finalizing = append(interp.finalizing[:i], interp.finalizing[i+1:]...)
			break
		}
	}
	interp.dirty = true
	interp.maybeCollect()
}

// dropped is a reference to old going away.
func (interp *interpreter) dropped(old reference.Object) {
	if !scalar(old) {
		interp.maybeCollect()
	}
}

func (interp *interpreter) enterSync(a *activation) {
	interp.syncLive = append(interp.syncLive, a)
	interp.cur = a
}

// exitSync ends a synchronous activation. Its locals die, but collecting
// waits for the caller's next statement boundary: the return value is
// in flight and reachable from nothing yet.
func (interp *interpreter) exitSync(a *activation) {
	for i := len(interp.syncLive) - 1; i >= 0; i-- {
		if interp.syncLive[i] == a {
			interp.syncLive = append(interp.syncLive[:i], interp.syncLive[i+1:]...)
			break
		}
	}
	interp.dirty = true
}

// enterActivation and exitActivation bracket a comprehension scope.
func (interp *interpreter) enterActivation(a *activation) {
	if a.fs != nil {
		a.fs.activations = append(a.fs.activations, a)
		interp.cur = a
		return
	}
	interp.enterSync(a)
}

func (interp *interpreter) exitActivation(a *activation) {
	if fs := a.fs; fs != nil {
		for i := len(fs.activations) - 1; i >= 0; i-- {
			if fs.activations[i] == a {
				fs.activations = append(fs.activations[:i], fs.activations[i+1:]...)
				break
			}
		}
		interp.dirty = true
		return
	}
	interp.exitSync(a)
}

// finishFrame is a frame body ending: its activations die.
func (interp *interpreter) finishFrame(a *activation) {
	if a.fs != nil {
		a.fs.activations = nil
	}
	interp.dirty = true
}

// notePanic keeps the stack of the first unexpected panic through a frame
// body (the library re-raises it in the resumer, losing the stack).
func (interp *interpreter) notePanic(completed *bool) {
	if !*completed && !interp.closing && interp.panicStack == nil && !interp.abort.Load() {
		interp.panicStack = debug.Stack()
	}
}

func (interp *interpreter) maybeCollect() {
	if interp.collecting {
		interp.dirty = true
		return
	}
	interp.dirty = false
	if len(interp.tracked) == 0 || interp.closing {
		return
	}
	interp.collect()
}

// pending compacts the tracked list and returns the objects that are
// unfinished and not yet finalised.
func (interp *interpreter) pending() []reference.Object {
	kept := interp.tracked[:0]
	var out []reference.Object
	for _, o := range interp.tracked {
		if isDone(o) {
			delete(interp.frames, o)
			continue
		}
		kept = append(kept, o)
		if !interp.finalized[o] {
			out = append(out, o)
		}
	}
	clear(interp.tracked[len(kept):])
	interp.tracked = kept
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
//
// A finaliser runs Python code, which may drop the last reference to
// something else: that is finalised at once, inside the first finaliser,
// as reference counting does (a closed generator releases the iterator
// of the loop it was suspended in before its finally blocks run).
func (interp *interpreter) collect() {
	for round := 0; round < 64; round++ {
		dead := interp.findDead()
		if len(dead) == 0 {
			return
		}
		for _, o := range dead {
			if isDone(o) || interp.finalized[o] {
				continue
			}
			interp.finalized[o] = true
			interp.finalizing = append(interp.finalizing, o)
			cur := interp.cur
			interp.ops.Finalize(interp.runtime, o)
			interp.cur = cur
			if _, ok := o.(doner); !ok {
				// An object of unknown kind cannot say when it finishes:
				// finalise it once and forget it.
				interp.forget(o)
			}
		}
	}
}

// findDead returns the unfinished objects to finalise now: those nothing
// reaches, outermost first.
func (interp *interpreter) findDead() []reference.Object {
	interp.collecting = true
	defer func() { interp.collecting = false }()
	interp.dirty = false
	pending := interp.pending()
	if len(pending) == 0 || interp.allGlobal(pending) {
		return nil
	}
	reached := interp.mark()
	var dead []reference.Object
	for _, o := range pending {
		if !reached[o] {
			dead = append(dead, o)
		}
	}
	if len(dead) == 0 {
		return nil
	}
	return interp.outermost(dead)
}

// allGlobal reports whether every object in objs is main or the value of
// a global: then all are reachable and marking would find nothing dead.
// (Most statements of a program that keeps its generators in globals end
// this way.)
func (interp *interpreter) allGlobal(objs []reference.Object) bool {
	for _, o := range objs {
		found := o == interp.mainObj
		for _, v := range interp.globals {
			if v == o {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// outermost keeps the dead objects that no other dead object reaches
// (except through a cycle back to itself). Under reference counting only
// those lose their last reference now: their finalizers run first, and
// an async generator's finalizer hook resurrects it (the aclose() it
// schedules holds it), so what its suspended frame holds lives on until
// that aclose() runs. Whatever is still unreachable afterwards is
// finalised in the next round. Dead objects that all reach one another
// are cyclic garbage, finalised together as CPython's collector does.
func (interp *interpreter) outermost(dead []reference.Object) []reference.Object {
	if len(dead) < 2 {
		return dead
	}
	reaches := make([]map[any]bool, len(dead))
	for i, d := range dead {
		reaches[i] = interp.reach([]any{d})
	}
	var out []reference.Object
	for i, d := range dead {
		inner := false
		for j := range dead {
			if j != i && reaches[j][d] && !reaches[i][dead[j]] {
				inner = true
				break
			}
		}
		if !inner {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return dead
	}
	return out
}

func (interp *interpreter) forget(o reference.Object) {
	for i, t := range interp.tracked {
		if t == o {
			interp.tracked = append(interp.tracked[:i], interp.tracked[i+1:]...)
			break
		}
	}
	delete(interp.frames, o)
}

// mark returns everything reachable from the roots.
func (interp *interpreter) mark() map[any]bool {
	var roots []any
	for _, v := range interp.globals {
		roots = append(roots, v)
	}
	roots = append(roots, interp.mainObj)
	if interp.flying != nil {
		roots = append(roots, interp.flying)
	}
	for _, a := range interp.syncLive {
		roots = append(roots, a)
	}
	for _, fs := range interp.frames {
		if fs.running && fs.inOp == 0 {
			for _, a := range fs.activations {
				roots = append(roots, a)
			}
		}
	}
	for _, t := range interp.tasks {
		if !isDone(t) {
			roots = append(roots, t)
		}
	}
	for _, o := range interp.finalizing {
		if !isDone(o) {
			roots = append(roots, o)
		}
	}
	return interp.reach(roots)
}

// reach returns everything reachable from starts (starts included).
func (interp *interpreter) reach(starts []any) map[any]bool {
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
	for _, x := range starts {
		add(x)
	}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if a, ok := x.(*activation); ok {
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
			if interp.classes[v] {
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
			if fo := interp.funcs[v]; fo != nil && fo.closure != nil {
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
		if fs := interp.frames[x]; fs != nil && !fs.done {
			for _, a := range fs.activations {
				add(a)
			}
		}
		if aw, ok := x.(interface{ Awaiting() reference.Object }); ok {
			add(aw.Awaiting())
		}
		if yf, ok := x.(interface{ YieldingFrom() reference.Object }); ok {
			add(yf.YieldingFrom())
		}
		for _, h := range interp.holds[x] {
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
