package scenario

// Builders: terse constructors for specs written in Go. Each returns a
// fresh node; the With* methods return a modified copy.

// Lit is the literal x (converted with [V]).
func Lit(x any) *Expr { v := V(x); return &Expr{Kind: LitExpr, Value: &v} }

// Var is the name n.
func Var(n string) *Expr { return &Expr{Kind: VarExpr, Name: n} }

// Self is the name self, inside a method.
func Self() *Expr { return Var("self") }

// Call is fn(args...), where fn is a defined function or class, a builtin,
// or a dotted name (see FORMAT.md).
func Call(fn string, args ...*Expr) *Expr { return &Expr{Kind: CallExpr, Func: fn, Args: deref(args)} }

// WithKwarg returns e (a call or method) with the keyword argument k=v
// added.
func (e *Expr) WithKwarg(k string, v *Expr) *Expr {
	c := *e
	c.Kwargs = make(map[string]Expr, len(e.Kwargs)+1)
	for kk, vv := range e.Kwargs {
		c.Kwargs[kk] = vv
	}
	c.Kwargs[k] = *v
	return &c
}

// Method is of.name(args...).
func Method(of *Expr, name string, args ...*Expr) *Expr {
	return &Expr{Kind: MethodExpr, Of: of, Name: name, Args: deref(args)}
}

// Attr is of.name.
func Attr(of *Expr, name string) *Expr { return &Expr{Kind: AttrExpr, Of: of, Name: name} }

// Await is `await e`.
func Await(e *Expr) *Expr { return &Expr{Kind: AwaitExpr, Expr: e} }

// YieldValue is the expression `(yield e)`, or `(yield)` for a nil e; its
// value is what the generator is sent.
func YieldValue(e *Expr) *Expr { return &Expr{Kind: YieldExpr, Expr: e} }

// TypeName is `type(of).__name__`.
func TypeName(of *Expr) *Expr { return &Expr{Kind: TypeNameExpr, Of: of} }

// Is is `left is right`.
func Is(left, right *Expr) *Expr { return &Expr{Kind: IsExpr, Left: left, Right: right} }

// BinOp is `left op right`.
func BinOp(left *Expr, op string, right *Expr) *Expr {
	return &Expr{Kind: BinOpExpr, Op: op, Left: left, Right: right}
}

// Not is `not e`.
func Not(e *Expr) *Expr { return &Expr{Kind: NotExpr, Expr: e} }

// ListOf is the list display [items...].
func ListOf(items ...*Expr) *Expr { return &Expr{Kind: ListExpr, Items: deref(items)} }

// TupleOf is the tuple display (items...).
func TupleOf(items ...*Expr) *Expr { return &Expr{Kind: TupleExpr, Items: deref(items)} }

// Subscript is `of[index]`.
func Subscript(of, index *Expr) *Expr { return &Expr{Kind: SubscriptExpr, Of: of, Index: index} }

// Unpack is the target `a, b, ...` of the names given: a tuple of vars.
func Unpack(names ...string) *Expr {
	items := make([]*Expr, len(names))
	for i, n := range names {
		items[i] = Var(n)
	}
	return TupleOf(items...)
}

// Lambda is `lambda: e`.
func Lambda(e *Expr) *Expr { return &Expr{Kind: LambdaExpr, Expr: e} }

// Compile is compile(source, "<scenario>", "exec") of the rendered body:
// a code object, or a SyntaxError.
func Compile(body ...Stmt) *Expr { return &Expr{Kind: CompileExpr, Body: body} }

// WithFlags returns a compile expression with the given flags.
func (e *Expr) WithFlags(flags ...string) *Expr { c := *e; c.Flags = flags; return &c }

// FutureResult is an asyncio.Future already done with the result r.
func FutureResult(r *Expr) *Expr { return &Expr{Kind: FutureExpr, Result: r} }

