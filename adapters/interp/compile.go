package interp

import (
	"github.com/aiterspec/aiterspec/reference"
	"github.com/aiterspec/aiterspec/scenario"
)

// syntaxError is a compile-time error: CPython's message and the line of
// the offending statement under FORMAT.md's rendering rules.
type syntaxError struct {
	msg  string
	line int
}

// scope is the kind of code unit a statement or expression sits in, which
// decides what async constructs are allowed there.
type scope int

const (
	moduleScope     scope = iota
	defScope              // def
	asyncDefScope         // async def
	classScope            // a class body
	lambdaScope           // a lambda
	compScope             // a comprehension or generator expression
	topLevelAwaitOK       // module compiled with PyCF_ALLOW_TOP_LEVEL_AWAIT
)

// functionLike reports CPython's ste_type == FunctionBlock.
func (s scope) functionLike() bool {
	return s == defScope || s == asyncDefScope || s == lambdaScope || s == compScope
}

// compileCheck returns the SyntaxError compiling body as a module would
// raise, or nil.
//
// CPython 3.11 compiles in two passes, and the first error wins: the
// symbol table pass, which of our errors reports only a yield inside a
// comprehension (so that one wins wherever it is), then code generation,
// which walks the tree in its own order. The checker follows both:
// statements and expressions are visited in code generation order
// (an if's else before a try's handlers, a comprehension's body before
// its outermost iterable, an assignment's value before its target), and
// a break, continue or return compiles the finally blocks it leaves
// (as compiler_unwind_fblock_stack does) before checking itself, so an
// error in such a finally block comes first.
func compileCheck(body []scenario.Stmt, topLevelAwait bool) *syntaxError {
	lines := lineNumbers(body)
	if e := symtableCheck(body, lines); e != nil {
		return e
	}
	c := &checker{lines: lines}
	u := &unit{scope: moduleScope}
	if topLevelAwait {
		u.scope = topLevelAwaitOK
	}
	c.stmts(body, u)
	return c.err
}

// compileCode is the default Ops.Compile: the checker, then a code object
// whose co_flags has CO_COROUTINE when top-level await made the module a
// coroutine, as CPython's does.
func compileCode(body []scenario.Stmt, topLevelAwait bool) (reference.Object, error) {
	if e := compileCheck(body, topLevelAwait); e != nil {
		return nil, newSyntaxError(e, body)
	}
	flags := 0
	if topLevelAwait && moduleIsCoroutine(body) {
		flags |= coCoroutine
	}
	return &codeObject{flags: flags}, nil
}

// newSyntaxError builds the SyntaxError compile() raises. As CPython's
// compiler (not parser) errors from a string, it has no text; the offset
// is where the offending line's code starts (CPython's is the offending
// node's column, which FORMAT.md does not fix).
func newSyntaxError(e *syntaxError, body []scenario.Stmt) *reference.Exception {
	offset := 1
	if lines := splitLines(moduleText(body)); e.line >= 1 && e.line <= len(lines) {
		text := lines[e.line-1]
		for offset <= len(text) && text[offset-1] == ' ' {
			offset++
		}
	}
	exc := reference.NewSyntaxError(e.msg, "<scenario>", e.line, offset, "")
	exc.Attrs["text"] = reference.None
	exc.Args[1].(*reference.Tuple).Items[3] = reference.None
	return exc
}

// lineNumbers gives every statement of a compile body its line under
// FORMAT.md's rules, which are how the Python harness renders: a simple
// statement is one line; a compound statement is its header line and its
// block; an empty block is one pass line. A def with generator: true has
// the extra line `if False: yield`, and a def with per-call bodies the
// lines of its dispatch (the counter line, one `if`/`elif` line per call,
// the `else:` line), as the harness renders them.
func lineNumbers(body []scenario.Stmt) map[*scenario.Stmt]int {
	lines := map[*scenario.Stmt]int{}
	n := 1
	var block func(stmts []scenario.Stmt)
	block = func(stmts []scenario.Stmt) {
		if len(stmts) == 0 {
			n++
			return
		}
		for i := range stmts {
			st := &stmts[i]
			lines[st] = n
			n++
			switch st.Kind {
			case scenario.DefStmt:
				if st.Generator {
					n++
				}
				if len(st.Calls) == 0 {
					block(st.Body)
					break
				}
				n++ // the call counter
				for _, call := range st.Calls {
					n++ // if / elif
					block(call)
				}
				n++ // else:
				block(st.Body)
			case scenario.ClassStmt, scenario.AsyncWithStmt:
				block(st.Body)
			case scenario.TryStmt:
				block(st.Body)
				for _, h := range st.Handlers {
					n++
					block(h.Body)
				}
				if len(st.Else) > 0 {
					n++
					block(st.Else)
				}
				if len(st.Finally) > 0 {
					n++
					block(st.Finally)
				}
			case scenario.IfStmt, scenario.ForStmt, scenario.AsyncForStmt, scenario.WhileStmt:
				block(st.Body)
				if len(st.Else) > 0 {
					n++
					block(st.Else)
				}
			}
		}
	}
	block(body)
	return lines
}

