package scenario

import (
	"math"
	"slices"
	"sort"
	"strings"
)

// Validate reports what in s the wire format forbids, walking the Go tree:
// a scenario built in Go can hold what [Decode] rejects (a let without an
// expression, a comprehension without clauses, an infinite float, a field
// its kind does not allow). The error is a [*DecodeError] naming the JSON
// path of the offending element, e.g. `main[1].expr: missing field "expr"
// for statement "let"`. A scenario Validate accepts encodes (json.Marshal)
// to JSON that Decode accepts; Decode itself runs these checks on what it
// decoded, so the two never disagree.
func Validate(s *Scenario) error {
	var d decoder
	d.checkScenario(s)
	return d.err
}

// The checks keep the path of the node they are at as a stack of
// segments, rendered only for an error: building every node's path as a
// string cost more than the checks.
type segment struct {
	field string
	index int // -1 for a field
}

func (d *decoder) in(field string)        { d.at = append(d.at, segment{field, -1}) }
func (d *decoder) item(i int)             { d.at = append(d.at, segment{"", i}) }
func (d *decoder) out()                   { d.at = d.at[:len(d.at)-1] }
func (d *decoder) inItem(f string, i int) { d.in(f); d.item(i) }
func (d *decoder) out2()                  { d.at = d.at[:len(d.at)-2] }

// failHere records the first error, at the current path.
func (d *decoder) failHere(format string, args ...any) {
	if d.err != nil {
		return
	}
	path := ""
	for _, sg := range d.at {
		if sg.index >= 0 {
			path = index(path, sg.index)
		} else {
			path = join(path, sg.field)
		}
	}
	d.fail(path, format, args...)
}

// failIn records the first error at the current path's field f.
func (d *decoder) failIn(f string, format string, args ...any) {
	d.in(f)
	d.failHere(format, args...)
	d.out()
}

// failItem records the first error at item i of the current path's field f.
func (d *decoder) failItem(f string, i int, format string, args ...any) {
	d.inItem(f, i)
	d.failHere(format, args...)
	d.out2()
}

// fieldSetter says whether a Go node sets one JSON field.
type fieldSetter[T any] struct {
	field string
	set   func(*T) bool
}

// The JSON fields a Go node sets: the ones json.Marshal writes (omitempty
// drops zero values), in the sorted order the decoder reports unknown
// fields in. format_test checks that they cover the structs' JSON tags.
var (
	stmtSet = []fieldSetter[Stmt]{
		{"async", func(s *Stmt) bool { return s.Async }},
		{"bases", func(s *Stmt) bool { return len(s.Bases) > 0 }},
		{"body", func(s *Stmt) bool { return len(s.Body) > 0 }},
		{"calls", func(s *Stmt) bool { return len(s.Calls) > 0 }},
		{"cond", func(s *Stmt) bool { return s.Cond != nil }},
		{"else", func(s *Stmt) bool { return len(s.Else) > 0 }},
		{"event", func(s *Stmt) bool { return s.Event != "" }},
		{"expr", func(s *Stmt) bool { return s.Expr != nil }},
		{"finally", func(s *Stmt) bool { return len(s.Finally) > 0 }},
		{"generator", func(s *Stmt) bool { return s.Generator }},
		{"handlers", func(s *Stmt) bool { return len(s.Handlers) > 0 }},
		{"iter", func(s *Stmt) bool { return s.Iter != nil }},
		{"name", func(s *Stmt) bool { return s.Name != "" }},
		{"object", func(s *Stmt) bool { return s.Object != nil }},
		{"params", func(s *Stmt) bool { return len(s.Params) > 0 }},
		{"target", func(s *Stmt) bool { return s.Target != "" || s.TargetExpr != nil }},
	}
	exprSet = []fieldSetter[Expr]{
		{"args", func(e *Expr) bool { return len(e.Args) > 0 }},
		{"body", func(e *Expr) bool { return len(e.Body) > 0 }},
		{"clauses", func(e *Expr) bool { return len(e.Clauses) > 0 }},
		{"element", func(e *Expr) bool { return e.Element != nil }},
		{"exception", func(e *Expr) bool { return e.Exception != nil }},
		{"expr", func(e *Expr) bool { return e.Expr != nil }},
		{"flags", func(e *Expr) bool { return len(e.Flags) > 0 }},
		{"form", func(e *Expr) bool { return e.Form != "" }},
		{"func", func(e *Expr) bool { return e.Func != "" }},
		{"index", func(e *Expr) bool { return e.Index != nil }},
		{"items", func(e *Expr) bool { return len(e.Items) > 0 }},
		{"key", func(e *Expr) bool { return e.Key != nil }},
		{"kwargs", func(e *Expr) bool { return len(e.Kwargs) > 0 }},
		{"left", func(e *Expr) bool { return e.Left != nil }},
		{"name", func(e *Expr) bool { return e.Name != "" }},
		{"of", func(e *Expr) bool { return e.Of != nil }},
		{"op", func(e *Expr) bool { return e.Op != "" }},
		{"result", func(e *Expr) bool { return e.Result != nil }},
		{"right", func(e *Expr) bool { return e.Right != nil }},
		{"value", func(e *Expr) bool { return e.Value != nil }},
	}
)