// FutureException is an asyncio.Future already done with the exception x.
func FutureException(x *Expr) *Expr { return &Expr{Kind: FutureExpr, Exception: x} }

// Comprehension is a comprehension of the given form (ListForm, SetForm,
// GenexpForm) over the clauses.
func Comprehension(form string, element *Expr, clauses ...Clause) *Expr {
	return &Expr{Kind: ComprehensionExpr, Form: form, Element: element, Clauses: clauses}
}

// DictComprehension is {key: element clauses...}.
func DictComprehension(key, element *Expr, clauses ...Clause) *Expr {
	return &Expr{Kind: ComprehensionExpr, Form: DictForm, Key: key, Element: element, Clauses: clauses}
}

// AsyncClause is the comprehension clause `async for target in iter if ...`.
func AsyncClause(target string, iter *Expr, ifs ...*Expr) Clause {
	return Clause{Async: true, Target: target, Iter: iter, If: deref(ifs)}
}

// SyncClause is the comprehension clause `for target in iter if ...`.
func SyncClause(target string, iter *Expr, ifs ...*Expr) Clause {
	return Clause{Target: target, Iter: iter, If: deref(ifs)}
}

// Into returns c assigning each item to target (a tuple, subscript or
// attribute: see [Expr.IsTarget]) instead of a name.
func (c Clause) Into(target *Expr) Clause { c.Target, c.TargetExpr = "", target; return c }

// Common calls.

// ANext is anext(it) or anext(it, def).
func ANext(it *Expr, def ...*Expr) *Expr { return Call("anext", append([]*Expr{it}, def...)...) }

// AIter is aiter(x).
func AIter(x *Expr) *Expr { return Call("aiter", x) }

// Sleep is asyncio.sleep(seconds).
func Sleep(seconds any) *Expr { return Call("asyncio.sleep", Lit(seconds)) }

// Exc is the exception instance typ(message), or typ() for no message.
func Exc(typ string, message ...string) *Expr {
	args := make([]*Expr, len(message))
	for i, m := range message {
		args[i] = Lit(m)
	}
	return Call(typ, args...)
}

// Statements.

// Def is `def name(): body`.
func Def(name string, body ...Stmt) Stmt { return Stmt{Kind: DefStmt, Name: name, Body: body} }

// AsyncDef is `async def name(): body` (an async generator if body yields).
func AsyncDef(name string, body ...Stmt) Stmt {
	return Stmt{Kind: DefStmt, Name: name, Async: true, Body: body}
}

// WithParams returns a def with the given parameters.
func (s Stmt) WithParams(params ...string) Stmt { s.Params = params; return s }

// AsGenerator returns a def that is a generator function even if it never
// yields.
func (s Stmt) AsGenerator() Stmt { s.Generator = true; return s }

// PerCall returns a def whose k-th call runs calls[k] (and Body after the
// last).
func (s Stmt) PerCall(calls ...[]Stmt) Stmt { s.Calls = calls; return s }

// Class is `class name: body`.
func Class(name string, body ...Stmt) Stmt { return Stmt{Kind: ClassStmt, Name: name, Body: body} }

// WithBases returns a class statement deriving from the named classes.
func (s Stmt) WithBases(bases ...string) Stmt { s.Bases = bases; return s }

// Let is `name = e`.
func Let(name string, e *Expr) Stmt { return Stmt{Kind: LetStmt, Name: name, Expr: e} }

// SetAttr is `object.name = e`.
func SetAttr(object *Expr, name string, e *Expr) Stmt {
	return Stmt{Kind: SetAttrStmt, Object: object, Name: name, Expr: e}
}

// Del is `del name`.
func Del(name string) Stmt { return Stmt{Kind: DelStmt, Name: name} }

// Do evaluates e and discards the value.
func Do(e *Expr) Stmt { return Stmt{Kind: ExprStmt, Expr: e} }

// Observe records the value of e.
func Observe(e *Expr) Stmt { return Stmt{Kind: ObserveStmt, Expr: e} }