// comprehensionNames are CPython's words for each form in "'yield' inside
// list comprehension".
var comprehensionNames = map[string]string{
	scenario.ListForm:   "list",
	scenario.SetForm:    "set",
	scenario.DictForm:   "dict",
	scenario.GenexpForm: "generator",
}

// symtableCheck is the symbol table pass: the first yield whose scope is
// a comprehension, in the order symtable.c visits the tree.
func symtableCheck(body []scenario.Stmt, lines map[*scenario.Stmt]int) *syntaxError {
	var err *syntaxError
	var expr func(e *scenario.Expr, comp string, line int)
	var stmts func(ss []scenario.Stmt)
	expr = func(e *scenario.Expr, comp string, line int) {
		if e == nil || err != nil {
			return
		}
		sub := func(x *scenario.Expr) { expr(x, comp, line) }
		switch e.Kind {
		case scenario.YieldExpr:
			// symtable.c visits the value before it checks the yield.
			sub(e.Expr)
			if comp != "" && err == nil {
				err = &syntaxError{reference.MsgYieldInComprehension(comp), line}
			}
		case scenario.LambdaExpr:
			expr(e.Expr, "", line)
		case scenario.ComprehensionExpr:
			inner := comprehensionNames[e.Form]
			// The outermost iterable belongs to the enclosing scope.
			sub(e.Clauses[0].Iter)
			for i, cl := range e.Clauses {
				if i > 0 {
					expr(cl.Iter, inner, line)
				}
				expr(cl.TargetExpr, inner, line)
				for j := range cl.If {
					expr(&cl.If[j], inner, line)
				}
			}
			// A dict comprehension's value is visited before its key.
			expr(e.Element, inner, line)
			expr(e.Key, inner, line)
		case scenario.CompileExpr:
			// compiled when it runs, not with the code around it
		default:
			for _, x := range exprChildren(e) {
				sub(x)
			}
		}
	}
	stmts = func(ss []scenario.Stmt) {
		for i := range ss {
			st := &ss[i]
			line := lines[st]
			for _, x := range []*scenario.Expr{st.Object, st.Expr, st.Iter, st.TargetExpr, st.Cond} {
				expr(x, "", line)
			}
			for _, call := range st.Calls {
				stmts(call)
			}
			stmts(st.Body)
			stmts(st.Else)
			for _, h := range st.Handlers {
				stmts(h.Body)
			}
			stmts(st.Finally)
			if err != nil {
				return
			}
		}
	}
	stmts(body)
	return err
}

// exprChildren are the subexpressions of e in code generation order
// (for comprehensions and lambdas, which have scopes of their own, see
// the callers).
func exprChildren(e *scenario.Expr) []*scenario.Expr {
	var out []*scenario.Expr
	add := func(xs ...*scenario.Expr) {
		for _, x := range xs {
			if x != nil {
				out = append(out, x)
			}
		}
	}
	add(e.Of, e.Index, e.Expr, e.Left, e.Right, e.Result, e.Exception)
	for i := range e.Args {
		add(&e.Args[i])
	}
	for _, k := range sortedKeys(e.Kwargs) {
		kw := e.Kwargs[k]
		add(&kw)
	}
	for i := range e.Items {
		add(&e.Items[i])
	}
	return out
}

// unit is a code unit being generated: its kind, whether it is an async
// generator (return with a value is an error), and its frame blocks.
type unit struct {
	scope    scope
	asyncGen bool
	fblocks  []fblock
}

// fblock is a frame block of compile.c: a loop, or a try whose finally
// body a break, continue or return must compile on the way out.
type fblock struct {
	loop    bool
	finally []scenario.Stmt
}

// checker is the code generation pass; it keeps the first error.
type checker struct {
	lines map[*scenario.Stmt]int
	err   *syntaxError
}

