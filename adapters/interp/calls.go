package interp

import (
	"strings"

	"github.com/aiterspec/aiterspec/reference"
	"github.com/aiterspec/aiterspec/scenario"
)

// codeKind is what calling a function returns.
type codeKind uint8

const (
	plainCode     codeKind = iota // the body's return value
	generatorCode                 // a generator
	coroutineCode                 // a coroutine
	asyncGenCode                  // an async generator
)

// code is the static part of a def, lambda, comprehension or main: its
// names, its kind, and which names are local to it.
type code struct {
	name, qualname string
	params         []string
	locals         map[string]bool
	kind           codeKind
	method         bool
	def            *scenario.Stmt // per-call counters are kept per def statement
	body           []scenario.Stmt
	calls          [][]scenario.Stmt
	lambda         *scenario.Expr // a lambda's expression
	main           bool           // main: every top-level statement is wrapped
	obj            *codeObject    // the Python-visible code object, made on first use
}

// object is c's code object: one per code, so that a function's __code__
// is its generators' ag_code/gi_code/cr_code.
func (c *code) object() *codeObject {
	if c.obj == nil {
		flags := coOptimized | coNewLocals
		switch c.kind {
		case generatorCode:
			flags |= coGenerator
		case coroutineCode:
			flags |= coCoroutine
		case asyncGenCode:
			flags |= coAsyncGenerator
		}
		c.obj = &codeObject{flags: flags, name: c.name}
	}
	return c.obj
}

// funcObj is a function object the interpreter made: its code and the
// activation it was defined in (for free variables).
type funcObj struct {
	code    *code
	closure *activation
	fn      *reference.Function
}

type counterKey struct {
	self reference.Object
	def  *scenario.Stmt
}

// qualprefixOf is what the qualified names of defs and classes made in a
// start with. At module level and in main (whose names are declared
// global) it is nothing: CPython qualifies a function whose name is
// global by its name alone.
func qualprefixOf(a *activation) string {
	if a.kind == globalActivation {
		return ""
	}
	return a.qualprefix
}

// defCode is the code of a def statement executed in a.
func (interp *interpreter) defCode(a *activation, st *scenario.Stmt) *code {
	if c, ok := interp.codes[st]; ok && c.qualname == qualprefixOf(a)+st.Name {
		return c
	}
	c := &code{
		name:     st.Name,
		qualname: qualprefixOf(a) + st.Name,
		params:   st.Params,
		method:   a.kind == classActivation,
		def:      st,
		body:     st.Body,
		calls:    st.Calls,
	}
	if c.method {
		c.params = append([]string{"self"}, st.Params...)
	}
	c.locals = map[string]bool{}
	for _, p := range c.params {
		c.locals[p] = true
	}
	scenario.BoundNames(st.Body, c.locals)
	for _, call := range st.Calls {
		scenario.BoundNames(call, c.locals)
	}
	gen := isGeneratorDef(st)
	switch {
	case st.Async && gen:
		c.kind = asyncGenCode
	case st.Async:
		c.kind = coroutineCode
	case gen:
		c.kind = generatorCode
	}
	interp.codes[st] = c
	return c
}

// lambdaCode is the code of a lambda expression evaluated in a.
func (interp *interpreter) lambdaCode(a *activation, e *scenario.Expr) *code {
	if c, ok := interp.codes[e]; ok && c.qualname == a.qualprefix+"<lambda>" {
		return c
	}
	c := &code{name: "<lambda>", qualname: a.qualprefix + "<lambda>", locals: map[string]bool{}, lambda: e.Expr}
	yields := false
	walkExpr(e.Expr, func(*scenario.Stmt) bool { return false }, func(x *scenario.Expr) bool {
		if x.Kind == scenario.YieldExpr {
			yields = true
		}
		return x.Kind != scenario.LambdaExpr && x.Kind != scenario.CompileExpr && x.Kind != scenario.ComprehensionExpr
	})
	if yields {
		c.kind = generatorCode
	}
	interp.codes[e] = c
	return c
}

