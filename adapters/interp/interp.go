package interp

import (
	"sync/atomic"

	"github.com/aiterspec/aiterspec/reference"
	"github.com/aiterspec/aiterspec/scenario"
)

// interpreter runs one scenario: the scenario language interpreted on top of
// the reference library, with every protocol operation going through
// ops. It lives for one Run and is used by one goroutine at a time (the
// library switches goroutines for frame bodies, never running two at
// once).
type interpreter struct {
	ops     Ops
	runtime *reference.Runtime
	sc      *scenario.Scenario

	obs        []scenario.Observation
	recording  bool
	warnings   bool // report warnings as events
	unraisable bool // report unraisable exceptions as events
	loopErrors bool // report calls of the loop's exception handler as events

	// abort is set from outside when the scenario ran out of time; the
	// interpreter checks it before every statement and loop iteration and
	// unwinds with a panic (abortSignal).
	abort      *atomic.Bool
	closing    bool   // releasing frames after the run: panics are expected
	panicStack []byte // stack of the first unexpected panic in a frame body

	globals  map[string]reference.Object
	builtins map[string]reference.Object
	// cur is the activation whose code is running; library callbacks into
	// user functions pin their results in its temporaries.
	cur *activation

	codes    map[any]*code // static information per def, lambda, comprehension
	funcs    map[*reference.Function]*funcObj
	classes  map[*reference.Class]bool // classes made by class statements
	counters map[counterKey]int        // per-call bodies

	life // object lifetime (gc.go)
}

// abortSignal unwinds a scenario that ran out of time.
var abortSignal = &struct{ name string }{"scenario aborted"}

// activationKind is the kind of scope an activation is.
type activationKind uint8

const (
	globalActivation        activationKind = iota // module level and main: names are globals
	funcActivation                                // a def or lambda call
	classActivation                               // a class body
	comprehensionActivation                       // a comprehension or generator expression
)

// activation is one activation of a scope: the running module, main, a function
// call, a class body or a comprehension. Its vars are the scope's local
// names (the globals for module and main, the namespace of a class).
type activation struct {
	kind   activationKind
	code   *code
	vars   map[string]reference.Object
	parent *activation // lexically enclosing scope, for free variables
	caller *activation // the activation that called a plain function (for bare raise)
	fs     *frameState
	fr     *reference.Frame
	depth  int
	self   reference.Object // a method's first argument, for per-call counters
	// qualprefix is what the qualified names of functions and classes
	// defined here start with ("f.<locals>.", "C.").
	qualprefix string
	// handling is the stack of exceptions being handled (except blocks,
	// finally blocks run during propagation): bare raise re-raises the
	// top, and exceptions raised meanwhile get it as __context__.
	handling []*reference.Exception
	// temps hold every object the current statement's evaluation made or
	// got, until the statement ends: they are alive as CPython's value
	// stack keeps them alive.
	temps []reference.Object
	ret   reference.Object
}

// flow is how a block ended: normally, or by break, continue or return.
type flow uint8

const (
	flowNormal flow = iota
	flowBreak
	flowContinue
	flowReturn
)

// maxDepth bounds nested calls, as CPython's recursion limit does (1000,
// of which a few frames are the harness's), so that runaway recursion is
// a RecursionError rather than a Go stack overflow.
const maxDepth = 990

func (interp *interpreter) checkAbort() {
	if interp.abort.Load() {
		panic(abortSignal)
	}
}

// execTop runs a top-level statement of module or main, recording an
// exception that escapes it.
func (interp *interpreter) execTop(a *activation, st *scenario.Stmt) flow {
	c, exc := interp.exec(a, st)
	if exc != nil {
		interp.recordRaised(exc)
		// The wrapper's `except BaseException as e` ends: the exception,
		// and the frames its traceback kept, are released.
		interp.maybeCollect()
	}
	return c
}

func (interp *interpreter) execBlock(a *activation, stmts []scenario.Stmt) (flow, *reference.Exception) {
	for i := range stmts {
		if c, exc := interp.exec(a, &stmts[i]); exc != nil || c != flowNormal {
			return c, exc
		}
	}
	return flowNormal, nil
}