func (c *checker) fail(msg string, line int) {
	if c.err == nil {
		c.err = &syntaxError{msg: msg, line: line}
	}
}

func (c *checker) stmts(ss []scenario.Stmt, u *unit) {
	for i := range ss {
		if c.err != nil {
			return
		}
		c.stmt(&ss[i], u)
	}
}

func (c *checker) stmt(st *scenario.Stmt, u *unit) {
	line := c.lines[st]
	x := func(e *scenario.Expr) { c.expr(e, u, line) }
	switch st.Kind {
	case scenario.DefStmt:
		inner := &unit{scope: defScope}
		if st.Async {
			inner.scope = asyncDefScope
		}
		inner.asyncGen = isGeneratorDef(st) && (st.Async || defAwaits(st))
		// The rendering dispatches calls[0], calls[1], ... then body.
		for _, call := range st.Calls {
			c.stmts(call, inner)
		}
		c.stmts(st.Body, inner)
	case scenario.ClassStmt:
		c.stmts(st.Body, &unit{scope: classScope})
	case scenario.LetStmt, scenario.ExprStmt, scenario.ObserveStmt, scenario.EmitStmt, scenario.RaiseStmt:
		x(st.Expr)
	case scenario.SetAttrStmt:
		x(st.Expr) // the value before the target
		x(st.Object)
	case scenario.BreakStmt, scenario.ContinueStmt:
		if !c.unwind(u, true) {
			if st.Kind == scenario.BreakStmt {
				c.fail("'break' outside loop", line)
			} else {
				c.fail("'continue' not properly in loop", line)
			}
		}
	case scenario.YieldStmt:
		c.yield(u, line)
		x(st.Expr)
	case scenario.YieldFromStmt:
		c.yieldFrom(u, line)
		x(st.Expr)
	case scenario.ReturnStmt:
		if !u.scope.functionLike() {
			c.fail("'return' outside function", line)
			return
		}
		if st.Expr != nil && u.asyncGen {
			c.fail(reference.MsgReturnInAsyncGen, line)
			return
		}
		x(st.Expr)
		c.unwind(u, false)
	case scenario.TryStmt:
		if len(st.Finally) > 0 {
			u.fblocks = append(u.fblocks, fblock{finally: st.Finally})
		}
		c.stmts(st.Body, u)
		c.stmts(st.Else, u)
		for _, h := range st.Handlers {
			c.stmts(h.Body, u)
		}
		if len(st.Finally) > 0 {
			u.fblocks = u.fblocks[:len(u.fblocks)-1]
			c.stmts(st.Finally, u)
		}
	case scenario.IfStmt:
		x(st.Cond)
		c.stmts(st.Body, u)
		c.stmts(st.Else, u)
	case scenario.ForStmt, scenario.AsyncForStmt:
		if st.Kind == scenario.AsyncForStmt && u.scope != asyncDefScope && u.scope != topLevelAwaitOK {
			c.fail(reference.MsgAsyncForOutside, line)
			return
		}
		x(st.Iter)
		u.fblocks = append(u.fblocks, fblock{loop: true})
		x(st.TargetExpr)
		c.stmts(st.Body, u)
		u.fblocks = u.fblocks[:len(u.fblocks)-1]
		c.stmts(st.Else, u)
	case scenario.WhileStmt:
		x(st.Cond)
		u.fblocks = append(u.fblocks, fblock{loop: true})
		c.stmts(st.Body, u)
		u.fblocks = u.fblocks[:len(u.fblocks)-1]
		c.stmts(st.Else, u)
	case scenario.AsyncWithStmt:
		if u.scope != asyncDefScope && u.scope != topLevelAwaitOK {
			c.fail(reference.MsgAsyncWithOutside, line)
			return
		}
		x(st.Expr)
		c.stmts(st.Body, u)
	}
}

// unwind is compiler_unwind_fblock_stack: leaving the frame blocks from
// the innermost outwards compiles each finally body on the way (with the
// blocks outside it still in force), stopping at the first loop when one
// is wanted. It reports whether a loop was found.
func (c *checker) unwind(u *unit, wantLoop bool) bool {
	saved := u.fblocks
	defer func() { u.fblocks = saved }()
	for len(u.fblocks) > 0 && c.err == nil {
		top := u.fblocks[len(u.fblocks)-1]
		if wantLoop && top.loop {
			return true
		}
		u.fblocks = u.fblocks[: len(u.fblocks)-1 : len(u.fblocks)-1]
		if top.finally != nil {
			c.stmts(top.finally, u)
		}
	}
	return false
}