// makeFunction makes the function object of a def or lambda with code c,
// defined in a.
func (interp *interpreter) makeFunction(a *activation, c *code) *reference.Function {
	fo := &funcObj{code: c, closure: a}
	fo.fn = &reference.Function{Name: c.name, Qualname: c.qualname, Code: c.object()}
	fo.fn.Fn = func(args []reference.Object) (reference.Object, error) {
		// Called by the library (a special method, a hook): the result is
		// alive for as long as the library operation that asked for it,
		// which the statement running now outlasts.
		caller := interp.cur
		v, exc := interp.callFunc(fo, args, nil, caller)
		interp.cur = caller
		if exc != nil {
			return nil, exc
		}
		if caller != nil {
			interp.push(caller, v)
		}
		return v, nil
	}
	interp.funcs[fo.fn] = fo
	return fo.fn
}

// call calls callee with positional and keyword arguments.
func (interp *interpreter) call(a *activation, callee reference.Object, args []reference.Object, kw []kwarg) (reference.Object, *reference.Exception) {
	interp.cur = a
	var v reference.Object
	var err error
	switch f := callee.(type) {
	case *reference.Function:
		if fo := interp.funcs[f]; fo != nil {
			v, exc := interp.callFunc(fo, args, kw, a)
			interp.cur = a
			return v, exc
		}
	case *reference.Method:
		if fo := interp.funcs[f.Func]; fo != nil {
			v, exc := interp.callFunc(fo, append([]reference.Object{f.Self}, args...), kw, a)
			interp.cur = a
			return v, exc
		}
	case *builtinFunc:
		v, err = f.fn(a, args, kw)
		interp.cur = a
		return v, reference.AsException(err)
	case *reference.Class:
		v, exc := interp.instantiate(a, f, args, kw)
		interp.cur = a
		return v, exc
	}
	if len(kw) > 0 {
		return nil, reference.Errorf(reference.ExcTypeError, "%s() takes no keyword arguments", calleeName(callee))
	}
	v, err = reference.Call(callee, args...)
	interp.cur = a
	return v, reference.AsException(err)
}

func calleeName(callee reference.Object) string {
	switch f := callee.(type) {
	case *reference.Function:
		return f.Qualname
	case *reference.Method:
		return f.Func.Qualname
	case *reference.Class:
		return f.Name
	}
	return reference.TypeName(callee)
}

// callFunc calls a function the interpreter made: the arguments are bound
// to the parameters, then the body runs now (a plain function), or the
// generator, coroutine or async generator whose body it is is returned.
func (interp *interpreter) callFunc(fo *funcObj, args []reference.Object, kw []kwarg, caller *activation) (reference.Object, *reference.Exception) {
	c := fo.code
	depth := 1
	if caller != nil {
		depth = caller.depth + 1
	}
	if depth > maxDepth {
		return nil, reference.Errorf(reference.ExcRecursionError, "maximum recursion depth exceeded")
	}
	vars, exc := bindArgs(c, args, kw)
	if exc != nil {
		return nil, exc
	}
	a := &activation{kind: funcActivation, code: c, vars: vars, parent: fo.closure, caller: caller, depth: depth,
		qualprefix: c.qualname + ".<locals>."}
	if c.method && len(args) > 0 {
		a.self = args[0]
	}
	if c.kind == plainCode {
		interp.enterSync(a)
		v, exc := interp.runBody(a)
		interp.exitSync(a)
		if exc != nil {
			interp.traceback(exc, a)
		}
		return v, exc
	}
	return interp.makeFrameObject(c, a), nil
}

