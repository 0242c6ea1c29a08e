package interp

import (
	"strings"

	"github.com/aiterspec/aiterspec/reference"
	"github.com/aiterspec/aiterspec/scenario"
)

// eval evaluates an expression in activation a. Every object it produces
// is kept in a's temporaries until the statement ends.
func (in *interp) eval(a *act, e *scenario.Expr) (reference.Object, *reference.Exception) {
	v, exc := in.eval1(a, e)
	if exc != nil {
		return nil, exc
	}
	in.cur = a
	in.push(a, v)
	return v, nil
}

func (in *interp) eval1(a *act, e *scenario.Expr) (reference.Object, *reference.Exception) {
	switch e.Kind {
	case scenario.LitExpr:
		return fromValue(*e.Value)
	case scenario.VarExpr:
		return in.resolveName(a, e.Name)
	case scenario.CallExpr:
		fn, exc := in.resolveName(a, e.Func)
		if exc != nil {
			return nil, exc
		}
		in.push(a, fn)
		args, kw, exc := in.evalArgs(a, e)
		if exc != nil {
			return nil, exc
		}
		return in.call(a, fn, args, kw)
	case scenario.MethodExpr:
		return in.method(a, e)
	case scenario.AttrExpr:
		o, exc := in.eval(a, e.Of)
		if exc != nil {
			return nil, exc
		}
		return in.getattr(o, e.Name)
	case scenario.AwaitExpr:
		x, exc := in.eval(a, e.Expr)
		if exc != nil {
			return nil, exc
		}
		return in.await(a, x)
	case scenario.YieldExpr:
		v, exc := in.optEval(a, e.Expr)
		if exc != nil {
			return nil, exc
		}
		return in.yield(a, v)
	case scenario.TypeNameExpr:
		o, exc := in.eval(a, e.Of)
		if exc != nil {
			return nil, exc
		}
		return reference.TypeOf(o).Name, nil
	case scenario.IsExpr:
		l, exc := in.eval(a, e.Left)
		if exc != nil {
			return nil, exc
		}
		r, exc := in.eval(a, e.Right)
		if exc != nil {
			return nil, exc
		}
		return reference.Is(l, r), nil
	case scenario.BinOpExpr:
		return in.binop(a, e)
	case scenario.NotExpr:
		v, exc := in.eval(a, e.Expr)
		if exc != nil {
			return nil, exc
		}
		t, exc := truth(v)
		return !t, exc
	case scenario.ListExpr:
		items, exc := in.evalItems(a, e.Items)
		if exc != nil {
			return nil, exc
		}
		return reference.NewList(items...), nil
	case scenario.TupleExpr:
		items, exc := in.evalItems(a, e.Items)
		if exc != nil {
			return nil, exc
		}
		return reference.NewTuple(items...), nil
	case scenario.ComprehensionExpr:
		return in.comprehension(a, e)
	case scenario.LambdaExpr:
		return in.makeFunction(a, in.lambdaCode(a, e)), nil
	case scenario.CompileExpr:
		tla := false
		for _, f := range e.Flags {
			tla = tla || f == "top_level_await"
		}
		v, err := in.ops.Compile(e.Body, tla)
		return v, reference.AsException(err)
	case scenario.FutureExpr:
		return in.future(a, e)
	}
	return nil, reference.Errorf(reference.ExcSystemError, "reference adapter: unknown expression %q", e.Kind)
}

func (in *interp) evalItems(a *act, es []scenario.Expr) ([]reference.Object, *reference.Exception) {
	items := make([]reference.Object, len(es))
	for i := range es {
		v, exc := in.eval(a, &es[i])
		if exc != nil {
			return nil, exc
		}
		items[i] = v
	}
	return items, nil
}

// evalArgs evaluates positional arguments, then keyword arguments in the
// order of their names (the order the JSON encoding, and so the Python
// harness's rendering, gives them).
func (in *interp) evalArgs(a *act, e *scenario.Expr) ([]reference.Object, []kwarg, *reference.Exception) {
	args, exc := in.evalItems(a, e.Args)
	if exc != nil {
		return nil, nil, exc
	}
	var kw []kwarg
	for _, k := range sortedKeys(e.Kwargs) {
		x := e.Kwargs[k]
		v, exc := in.eval(a, &x)
		if exc != nil {
			return nil, nil, exc
		}
		kw = append(kw, kwarg{k, v})
	}
	return args, kw, nil
}