func (c *checker) yield(u *unit, line int) {
	if !u.scope.functionLike() {
		c.fail("'yield' outside function", line)
	}
}

func (c *checker) yieldFrom(u *unit, line int) {
	if !u.scope.functionLike() {
		c.fail("'yield' outside function", line)
	} else if u.scope == asyncDefScope {
		c.fail(reference.MsgYieldFromInAsync, line)
	}
}

func (c *checker) expr(e *scenario.Expr, u *unit, line int) {
	if e == nil || c.err != nil {
		return
	}
	switch e.Kind {
	case scenario.AwaitExpr:
		switch u.scope {
		case moduleScope, classScope:
			c.fail(reference.MsgAwaitOutsideFunction, line)
			return
		case defScope, lambdaScope:
			c.fail(reference.MsgAwaitOutsideAsync, line)
			return
		}
		c.expr(e.Expr, u, line)
	case scenario.YieldExpr:
		c.yield(u, line)
		c.expr(e.Expr, u, line)
	case scenario.LambdaExpr:
		c.expr(e.Expr, &unit{scope: lambdaScope}, line)
	case scenario.ComprehensionExpr:
		if e.Form != scenario.GenexpForm && isAsyncComprehension(e) &&
			u.scope != asyncDefScope && u.scope != compScope && u.scope != topLevelAwaitOK {
			c.fail(reference.MsgAsyncComprehensionOutside, line)
			return
		}
		inner := &unit{scope: compScope}
		for i, cl := range e.Clauses {
			if i > 0 {
				c.expr(cl.Iter, inner, line)
			}
			c.expr(cl.TargetExpr, inner, line)
			for j := range cl.If {
				c.expr(&cl.If[j], inner, line)
			}
		}
		c.expr(e.Key, inner, line)
		c.expr(e.Element, inner, line)
		// The outermost iterable is evaluated in the enclosing scope, and
		// compiled after the comprehension's own code.
		c.expr(e.Clauses[0].Iter, u, line)
	case scenario.CompileExpr:
		// A compile expression's body is compiled when the expression runs,
		// not with the code around it.
	default:
		for _, x := range exprChildren(e) {
			c.expr(x, u, line)
		}
	}
}

// isAsyncComprehension reports whether a comprehension is asynchronous
// (CPython's ste_coroutine for its scope): an async for clause, or an
// await in its own scope (element, key, conditions, iterables after the
// first), which includes an async list, set or dict comprehension nested
// there. An async generator expression nested there does not count.
// For a generator expression this is what makes it an async generator.
func isAsyncComprehension(e *scenario.Expr) bool {
	for _, cl := range e.Clauses {
		if cl.Async {
			return true
		}
	}
	for i, cl := range e.Clauses {
		if i > 0 && scopeAwaits(cl.Iter) || scopeAwaits(cl.TargetExpr) {
			return true
		}
		for j := range cl.If {
			if scopeAwaits(&cl.If[j]) {
				return true
			}
		}
	}
	return scopeAwaits(e.Key) || scopeAwaits(e.Element)
}

// scopeAwaits reports an await in e that belongs to e's own scope.
func scopeAwaits(e *scenario.Expr) bool {
	if e == nil {
		return false
	}
	switch e.Kind {
	case scenario.AwaitExpr:
		return true
	case scenario.LambdaExpr, scenario.CompileExpr:
		return false
	case scenario.ComprehensionExpr:
		if scopeAwaits(e.Clauses[0].Iter) {
			return true
		}
		return e.Form != scenario.GenexpForm && isAsyncComprehension(e)
	}
	for _, x := range exprChildren(e) {
		if scopeAwaits(x) {
			return true
		}
	}
	return false
}

// defAwaits reports an await in a def's own scope. CPython's symbol
// table marks such a function a coroutine even when it is a plain def
// (the await is an error later), so with a yield it counts as an async
// generator for "'return' with value in async generator", which the
// code generator may reach first.
func defAwaits(st *scenario.Stmt) bool {
	found := false
	check := func(e *scenario.Expr) bool {
		if scopeAwaits(e) {
			found = true
		}
		return false
	}
	walkStmts(st.Body, func(s *scenario.Stmt) bool { return s.Kind != scenario.DefStmt && s.Kind != scenario.ClassStmt }, check)
	for _, call := range st.Calls {
		walkStmts(call, func(s *scenario.Stmt) bool { return s.Kind != scenario.DefStmt && s.Kind != scenario.ClassStmt }, check)
	}
	return found
}