// makeFrameObject makes the generator, coroutine or async generator whose
// body runs code c in activation a.
func (interp *interpreter) makeFrameObject(c *code, a *activation) reference.Object {
	fs := &frameState{activations: []*activation{a}}
	a.fs = fs
	a.caller = nil
	run := func(fr *reference.Frame) (v reference.Object, err error) {
		completed := false
		defer interp.notePanic(&completed)
		a.fr = fr
		fs.running = true
		prev := interp.cur
		interp.cur = a
		v, exc := interp.runBody(a)
		fs.running, fs.done = false, true
		interp.finishFrame(a)
		if exc != nil {
			interp.traceback(exc, a)
		}
		interp.cur = prev
		completed = true
		if exc != nil {
			return nil, exc
		}
		return v, nil
	}
	var obj reference.Object
	switch c.kind {
	case generatorCode:
		obj = interp.ops.NewGenerator(interp.runtime, c.name, c.qualname, run)
	case coroutineCode:
		obj = interp.ops.NewCoroutine(interp.runtime, c.name, c.qualname, run)
	default:
		obj = interp.ops.NewAsyncGenerator(interp.runtime, c.name, c.qualname, func(fr *reference.Frame) error {
			_, err := run(fr)
			return err
		})
	}
	switch o := obj.(type) {
	case *reference.AsyncGenerator:
		o.Code = c.object()
	case *reference.Coroutine:
		o.Code = c.object()
	case *reference.Generator:
		o.Code = c.object()
	}
	fs.owner = obj
	interp.track(obj, fs)
	return obj
}

// runBody runs a function's body in a (chosen by its per-call counter),
// returning what it returns.
func (interp *interpreter) runBody(a *activation) (reference.Object, *reference.Exception) {
	c := a.code
	if c.lambda != nil {
		return interp.eval(a, c.lambda)
	}
	body := c.body
	if len(c.calls) > 0 {
		key := counterKey{def: c.def}
		if c.method {
			key.self = a.self
		}
		k := interp.counters[key]
		interp.counters[key] = k + 1
		if k < len(c.calls) {
			body = c.calls[k]
		}
	}
	if c.main {
		if interp.loopErrors && interp.sc.Mode == scenario.AsyncMode {
			// As main starts, the harness sets the running loop's
			// exception handler (FORMAT.md, report "loop-exceptions").
			if l, err := interp.runtime.GetRunningLoop(); err == nil {
				l.ExceptionHandler = interp.recordLoopException
			}
		}
		for i := range body {
			if interp.execTop(a, &body[i]) == flowReturn {
				return a.ret, nil
			}
		}
		return reference.None, nil
	}
	ended, exc := interp.execBlock(a, body)
	if exc != nil {
		return nil, exc
	}
	if ended == flowReturn {
		return a.ret, nil
	}
	return reference.None, nil
}

// bindArgs binds call arguments to parameters with CPython's messages.
func bindArgs(c *code, args []reference.Object, kw []kwarg) (map[string]reference.Object, *reference.Exception) {
	vars := make(map[string]reference.Object, len(c.locals))
	n := len(c.params)
	if len(args) > n {
		plural := "s"
		if n == 1 {
			plural = ""
		}
		were := "were"
		if len(args) == 1 {
			were = "was"
		}
		return nil, reference.Errorf(reference.ExcTypeError, "%s() takes %d positional argument%s but %d %s given", c.qualname, n, plural, len(args), were)
	}
	for i, v := range args {
		vars[c.params[i]] = v
	}
	for _, k := range kw {
		found := false
		for _, p := range c.params {
			if p == k.name {
				found = true
			}
		}
		if !found {
			return nil, reference.Errorf(reference.ExcTypeError, "%s() got an unexpected keyword argument '%s'", c.qualname, k.name)
		}
		if _, dup := vars[k.name]; dup {
			return nil, reference.Errorf(reference.ExcTypeError, "%s() got multiple values for argument '%s'", c.qualname, k.name)
		}
		vars[k.name] = k.value
	}
	var missing []string
	for _, p := range c.params {
		if _, ok := vars[p]; !ok {
			missing = append(missing, "'"+p+"'")
		}
	}
	if len(missing) > 0 {
		plural := "s"
		if len(missing) == 1 {
			plural = ""
		}
		list := missing[0]
		if len(missing) > 1 {
			list = strings.Join(missing[:len(missing)-1], ", ") + " and " + missing[len(missing)-1]
			if len(missing) > 2 {
				list = strings.Join(missing[:len(missing)-1], ", ") + ", and " + missing[len(missing)-1]
			}
		}
		return nil, reference.Errorf(reference.ExcTypeError, "%s() missing %d required positional argument%s: %s", c.qualname, len(missing), plural, list)
	}
	return vars, nil
}

