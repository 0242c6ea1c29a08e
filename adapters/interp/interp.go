package interp

import (
	"sync/atomic"

	"github.com/aiterspec/aiterspec/reference"
	"github.com/aiterspec/aiterspec/scenario"
)

// interp runs one scenario: the scenario language interpreted on top of
// the reference library, with every protocol operation going through
// ops. It lives for one Run and is used by one goroutine at a time (the
// library switches goroutines for frame bodies, never running two at
// once).
type interp struct {
	ops Ops
	r   *reference.Runtime
	sc  *scenario.Scenario

	obs        []scenario.Observation
	recording  bool
	warnings   bool // report warnings as events
	unraisable bool // report unraisable exceptions as events

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
	cur *act

	codes    map[any]*code // static information per def, lambda, comprehension
	funcs    map[*reference.Function]*funcObj
	classes  map[*reference.Class]bool // classes made by class statements
	counters map[counterKey]int        // per-call bodies

	life // object lifetime (gc.go)
}

// abortSignal unwinds a scenario that ran out of time.
var abortSignal = &struct{ name string }{"scenario aborted"}

// actKind is the kind of scope an activation is.
type actKind uint8

const (
	actGlobal actKind = iota // module level and main: names are globals
	actFunc                  // a def or lambda call
	actClass                 // a class body
	actComp                  // a comprehension or generator expression
)