// exec runs one statement. Whatever its evaluation kept alive is released
// when it ends, which is when CPython would drop those references.
func (interp *interpreter) exec(a *activation, st *scenario.Stmt) (flow, *reference.Exception) {
	interp.checkAbort()
	interp.cur = a
	mark := len(a.temps)
	c, exc := interp.execByKind(a, st)
	interp.cur = a
	if exc != nil && len(a.handling) > 0 {
		setContext(exc, a.handling[len(a.handling)-1], false)
	}
	interp.flying = exc
	interp.endStatement(a, mark)
	interp.flying = nil
	return c, exc
}

// execByKind runs st according to its kind; exec wraps it with what every
// statement boundary does (the abort check, releasing temporaries).
func (interp *interpreter) execByKind(a *activation, st *scenario.Stmt) (flow, *reference.Exception) {
	switch st.Kind {
	case scenario.DefStmt:
		fn := interp.makeFunction(a, interp.defCode(a, st))
		return flowNormal, interp.bind(a, st.Name, fn)
	case scenario.ClassStmt:
		return flowNormal, interp.classStmt(a, st)
	case scenario.LetStmt:
		v, exc := interp.eval(a, st.Expr)
		if exc != nil {
			return flowNormal, exc
		}
		return flowNormal, interp.bind(a, st.Name, v)
	case scenario.SetAttrStmt:
		// The value is evaluated before the object, as in `obj.name = value`.
		v, exc := interp.eval(a, st.Expr)
		if exc != nil {
			return flowNormal, exc
		}
		o, exc := interp.eval(a, st.Object)
		if exc != nil {
			return flowNormal, exc
		}
		return flowNormal, interp.setattr(o, st.Name, v)
	case scenario.DelStmt:
		return flowNormal, interp.unbind(a, st.Name)
	case scenario.ExprStmt:
		_, exc := interp.eval(a, st.Expr)
		return flowNormal, exc
	case scenario.ObserveStmt:
		v, exc := interp.eval(a, st.Expr)
		if exc != nil {
			return flowNormal, exc
		}
		if interp.recording {
			val := toValue(v)
			interp.obs = append(interp.obs, scenario.Observation{Kind: scenario.ObservedValue, Value: &val})
		}
		return flowNormal, nil
	case scenario.EmitStmt:
		o := scenario.Observation{Kind: scenario.ObservedEvent, Event: st.Event}
		if st.Expr != nil {
			v, exc := interp.eval(a, st.Expr)
			if exc != nil {
				return flowNormal, exc
			}
			val := toValue(v)
			o.Value = &val
		}
		if interp.recording {
			interp.obs = append(interp.obs, o)
		}
		return flowNormal, nil
	case scenario.YieldStmt:
		v, exc := interp.optEval(a, st.Expr)
		if exc != nil {
			return flowNormal, exc
		}
		_, exc = interp.yield(a, v)
		return flowNormal, exc
	case scenario.YieldFromStmt:
		v, exc := interp.eval(a, st.Expr)
		if exc != nil {
			return flowNormal, exc
		}
		_, exc = interp.yieldFrom(a, v)
		return flowNormal, exc
	case scenario.ReturnStmt:
		v, exc := interp.optEval(a, st.Expr)
		if exc != nil {
			return flowNormal, exc
		}
		a.ret = v
		return flowReturn, nil
	case scenario.RaiseStmt:
		return flowNormal, interp.raise(a, st.Expr)
	case scenario.TryStmt:
		return interp.try(a, st)
	case scenario.IfStmt:
		v, exc := interp.eval(a, st.Cond)
		if exc != nil {
			return flowNormal, exc
		}
		t, exc := truth(v)
		if exc != nil {
			return flowNormal, exc
		}
		if t {
			return interp.execBlock(a, st.Body)
		}
		return interp.execBlock(a, st.Else)
	case scenario.ForStmt, scenario.AsyncForStmt:
		return interp.forStmt(a, st)
	case scenario.WhileStmt:
		return interp.whileStmt(a, st)
	case scenario.AsyncWithStmt:
		return interp.asyncWith(a, st)
	case scenario.BreakStmt:
		return flowBreak, nil
	case scenario.ContinueStmt:
		return flowContinue, nil
	case scenario.PassStmt:
		return flowNormal, nil
	}
	return flowNormal, reference.Errorf(reference.ExcSystemError, "reference adapter: unknown statement %q", st.Kind)
}