// classStmt runs a class body in a namespace of its own and makes the
// class.
func (interp *interpreter) classStmt(a *activation, st *scenario.Stmt) *reference.Exception {
	// The bases are evaluated first, then the body runs.
	var bases []*reference.Class
	for _, b := range st.Bases {
		v, exc := interp.resolveName(a, b)
		if exc != nil {
			return exc
		}
		base, ok := v.(*reference.Class)
		if !ok {
			return reference.Errorf(reference.ExcTypeError, "bases must be types")
		}
		bases = append(bases, base)
	}
	qual := qualprefixOf(a) + st.Name
	ns := map[string]reference.Object{"__qualname__": qual}
	parent := a
	if a.kind == classActivation {
		parent = a.parent
	}
	ca := &activation{kind: classActivation, vars: ns, parent: parent, depth: a.depth + 1, qualprefix: qual + "."}
	if ca.depth > maxDepth {
		return reference.Errorf(reference.ExcRecursionError, "maximum recursion depth exceeded")
	}
	interp.enterSync(ca)
	_, exc := interp.execBlock(ca, st.Body)
	interp.exitSync(ca)
	interp.cur = a
	if exc != nil {
		return exc
	}
	cls, err := reference.NewClass(st.Name, bases, ns)
	if err != nil {
		return reference.AsException(err)
	}
	interp.classes[cls] = true
	return interp.bind(a, st.Name, cls)
}

// instantiate calls a class: builtin types build their values; a class
// made by a class statement gets an instance and its __init__.
func (interp *interpreter) instantiate(a *activation, cls *reference.Class, args []reference.Object, kw []kwarg) (reference.Object, *reference.Exception) {
	if f := builtinTypeCalls[cls]; f != nil {
		if len(kw) > 0 {
			return nil, reference.Errorf(reference.ExcTypeError, "%s() takes no keyword arguments", cls.Name)
		}
		return f(interp, a, args)
	}
	if len(kw) == 0 || !interp.classes[cls] {
		if len(kw) > 0 {
			return nil, reference.Errorf(reference.ExcTypeError, "%s() takes no keyword arguments", cls.Name)
		}
		v, err := cls.Call(args)
		return v, reference.AsException(err)
	}
	self := reference.NewInstance(cls)
	if cls.IsSubclass(reference.TupleType) {
		// tuple.__new__ ignores the keyword arguments __init__ takes.
		in, err := reference.NewTupleInstance(cls, args)
		if err != nil {
			return nil, reference.AsException(err)
		}
		self = in
	}
	init, ok := cls.Lookup("__init__")
	fn, isFn := init.(*reference.Function)
	if !ok || !isFn || interp.funcs[fn] == nil {
		return nil, reference.Errorf(reference.ExcTypeError, "%s() takes no arguments", cls.Name)
	}
	r, exc := interp.callFunc(interp.funcs[fn], append([]reference.Object{self}, args...), kw, a)
	if exc != nil {
		return nil, exc
	}
	if r != reference.None {
		return nil, reference.Errorf(reference.ExcTypeError, "__init__() should return None, not '%s'", reference.TypeName(r))
	}
	return self, nil
}

