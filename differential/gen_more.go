package differential

import (
	"fmt"

	. "github.com/aiterspec/aiterspec/scenario"
)

// --- sync main: driving the awaitables by hand ------------------------------

// syncMain is the body of a sync-mode main: no event loop; the program
// drives __anext__/asend/athrow/aclose awaitables with send, throw and
// close, as G13, X03 and X10 do, and drops generators with no finalizer
// hooks installed (L14).
func (p *prog) syncMain() []Stmt {
	main := p.bindGlobals(3)
	if len(p.iters) > 0 {
		main = append(main, Let("i0", p.newIter(p.iters[0])))
		p.used["i0"] = true
	}
	for i, n := 0, 2+p.pick(8); i < n; i++ {
		main = append(main, p.syncOp())
	}
	return append(main, p.syncEpilogue()...)
}

func (p *prog) syncEpilogue() []Stmt {
	var out []Stmt
	names := p.boundNames()
	if !p.collect {
		// Close every generator by hand (twice: a finally that awaits needs
		// a second step), so that no collector has anything observable left.
		for _, g := range names {
			if g[0] == 'g' && p.has(CapAsyncGenMethods) {
				p.need(CapAsyncGenMethods)
				for i := 0; i < 2; i++ {
					out = append(out, Try(Do(Method(Method(Var(g), "aclose"), "send", Lit(nil)))).Except("StopIteration", "", Pass()))
				}
			}
		}
	}
	for _, n := range names {
		out = append(out, Let(n, Lit(nil)))
	}
	if p.collect {
		p.need(CapDeterministicCollect)
		out = append(out, Do(Call("gc.collect")))
	}
	return out
}

// syncAwaitable makes one of a generator's awaitables.
func (p *prog) syncAwaitable(g string) *Expr {
	for {
		switch p.weighted(5, 2, 2, 2, 2, 1) {
		case 0:
			return Method(Var(g), "__anext__")
		case 1:
			if p.has(CapAsyncGenMethods) {
				p.need(CapAsyncGenMethods)
				return Method(Var(g), "asend", p.lit())
			}
		case 2:
			if p.has(CapAsyncGenMethods) {
				p.need(CapAsyncGenMethods)
				return Method(Var(g), "athrow", p.athrowArg())
			}
		case 3:
			if p.has(CapAsyncGenMethods) {
				p.need(CapAsyncGenMethods)
				return Method(Var(g), "aclose")
			}
		case 4:
			return ANext(Var(g))
		case 5:
			return p.anextDefault(g, p.defaultLit())
		}
	}
}

// syncStep sends to, throws into or closes an awaitable.
func (p *prog) syncStep(aw *Expr) *Expr {
	switch p.weighted(8, 1, 2, 1) {
	case 1:
		// Never a tuple: CPython's anext_awaitable.send() passes a tuple's
		// items as separate arguments to the awaitable it wraps
		// (PyObject_CallMethod(aw, "send", "O", tuple) unpacks it, the C-API
		// pitfall behind gh-128078), so anext(g, d).send((1, 2)) raises
		// TypeError there.
		return Method(aw, "send", p.defaultLit())
	case 2:
		return Method(aw, "throw", p.exc())
	case 3:
		return Method(aw, "close")
	}
	return Method(aw, "send", Lit(nil))
}