// method is `(of).name(args)`: the attribute is looked up before the
// arguments are evaluated, as LOAD_METHOD does, and the call goes through
// Ops.CallMethod.
func (in *interp) method(a *act, e *scenario.Expr) (reference.Object, *reference.Exception) {
	o, exc := in.eval(a, e.Of)
	if exc != nil {
		return nil, exc
	}
	m, exc := in.getattr(o, e.Name)
	if exc != nil {
		return nil, exc
	}
	in.push(a, m)
	args, kw, exc := in.evalArgs(a, e)
	if exc != nil {
		return nil, exc
	}
	if _, isModule := o.(*module); isModule || len(kw) > 0 {
		return in.call(a, m, args, kw)
	}
	in.cur = a
	v, err := in.ops.CallMethod(o, e.Name, args)
	in.cur = a
	if err != nil {
		return nil, reference.AsException(err)
	}
	in.holdIfAwaitable(v, o)
	return v, nil
}

// getattr is `(o).name`: module attributes here, the rest through
// Ops.GetAttr.
func (in *interp) getattr(o reference.Object, name string) (reference.Object, *reference.Exception) {
	if m, ok := o.(*module); ok {
		if v, ok := m.attrs[name]; ok {
			return v, nil
		}
		return nil, reference.Errorf(reference.ExcAttributeError, "module '%s' has no attribute '%s'", m.name, name)
	}
	v, err := in.ops.GetAttr(o, name)
	if err != nil {
		return nil, reference.AsException(err)
	}
	return v, nil
}

func (in *interp) setattr(o reference.Object, name string, v reference.Object) *reference.Exception {
	if m, ok := o.(*module); ok {
		old, had := m.attrs[name]
		m.attrs[name] = v
		if had {
			in.dropped(old)
		}
		return nil
	}
	var old reference.Object
	switch x := o.(type) {
	case *reference.Instance:
		old = x.Dict[name]
	case *reference.Class:
		old = x.Dict[name]
	case *reference.Exception:
		old = x.Attrs[name]
	}
	if err := reference.SetAttr(o, name, v); err != nil {
		return reference.AsException(err)
	}
	in.dropped(old)
	return nil
}

// await is the await expression in a's frame.
func (in *interp) await(a *act, x reference.Object) (reference.Object, *reference.Exception) {
	if a.fr == nil {
		return nil, reference.Errorf(reference.ExcSystemError, "reference adapter: await outside a coroutine frame")
	}
	fs := a.fs
	fs.inOp++
	in.cur = a
	v, err := in.ops.Await(a.fr, x)
	fs.inOp--
	in.cur = a
	if err != nil {
		return nil, reference.AsException(err)
	}
	return v, nil
}

func (in *interp) yield(a *act, v reference.Object) (reference.Object, *reference.Exception) {
	if a.fr == nil {
		return nil, reference.Errorf(reference.ExcSystemError, "reference adapter: yield outside a generator frame")
	}
	fs := a.fs
	fs.inOp++
	in.cur = a
	sent, err := in.ops.Yield(a.fr, v)
	fs.inOp--
	in.cur = a
	if err != nil {
		return nil, reference.AsException(err)
	}
	return sent, nil
}

func (in *interp) yieldFrom(a *act, x reference.Object) (reference.Object, *reference.Exception) {
	if a.fr == nil {
		return nil, reference.Errorf(reference.ExcSystemError, "reference adapter: yield from outside a generator frame")
	}
	fs := a.fs
	fs.inOp++
	in.cur = a
	v, err := in.ops.YieldFrom(a.fr, x)
	fs.inOp--
	in.cur = a
	if err != nil {
		return nil, reference.AsException(err)
	}
	return v, nil
}

// asyncFor runs Ops.AsyncFor in a's frame. While the loop awaits the next
// item the frame counts as suspended; while body runs it does not.
func (in *interp) asyncFor(a *act, iterable reference.Object, body func(reference.Object) (bool, error)) (bool, *reference.Exception) {
	if a.fr == nil {
		return false, reference.Errorf(reference.ExcSystemError, "reference adapter: async for outside a coroutine frame")
	}
	fs := a.fs
	fs.inOp++
	in.cur = a
	exhausted, err := in.ops.AsyncFor(a.fr, iterable, func(item reference.Object) (bool, error) {
		in.checkAbort()
		saved := fs.inOp
		fs.inOp = 0
		in.push(a, item)
		stop, err := body(item)
		fs.inOp = saved
		in.cur = a
		return stop, err
	})
	fs.inOp--
	in.cur = a
	return exhausted, reference.AsException(err)
}

// forLoop runs Ops.For.
func (in *interp) forLoop(a *act, iterable reference.Object, body func(reference.Object) (bool, error)) (bool, *reference.Exception) {
	in.cur = a
	exhausted, err := in.ops.For(iterable, func(item reference.Object) (bool, error) {
		in.checkAbort()
		in.cur = a
		in.push(a, item)
		stop, err := body(item)
		in.cur = a
		return stop, err
	})
	in.cur = a
	return exhausted, reference.AsException(err)
}