// comprehension evaluates a list, set or dict comprehension inline, in a
// scope of its own, or makes a generator expression's generator. The
// outermost iterable is evaluated in the enclosing scope.
func (interp *interpreter) comprehension(a *activation, e *scenario.Expr) (reference.Object, *reference.Exception) {
	c := interp.compCode(a, e)
	iterable, exc := interp.evalIter(a, e.Clauses[0].Iter)
	if exc != nil {
		return nil, exc
	}
	if e.Form == scenario.GenexpForm {
		return interp.genexp(a, e, c, iterable)
	}
	ca := &activation{kind: comprehensionActivation, code: c, vars: map[string]reference.Object{}, parent: a, fs: a.fs, fr: a.fr,
		depth: a.depth + 1, qualprefix: c.qualname + ".<locals>.", caller: a}
	if ca.depth > maxDepth {
		return nil, reference.Errorf(reference.ExcRecursionError, "maximum recursion depth exceeded")
	}
	var result reference.Object
	var add func() *reference.Exception
	switch e.Form {
	case scenario.ListForm:
		l := reference.NewList()
		result = l
		add = func() *reference.Exception {
			v, exc := interp.eval(ca, e.Element)
			if exc == nil {
				l.Append(v)
			}
			return exc
		}
	case scenario.SetForm:
		s := reference.NewSet()
		result = s
		add = func() *reference.Exception {
			v, exc := interp.eval(ca, e.Element)
			if exc == nil {
				exc = reference.AsException(s.Add(v))
			}
			return exc
		}
	default:
		d := reference.NewDict()
		result = d
		add = func() *reference.Exception {
			k, exc := interp.eval(ca, e.Key)
			if exc != nil {
				return exc
			}
			v, exc := interp.eval(ca, e.Element)
			if exc == nil {
				exc = reference.AsException(d.SetItem(k, v))
			}
			return exc
		}
	}
	interp.push(ca, result)
	if isAsyncComprehension(e) {
		// The outermost iterator is made outside the comprehension's
		// coroutine (GET_AITER or GET_ITER before the call), so what
		// __aiter__ or __iter__ raises is not converted below.
		var it reference.Object
		var err error
		interp.cur = a
		if e.Clauses[0].Async {
			it, err = interp.ops.GetAIter(iterable)
		} else {
			it, err = interp.ops.Iter(iterable)
		}
		interp.cur = a
		if err != nil {
			return nil, reference.AsException(err)
		}
		interp.push(a, it)
		if e.Clauses[0].Async {
			iterable = &aiterOf{it}
		} else {
			iterable = &iterOf{it}
		}
	}
	interp.enterActivation(ca)
	exc = interp.compLoop(ca, e, 0, iterable, add)
	interp.exitActivation(ca)
	interp.cur = a
	if exc != nil {
		if isAsyncComprehension(e) && exc.Matches(reference.ExcStopIteration) {
			// An async comprehension runs as a coroutine of its own, which
			// StopIteration cannot leave (PEP 479); a sync one is a plain
			// function.
			r := reference.Errorf(reference.ExcRuntimeError, "coroutine raised StopIteration")
			r.Cause, r.Context, r.SuppressContext = exc, exc, true
			return nil, r
		}
		return nil, exc
	}
	return result, nil
}

// compCode is the code of a comprehension: its targets are its locals.
func (interp *interpreter) compCode(a *activation, e *scenario.Expr) *code {
	name := map[string]string{
		scenario.ListForm: "<listcomp>", scenario.SetForm: "<setcomp>",
		scenario.DictForm: "<dictcomp>", scenario.GenexpForm: "<genexpr>",
	}[e.Form]
	if c, ok := interp.codes[e]; ok && c.qualname == a.qualprefix+name {
		return c
	}
	c := &code{name: name, qualname: a.qualprefix + name, locals: map[string]bool{}}
	for _, cl := range e.Clauses {
		if cl.TargetExpr == nil {
			c.locals[cl.Target] = true
		}
		scenario.TargetNames(cl.TargetExpr, c.locals)
	}
	interp.codes[e] = c
	return c
}

// evalIter evaluates a comprehension's iterable. CPython's AST optimiser
// turns a list display there into a tuple (so errors name 'tuple').
func (interp *interpreter) evalIter(a *activation, e *scenario.Expr) (reference.Object, *reference.Exception) {
	switch {
	case e.Kind == scenario.ListExpr:
		items, exc := interp.evalItems(a, e.Items)
		if exc != nil {
			return nil, exc
		}
		t := reference.NewTuple(items...)
		interp.push(a, t)
		return t, nil
	case e.Kind == scenario.LitExpr && e.Value.Kind == scenario.ListKind:
		v, exc := fromValue(scenario.Value{Kind: scenario.TupleKind, Items: e.Value.Items})
		if exc != nil {
			return nil, exc
		}
		interp.push(a, v)
		return v, nil
	}
	return interp.eval(a, e)
}

