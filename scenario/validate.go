package scenario

import (
	"math"
	"slices"
)

// Validate reports whether [Decode] would accept s's JSON encoding, as
// [Encode] does, without encoding it: it walks the tree (a scenario built
// in Go can hold what the wire format forbids: a let without an
// expression, a comprehension without clauses, an infinite float). The
// error, if any, is the [*DecodeError] Decode would give, path included.
// Adapters call it on every scenario they run, so the common case, a
// well-formed tree, costs no JSON.
func Validate(s *Scenario) error {
	if wellFormed(s) {
		return nil
	}
	_, err := encodeAndDecode(s)
	return err
}

// wellFormed is a walk of s that is at least as strict as Decode of its
// encoding: true means Decode accepts it. (It may refuse a few oddities
// Decode lets through, such as a literal of an unknown value kind, which
// encodes as null; Validate then asks Decode, which also names the path.)
// TestValidateAgreesWithDecode holds the two together.
func wellFormed(s *Scenario) bool {
	if s.ID == "" {
		return false
	}
	for _, c := range s.Needs {
		if !slices.Contains(Capabilities, c) {
			return false
		}
	}
	for _, r := range s.Report {
		if !slices.Contains(ReportOptions, r) || r == ReportLoopExceptions && s.Mode != AsyncMode {
			return false
		}
	}
	switch s.Mode {
	case AsyncMode, SyncMode:
		if s.Source != "" || len(s.After) > 0 && s.Mode != AsyncMode {
			return false
		}
	case SourceMode:
		if s.Source == "" || len(s.Module)+len(s.Main)+len(s.After) > 0 {
			return false
		}
	default:
		return false
	}
	return stmtsWellFormed(s.Module) && stmtsWellFormed(s.Main) && stmtsWellFormed(s.After)
}

func stmtsWellFormed(list []Stmt) bool {
	for i := range list {
		if !stmtWellFormed(&list[i]) {
			return false
		}
	}
	return true
}

// present lists which JSON fields a statement's encoding holds: each
// field is omitted when empty.
func (s *Stmt) present(field string) bool {
	switch field {
	case "name":
		return s.Name != ""
	case "async":
		return s.Async
	case "generator":
		return s.Generator
	case "params":
		return len(s.Params) > 0
	case "target":
		return s.Target != "" || s.TargetExpr != nil
	case "bases":
		return len(s.Bases) > 0
	case "object":
		return s.Object != nil
	case "expr":
		return s.Expr != nil
	case "iter":
		return s.Iter != nil
	case "cond":
		return s.Cond != nil
	case "event":
		return s.Event != ""
	case "body":
		return len(s.Body) > 0
	case "calls":
		return len(s.Calls) > 0
	case "handlers":
		return len(s.Handlers) > 0
	case "else":
		return len(s.Else) > 0
	case "finally":
		return len(s.Finally) > 0
	}
	return false
}

var stmtFieldNames = []string{"name", "async", "generator", "params", "target", "bases", "object",
	"expr", "iter", "cond", "event", "body", "calls", "handlers", "else", "finally"}

func stmtWellFormed(s *Stmt) bool {
	rule, ok := stmtFields[s.Kind]
	if !ok {
		return false
	}
	for _, f := range stmtFieldNames {
		if s.present(f) {
			if !slices.Contains(rule.allowed, f) {
				return false
			}
		} else if slices.Contains(rule.required, f) {
			return false
		}
	}
	for _, e := range []*Expr{s.Object, s.Expr, s.Iter, s.Cond} {
		if e != nil && !exprWellFormed(e) {
			return false
		}
	}
	if s.TargetExpr != nil && (s.Target != "" || !exprWellFormed(s.TargetExpr) || !s.TargetExpr.IsTarget()) {
		return false
	}
	if !stmtsWellFormed(s.Body) || !stmtsWellFormed(s.Else) || !stmtsWellFormed(s.Finally) {
		return false
	}
	for _, c := range s.Calls {
		if !stmtsWellFormed(c) {
			return false
		}
	}
	for _, h := range s.Handlers {
		if !stmtsWellFormed(h.Body) {
			return false
		}
	}
	switch s.Kind {
	case TryStmt:
		return len(s.Handlers) > 0 || len(s.Finally) > 0
	case ClassStmt:
		for _, b := range s.Bases {
			if b == "" {
				return false
			}
		}
		for _, b := range s.Body {
			if b.Kind != DefStmt && b.Kind != LetStmt && b.Kind != PassStmt {
				return false
			}
		}
	}
	return true
}

