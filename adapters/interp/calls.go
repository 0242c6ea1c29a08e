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
}

// funcObj is a function object the interpreter made: its code and the
// activation it was defined in (for free variables).
type funcObj struct {
	code    *code
	closure *act
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
func qualprefixOf(a *act) string {
	if a.kind == actGlobal {
		return ""
	}
	return a.qualprefix
}

// defCode is the code of a def statement executed in a.
func (in *interp) defCode(a *act, st *scenario.Stmt) *code {
	if c, ok := in.codes[st]; ok && c.qualname == qualprefixOf(a)+st.Name {
		return c
	}
	c := &code{
		name:     st.Name,
		qualname: qualprefixOf(a) + st.Name,
		params:   st.Params,
		method:   a.kind == actClass,
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
	boundNames(st.Body, c.locals)
	for _, call := range st.Calls {
		boundNames(call, c.locals)
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
	in.codes[st] = c
	return c
}

// lambdaCode is the code of a lambda expression evaluated in a.
func (in *interp) lambdaCode(a *act, e *scenario.Expr) *code {
	if c, ok := in.codes[e]; ok && c.qualname == a.qualprefix+"<lambda>" {
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
	in.codes[e] = c
	return c
}

// boundNames adds the names a block binds in its own scope: let, del,
// def and class names, loop targets, except-as names; not names bound in
// nested functions, classes or comprehensions.
func boundNames(stmts []scenario.Stmt, out map[string]bool) {
	for i := range stmts {
		s := &stmts[i]
		switch s.Kind {
		case scenario.LetStmt, scenario.DelStmt, scenario.DefStmt, scenario.ClassStmt:
			out[s.Name] = true
		case scenario.ForStmt, scenario.AsyncForStmt:
			out[s.Target] = true
		}
		if s.Kind == scenario.DefStmt || s.Kind == scenario.ClassStmt {
			continue
		}
		for _, h := range s.Handlers {
			if h.As != "" {
				out[h.As] = true
			}
			boundNames(h.Body, out)
		}
		boundNames(s.Body, out)
		boundNames(s.Else, out)
		boundNames(s.Finally, out)
	}
}

// makeFunction makes the function object of a def or lambda with code c,
// defined in a.
func (in *interp) makeFunction(a *act, c *code) *reference.Function {
	fo := &funcObj{code: c, closure: a}
	fo.fn = &reference.Function{Name: c.name, Qualname: c.qualname}
	fo.fn.Fn = func(args []reference.Object) (reference.Object, error) {
		// Called by the library (a special method, a hook): the result is
		// alive for as long as the library operation that asked for it,
		// which the statement running now outlasts.
		caller := in.cur
		v, exc := in.callFunc(fo, args, nil, caller)
		in.cur = caller
		if exc != nil {
			return nil, exc
		}
		if caller != nil {
			in.push(caller, v)
		}
		return v, nil
	}
	in.funcs[fo.fn] = fo
	return fo.fn
}

// call calls callee with positional and keyword arguments.
func (in *interp) call(a *act, callee reference.Object, args []reference.Object, kw []kwarg) (reference.Object, *reference.Exception) {
	in.cur = a
	var v reference.Object
	var err error
	switch f := callee.(type) {
	case *reference.Function:
		if fo := in.funcs[f]; fo != nil {
			v, exc := in.callFunc(fo, args, kw, a)
			in.cur = a
			return v, exc
		}
	case *reference.Method:
		if fo := in.funcs[f.Func]; fo != nil {
			v, exc := in.callFunc(fo, append([]reference.Object{f.Self}, args...), kw, a)
			in.cur = a
			return v, exc
		}
	case *builtinFunc:
		v, err = f.fn(a, args, kw)
		in.cur = a
		return v, reference.AsException(err)
	case *reference.Class:
		v, exc := in.instantiate(a, f, args, kw)
		in.cur = a
		return v, exc
	}
	if len(kw) > 0 {
		return nil, reference.Errorf(reference.ExcTypeError, "%s() takes no keyword arguments", calleeName(callee))
	}
	v, err = reference.Call(callee, args...)
	in.cur = a
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
func (in *interp) callFunc(fo *funcObj, args []reference.Object, kw []kwarg, caller *act) (reference.Object, *reference.Exception) {
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
	a := &act{kind: actFunc, code: c, vars: vars, parent: fo.closure, caller: caller, depth: depth,
		qualprefix: c.qualname + ".<locals>."}
	if c.method && len(args) > 0 {
		a.self = args[0]
	}
	if c.kind == plainCode {
		in.enterSync(a)
		v, exc := in.runBody(a)
		in.exitSync(a)
		if exc != nil {
			in.traceback(exc, a)
		}
		return v, exc
	}
	return in.makeFrameObject(c, a), nil
}

// makeFrameObject makes the generator, coroutine or async generator whose
// body runs code c in activation a.
func (in *interp) makeFrameObject(c *code, a *act) reference.Object {
	fs := &frameState{acts: []*act{a}}
	a.fs = fs
	a.caller = nil
	run := func(fr *reference.Frame) (v reference.Object, err error) {
		completed := false
		defer in.notePanic(&completed)
		a.fr = fr
		fs.running = true
		prev := in.cur
		in.cur = a
		v, exc := in.runBody(a)
		fs.running, fs.done = false, true
		in.finishFrame(a)
		if exc != nil {
			in.traceback(exc, a)
		}
		in.cur = prev
		completed = true
		if exc != nil {
			return nil, exc
		}
		return v, nil
	}
	var obj reference.Object
	switch c.kind {
	case generatorCode:
		obj = in.ops.NewGenerator(in.r, c.name, c.qualname, run)
	case coroutineCode:
		obj = in.ops.NewCoroutine(in.r, c.name, c.qualname, run)
	default:
		obj = in.ops.NewAsyncGenerator(in.r, c.name, c.qualname, func(fr *reference.Frame) error {
			_, err := run(fr)
			return err
		})
	}
	fs.owner = obj
	in.track(obj, fs)
	return obj
}

// runBody runs a function's body in a (chosen by its per-call counter),
// returning what it returns.
func (in *interp) runBody(a *act) (reference.Object, *reference.Exception) {
	c := a.code
	if c.lambda != nil {
		return in.eval(a, c.lambda)
	}
	body := c.body
	if len(c.calls) > 0 {
		key := counterKey{def: c.def}
		if c.method {
			key.self = a.self
		}
		k := in.counters[key]
		in.counters[key] = k + 1
		if k < len(c.calls) {
			body = c.calls[k]
		}
	}
	if c.main {
		for i := range body {
			if in.execTop(a, &body[i]) == ctlReturn {
				return a.ret, nil
			}
		}
		return reference.None, nil
	}
	ctl, exc := in.execBlock(a, body)
	if exc != nil {
		return nil, exc
	}
	if ctl == ctlReturn {
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
func (in *interp) classStmt(a *act, st *scenario.Stmt) *reference.Exception {
	qual := qualprefixOf(a) + st.Name
	ns := map[string]reference.Object{"__qualname__": qual}
	parent := a
	if a.kind == actClass {
		parent = a.parent
	}
	ca := &act{kind: actClass, vars: ns, parent: parent, depth: a.depth + 1, qualprefix: qual + "."}
	if ca.depth > maxDepth {
		return reference.Errorf(reference.ExcRecursionError, "maximum recursion depth exceeded")
	}
	in.enterSync(ca)
	_, exc := in.execBlock(ca, st.Body)
	in.exitSync(ca)
	in.cur = a
	if exc != nil {
		return exc
	}
	cls, err := reference.NewClass(st.Name, nil, ns)
	if err != nil {
		return reference.AsException(err)
	}
	in.classes[cls] = true
	return in.bind(a, st.Name, cls)
}

// instantiate calls a class: builtin types build their values; a class
// made by a class statement gets an instance and its __init__.
func (in *interp) instantiate(a *act, cls *reference.Class, args []reference.Object, kw []kwarg) (reference.Object, *reference.Exception) {
	if f := builtinTypeCalls[cls]; f != nil {
		if len(kw) > 0 {
			return nil, reference.Errorf(reference.ExcTypeError, "%s() takes no keyword arguments", cls.Name)
		}
		return f(in, a, args)
	}
	if len(kw) == 0 || !in.classes[cls] {
		if len(kw) > 0 {
			return nil, reference.Errorf(reference.ExcTypeError, "%s() takes no keyword arguments", cls.Name)
		}
		v, err := cls.Call(args)
		return v, reference.AsException(err)
	}
	self := reference.NewInstance(cls)
	init, ok := cls.Lookup("__init__")
	fn, isFn := init.(*reference.Function)
	if !ok || !isFn || in.funcs[fn] == nil {
		return nil, reference.Errorf(reference.ExcTypeError, "%s() takes no arguments", cls.Name)
	}
	r, exc := in.callFunc(in.funcs[fn], append([]reference.Object{self}, args...), kw, a)
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
func (in *interp) comprehension(a *act, e *scenario.Expr) (reference.Object, *reference.Exception) {
	c := in.compCode(a, e)
	iterable, exc := in.evalIter(a, e.Clauses[0].Iter)
	if exc != nil {
		return nil, exc
	}
	if e.Form == scenario.GenexpForm {
		return in.genexp(a, e, c, iterable)
	}
	ca := &act{kind: actComp, code: c, vars: map[string]reference.Object{}, parent: a, fs: a.fs, fr: a.fr,
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
			v, exc := in.eval(ca, e.Element)
			if exc == nil {
				l.Append(v)
			}
			return exc
		}
	case scenario.SetForm:
		s := reference.NewSet()
		result = s
		add = func() *reference.Exception {
			v, exc := in.eval(ca, e.Element)
			if exc == nil {
				exc = reference.AsException(s.Add(v))
			}
			return exc
		}
	default:
		d := reference.NewDict()
		result = d
		add = func() *reference.Exception {
			k, exc := in.eval(ca, e.Key)
			if exc != nil {
				return exc
			}
			v, exc := in.eval(ca, e.Element)
			if exc == nil {
				exc = reference.AsException(d.SetItem(k, v))
			}
			return exc
		}
	}
	in.push(ca, result)
	in.enterAct(ca)
	exc = in.compLoop(ca, e, 0, iterable, add)
	in.exitAct(ca)
	in.cur = a
	if exc != nil {
		return nil, exc
	}
	return result, nil
}

// compCode is the code of a comprehension: its targets are its locals.
func (in *interp) compCode(a *act, e *scenario.Expr) *code {
	name := map[string]string{
		scenario.ListForm: "<listcomp>", scenario.SetForm: "<setcomp>",
		scenario.DictForm: "<dictcomp>", scenario.GenexpForm: "<genexpr>",
	}[e.Form]
	if c, ok := in.codes[e]; ok && c.qualname == a.qualprefix+name {
		return c
	}
	c := &code{name: name, qualname: a.qualprefix + name, locals: map[string]bool{}}
	for _, cl := range e.Clauses {
		c.locals[cl.Target] = true
	}
	in.codes[e] = c
	return c
}

// evalIter evaluates a comprehension's iterable. CPython's AST optimiser
// turns a list display there into a tuple (so errors name 'tuple').
func (in *interp) evalIter(a *act, e *scenario.Expr) (reference.Object, *reference.Exception) {
	switch {
	case e.Kind == scenario.ListExpr:
		items, exc := in.evalItems(a, e.Items)
		if exc != nil {
			return nil, exc
		}
		t := reference.NewTuple(items...)
		in.push(a, t)
		return t, nil
	case e.Kind == scenario.LitExpr && e.Value.Kind == scenario.ListKind:
		v, exc := fromValue(scenario.Value{Kind: scenario.TupleKind, Items: e.Value.Items})
		if exc != nil {
			return nil, exc
		}
		in.push(a, v)
		return v, nil
	}
	return in.eval(a, e)
}

// compLoop runs clause i of a comprehension over iterable, then the
// clauses inside it, calling emit for each innermost iteration.
func (in *interp) compLoop(ca *act, e *scenario.Expr, i int, iterable reference.Object, emit func() *reference.Exception) *reference.Exception {
	cl := &e.Clauses[i]
	body := func(item reference.Object) (bool, error) {
		in.checkAbort()
		in.cur = ca
		ca.vars[cl.Target] = item
		for j := range cl.If {
			v, exc := in.eval(ca, &cl.If[j])
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
			next, exc = in.evalIter(ca, e.Clauses[i+1].Iter)
			if exc == nil {
				exc = in.compLoop(ca, e, i+1, next, emit)
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
		_, exc = in.asyncFor(ca, iterable, body)
	} else {
		_, exc = in.forLoop(ca, iterable, body)
	}
	return exc
}

// genexp makes a generator expression's generator (an async generator
// when it has async for clauses or awaits). Its outermost iterable is
// turned into an iterator now (GET_ITER / GET_AITER), as CPython does
// when the expression is evaluated; the body iterates that.
func (in *interp) genexp(a *act, e *scenario.Expr, c *code, iterable reference.Object) (reference.Object, *reference.Exception) {
	async := isAsyncComprehension(e)
	firstAsync := e.Clauses[0].Async
	var it reference.Object
	var err error
	in.cur = a
	if firstAsync {
		it, err = in.ops.GetAIter(iterable)
	} else {
		it, err = in.ops.Iter(iterable)
	}
	in.cur = a
	if err != nil {
		return nil, reference.AsException(err)
	}
	in.push(a, it)
	ca := &act{kind: actComp, code: c, vars: map[string]reference.Object{}, parent: a, depth: a.depth + 1,
		qualprefix: c.qualname + ".<locals>."}
	ca.temps = append(ca.temps, it)
	first := reference.Object(&iterOf{it})
	if firstAsync {
		first = &aiterOf{it}
	}
	if ca.depth > maxDepth {
		return nil, reference.Errorf(reference.ExcRecursionError, "maximum recursion depth exceeded")
	}
	fs := &frameState{acts: []*act{ca}}
	ca.fs = fs
	run := func(fr *reference.Frame) (reference.Object, error) {
		completed := false
		defer in.notePanic(&completed)
		ca.fr = fr
		fs.running = true
		prev := in.cur
		in.cur = ca
		exc := in.compLoop(ca, e, 0, first, func() *reference.Exception {
			v, exc := in.eval(ca, e.Element)
			if exc != nil {
				return exc
			}
			_, exc = in.yield(ca, v)
			return exc
		})
		fs.running, fs.done = false, true
		in.finishFrame(ca)
		in.cur = prev
		completed = true
		if exc != nil {
			return nil, exc
		}
		return reference.None, nil
	}
	var obj reference.Object
	if async {
		obj = in.ops.NewAsyncGenerator(in.r, c.name, c.qualname, func(fr *reference.Frame) error {
			_, err := run(fr)
			return err
		})
	} else {
		obj = in.ops.NewGenerator(in.r, c.name, c.qualname, run)
	}
	fs.owner = obj
	in.track(obj, fs)
	return obj, nil
}