// checkFields reports a field n sets that its kind does not allow, and a
// required one left unset. Required strings and lists say what they need
// themselves: a name, event or func must be non-empty (in JSON it may be
// present and empty), a target a name (checkTarget), an operator, a form
// or the clauses their own words (the kind's checks).
func checkFields[T any](d *decoder, n *T, table []fieldSetter[T], rule fieldRule, noun, kind string) {
	for _, x := range table {
		if x.set(n) && !slices.Contains(rule.allowed, x.field) {
			d.failIn(x.field, "unknown field %q for %s %q (allowed: %s)", x.field, noun, kind, strings.Join(append([]string{"kind"}, rule.allowed...), ", "))
		}
	}
	for _, f := range rule.required {
		i := slices.IndexFunc(table, func(x fieldSetter[T]) bool { return x.field == f })
		if table[i].set(n) {
			continue
		}
		switch f {
		case "name", "event", "func":
			d.failIn(f, "must be a non-empty string")
		case "target":
			d.failIn(f, "must be a non-empty name")
		case "op", "form", "clauses":
		default:
			d.failIn(f, "missing field %q for %s %q", f, noun, kind)
		}
	}
}

func (d *decoder) checkScenario(s *Scenario) {
	if s.ID == "" {
		d.failIn("id", "must be a non-empty name")
	}
	d.checkStmts("module", s.Module)
	d.checkStmts("main", s.Main)
	d.checkStmts("after", s.After)
	for i, c := range s.Needs {
		if !slices.Contains(Capabilities, c) {
			d.failItem("needs", i, "unknown capability %q (known: %s)", c, capabilityList())
		}
	}
	for i, r := range s.Report {
		if !slices.Contains(ReportOptions, r) {
			d.failItem("report", i, "unknown report %q (known: %s)", r, strings.Join(ReportOptions, ", "))
		}
		if r == ReportLoopExceptions && s.Mode != AsyncMode {
			d.failItem("report", i, "report %q needs an event loop: only in the default (async) mode", r)
		}
	}
	if len(s.After) > 0 && s.Mode != AsyncMode {
		d.failIn("after", "after runs once asyncio.run returns: only in the default (async) mode")
	}
	switch s.Mode {
	case AsyncMode, SyncMode:
		if s.Source != "" {
			d.failIn("source", "source is only for mode %q", SourceMode)
		}
	case SourceMode:
		if s.Source == "" {
			d.failIn("source", "mode %q needs a non-empty source", SourceMode)
		}
		if len(s.Module)+len(s.Main)+len(s.After) > 0 {
			d.failIn("mode", "mode %q runs source only: module and main must be empty", SourceMode)
		}
	default:
		d.failIn("mode", "unknown mode %q (known: %q, %q, %q)", s.Mode, AsyncMode, SyncMode, SourceMode)
	}
}

// checkStmts checks the statements of the current node's field f.
func (d *decoder) checkStmts(f string, stmts []Stmt) {
	for i := range stmts {
		if d.err != nil {
			return
		}
		d.inItem(f, i)
		d.checkStmt(&stmts[i])
		d.out2()
	}
}

func (d *decoder) checkStmt(s *Stmt) {
	rule, ok := stmtFields[s.Kind]
	if !ok {
		d.failIn("kind", "unknown statement %q", s.Kind)
		return
	}
	checkFields(d, s, stmtSet, rule, "statement", string(s.Kind))
	if s.Target != "" || s.TargetExpr != nil {
		d.checkTarget("target", s.Target, s.TargetExpr)
	}
	d.checkOptExpr("object", s.Object)
	d.checkOptExpr("expr", s.Expr)
	d.checkOptExpr("iter", s.Iter)
	d.checkOptExpr("cond", s.Cond)
	d.checkStmts("body", s.Body)
	for i, body := range s.Calls {
		d.inItem("calls", i)
		for j := range body {
			d.item(j)
			d.checkStmt(&body[j])
			d.out()
		}
		d.out2()
	}
	for i := range s.Handlers {
		d.inItem("handlers", i)
		d.checkStmts("body", s.Handlers[i].Body)
		d.out2()
	}
	d.checkStmts("else", s.Else)
	d.checkStmts("finally", s.Finally)
	switch s.Kind {
	case TryStmt:
		if len(s.Handlers) == 0 && len(s.Finally) == 0 {
			d.failHere("a try statement needs handlers or finally")
		}
	case ClassStmt:
		for i, b := range s.Bases {
			if b == "" {
				d.failItem("bases", i, "must be a non-empty name")
			}
		}
		for i, b := range s.Body {
			if b.Kind != DefStmt && b.Kind != LetStmt && b.Kind != PassStmt {
				d.failItem("body", i, "a class body holds def, let and pass statements, not %q", b.Kind)
			}
		}
	}
}