func (p *prog) syncOp() Stmt {
	for {
		g := p.genVar()
		switch p.weighted(10, 4, 4, 2, 1, 1, 2, 1, 1) {
		case 0:
			if g != "" {
				return p.handSteps(nil, p.syncStep(p.syncAwaitable(g)))
			}
		case 1:
			if g != "" {
				name := fmt.Sprintf("a%d", p.pending)
				p.pending++
				p.used[name] = true
				return Let(name, p.syncAwaitable(g))
			}
		case 2:
			if p.pending > 0 {
				return p.handSteps(nil, p.syncStep(Var(fmt.Sprintf("a%d", p.pick(p.pending)))))
			}
		case 3:
			if g != "" && p.collect {
				p.need(CapDeterministicCollect)
				return Try(Del(g), Do(Call("gc.collect")), Emit("collected"), Let(g, Call(oneOf(p, p.agens...)))).
					Except("BaseException", "err", Observe(Var("err")))
			}
		case 4:
			if g != "" {
				return p.syncUseOp(g)
			}
		case 5:
			if g != "" && p.has(CapIntrospection) {
				p.need(CapIntrospection)
				return Observe(Attr(Var(g), "ag_running"))
			}
		case 6:
			if p.used["i0"] {
				return p.handSteps(nil, p.syncStep(Method(Var("i0"), "__anext__")))
			}
		case 7:
			if p.has(CapCompile) {
				p.need(CapCompile)
				return Observe(p.compileExpr())
			}
		case 8:
			if g != "" && p.collect {
				return Let(g, Call(oneOf(p, p.agens...)))
			}
		}
	}
}

// --- compile(): where async constructs are allowed ---------------------------

// compileExpr compiles a small module that puts one async construct (async
// for, await, an async comprehension, yield, return with a value, yield
// from, async with) inside a random nesting of functions, loops,
// comprehensions and lambdas: the C family's rules and SyntaxError lines.
func (p *prog) compileExpr() *Expr {
	inner := p.compileInner()
	for depth := p.weighted(2, 4, 2); depth > 0; depth-- {
		inner = p.compileWrap(inner)
	}
	body := []Stmt{}
	if p.chance(3) {
		body = append(body, Let("y", ListOf()))
	}
	body = append(body, inner)
	e := Compile(body...)
	if p.chance(4) {
		e = e.WithFlags("top_level_await")
	}
	return e
}

func (p *prog) compileInner() Stmt {
	y := Var("y")
	switch p.pick(12) {
	case 0:
		return AsyncFor("x", y, Pass())
	case 1:
		return Do(Await(y))
	case 2:
		return Yield(Lit(1))
	case 3:
		return YieldFrom(y)
	case 4:
		return Return(Lit(1))
	case 5:
		return AsyncWith(y, Pass())
	case 6:
		return Do(Comprehension(ListForm, Var("x"), AsyncClause("x", y)))
	case 7:
		return Do(Comprehension(GenexpForm, Var("x"), AsyncClause("x", y)))
	case 8:
		return Do(Comprehension(ListForm, Await(Var("x")), SyncClause("x", y)))
	case 9:
		return Do(Lambda(Await(y)))
	case 10:
		return Do(Comprehension(ListForm, Comprehension(ListForm, Var("z"), AsyncClause("z", y)), SyncClause("x", y)))
	}
	return Do(Comprehension(ListForm, YieldValue(Var("x")), AsyncClause("x", y)))
}

func (p *prog) compileWrap(s Stmt) Stmt {
	switch p.pick(6) {
	case 0:
		return Def("f", s)
	case 1, 2:
		body := []Stmt{s}
		if p.chance(3) {
			body = append(body, Yield())
		}
		return AsyncDef("f", body...)
	case 3:
		return For("x", Var("y"), s)
	case 4:
		return Try(s).Except("", "", Pass())
	}
	return If(Lit(true), Pass(), s)
}

// --- tree helpers ------------------------------------------------------------

// yields reports whether a def body yields (not counting nested defs).
func yields(body []Stmt) bool {
	found := false
	walkStmts(body, func(s *Stmt) bool {
		if s.Kind == DefStmt || s.Kind == ClassStmt {
			return false
		}
		if s.Kind == YieldStmt || s.Kind == YieldFromStmt {
			found = true
		}
		for _, e := range stmtExprs(s) {
			walkExpr(e, func(e *Expr) bool {
				if e.Kind == LambdaExpr || e.Kind == CompileExpr {
					return false
				}
				if e.Kind == YieldExpr {
					found = true
				}
				return true
			})
		}
		return true
	})
	return found
}