func (interp *interpreter) optEval(a *activation, e *scenario.Expr) (reference.Object, *reference.Exception) {
	if e == nil {
		return reference.None, nil
	}
	return interp.eval(a, e)
}

// raise is the raise statement.
func (interp *interpreter) raise(a *activation, e *scenario.Expr) *reference.Exception {
	if e == nil {
		for s := a; s != nil; s = s.caller {
			if n := len(s.handling); n > 0 {
				return s.handling[n-1]
			}
		}
		return reference.Errorf(reference.ExcRuntimeError, "No active exception to reraise")
	}
	v, exc := interp.eval(a, e)
	if exc != nil {
		return exc
	}
	exc = reference.ExceptionFrom(v)
	interp.cur = a
	if n := len(a.handling); n > 0 {
		setContext(exc, a.handling[n-1], true)
	}
	return exc
}

// setContext sets exc.__context__ to the exception being handled, as
// raising does, breaking a cycle the way _PyErr_SetObject does. Unless
// override, an exception that has a context keeps it (it was raised
// deeper, where the context was already decided).
func setContext(exc, handled *reference.Exception, override bool) {
	if exc == handled || (exc.Context != nil && !override) {
		return
	}
	for o := handled; o != nil; o = o.Context {
		if o.Context == exc {
			o.Context = nil
			break
		}
	}
	exc.Context = handled
}

// try is the try statement, with Python's order: handlers are matched in
// turn (their types evaluated only then); the else block runs when the
// body finished normally; the finally block always runs and its own
// break, continue, return or exception replaces the pending outcome.
func (interp *interpreter) try(a *activation, st *scenario.Stmt) (flow, *reference.Exception) {
	c, exc := interp.execBlock(a, st.Body)
	if exc != nil && len(st.Handlers) > 0 {
		c, exc = interp.handle(a, st, exc)
	} else if exc == nil && c == flowNormal && len(st.Else) > 0 {
		c, exc = interp.execBlock(a, st.Else)
	}
	if len(st.Finally) == 0 {
		return c, exc
	}
	if exc != nil {
		a.handling = append(a.handling, exc)
	}
	fc, fexc := interp.execBlock(a, st.Finally)
	if exc != nil {
		a.handling = a.handling[:len(a.handling)-1]
	}
	if fexc != nil || fc != flowNormal {
		if fexc != nil && exc != nil {
			setContext(fexc, exc, false)
		}
		if exc != nil {
			interp.dirty = true // the pending exception is discarded
		}
		return fc, fexc
	}
	return c, exc
}

// handle runs the first handler matching exc, if any.
func (interp *interpreter) handle(a *activation, st *scenario.Stmt, exc *reference.Exception) (flow, *reference.Exception) {
	for i := range st.Handlers {
		h := &st.Handlers[i]
		if h.Type != "" {
			t, terr := interp.resolveName(a, h.Type)
			if terr == nil {
				cls, ok := t.(*reference.Class)
				if !ok || !cls.IsException() {
					terr = reference.Errorf(reference.ExcTypeError, "catching classes that do not inherit from BaseException is not allowed")
				} else if !exc.Matches(cls) {
					continue
				}
			}
			if terr != nil {
				setContext(terr, exc, false)
				return flowNormal, terr
			}
		}
		if h.As != "" {
			if e := interp.bind(a, h.As, exc); e != nil {
				return flowNormal, e
			}
		}
		a.handling = append(a.handling, exc)
		c, hexc := interp.execBlock(a, h.Body)
		a.handling = a.handling[:len(a.handling)-1]
		// The handled exception goes (unless it is raised on, or kept as
		// a context): collect at the end of the try statement, when what
		// propagates from it is known.
		interp.dirty = true
		if hexc != nil {
			setContext(hexc, exc, false)
		}
		if h.As != "" {
			// `except E as N:` ends with `N = None; del N`.
			if e := interp.bind(a, h.As, reference.None); e != nil && hexc == nil {
				return flowNormal, e
			}
			if e := interp.unbind(a, h.As); e != nil && hexc == nil {
				return flowNormal, e
			}
		}
		return c, hexc
	}
	return flowNormal, exc
}

