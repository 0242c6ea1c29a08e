package reference

import (
	"github.com/aiterspec/aiterspec/scenario"
)

// syntaxError is a compile-time error: CPython's message and the line of
// the offending statement under FORMAT.md's rendering rules.
type syntaxError struct {
	msg  string
	line int
}

// scope is the kind of code block a statement sits in, which decides what
// async constructs are allowed there.
type scope int

const (
	moduleScope     scope = iota
	defScope              // def, or a lambda
	asyncDefScope         // async def
	classScope            // a class body
	topLevelAwaitOK       // module compiled with PyCF_ALLOW_TOP_LEVEL_AWAIT
)

// checker walks statements in rendering order, numbering lines as FORMAT.md
// renders them, and keeps the first error, as CPython's compiler does for a
// module with a single error.
type checker struct {
	line int
	err  *syntaxError
}

// compileCheck returns the SyntaxError compiling body as a module would
// raise, or nil.
func compileCheck(body []scenario.Stmt, topLevelAwait bool) *syntaxError {
	c := &checker{line: 1}
	s := moduleScope
	if topLevelAwait {
		s = topLevelAwaitOK
	}
	c.block(body, s, false)
	return c.err
}

func (c *checker) fail(msg string, line int) {
	if c.err == nil {
		c.err = &syntaxError{msg: msg, line: line}
	}
}

// block checks a block; an empty block still takes one line (pass).
// inLoop says whether break and continue are allowed.
func (c *checker) block(stmts []scenario.Stmt, s scope, inLoop bool) {
	if len(stmts) == 0 {
		c.line++
		return
	}
	for i := range stmts {
		c.stmt(&stmts[i], s, inLoop)
	}
}

func (c *checker) stmt(st *scenario.Stmt, s scope, inLoop bool) {
	line := c.line
	c.line++
	exprs := func(es ...*scenario.Expr) {
		for _, e := range es {
			if e != nil {
				c.expr(e, s, line)
			}
		}
	}
	switch st.Kind {
	case scenario.DefStmt:
		inner := defScope
		if st.Async {
			inner = asyncDefScope
		}
		if st.Async && hasYield(st.Body) {
			for _, r := range returnsWithValue(st.Body, line+1) {
				c.fail("'return' with value in async generator", r)
			}
		}
		c.block(st.Body, inner, false)
		for _, call := range st.Calls {
			c.block(call, inner, false)
		}
	case scenario.ClassStmt:
		c.block(st.Body, classScope, false)
	case scenario.LetStmt, scenario.SetAttrStmt, scenario.ExprStmt, scenario.ObserveStmt, scenario.EmitStmt:
		exprs(st.Object, st.Expr)
	case scenario.DelStmt, scenario.PassStmt:
	case scenario.BreakStmt:
		if !inLoop {
			c.fail("'break' outside loop", line)
		}
	case scenario.ContinueStmt:
		if !inLoop {
			c.fail("'continue' not properly in loop", line)
		}
	case scenario.YieldStmt:
		c.yield(s, line)
		exprs(st.Expr)
	case scenario.YieldFromStmt:
		c.yield(s, line)
		if s == asyncDefScope {
			c.fail("'yield from' inside async function", line)
		}
		exprs(st.Expr)
	case scenario.ReturnStmt:
		if s == moduleScope || s == topLevelAwaitOK || s == classScope {
			c.fail("'return' outside function", line)
		}
		exprs(st.Expr)
	case scenario.RaiseStmt:
		exprs(st.Expr)
	case scenario.TryStmt:
		c.block(st.Body, s, inLoop)
		for _, h := range st.Handlers {
			c.line++
			c.block(h.Body, s, inLoop)
		}
		if len(st.Else) > 0 {
			c.line++
			c.block(st.Else, s, inLoop)
		}
		if len(st.Finally) > 0 {
			c.line++
			c.block(st.Finally, s, inLoop)
		}
	case scenario.IfStmt:
		exprs(st.Cond)
		c.block(st.Body, s, inLoop)
		if len(st.Else) > 0 {
			c.line++
			c.block(st.Else, s, inLoop)
		}
	case scenario.ForStmt, scenario.AsyncForStmt:
		if st.Kind == scenario.AsyncForStmt && s != asyncDefScope && s != topLevelAwaitOK {
			c.fail("'async for' outside async function", line)
		}
		exprs(st.Iter)
		c.block(st.Body, s, true)
		if len(st.Else) > 0 {
			c.line++
			c.block(st.Else, s, inLoop)
		}
	case scenario.AsyncWithStmt:
		if s != asyncDefScope && s != topLevelAwaitOK {
			c.fail("'async with' outside async function", line)
		}
		exprs(st.Expr)
		c.block(st.Body, s, inLoop)
	}
}

func (c *checker) yield(s scope, line int) {
	if s == moduleScope || s == topLevelAwaitOK || s == classScope {
		c.fail("'yield' outside function", line)
	}
}