// compLoop runs clause i of a comprehension over iterable, then the
// clauses inside it, calling emit for each innermost iteration.
func (interp *interpreter) compLoop(ca *activation, e *scenario.Expr, i int, iterable reference.Object, emit func() *reference.Exception) *reference.Exception {
	cl := &e.Clauses[i]
	body := func(item reference.Object) (bool, error) {
		interp.checkAbort()
		interp.cur = ca
		if exc := interp.assign(ca, cl.Target, cl.TargetExpr, item); exc != nil {
			return true, exc
		}
		for j := range cl.If {
			v, exc := interp.eval(ca, &cl.If[j])
			if exc != nil {
				return true, exc
			}
			t, exc := truth(v)
			if exc != nil {
				return true, exc
			}
			if !t {
				return false, nil
			}
		}
		var exc *reference.Exception
		if i+1 < len(e.Clauses) {
			var next reference.Object
			next, exc = interp.evalIter(ca, e.Clauses[i+1].Iter)
			if exc == nil {
				exc = interp.compLoop(ca, e, i+1, next, emit)
			}
		} else {
			exc = emit()
		}
		if exc != nil {
			return true, exc
		}
		return false, nil
	}
	var exc *reference.Exception
	if cl.Async {
		_, exc = interp.asyncFor(ca, iterable, body)
	} else {
		_, exc = interp.forLoop(ca, iterable, body)
	}
	return exc
}

// genexp makes a generator expression's generator (an async generator
// when it has async for clauses or awaits). Its outermost iterable is
// turned into an iterator now (GET_ITER / GET_AITER), as CPython does
// when the expression is evaluated; the body iterates that.
func (interp *interpreter) genexp(a *activation, e *scenario.Expr, c *code, iterable reference.Object) (reference.Object, *reference.Exception) {
	async := isAsyncComprehension(e)
	firstAsync := e.Clauses[0].Async
	var it reference.Object
	var err error
	interp.cur = a
	if firstAsync {
		it, err = interp.ops.GetAIter(iterable)
	} else {
		it, err = interp.ops.Iter(iterable)
	}
	interp.cur = a
	if err != nil {
		return nil, reference.AsException(err)
	}
	interp.push(a, it)
	ca := &activation{kind: comprehensionActivation, code: c, vars: map[string]reference.Object{}, parent: a, depth: a.depth + 1,
		qualprefix: c.qualname + ".<locals>."}
	ca.temps = append(ca.temps, it)
	first := reference.Object(&iterOf{it})
	if firstAsync {
		first = &aiterOf{it}
	}
	if ca.depth > maxDepth {
		return nil, reference.Errorf(reference.ExcRecursionError, "maximum recursion depth exceeded")
	}
	fs := &frameState{activations: []*activation{ca}}
	ca.fs = fs
	run := func(fr *reference.Frame) (reference.Object, error) {
		completed := false
		defer interp.notePanic(&completed)
		ca.fr = fr
		fs.running = true
		prev := interp.cur
		interp.cur = ca
		exc := interp.compLoop(ca, e, 0, first, func() *reference.Exception {
			v, exc := interp.eval(ca, e.Element)
			if exc != nil {
				return exc
			}
			_, exc = interp.yield(ca, v)
			return exc
		})
		fs.running, fs.done = false, true
		interp.finishFrame(ca)
		interp.cur = prev
		completed = true
		if exc != nil {
			return nil, exc
		}
		return reference.None, nil
	}
	var obj reference.Object
	if async {
		obj = interp.ops.NewAsyncGenerator(interp.runtime, c.name, c.qualname, func(fr *reference.Frame) error {
			_, err := run(fr)
			return err
		})
	} else {
		obj = interp.ops.NewGenerator(interp.runtime, c.name, c.qualname, run)
	}
	fs.owner = obj
	interp.track(obj, fs)
	return obj, nil
}