// checkTarget checks the assignment target in field f: a non-empty name,
// or an expression that can be assigned to.
func (d *decoder) checkTarget(f, name string, e *Expr) {
	if e == nil {
		if name == "" {
			d.failIn(f, "must be a non-empty name")
		}
		return
	}
	d.in(f)
	d.checkExpr(e)
	if d.err == nil && !e.IsTarget() {
		d.failHere("a target is a name, or a var, attr, subscript or non-empty tuple of targets, not %q", e.Kind)
	}
	d.out()
}

func (d *decoder) checkOptExpr(f string, e *Expr) {
	if e != nil {
		d.in(f)
		d.checkExpr(e)
		d.out()
	}
}

func (d *decoder) checkExprs(f string, es []Expr) {
	for i := range es {
		d.inItem(f, i)
		d.checkExpr(&es[i])
		d.out2()
	}
}

func (d *decoder) checkExpr(e *Expr) {
	if d.err != nil {
		return
	}
	rule, ok := exprFields[e.Kind]
	if !ok {
		d.failIn("kind", "unknown expression %q", e.Kind)
		return
	}
	checkFields(d, e, exprSet, rule, "expression", string(e.Kind))
	if e.Value != nil {
		d.in("value")
		d.checkLiteral(e.Value)
		d.out()
	}
	d.checkOptExpr("of", e.Of)
	d.checkOptExpr("expr", e.Expr)
	d.checkExprs("args", e.Args)
	if len(e.Kwargs) > 0 {
		names := make([]string, 0, len(e.Kwargs))
		for k := range e.Kwargs {
			names = append(names, k)
		}
		sort.Strings(names)
		d.in("kwargs")
		for _, k := range names {
			x := e.Kwargs[k]
			d.checkOptExpr(k, &x)
		}
		d.out()
	}
	d.checkOptExpr("left", e.Left)
	d.checkOptExpr("right", e.Right)
	d.checkExprs("items", e.Items)
	d.checkOptExpr("element", e.Element)
	d.checkOptExpr("key", e.Key)
	for i := range e.Clauses {
		d.inItem("clauses", i)
		d.checkClause(&e.Clauses[i])
		d.out2()
	}
	d.checkStmts("body", e.Body)
	d.checkOptExpr("result", e.Result)
	d.checkOptExpr("exception", e.Exception)
	d.checkOptExpr("index", e.Index)
	switch e.Kind {
	case BinOpExpr:
		if !slices.Contains(BinaryOps, e.Op) {
			d.failIn("op", "unknown operator %q (known: %s)", e.Op, strings.Join(BinaryOps, " "))
		}
	case ComprehensionExpr:
		switch e.Form {
		case ListForm, SetForm, GenexpForm:
			if e.Key != nil {
				d.failIn("key", "only a dict comprehension has a key")
			}
		case DictForm:
			if e.Key == nil {
				d.failIn("key", "a dict comprehension needs a key")
			}
		default:
			d.failIn("form", "unknown comprehension form %q (known: list, set, dict, genexp)", e.Form)
		}
		if len(e.Clauses) == 0 {
			d.failIn("clauses", "a comprehension needs at least one clause")
		}
	case CompileExpr:
		for i, f := range e.Flags {
			if !slices.Contains(CompileFlags, f) {
				d.failItem("flags", i, "unknown compile flag %q (known: %s)", f, strings.Join(CompileFlags, ", "))
			}
		}
	case FutureExpr:
		if e.Result != nil && e.Exception != nil {
			d.failHere("a future has a result or an exception, not both")
		}
	}
}

func (d *decoder) checkClause(c *Clause) {
	d.checkTarget("target", c.Target, c.TargetExpr)
	if c.Iter == nil {
		d.failIn("iter", "missing field %q for a comprehension clause", "iter")
	}
	d.checkOptExpr("iter", c.Iter)
	d.checkExprs("if", c.If)
}

// checkLiteral checks a lit's value: data a program can write, which
// excludes the exception and object values observations carry, and
// floats JSON cannot hold.
func (d *decoder) checkLiteral(v *Value) {
	switch v.Kind {
	case NoneKind, BoolKind, IntKind, StrKind:
	case FloatKind:
		if math.IsInf(v.Float, 0) || math.IsNaN(v.Float) {
			d.failHere("number %v is out of range (JSON has no infinity or NaN)", v.Float)
		}
	case ListKind, TupleKind, SetKind:
		for i := range v.Items {
			d.inItem(v.Kind.String(), i)
			d.checkLiteral(&v.Items[i])
			d.out2()
		}
	case DictKind:
		for i := range v.Pairs {
			d.inItem("dict", i)
			for j := range v.Pairs[i] {
				d.item(j)
				d.checkLiteral(&v.Pairs[i][j])
				d.out()
			}
			d.out2()
		}
	case ExceptionKind, ObjectKind:
		d.failHere("a literal cannot hold an %s value", v.Kind)
	default:
		d.failHere("unknown value kind %s", v.Kind)
	}
}