// comprehensionNames are CPython's words for each form in "'yield' inside
// list comprehension".
var comprehensionNames = map[string]string{
	scenario.ListForm:   "list comprehension",
	scenario.SetForm:    "set comprehension",
	scenario.DictForm:   "dict comprehension",
	scenario.GenexpForm: "generator expression",
}

// expr checks an expression on the given line. inComp names the
// comprehension the expression is inside ("" if none).
func (c *checker) expr(e *scenario.Expr, s scope, line int) {
	c.exprIn(e, s, line, "")
}

func (c *checker) exprIn(e *scenario.Expr, s scope, line int, inComp string) {
	if e == nil {
		return
	}
	sub := func(x *scenario.Expr) { c.exprIn(x, s, line, inComp) }
	switch e.Kind {
	case scenario.AwaitExpr:
		switch s {
		case moduleScope, classScope:
			c.fail("'await' outside function", line)
		case defScope:
			c.fail("'await' outside async function", line)
		}
		sub(e.Expr)
	case scenario.YieldExpr:
		if inComp != "" {
			c.fail("'yield' inside "+inComp, line)
		}
		c.yield(s, line)
		sub(e.Expr)
	case scenario.LambdaExpr:
		c.exprIn(e.Expr, defScope, line, "")
	case scenario.ComprehensionExpr:
		async := false
		for _, cl := range e.Clauses {
			async = async || cl.Async
		}
		name := comprehensionNames[e.Form]
		if async && e.Form != scenario.GenexpForm && s != asyncDefScope && s != topLevelAwaitOK {
			c.fail("asynchronous comprehension outside of an asynchronous function", line)
		}
		inner := s
		if e.Form == scenario.GenexpForm && s != asyncDefScope {
			// A generator expression is its own function: an async one if it
			// has async for or await, which is allowed anywhere.
			inner = asyncDefScope
		}
		for i, cl := range e.Clauses {
			if i == 0 {
				// The outermost iterable is evaluated in the enclosing scope.
				c.exprIn(cl.Iter, s, line, inComp)
			} else {
				c.exprIn(cl.Iter, inner, line, name)
			}
			for j := range cl.If {
				c.exprIn(&cl.If[j], inner, line, name)
			}
		}
		c.exprIn(e.Key, inner, line, name)
		c.exprIn(e.Element, inner, line, name)
	default:
		for _, x := range []*scenario.Expr{e.Of, e.Expr, e.Left, e.Right, e.Element, e.Key, e.Result, e.Exception} {
			sub(x)
		}
		for i := range e.Args {
			sub(&e.Args[i])
		}
		for _, k := range sortedKeys(e.Kwargs) {
			kw := e.Kwargs[k]
			sub(&kw)
		}
		for i := range e.Items {
			sub(&e.Items[i])
		}
		// A compile expression's body is compiled when the expression runs,
		// not with the code around it.
	}
}

// hasYield reports whether a function body yields (not counting nested
// functions and lambdas), which makes an async def an async generator.
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

// returnsWithValue returns the lines of `return value` statements of a
// function body starting at line first (not in nested functions).
func returnsWithValue(body []scenario.Stmt, first int) []int {
	var lines []int
	c := &checker{line: first}
	var visit func(stmts []scenario.Stmt)
	visit = func(stmts []scenario.Stmt) {
		if len(stmts) == 0 {
			c.line++
			return
		}
		for i := range stmts {
			st := &stmts[i]
			line := c.line
			c.line++
			switch st.Kind {
			case scenario.ReturnStmt:
				if st.Expr != nil {
					lines = append(lines, line)
				}
			case scenario.DefStmt, scenario.ClassStmt:
				// Count the nested block's lines without looking inside.
				sub := &checker{line: c.line}
				sub.block(st.Body, defScope, false)
				c.line = sub.line
			default:
				for _, b := range childBlocks(st) {
					c.line += b.header
					visit(b.stmts)
				}
			}
		}
	}
	visit(body)
	return lines
}

// A childBlock is a block of a compound statement and how many header
// lines precede it (0 for the first block, whose header is the
// statement's own line).
type childBlock struct {
	header int
	stmts  []scenario.Stmt
}

func childBlocks(st *scenario.Stmt) []childBlock {
	var out []childBlock
	switch st.Kind {
	case scenario.TryStmt:
		out = append(out, childBlock{0, st.Body})
		for _, h := range st.Handlers {
			out = append(out, childBlock{1, h.Body})
		}
		if len(st.Else) > 0 {
			out = append(out, childBlock{1, st.Else})
		}
		if len(st.Finally) > 0 {
			out = append(out, childBlock{1, st.Finally})
		}
	case scenario.IfStmt, scenario.ForStmt, scenario.AsyncForStmt:
		out = append(out, childBlock{0, st.Body})
		if len(st.Else) > 0 {
			out = append(out, childBlock{1, st.Else})
		}
	case scenario.AsyncWithStmt:
		out = append(out, childBlock{0, st.Body})
	}
	return out
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
