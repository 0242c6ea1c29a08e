package interp

import (
	"strings"

	"github.com/aiterspec/aiterspec/reference"
	"github.com/aiterspec/aiterspec/scenario"
)

// eval evaluates an expression in activation a. Every object it produces
// is kept in a's temporaries until the statement ends.
func (interp *interpreter) eval(a *activation, e *scenario.Expr) (reference.Object, *reference.Exception) {
	v, exc := interp.evalByKind(a, e)
	if exc != nil {
		return nil, exc
	}
	interp.cur = a
	interp.push(a, v)
	return v, nil
}

// evalByKind computes e according to its kind; eval also keeps the result
// alive until the statement ends.
func (interp *interpreter) evalByKind(a *activation, e *scenario.Expr) (reference.Object, *reference.Exception) {
	switch e.Kind {
	case scenario.LitExpr:
		return fromValue(*e.Value)
	case scenario.VarExpr:
		return interp.resolveName(a, e.Name)
	case scenario.CallExpr:
		mark := len(a.temps)
		fn, exc := interp.resolveName(a, e.Func)
		if exc != nil {
			return nil, exc
		}
		interp.push(a, fn)
		args, kw, exc := interp.evalArgs(a, e)
		if exc != nil {
			return nil, exc
		}
		v, exc := interp.call(a, fn, args, kw)
		if exc == nil {
			interp.release(a, mark, v)
		}
		return v, exc
	case scenario.MethodExpr:
		return interp.method(a, e)
	case scenario.AttrExpr:
		o, exc := interp.eval(a, e.Of)
		if exc != nil {
			return nil, exc
		}
		return interp.getattr(o, e.Name)
	case scenario.AwaitExpr:
		x, exc := interp.eval(a, e.Expr)
		if exc != nil {
			return nil, exc
		}
		return interp.await(a, x)
	case scenario.YieldExpr:
		v, exc := interp.optEval(a, e.Expr)
		if exc != nil {
			return nil, exc
		}
		return interp.yield(a, v)
	case scenario.TypeNameExpr:
		o, exc := interp.eval(a, e.Of)
		if exc != nil {
			return nil, exc
		}
		return reference.TypeOf(o).Name, nil
	case scenario.IsExpr:
		l, exc := interp.eval(a, e.Left)
		if exc != nil {
			return nil, exc
		}
		r, exc := interp.eval(a, e.Right)
		if exc != nil {
			return nil, exc
		}
		return reference.Is(l, r), nil
	case scenario.BinOpExpr:
		return interp.binop(a, e)
	case scenario.NotExpr:
		v, exc := interp.eval(a, e.Expr)
		if exc != nil {
			return nil, exc
		}
		t, exc := truth(v)
		return !t, exc
	case scenario.ListExpr:
		items, exc := interp.evalItems(a, e.Items)
		if exc != nil {
			return nil, exc
		}
		return reference.NewList(items...), nil
	case scenario.TupleExpr:
		items, exc := interp.evalItems(a, e.Items)
		if exc != nil {
			return nil, exc
		}
		return reference.NewTuple(items...), nil
	case scenario.ComprehensionExpr:
		return interp.comprehension(a, e)
	case scenario.LambdaExpr:
		return interp.makeFunction(a, interp.lambdaCode(a, e)), nil
	case scenario.CompileExpr:
		tla := false
		for _, f := range e.Flags {
			tla = tla || f == "top_level_await"
		}
		v, err := interp.ops.Compile(e.Body, tla)
		return v, reference.AsException(err)
	case scenario.FutureExpr:
		return interp.future(a, e)
	case scenario.SubscriptExpr:
		o, exc := interp.eval(a, e.Of)
		if exc != nil {
			return nil, exc
		}
		k, exc := interp.eval(a, e.Index)
		if exc != nil {
			return nil, exc
		}
		interp.cur = a
		v, err := reference.GetItem(o, k)
		interp.cur = a
		if err != nil {
			return nil, reference.AsException(err)
		}
		interp.push(a, v)
		return v, nil
	}
	return nil, reference.Errorf(reference.ExcSystemError, "reference adapter: unknown expression %q", e.Kind)
}