// isGeneratorDef reports whether a def makes a generator (function):
// generator: true, or a yield anywhere in its body or per-call bodies
// outside nested functions, lambdas and classes (a yield in a
// comprehension's outermost iterable counts; one inside a comprehension
// is a SyntaxError anyway).
func isGeneratorDef(st *scenario.Stmt) bool {
	if st.Generator || hasYield(st.Body) {
		return true
	}
	for _, call := range st.Calls {
		if hasYield(call) {
			return true
		}
	}
	return false
}

// hasYield reports whether a block yields (not counting nested functions,
// lambdas and classes).
func hasYield(body []scenario.Stmt) bool {
	found := false
	walkStmts(body, func(st *scenario.Stmt) bool {
		if st.Kind == scenario.YieldStmt || st.Kind == scenario.YieldFromStmt {
			found = true
		}
		return st.Kind != scenario.DefStmt && st.Kind != scenario.ClassStmt
	}, func(e *scenario.Expr) bool {
		if e.Kind == scenario.YieldExpr {
			found = true
		}
		return e.Kind != scenario.LambdaExpr && e.Kind != scenario.CompileExpr
	})
	return found
}

// moduleIsCoroutine reports whether a module compiled with top-level
// await is a coroutine: an async for or async with at module level, or an
// await or async comprehension (a generator expression too) in the
// module's own scope; one nested inside a function, class, lambda or
// another comprehension's body does not count.
func moduleIsCoroutine(body []scenario.Stmt) bool {
	found := false
	walkStmts(body, func(st *scenario.Stmt) bool {
		if st.Kind == scenario.AsyncForStmt || st.Kind == scenario.AsyncWithStmt {
			found = true
		}
		return st.Kind != scenario.DefStmt && st.Kind != scenario.ClassStmt
	}, func(e *scenario.Expr) bool {
		if scopeAsync(e) {
			found = true
		}
		return false
	})
	return found
}

// scopeAsync reports an await or an async comprehension in e's own scope.
func scopeAsync(e *scenario.Expr) bool {
	if e == nil {
		return false
	}
	switch e.Kind {
	case scenario.AwaitExpr:
		return true
	case scenario.LambdaExpr, scenario.CompileExpr:
		return false
	case scenario.ComprehensionExpr:
		return isAsyncComprehension(e) || scopeAsync(e.Clauses[0].Iter)
	}
	for _, x := range exprChildren(e) {
		if scopeAsync(x) {
			return true
		}
	}
	return false
}

// walkStmts calls fs on every statement and fe on every expression, in
// tree order, descending only where they return true.
func walkStmts(stmts []scenario.Stmt, fs func(*scenario.Stmt) bool, fe func(*scenario.Expr) bool) {
	for i := range stmts {
		st := &stmts[i]
		if !fs(st) {
			continue
		}
		for _, e := range []*scenario.Expr{st.Object, st.Expr, st.Iter, st.Cond} {
			walkExpr(e, fs, fe)
		}
		walkStmts(st.Body, fs, fe)
		for _, call := range st.Calls {
			walkStmts(call, fs, fe)
		}
		for _, h := range st.Handlers {
			walkStmts(h.Body, fs, fe)
		}
		walkStmts(st.Else, fs, fe)
		walkStmts(st.Finally, fs, fe)
	}
}

func walkExpr(e *scenario.Expr, fs func(*scenario.Stmt) bool, fe func(*scenario.Expr) bool) {
	if e == nil || !fe(e) {
		return
	}
	for _, x := range []*scenario.Expr{e.Of, e.Expr, e.Left, e.Right, e.Element, e.Key, e.Result, e.Exception} {
		walkExpr(x, fs, fe)
	}
	for i := range e.Args {
		walkExpr(&e.Args[i], fs, fe)
	}
	for _, k := range sortedKeys(e.Kwargs) {
		kw := e.Kwargs[k]
		walkExpr(&kw, fs, fe)
	}
	for i := range e.Items {
		walkExpr(&e.Items[i], fs, fe)
	}
	for i := range e.Clauses {
		walkExpr(e.Clauses[i].Iter, fs, fe)
		for j := range e.Clauses[i].If {
			walkExpr(&e.Clauses[i].If[j], fs, fe)
		}
	}
	if e.Kind != scenario.CompileExpr {
		walkStmts(e.Body, fs, fe)
	}
}