// future is the future expression: an already-done asyncio.Future of the
// running loop.
func (in *interp) future(a *act, e *scenario.Expr) (reference.Object, *reference.Exception) {
	var v reference.Object = reference.None
	var exc *reference.Exception
	if e.Exception != nil {
		v, exc = in.eval(a, e.Exception)
	} else if e.Result != nil {
		v, exc = in.eval(a, e.Result)
	}
	if exc != nil {
		return nil, exc
	}
	loop, err := in.r.GetRunningLoop()
	if err != nil {
		return nil, reference.AsException(err)
	}
	f := loop.CreateFuture()
	if e.Exception != nil {
		err = f.SetException(v)
	} else {
		err = f.SetResult(v)
	}
	if err != nil {
		return nil, reference.AsException(err)
	}
	in.hold(f, v)
	return f, nil
}

// binop evaluates the binary operators: and/or short-circuit and return
// an operand; the others are computed on builtin values as CPython does.
func (in *interp) binop(a *act, e *scenario.Expr) (reference.Object, *reference.Exception) {
	l, exc := in.eval(a, e.Left)
	if exc != nil {
		return nil, exc
	}
	if e.Op == "and" || e.Op == "or" {
		t, exc := truth(l)
		if exc != nil {
			return nil, exc
		}
		if t == (e.Op == "or") {
			return l, nil
		}
		return in.eval(a, e.Right)
	}
	r, exc := in.eval(a, e.Right)
	if exc != nil {
		return nil, exc
	}
	return binaryOp(e.Op, l, r)
}

// resolveName looks a possibly dotted name up: the first part as a
// variable, the rest as attributes.
func (in *interp) resolveName(a *act, name string) (reference.Object, *reference.Exception) {
	switch name {
	case "None":
		return reference.None, nil
	case "True":
		return true, nil
	case "False":
		return false, nil
	}
	first, rest, dotted := strings.Cut(name, ".")
	v, exc := in.lookup(a, first)
	if exc != nil || !dotted {
		return v, exc
	}
	for _, part := range strings.Split(rest, ".") {
		if v, exc = in.getattr(v, part); exc != nil {
			return nil, exc
		}
	}
	return v, nil
}

// lookup finds a name as Python's scoping rules do: a local of the
// current function (or comprehension), a free variable of an enclosing
// function, a global, a builtin. Class scopes are seen only by their own
// body.
func (in *interp) lookup(a *act, name string) (reference.Object, *reference.Exception) {
	for s := a; s != nil; s = s.parent {
		switch s.kind {
		case actGlobal:
			return in.global(name)
		case actClass:
			if s == a {
				if v, ok := s.vars[name]; ok {
					return v, nil
				}
			}
		default:
			if s.code.locals[name] {
				if v, ok := s.vars[name]; ok {
					return v, nil
				}
				if s == a {
					return nil, reference.Errorf(reference.ExcUnboundLocalError, "cannot access local variable '%s' where it is not associated with a value", name)
				}
				return nil, reference.Errorf(reference.ExcNameError, "cannot access free variable '%s' where it is not associated with a value in enclosing scope", name)
			}
		}
	}
	return in.global(name)
}

func (in *interp) global(name string) (reference.Object, *reference.Exception) {
	if v, ok := in.globals[name]; ok {
		return v, nil
	}
	if v, ok := in.builtins[name]; ok {
		return v, nil
	}
	return nil, reference.Errorf(reference.ExcNameError, "name '%s' is not defined", name)
}

// bind binds name in a's scope (a function's locals, a class namespace,
// the globals for module and main). The value it replaces is dropped.
func (in *interp) bind(a *act, name string, v reference.Object) *reference.Exception {
	vars := a.vars
	if a.kind == actGlobal {
		vars = in.globals
	}
	old, had := vars[name]
	vars[name] = v
	if had {
		in.dropped(old)
	}
	return nil
}

// unbind is `del name`.
func (in *interp) unbind(a *act, name string) *reference.Exception {
	vars := a.vars
	if a.kind == actGlobal {
		vars = in.globals
	}
	old, had := vars[name]
	if !had {
		if a.kind == actGlobal || a.kind == actClass {
			return reference.Errorf(reference.ExcNameError, "name '%s' is not defined", name)
		}
		return reference.Errorf(reference.ExcUnboundLocalError, "cannot access local variable '%s' where it is not associated with a value", name)
	}
	delete(vars, name)
	in.dropped(old)
	return nil
}