func (interp *interpreter) evalItems(a *activation, es []scenario.Expr) ([]reference.Object, *reference.Exception) {
	items := make([]reference.Object, len(es))
	for i := range es {
		v, exc := interp.eval(a, &es[i])
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
func (interp *interpreter) evalArgs(a *activation, e *scenario.Expr) ([]reference.Object, []kwarg, *reference.Exception) {
	args, exc := interp.evalItems(a, e.Args)
	if exc != nil {
		return nil, nil, exc
	}
	var kw []kwarg
	for _, k := range sortedKeys(e.Kwargs) {
		x := e.Kwargs[k]
		v, exc := interp.eval(a, &x)
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
func (interp *interpreter) method(a *activation, e *scenario.Expr) (reference.Object, *reference.Exception) {
	mark := len(a.temps)
	v, exc := interp.methodCall(a, e)
	if exc == nil {
		interp.release(a, mark, v)
	}
	return v, exc
}

// release ends a call that returned result: CPython pops the callee, the
// receiver and the arguments off the stack as soon as the call returns,
// so a temporary receiver (`coro().send(None)`) dies before the rest of
// the statement runs.
func (interp *interpreter) release(a *activation, mark int, result reference.Object) {
	if len(a.temps) <= mark {
		return
	}
	released := false
	for _, t := range a.temps[mark:] {
		if t != result && interp.mayFree(t) {
			released = true
			break
		}
	}
	clear(a.temps[mark:])
	a.temps = a.temps[:mark]
	interp.push(a, result)
	if released {
		interp.maybeCollect()
	}
}

// mayFree reports whether dropping a reference to t may leave something
// unreachable: not for scalars, functions, classes, modules, builtins and
// the values of globals (so a deep recursion does not collect at every
// call).
func (interp *interpreter) mayFree(t reference.Object) bool {
	switch t.(type) {
	case *reference.Function, *reference.Class, *module, *builtinFunc:
		return false
	}
	if scalar(t) {
		return false
	}
	for _, v := range interp.globals {
		if v == t {
			return false
		}
	}
	return true
}

// methodCall looks the method up, evaluates the arguments and calls it.
func (interp *interpreter) methodCall(a *activation, e *scenario.Expr) (reference.Object, *reference.Exception) {
	o, exc := interp.eval(a, e.Of)
	if exc != nil {
		return nil, exc
	}
	m, exc := interp.getattr(o, e.Name)
	if exc != nil {
		return nil, exc
	}
	interp.push(a, m)
	args, kw, exc := interp.evalArgs(a, e)
	if exc != nil {
		return nil, exc
	}
	if _, isModule := o.(*module); isModule || len(kw) > 0 {
		return interp.call(a, m, args, kw)
	}
	interp.cur = a
	v, err := interp.ops.CallMethod(o, e.Name, args)
	interp.cur = a
	if err != nil {
		return nil, reference.AsException(err)
	}
	interp.holdIfAwaitable(v, o)
	return v, nil
}

// getattr is `(o).name`: module attributes here, the rest through
// Ops.GetAttr.
func (interp *interpreter) getattr(o reference.Object, name string) (reference.Object, *reference.Exception) {
	if m, ok := o.(*module); ok {
		if v, ok := m.attrs[name]; ok {
			return v, nil
		}
		return nil, reference.Errorf(reference.ExcAttributeError, "module '%s' has no attribute '%s'", m.name, name)
	}
	v, err := interp.ops.GetAttr(o, name)
	if err != nil {
		return nil, reference.AsException(err)
	}
	return v, nil
}

func (interp *interpreter) setattr(o reference.Object, name string, v reference.Object) *reference.Exception {
	if m, ok := o.(*module); ok {
		old, had := m.attrs[name]
		m.attrs[name] = v
		if had {
			interp.dropped(old)
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
	interp.dropped(old)
	return nil
}

// await is the await expression in a's frame.
func (interp *interpreter) await(a *activation, x reference.Object) (reference.Object, *reference.Exception) {
	if a.fr == nil {
		return nil, reference.Errorf(reference.ExcSystemError, "reference adapter: await outside a coroutine frame")
	}
	fs := a.fs
	fs.inOp++
	interp.cur = a
	v, err := interp.ops.Await(a.fr, x)
	fs.inOp--
	interp.cur = a
	if err != nil {
		return nil, reference.AsException(err)
	}
	return v, nil
}

func (interp *interpreter) yield(a *activation, v reference.Object) (reference.Object, *reference.Exception) {
	if a.fr == nil {
		return nil, reference.Errorf(reference.ExcSystemError, "reference adapter: yield outside a generator frame")
	}
	fs := a.fs
	fs.inOp++
	interp.cur = a
	sent, err := interp.ops.Yield(a.fr, v)
	fs.inOp--
	interp.cur = a
	if err != nil {
		return nil, reference.AsException(err)
	}
	return sent, nil
}

func (interp *interpreter) yieldFrom(a *activation, x reference.Object) (reference.Object, *reference.Exception) {
	if a.fr == nil {
		return nil, reference.Errorf(reference.ExcSystemError, "reference adapter: yield from outside a generator frame")
	}
	fs := a.fs
	fs.inOp++
	interp.cur = a
	v, err := interp.ops.YieldFrom(a.fr, x)
	fs.inOp--
	interp.cur = a
	if err != nil {
		return nil, reference.AsException(err)
	}
	return v, nil
}

// asyncFor runs Ops.AsyncFor in a's frame. While the loop awaits the next
// item the frame counts as suspended; while body runs it does not.
func (interp *interpreter) asyncFor(a *activation, iterable reference.Object, body func(reference.Object) (bool, error)) (bool, *reference.Exception) {
	if a.fr == nil {
		return false, reference.Errorf(reference.ExcSystemError, "reference adapter: async for outside a coroutine frame")
	}
	fs := a.fs
	fs.inOp++
	interp.cur = a
	exhausted, err := interp.ops.AsyncFor(a.fr, iterable, func(item reference.Object) (bool, error) {
		interp.checkAbort()
		saved := fs.inOp
		fs.inOp = 0
		interp.push(a, item)
		stop, err := body(item)
		fs.inOp = saved
		interp.cur = a
		return stop, err
	})
	fs.inOp--
	interp.cur = a
	return exhausted, reference.AsException(err)
}

// forLoop runs Ops.For.
func (interp *interpreter) forLoop(a *activation, iterable reference.Object, body func(reference.Object) (bool, error)) (bool, *reference.Exception) {
	interp.cur = a
	exhausted, err := interp.ops.For(iterable, func(item reference.Object) (bool, error) {
		interp.checkAbort()
		interp.cur = a
		interp.push(a, item)
		stop, err := body(item)
		interp.cur = a
		return stop, err
	})
	interp.cur = a
	return exhausted, reference.AsException(err)
}

// future is the future expression: an already-done asyncio.Future of the
// running loop.
func (interp *interpreter) future(a *activation, e *scenario.Expr) (reference.Object, *reference.Exception) {
	var v reference.Object = reference.None
	var exc *reference.Exception
	if e.Exception != nil {
		v, exc = interp.eval(a, e.Exception)
	} else if e.Result != nil {
		v, exc = interp.eval(a, e.Result)
	}
	if exc != nil {
		return nil, exc
	}
	loop, err := interp.runtime.GetRunningLoop()
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
	interp.hold(f, v)
	return f, nil
}

// binop evaluates the binary operators: and/or short-circuit and return
// an operand; the others are computed on builtin values as CPython does.
func (interp *interpreter) binop(a *activation, e *scenario.Expr) (reference.Object, *reference.Exception) {
	l, exc := interp.eval(a, e.Left)
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
		return interp.eval(a, e.Right)
	}
	r, exc := interp.eval(a, e.Right)
	if exc != nil {
		return nil, exc
	}
	return binaryOp(e.Op, l, r)
}

// resolveName looks a possibly dotted name up: the first part as a
// variable, the rest as attributes.
func (interp *interpreter) resolveName(a *activation, name string) (reference.Object, *reference.Exception) {
	switch name {
	case "None":
		return reference.None, nil
	case "True":
		return true, nil
	case "False":
		return false, nil
	}
	first, rest, dotted := strings.Cut(name, ".")
	v, exc := interp.lookup(a, first)
	if exc != nil || !dotted {
		return v, exc
	}
	for _, part := range strings.Split(rest, ".") {
		if v, exc = interp.getattr(v, part); exc != nil {
			return nil, exc
		}
	}
	return v, nil
}

// lookup finds a name as Python's scoping rules do: a local of the
// current function (or comprehension), a free variable of an enclosing
// function, a global, a builtin. Class scopes are seen only by their own
// body.
func (interp *interpreter) lookup(a *activation, name string) (reference.Object, *reference.Exception) {
	for s := a; s != nil; s = s.parent {
		switch s.kind {
		case globalActivation:
			return interp.global(name)
		case classActivation:
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
	return interp.global(name)
}

func (interp *interpreter) global(name string) (reference.Object, *reference.Exception) {
	if v, ok := interp.globals[name]; ok {
		return v, nil
	}
	if v, ok := interp.builtins[name]; ok {
		return v, nil
	}
	return nil, reference.Errorf(reference.ExcNameError, "name '%s' is not defined", name)
}

// bind binds name in a's scope (a function's locals, a class namespace,
// the globals for module and main). The value it replaces is dropped.
func (interp *interpreter) bind(a *activation, name string, v reference.Object) *reference.Exception {
	vars := a.vars
	if a.kind == globalActivation {
		vars = interp.globals
	}
	old, had := vars[name]
	vars[name] = v
	if had {
		interp.dropped(old)
	}
	return nil
}

// assign assigns v to a loop or comprehension target: the name, or
// (when target is set) an assignment target expression. As in CPython the
// item is computed first, then the target's object and index.
func (interp *interpreter) assign(a *activation, name string, target *scenario.Expr, v reference.Object) *reference.Exception {
	if target == nil {
		return interp.bind(a, name, v)
	}
	switch target.Kind {
	case scenario.VarExpr:
		return interp.bind(a, target.Name, v)
	case scenario.AttrExpr:
		o, exc := interp.eval(a, target.Of)
		if exc != nil {
			return exc
		}
		return interp.setattr(o, target.Name, v)
	case scenario.SubscriptExpr:
		o, exc := interp.eval(a, target.Of)
		if exc != nil {
			return exc
		}
		k, exc := interp.eval(a, target.Index)
		if exc != nil {
			return exc
		}
		interp.cur = a
		err := reference.SetItem(o, k, v)
		interp.cur = a
		return reference.AsException(err)
	case scenario.TupleExpr:
		interp.cur = a
		items, err := interp.ops.Unpack(v, len(target.Items))
		interp.cur = a
		if err != nil {
			return reference.AsException(err)
		}
		for _, item := range items {
			interp.push(a, item)
		}
		for i := range target.Items {
			if exc := interp.assign(a, "", &target.Items[i], items[i]); exc != nil {
				return exc
			}
		}
		return nil
	}
	return reference.Errorf(reference.ExcSystemError, "reference adapter: cannot assign to %q", target.Kind)
}

// unbind is `del name`.
func (interp *interpreter) unbind(a *activation, name string) *reference.Exception {
	vars := a.vars
	if a.kind == globalActivation {
		vars = interp.globals
	}
	old, had := vars[name]
	if !had {
		if a.kind == globalActivation || a.kind == classActivation {
			return reference.Errorf(reference.ExcNameError, "name '%s' is not defined", name)
		}
		return reference.Errorf(reference.ExcUnboundLocalError, "cannot access local variable '%s' where it is not associated with a value", name)
	}
	delete(vars, name)
	interp.dropped(old)
	return nil
}
