package interp

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/aiterspec/aiterspec/scenario"
)

// reserved is the prefix of names the Python harness introduces; a
// scenario may not use it.
const reserved = "_aiterspec"

var pythonKeywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields("False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield") {
		pythonKeywords[k] = true
	}
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		ok := r == '_' || unicode.IsLetter(r)
		if i > 0 {
			ok = ok || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc)
		}
		if !ok {
			return false
		}
	}
	return true
}

// validate returns why the Python harness could not render s (it answers
// unsupported then, and so does the reference, so that both agree on
// what a scenario is), or "".
func validate(s *scenario.Scenario) string {
	v := &validator{}
	v.stmts(s.Module)
	v.stmts(s.Main)
	return v.reason
}

type validator struct{ reason string }

func (v *validator) fail(format string, a ...any) {
	if v.reason == "" {
		v.reason = fmt.Sprintf(format, a...)
	}
}

func (v *validator) ident(name string) {
	switch {
	case !isIdentifier(name) || pythonKeywords[name]:
		v.fail("%s is not a Python identifier", strconv.Quote(name))
	case strings.HasPrefix(name, reserved):
		v.fail("names starting with %s are reserved by the harness", reserved)
	}
}

func (v *validator) dotted(name string) {
	for _, part := range strings.Split(name, ".") {
		if !isIdentifier(part) || pythonKeywords[part] || strings.HasPrefix(part, reserved) {
			v.fail("%s is not a Python (dotted) name", strconv.Quote(name))
			return
		}
	}
}

func (v *validator) stmts(ss []scenario.Stmt) {
	for i := range ss {
		v.stmt(&ss[i])
	}
}

func (v *validator) stmt(s *scenario.Stmt) {
	switch s.Kind {
	case scenario.DefStmt:
		for _, p := range s.Params {
			v.ident(p)
		}
		v.ident(s.Name)
	case scenario.ClassStmt, scenario.LetStmt, scenario.SetAttrStmt, scenario.DelStmt:
		v.ident(s.Name)
	case scenario.ForStmt, scenario.AsyncForStmt:
		v.ident(s.Target)
	}
	for _, e := range []*scenario.Expr{s.Object, s.Expr, s.Iter, s.Cond} {
		v.expr(e)
	}
	for _, call := range s.Calls {
		v.stmts(call)
	}
	v.stmts(s.Body)
	for _, h := range s.Handlers {
		if h.Type != "" {
			v.dotted(h.Type)
		}
		if h.As != "" {
			v.ident(h.As)
		}
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
	case scenario.VarExpr:
		if e.Name != "None" && e.Name != "True" && e.Name != "False" {
			v.dotted(e.Name)
		}
	case scenario.CallExpr:
		v.dotted(e.Func)
	case scenario.MethodExpr, scenario.AttrExpr:
		v.ident(e.Name)
	case scenario.CompileExpr:
		v.stmts(e.Body)
	}
	for k := range e.Kwargs {
		v.ident(k)
	}
	for _, x := range []*scenario.Expr{e.Of, e.Expr, e.Left, e.Right, e.Key, e.Element, e.Result, e.Exception} {
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
		v.ident(c.Target)
		v.expr(c.Iter)
		for i := range c.If {
			v.expr(&c.If[i])
		}
	}
}

// literal checks what a Python display can build: nothing unhashable in a
// set or as a dict key; a set there would be a frozenset, which the
// reference does not model.
func (v *validator) literal(x scenario.Value, hashable bool) {
	switch x.Kind {
	case scenario.ListKind, scenario.DictKind:
		if hashable {
			v.fail("a %s inside a set or as a dict key cannot be built in Python", x.Kind)
			return
		}
		for _, it := range x.Items {
			v.literal(it, false)
		}
		for _, p := range x.Pairs {
			v.literal(p[0], true)
			v.literal(p[1], false)
		}
	case scenario.TupleKind:
		for _, it := range x.Items {
			v.literal(it, hashable)
		}
	case scenario.SetKind:
		if hashable {
			v.fail("a set inside a set or as a dict key is a frozenset, which the reference does not model")
			return
		}
		for _, it := range x.Items {
			v.literal(it, true)
		}
	case scenario.ExceptionKind, scenario.ObjectKind:
		v.fail("a literal cannot hold an %s value", x.Kind)
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
	e := compileCheck(prog, false)
	if e == nil {
		return nil
	}
	where := fmt.Sprintf("line %d", e.line)
	if lines := splitLines(renderModule(prog)); e.line >= 1 && e.line <= len(lines) {
		where += ": " + strings.TrimSpace(lines[e.line-1])
	}
	return &programError{msg: e.msg, where: where}
}