// present lists which JSON fields an expression's encoding holds.
func (e *Expr) present(field string) bool {
	switch field {
	case "value":
		return e.Value != nil
	case "name":
		return e.Name != ""
	case "func":
		return e.Func != ""
	case "of":
		return e.Of != nil
	case "expr":
		return e.Expr != nil
	case "args":
		return len(e.Args) > 0
	case "kwargs":
		return len(e.Kwargs) > 0
	case "op":
		return e.Op != ""
	case "left":
		return e.Left != nil
	case "right":
		return e.Right != nil
	case "items":
		return len(e.Items) > 0
	case "form":
		return e.Form != ""
	case "element":
		return e.Element != nil
	case "key":
		return e.Key != nil
	case "clauses":
		return len(e.Clauses) > 0
	case "body":
		return len(e.Body) > 0
	case "flags":
		return len(e.Flags) > 0
	case "result":
		return e.Result != nil
	case "exception":
		return e.Exception != nil
	case "index":
		return e.Index != nil
	}
	return false
}

var exprFieldNames = []string{"value", "name", "func", "of", "expr", "args", "kwargs", "op", "left",
	"right", "items", "form", "element", "key", "clauses", "body", "flags", "result", "exception", "index"}

func exprWellFormed(e *Expr) bool {
	rule, ok := exprFields[e.Kind]
	if !ok {
		return false
	}
	for _, f := range exprFieldNames {
		if e.present(f) {
			if !slices.Contains(rule.allowed, f) {
				return false
			}
		} else if slices.Contains(rule.required, f) {
			return false
		}
	}
	if e.Value != nil && !literalWellFormed(e.Value) {
		return false
	}
	for _, x := range []*Expr{e.Of, e.Expr, e.Left, e.Right, e.Element, e.Key, e.Result, e.Exception, e.Index} {
		if x != nil && !exprWellFormed(x) {
			return false
		}
	}
	for i := range e.Args {
		if !exprWellFormed(&e.Args[i]) {
			return false
		}
	}
	for i := range e.Items {
		if !exprWellFormed(&e.Items[i]) {
			return false
		}
	}
	for _, x := range e.Kwargs {
		if !exprWellFormed(&x) {
			return false
		}
	}
	for i := range e.Clauses {
		c := &e.Clauses[i]
		if c.Iter == nil || !exprWellFormed(c.Iter) {
			return false
		}
		switch {
		case c.TargetExpr != nil:
			if c.Target != "" || !exprWellFormed(c.TargetExpr) || !c.TargetExpr.IsTarget() {
				return false
			}
		case c.Target == "":
			return false
		}
		for j := range c.If {
			if !exprWellFormed(&c.If[j]) {
				return false
			}
		}
	}
	if !stmtsWellFormed(e.Body) {
		return false
	}
	switch e.Kind {
	case BinOpExpr:
		return slices.Contains(BinaryOps, e.Op)
	case ComprehensionExpr:
		switch e.Form {
		case ListForm, SetForm, GenexpForm:
			return e.Key == nil && len(e.Clauses) > 0
		case DictForm:
			return e.Key != nil && len(e.Clauses) > 0
		}
		return false
	case CompileExpr:
		for _, f := range e.Flags {
			if !slices.Contains(CompileFlags, f) {
				return false
			}
		}
	case FutureExpr:
		return e.Result == nil || e.Exception == nil
	}
	return true
}

// literalWellFormed says whether a literal's value encodes and decodes:
// no exception or object values (they describe observations), finite
// floats, known kinds.
func literalWellFormed(v *Value) bool {
	switch v.Kind {
	case NoneKind, BoolKind, IntKind, StrKind:
		return true
	case FloatKind:
		return !math.IsInf(v.Float, 0) && !math.IsNaN(v.Float)
	case ListKind, TupleKind, SetKind:
		for i := range v.Items {
			if !literalWellFormed(&v.Items[i]) {
				return false
			}
		}
		return true
	case DictKind:
		for i := range v.Pairs {
			if !literalWellFormed(&v.Pairs[i][0]) || !literalWellFormed(&v.Pairs[i][1]) {
				return false
			}
		}
		return true
	}
	return false
}
