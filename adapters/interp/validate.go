package interp

import (
	"fmt"
	"strings"

	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/scenario/pysource"
)

// validate returns why the Python harness could not run s (it answers
// unsupported then, and so does the reference, so that both agree on
// what a scenario is), or "": the names and literals Python cannot
// express (pysource refuses to render them), and the one literal Python
// builds that the reference does not model, a frozenset.
func validate(s *scenario.Scenario) string {
	if _, err := pysource.Program(s); err != nil {
		return err.Error()
	}
	v := &validator{}
	v.stmts(s.Module)
	v.stmts(s.Main)
	v.stmts(s.After)
	return v.reason
}

type validator struct{ reason string }

func (v *validator) fail(format string, a ...any) {
	if v.reason == "" {
		v.reason = fmt.Sprintf(format, a...)
	}
}

func (v *validator) stmts(ss []scenario.Stmt) {
	for i := range ss {
		v.stmt(&ss[i])
	}
}

func (v *validator) stmt(s *scenario.Stmt) {
	for _, e := range []*scenario.Expr{s.Object, s.Expr, s.Iter, s.TargetExpr, s.Cond} {
		v.expr(e)
	}
	for _, call := range s.Calls {
		v.stmts(call)
	}
	v.stmts(s.Body)
	for _, h := range s.Handlers {
		v.stmts(h.Body)
	}
	v.stmts(s.Else)
	v.stmts(s.Finally)
}

func (v *validator) expr(e *scenario.Expr) {
	if e == nil {
		return
	}
	switch e.Kind {
	case scenario.LitExpr:
		v.literal(*e.Value, false)
	case scenario.CompileExpr:
		v.stmts(e.Body)
	}
	for _, x := range []*scenario.Expr{e.Of, e.Index, e.Expr, e.Left, e.Right, e.Key, e.Element, e.Result, e.Exception} {
		v.expr(x)
	}
	for i := range e.Args {
		v.expr(&e.Args[i])
	}
	for _, k := range sortedKeys(e.Kwargs) {
		x := e.Kwargs[k]
		v.expr(&x)
	}
	for i := range e.Items {
		v.expr(&e.Items[i])
	}
	for _, c := range e.Clauses {
		v.expr(c.TargetExpr)
		v.expr(c.Iter)
		for i := range c.If {
			v.expr(&c.If[i])
		}
	}
}

// literal refuses a set inside a set or as a dict key: Python builds a
// frozenset there, which the reference does not model.
func (v *validator) literal(x scenario.Value, hashable bool) {
	switch x.Kind {
	case scenario.ListKind, scenario.TupleKind:
		for _, it := range x.Items {
			v.literal(it, hashable && x.Kind == scenario.TupleKind)
		}
	case scenario.DictKind:
		for _, p := range x.Pairs {
			v.literal(p[0], true)
			v.literal(p[1], false)
		}
	case scenario.SetKind:
		if hashable {
			v.fail("a set inside a set or as a dict key is a frozenset, which the reference does not model")
			return
		}
		for _, it := range x.Items {
			v.literal(it, true)
		}
	}
}

// programError is a rendered program CPython would not compile.
type programError struct {
	msg   string
	where string
}

// checkProgram compiles the program the Python harness would render
// (FORMAT.md, How main runs): every top-level statement of module and
// main wrapped in try/except, main an async def (a def in sync mode).
func checkProgram(s *scenario.Scenario) *programError {
	wrap := func(st scenario.Stmt) scenario.Stmt {
		return scenario.Stmt{Kind: scenario.TryStmt, Body: []scenario.Stmt{st}, Handlers: []scenario.Handler{{
			Type: "BaseException", As: "_aiterspec_exc",
			Body: []scenario.Stmt{{Kind: scenario.ExprStmt, Expr: scenario.Call("_aiterspec_raised", scenario.Var("_aiterspec_exc"))}},
		}}}
	}
	var prog []scenario.Stmt
	for _, st := range s.Module {
		prog = append(prog, wrap(st))
	}
	main := scenario.Stmt{Kind: scenario.DefStmt, Name: "_aiterspec_main", Async: s.Mode != scenario.SyncMode}
	for _, st := range s.Main {
		main.Body = append(main.Body, wrap(st))
	}
	prog = append(prog, main)
	for _, st := range s.After {
		prog = append(prog, wrap(st))
	}
	e := compileCheck(prog, false)
	if e == nil {
		return nil
	}
	// Quote the line as the harness does, numbered in the program it
	// compiles (pysource.Program), which has main's global line besides.
	line := e.line
	text, _ := pysource.Program(s)
	lines := splitLines(text)
	for i, l := range lines {
		if strings.HasPrefix(l, "def "+pysource.Main+"(") || strings.HasPrefix(l, "async def "+pysource.Main+"(") {
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "    global ") && line > i+1 {
				line++
			}
			break
		}
	}
	where := fmt.Sprintf("line %d", line)
	if line >= 1 && line <= len(lines) {
		where += ": " + strings.TrimSpace(lines[line-1])
	}
	return &programError{msg: e.msg, where: where}
}