// whileStmt is while, with else and break/continue/return.
func (interp *interpreter) whileStmt(a *activation, st *scenario.Stmt) (flow, *reference.Exception) {
	for {
		interp.checkAbort()
		v, exc := interp.eval(a, st.Cond)
		if exc != nil {
			return flowNormal, exc
		}
		t, exc := truth(v)
		if exc != nil {
			return flowNormal, exc
		}
		if !t {
			return interp.execBlock(a, st.Else)
		}
		c, exc := interp.execBlock(a, st.Body)
		switch {
		case exc != nil:
			return flowNormal, exc
		case c == flowBreak:
			return flowNormal, nil
		case c == flowReturn:
			return flowReturn, nil
		}
	}
}

// forStmt is for and async for, with else and break/continue/return.
func (interp *interpreter) forStmt(a *activation, st *scenario.Stmt) (flow, *reference.Exception) {
	iterable, exc := interp.eval(a, st.Iter)
	if exc != nil {
		return flowNormal, exc
	}
	var out flow
	body := func(item reference.Object) (bool, error) {
		interp.checkAbort()
		interp.cur = a
		if exc := interp.assign(a, st.Target, st.TargetExpr, item); exc != nil {
			return true, exc
		}
		c, exc := interp.execBlock(a, st.Body)
		if exc != nil {
			return true, exc
		}
		switch c {
		case flowBreak:
			return true, nil
		case flowReturn:
			out = flowReturn
			return true, nil
		}
		return false, nil
	}
	var exhausted bool
	if st.Kind == scenario.AsyncForStmt {
		exhausted, exc = interp.asyncFor(a, iterable, body)
	} else {
		exhausted, exc = interp.forLoop(a, iterable, body)
	}
	if exc != nil || out == flowReturn {
		return out, exc
	}
	if exhausted {
		return interp.execBlock(a, st.Else)
	}
	return flowNormal, nil
}

// asyncWith is `async with expr: body` (no target): __aenter__ and
// __aexit__ are looked up on the type and their results awaited.
func (interp *interpreter) asyncWith(a *activation, st *scenario.Stmt) (flow, *reference.Exception) {
	mgr, exc := interp.eval(a, st.Expr)
	if exc != nil {
		return flowNormal, exc
	}
	cls := reference.TypeOf(mgr)
	enter, ok1 := cls.Lookup("__aenter__")
	exit, ok2 := cls.Lookup("__aexit__")
	if !interp.classes[cls] || !ok1 || !ok2 {
		return flowNormal, reference.Errorf(reference.ExcTypeError, "'%s' object does not support the asynchronous context manager protocol", cls.TpName())
	}
	callSlot := func(m reference.Object, args ...reference.Object) (reference.Object, *reference.Exception) {
		if f, ok := m.(*reference.Function); ok {
			args = append([]reference.Object{mgr}, args...)
			return interp.call(a, f, args, nil)
		}
		return interp.call(a, m, args, nil)
	}
	aw, exc := callSlot(enter)
	if exc == nil {
		interp.push(a, aw)
		_, exc = interp.await(a, aw)
	}
	if exc != nil {
		return flowNormal, exc
	}
	c, bexc := interp.execBlock(a, st.Body)
	var args []reference.Object
	if bexc != nil {
		args = []reference.Object{bexc.Class, bexc, reference.None}
	} else {
		args = []reference.Object{reference.None, reference.None, reference.None}
	}
	aw, exc = callSlot(exit, args...)
	var res reference.Object
	if exc == nil {
		interp.push(a, aw)
		res, exc = interp.await(a, aw)
	}
	if exc != nil {
		if bexc != nil {
			setContext(exc, bexc, false)
		}
		return flowNormal, exc
	}
	if bexc != nil {
		if t, texc := truth(res); texc != nil {
			return flowNormal, texc
		} else if t {
			return flowNormal, nil
		}
		return flowNormal, bexc
	}
	return c, nil
}

// truth is bool(v).
func truth(v reference.Object) (bool, *reference.Exception) {
	t, err := reference.Truth(v)
	return t, reference.AsException(err)
}