// act is one activation of a scope: the running module, main, a function
// call, a class body or a comprehension. Its vars are the scope's local
// names (the globals for module and main, the namespace of a class).
type act struct {
	kind   actKind
	code   *code
	vars   map[string]reference.Object
	parent *act // lexically enclosing scope, for free variables
	caller *act // the activation that called a plain function (for bare raise)
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

// ctl is how a block ended.
type ctl uint8

const (
	ctlNone ctl = iota
	ctlBreak
	ctlContinue
	ctlReturn
)

// maxDepth bounds nested calls, as CPython's recursion limit does (1000,
// of which a few frames are the harness's), so that runaway recursion is
// a RecursionError rather than a Go stack overflow.
const maxDepth = 990

func (in *interp) checkAbort() {
	if in.abort.Load() {
		panic(abortSignal)
	}
}

// execTop runs a top-level statement of module or main, recording an
// exception that escapes it.
func (in *interp) execTop(a *act, st *scenario.Stmt) ctl {
	c, exc := in.exec(a, st)
	if exc != nil {
		in.recordRaised(exc)
		// The wrapper's `except BaseException as e` ends: the exception,
		// and the frames its traceback kept, are released.
		in.maybeCollect()
	}
	return c
}

func (in *interp) execBlock(a *act, stmts []scenario.Stmt) (ctl, *reference.Exception) {
	for i := range stmts {
		if c, exc := in.exec(a, &stmts[i]); exc != nil || c != ctlNone {
			return c, exc
		}
	}
	return ctlNone, nil
}

// exec runs one statement. Whatever its evaluation kept alive is released
// when it ends, which is when CPython would drop those references.
func (in *interp) exec(a *act, st *scenario.Stmt) (ctl, *reference.Exception) {
	in.checkAbort()
	in.cur = a
	mark := len(a.temps)
	c, exc := in.exec1(a, st)
	in.cur = a
	if exc != nil && len(a.handling) > 0 {
		setContext(exc, a.handling[len(a.handling)-1], false)
	}
	in.flying = exc
	in.endStatement(a, mark)
	in.flying = nil
	return c, exc
}

func (in *interp) exec1(a *act, st *scenario.Stmt) (ctl, *reference.Exception) {
	switch st.Kind {
	case scenario.DefStmt:
		fn := in.makeFunction(a, in.defCode(a, st))
		return ctlNone, in.bind(a, st.Name, fn)
	case scenario.ClassStmt:
		return ctlNone, in.classStmt(a, st)
	case scenario.LetStmt:
		v, exc := in.eval(a, st.Expr)
		if exc != nil {
			return ctlNone, exc
		}
		return ctlNone, in.bind(a, st.Name, v)
	case scenario.SetAttrStmt:
		// The value is evaluated before the object, as in `obj.name = value`.
		v, exc := in.eval(a, st.Expr)
		if exc != nil {
			return ctlNone, exc
		}
		o, exc := in.eval(a, st.Object)
		if exc != nil {
			return ctlNone, exc
		}
		return ctlNone, in.setattr(o, st.Name, v)
	case scenario.DelStmt:
		return ctlNone, in.unbind(a, st.Name)
	case scenario.ExprStmt:
		_, exc := in.eval(a, st.Expr)
		return ctlNone, exc
	case scenario.ObserveStmt:
		v, exc := in.eval(a, st.Expr)
		if exc != nil {
			return ctlNone, exc
		}
		if in.recording {
			val := toValue(v)
			in.obs = append(in.obs, scenario.Observation{Kind: scenario.ObservedValue, Value: &val})
		}
		return ctlNone, nil
	case scenario.EmitStmt:
		o := scenario.Observation{Kind: scenario.ObservedEvent, Event: st.Event}
		if st.Expr != nil {
			v, exc := in.eval(a, st.Expr)
			if exc != nil {
				return ctlNone, exc
			}
			val := toValue(v)
			o.Value = &val
		}
		if in.recording {
			in.obs = append(in.obs, o)
		}
		return ctlNone, nil
	case scenario.YieldStmt:
		v, exc := in.optEval(a, st.Expr)
		if exc != nil {
			return ctlNone, exc
		}
		_, exc = in.yield(a, v)
		return ctlNone, exc
	case scenario.YieldFromStmt:
		v, exc := in.eval(a, st.Expr)
		if exc != nil {
			return ctlNone, exc
		}
		_, exc = in.yieldFrom(a, v)
		return ctlNone, exc
	case scenario.ReturnStmt:
		v, exc := in.optEval(a, st.Expr)
		if exc != nil {
			return ctlNone, exc
		}
		a.ret = v
		return ctlReturn, nil
	case scenario.RaiseStmt:
		return ctlNone, in.raise(a, st.Expr)
	case scenario.TryStmt:
		return in.try(a, st)
	case scenario.IfStmt:
		v, exc := in.eval(a, st.Cond)
		if exc != nil {
			return ctlNone, exc
		}
		t, exc := truth(v)
		if exc != nil {
			return ctlNone, exc
		}
		if t {
			return in.execBlock(a, st.Body)
		}
		return in.execBlock(a, st.Else)
	case scenario.ForStmt, scenario.AsyncForStmt:
		return in.forStmt(a, st)
	case scenario.AsyncWithStmt:
		return in.asyncWith(a, st)
	case scenario.BreakStmt:
		return ctlBreak, nil
	case scenario.ContinueStmt:
		return ctlContinue, nil
	case scenario.PassStmt:
		return ctlNone, nil
	}
	return ctlNone, reference.Errorf(reference.ExcSystemError, "reference adapter: unknown statement %q", st.Kind)
}

func (in *interp) optEval(a *act, e *scenario.Expr) (reference.Object, *reference.Exception) {
	if e == nil {
		return reference.None, nil
	}
	return in.eval(a, e)
}

// raise is the raise statement.
func (in *interp) raise(a *act, e *scenario.Expr) *reference.Exception {
	if e == nil {
		for s := a; s != nil; s = s.caller {
			if n := len(s.handling); n > 0 {
				return s.handling[n-1]
			}
		}
		return reference.Errorf(reference.ExcRuntimeError, "No active exception to reraise")
	}
	v, exc := in.eval(a, e)
	if exc != nil {
		return exc
	}
	exc = reference.ExceptionFrom(v)
	in.cur = a
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
func (in *interp) try(a *act, st *scenario.Stmt) (ctl, *reference.Exception) {
	c, exc := in.execBlock(a, st.Body)
	if exc != nil && len(st.Handlers) > 0 {
		c, exc = in.handle(a, st, exc)
	} else if exc == nil && c == ctlNone && len(st.Else) > 0 {
		c, exc = in.execBlock(a, st.Else)
	}
	if len(st.Finally) == 0 {
		return c, exc
	}
	if exc != nil {
		a.handling = append(a.handling, exc)
	}
	fc, fexc := in.execBlock(a, st.Finally)
	if exc != nil {
		a.handling = a.handling[:len(a.handling)-1]
	}
	if fexc != nil || fc != ctlNone {
		if fexc != nil && exc != nil {
			setContext(fexc, exc, false)
		}
		if exc != nil {
			in.dirty = true // the pending exception is discarded
		}
		return fc, fexc
	}
	return c, exc
}

// handle runs the first handler matching exc, if any.
func (in *interp) handle(a *act, st *scenario.Stmt, exc *reference.Exception) (ctl, *reference.Exception) {
	for i := range st.Handlers {
		h := &st.Handlers[i]
		if h.Type != "" {
			t, terr := in.resolveName(a, h.Type)
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
				return ctlNone, terr
			}
		}
		if h.As != "" {
			if e := in.bind(a, h.As, exc); e != nil {
				return ctlNone, e
			}
		}
		a.handling = append(a.handling, exc)
		c, hexc := in.execBlock(a, h.Body)
		a.handling = a.handling[:len(a.handling)-1]
		// The handled exception goes (unless it is raised on, or kept as
		// a context): collect at the end of the try statement, when what
		// propagates from it is known.
		in.dirty = true
		if hexc != nil {
			setContext(hexc, exc, false)
		}
		if h.As != "" {
			// `except E as N:` ends with `N = None; del N`.
			if e := in.bind(a, h.As, reference.None); e != nil && hexc == nil {
				return ctlNone, e
			}
			if e := in.unbind(a, h.As); e != nil && hexc == nil {
				return ctlNone, e
			}
		}
		return c, hexc
	}
	return ctlNone, exc
}

// forStmt is for and async for, with else and break/continue/return.
func (in *interp) forStmt(a *act, st *scenario.Stmt) (ctl, *reference.Exception) {
	iterable, exc := in.eval(a, st.Iter)
	if exc != nil {
		return ctlNone, exc
	}
	var out ctl
	body := func(item reference.Object) (bool, error) {
		in.checkAbort()
		in.cur = a
		if exc := in.bind(a, st.Target, item); exc != nil {
			return true, exc
		}
		c, exc := in.execBlock(a, st.Body)
		if exc != nil {
			return true, exc
		}
		switch c {
		case ctlBreak:
			return true, nil
		case ctlReturn:
			out = ctlReturn
			return true, nil
		}
		return false, nil
	}
	var exhausted bool
	if st.Kind == scenario.AsyncForStmt {
		exhausted, exc = in.asyncFor(a, iterable, body)
	} else {
		exhausted, exc = in.forLoop(a, iterable, body)
	}
	if exc != nil || out == ctlReturn {
		return out, exc
	}
	if exhausted {
		return in.execBlock(a, st.Else)
	}
	return ctlNone, nil
}

// asyncWith is `async with expr: body` (no target): __aenter__ and
// __aexit__ are looked up on the type and their results awaited.
func (in *interp) asyncWith(a *act, st *scenario.Stmt) (ctl, *reference.Exception) {
	mgr, exc := in.eval(a, st.Expr)
	if exc != nil {
		return ctlNone, exc
	}
	cls := reference.TypeOf(mgr)
	enter, ok1 := cls.Lookup("__aenter__")
	exit, ok2 := cls.Lookup("__aexit__")
	if !in.classes[cls] || !ok1 || !ok2 {
		return ctlNone, reference.Errorf(reference.ExcTypeError, "'%s' object does not support the asynchronous context manager protocol", cls.TpName())
	}
	callSlot := func(m reference.Object, args ...reference.Object) (reference.Object, *reference.Exception) {
		if f, ok := m.(*reference.Function); ok {
			args = append([]reference.Object{mgr}, args...)
			return in.call(a, f, args, nil)
		}
		return in.call(a, m, args, nil)
	}
	aw, exc := callSlot(enter)
	if exc == nil {
		in.push(a, aw)
		_, exc = in.await(a, aw)
	}
	if exc != nil {
		return ctlNone, exc
	}
	c, bexc := in.execBlock(a, st.Body)
	var args []reference.Object
	if bexc != nil {
		args = []reference.Object{bexc.Class, bexc, reference.None}
	} else {
		args = []reference.Object{reference.None, reference.None, reference.None}
	}
	aw, exc = callSlot(exit, args...)
	var res reference.Object
	if exc == nil {
		in.push(a, aw)
		res, exc = in.await(a, aw)
	}
	if exc != nil {
		if bexc != nil {
			setContext(exc, bexc, false)
		}
		return ctlNone, exc
	}
	if bexc != nil {
		if t, texc := truth(res); texc != nil {
			return ctlNone, texc
		} else if t {
			return ctlNone, nil
		}
		return ctlNone, bexc
	}
	return c, nil
}

// truth is bool(v).
func truth(v reference.Object) (bool, *reference.Exception) {
	t, err := reference.Truth(v)
	return t, reference.AsException(err)
}
