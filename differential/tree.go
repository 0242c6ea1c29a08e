package differential

import (
	"encoding/json"
	"fmt"

	. "github.com/aiterspec/aiterspec/scenario"
)

// walkStmts calls fn on every statement of stmts, depth first, entering a
// statement's blocks (and the bodies of compile expressions) only when fn
// returns true.
func walkStmts(stmts []Stmt, fn func(*Stmt) bool) {
	for i := range stmts {
		s := &stmts[i]
		if !fn(s) {
			continue
		}
		for _, l := range stmtLists(s) {
			walkStmts(*l, fn)
		}
	}
}

// stmtLists are the statement blocks directly inside s.
func stmtLists(s *Stmt) []*[]Stmt {
	out := []*[]Stmt{&s.Body}
	for k := range s.Calls {
		out = append(out, &s.Calls[k])
	}
	for k := range s.Handlers {
		out = append(out, &s.Handlers[k].Body)
	}
	return append(out, &s.Else, &s.Finally)
}

// stmtExprs are the expressions directly in s.
func stmtExprs(s *Stmt) []*Expr {
	var out []*Expr
	for _, e := range []*Expr{s.Object, s.Expr, s.Iter, s.TargetExpr, s.Cond} {
		if e != nil {
			out = append(out, e)
		}
	}
	return out
}

// walkExpr calls fn on e and its subexpressions, depth first, entering
// e's children only when fn returns true. Statements inside compile
// expressions are not entered.
func walkExpr(e *Expr, fn func(*Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	for _, c := range exprChildren(e) {
		walkExpr(c, fn)
	}
}

// exprChildren are the subexpressions of e (kwargs in key order).
func exprChildren(e *Expr) []*Expr {
	var out []*Expr
	for _, c := range []*Expr{e.Of, e.Index, e.Expr, e.Left, e.Right, e.Element, e.Key, e.Result, e.Exception} {
		if c != nil {
			out = append(out, c)
		}
	}
	for i := range e.Args {
		out = append(out, &e.Args[i])
	}
	for i := range e.Items {
		out = append(out, &e.Items[i])
	}
	for i := range e.Clauses {
		if t := e.Clauses[i].TargetExpr; t != nil {
			out = append(out, t)
		}
		out = append(out, e.Clauses[i].Iter)
		for j := range e.Clauses[i].If {
			out = append(out, &e.Clauses[i].If[j])
		}
	}
	return out
}

// Statements counts the statements of a scenario: every statement of
// module, main and after, nested ones included (method bodies, per-call bodies,
// handler bodies and the bodies of compile expressions too).
func Statements(sc *Scenario) int {
	n := 0
	var count func([]Stmt)
	count = func(stmts []Stmt) {
		walkStmts(stmts, func(s *Stmt) bool {
			n++
			for _, e := range stmtExprs(s) {
				walkExpr(e, func(e *Expr) bool {
					if e.Kind == CompileExpr {
						count(e.Body)
					}
					return true
				})
			}
			return true
		})
	}
	count(sc.Module)
	count(sc.Main)
	count(sc.After)
	return n
}

// clone deep-copies a scenario through its JSON encoding, which the
// decoder validates: a copy that does not survive it is a bug here.
func clone(sc *Scenario) *Scenario {
	data, err := json.Marshal(sc)
	if err != nil {
		panic(fmt.Sprintf("differential: cannot encode a scenario: %v", err))
	}
	var out Scenario
	if err := json.Unmarshal(data, &out); err != nil {
		panic(fmt.Sprintf("differential: a scenario does not survive its encoding: %v\n%s", err, data))
	}
	return &out
}