// Emit records the event name, with the value of e if given.
func Emit(name string, e ...*Expr) Stmt {
	s := Stmt{Kind: EmitStmt, Event: name}
	if len(e) > 0 {
		s.Expr = e[0]
	}
	return s
}

// Yield is `yield e` (`yield` for no e).
func Yield(e ...*Expr) Stmt { return Stmt{Kind: YieldStmt, Expr: opt(e)} }

// YieldEach is `for v in (values...): yield v`: one statement yielding each
// value in turn.
func YieldEach(values ...any) Stmt {
	items := make([]*Expr, len(values))
	for i, v := range values {
		items[i] = Lit(v)
	}
	return For("v", TupleOf(items...), Yield(Var("v")))
}

// YieldFrom is `yield from e`.
func YieldFrom(e *Expr) Stmt { return Stmt{Kind: YieldFromStmt, Expr: e} }

// Return is `return e` (`return` for no e).
func Return(e ...*Expr) Stmt { return Stmt{Kind: ReturnStmt, Expr: opt(e)} }

// Raise is `raise e` (a bare re-raise for no e).
func Raise(e ...*Expr) Stmt { return Stmt{Kind: RaiseStmt, Expr: opt(e)} }

// Try is `try: body`; add clauses with Except, Else and Finally.
func Try(body ...Stmt) Stmt { return Stmt{Kind: TryStmt, Body: body} }

// Except returns a try statement with the clause `except typ as as_: body`
// added (typ "" is a bare except, as_ "" binds nothing).
func (s Stmt) Except(typ, as_ string, body ...Stmt) Stmt {
	s.Handlers = append(append([]Handler(nil), s.Handlers...), Handler{Type: typ, As: as_, Body: body})
	return s
}

// WithElse returns s (try, if, for, while, async for) with the else block
// body.
func (s Stmt) WithElse(body ...Stmt) Stmt { s.Else = body; return s }

// WithFinally returns a try statement with the finally block body.
func (s Stmt) WithFinally(body ...Stmt) Stmt { s.Finally = body; return s }

// If is `if cond: body`.
func If(cond *Expr, body ...Stmt) Stmt { return Stmt{Kind: IfStmt, Cond: cond, Body: body} }

// For is `for target in iter: body`.
func For(target string, iter *Expr, body ...Stmt) Stmt {
	return Stmt{Kind: ForStmt, Target: target, Iter: iter, Body: body}
}

// AsyncFor is `async for target in iter: body`.
func AsyncFor(target string, iter *Expr, body ...Stmt) Stmt {
	return Stmt{Kind: AsyncForStmt, Target: target, Iter: iter, Body: body}
}

// Into returns a for or async for statement assigning each item to target
// (a tuple, subscript or attribute: see [Expr.IsTarget]) instead of a name.
func (s Stmt) Into(target *Expr) Stmt { s.Target, s.TargetExpr = "", target; return s }

// While is `while cond: body`.
func While(cond *Expr, body ...Stmt) Stmt { return Stmt{Kind: WhileStmt, Cond: cond, Body: body} }

// AsyncWith is `async with e: body`.
func AsyncWith(e *Expr, body ...Stmt) Stmt { return Stmt{Kind: AsyncWithStmt, Expr: e, Body: body} }

// Break is `break`.
func Break() Stmt { return Stmt{Kind: BreakStmt} }

// Continue is `continue`.
func Continue() Stmt { return Stmt{Kind: ContinueStmt} }

// Pass is `pass`.
func Pass() Stmt { return Stmt{Kind: PassStmt} }

func deref(es []*Expr) []Expr {
	if len(es) == 0 {
		return nil
	}
	out := make([]Expr, len(es))
	for i, e := range es {
		out[i] = *e
	}
	return out
}

func opt(es []*Expr) *Expr {
	if len(es) == 0 {
		return nil
	}
	return es[0]
}
