package interp

import (
	"strconv"
	"strings"

	"github.com/aiterspec/aiterspec/scenario"
)

// renderer writes statements as Python source the way
// adapters/python/harness.py's Renderer does, so that a compile
// expression's SyntaxError can carry the offending line's text and so
// that tests can compare the checker with python3 on the very text the
// Python harness would compile. One simple statement is one line; a
// compound statement is its header line plus its indented block.
type renderer struct {
	lines []string
	defID int
}

func (r *renderer) emit(indent int, text string) {
	r.lines = append(r.lines, strings.Repeat("    ", indent)+text)
}

// renderModule renders a compile expression's body: statement k of the
// body at the line FORMAT.md gives it, no wrapping, no blank lines.
func renderModule(stmts []scenario.Stmt) string {
	r := &renderer{}
	for i := range stmts {
		r.stmt(&stmts[i], 0, false)
	}
	return strings.Join(r.lines, "\n") + "\n"
}

func (r *renderer) block(stmts []scenario.Stmt, indent int, inClass bool) {
	if len(stmts) == 0 {
		r.emit(indent, "pass")
	}
	for i := range stmts {
		r.stmt(&stmts[i], indent, inClass)
	}
}

func (r *renderer) elseBlock(stmts []scenario.Stmt, indent int) {
	if len(stmts) > 0 {
		r.emit(indent, "else:")
		r.block(stmts, indent+1, false)
	}
}

func (r *renderer) stmt(s *scenario.Stmt, ind int, inClass bool) {
	x := r.expr
	switch s.Kind {
	case scenario.DefStmt:
		params := append([]string(nil), s.Params...)
		if inClass {
			params = append([]string{"self"}, params...)
		}
		prefix := ""
		if s.Async {
			prefix = "async "
		}
		r.emit(ind, prefix+"def "+s.Name+"("+strings.Join(params, ", ")+"):")
		if s.Generator {
			r.emit(ind+1, "if False: yield")
		}
		if len(s.Calls) == 0 {
			r.block(s.Body, ind+1, false)
			return
		}
		r.defID++
		self := "None"
		if inClass {
			self = "self"
		}
		r.emit(ind+1, "_aiterspec_k = _aiterspec_call("+self+", "+strconv.Itoa(r.defID)+")")
		for i, body := range s.Calls {
			kw := "elif"
			if i == 0 {
				kw = "if"
			}
			r.emit(ind+1, kw+" _aiterspec_k == "+strconv.Itoa(i)+":")
			r.block(body, ind+2, false)
		}
		r.emit(ind+1, "else:")
		r.block(s.Body, ind+2, false)
	case scenario.ClassStmt:
		r.emit(ind, "class "+s.Name+":")
		r.block(s.Body, ind+1, true)
	case scenario.LetStmt:
		r.emit(ind, s.Name+" = "+x(s.Expr))
	case scenario.SetAttrStmt:
		r.emit(ind, "("+x(s.Object)+")."+s.Name+" = "+x(s.Expr))
	case scenario.DelStmt:
		r.emit(ind, "del "+s.Name)
	case scenario.ExprStmt:
		r.emit(ind, x(s.Expr))
	case scenario.ObserveStmt:
		r.emit(ind, "_aiterspec_value("+x(s.Expr)+")")
	case scenario.EmitStmt:
		if s.Expr == nil {
			r.emit(ind, "_aiterspec_event("+scenario.StrRepr(s.Event)+")")
		} else {
			r.emit(ind, "_aiterspec_event("+scenario.StrRepr(s.Event)+", "+x(s.Expr)+")")
		}
	case scenario.YieldStmt, scenario.ReturnStmt, scenario.RaiseStmt:
		if s.Expr == nil {
			r.emit(ind, string(s.Kind))
		} else {
			r.emit(ind, string(s.Kind)+" "+x(s.Expr))
		}
	case scenario.YieldFromStmt:
		r.emit(ind, "yield from "+x(s.Expr))
	case scenario.TryStmt:
		r.emit(ind, "try:")
		r.block(s.Body, ind+1, false)
		last := len(s.Handlers) - 1
		for i, h := range s.Handlers {
			head := "except"
			switch {
			case h.Type != "":
				head = "except " + h.Type
			case h.As != "" || i != last:
				head = "except BaseException"
			}
			if h.As != "" {
				head += " as " + h.As
			}
			r.emit(ind, head+":")
			r.block(h.Body, ind+1, false)
		}
		r.elseBlock(s.Else, ind)
		if len(s.Finally) > 0 {
			r.emit(ind, "finally:")
			r.block(s.Finally, ind+1, false)
		}
	case scenario.IfStmt:
		r.emit(ind, "if "+x(s.Cond)+":")
		r.block(s.Body, ind+1, false)
		r.elseBlock(s.Else, ind)
	case scenario.ForStmt, scenario.AsyncForStmt:
		kw := "for"
		if s.Kind == scenario.AsyncForStmt {
			kw = "async for"
		}
		r.emit(ind, kw+" "+s.Target+" in "+x(s.Iter)+":")
		r.block(s.Body, ind+1, false)
		r.elseBlock(s.Else, ind)
	case scenario.AsyncWithStmt:
		r.emit(ind, "async with "+x(s.Expr)+":")
		r.block(s.Body, ind+1, false)
	default: // break, continue, pass
		r.emit(ind, string(s.Kind))
	}
}

func (r *renderer) args(e *scenario.Expr) string {
	var parts []string
	for i := range e.Args {
		parts = append(parts, r.expr(&e.Args[i]))
	}
	for _, k := range sortedKeys(e.Kwargs) {
		kw := e.Kwargs[k]
		parts = append(parts, k+"="+r.expr(&kw))
	}
	return strings.Join(parts, ", ")
}

func (r *renderer) exprs(es []scenario.Expr) []string {
	out := make([]string, len(es))
	for i := range es {
		out[i] = r.expr(&es[i])
	}
	return out
}

func (r *renderer) expr(e *scenario.Expr) string {
	x := r.expr
	switch e.Kind {
	case scenario.LitExpr:
		return valueSource(*e.Value, false)
	case scenario.VarExpr:
		return e.Name
	case scenario.CallExpr:
		return e.Func + "(" + r.args(e) + ")"
	case scenario.MethodExpr:
		return "(" + x(e.Of) + ")." + e.Name + "(" + r.args(e) + ")"
	case scenario.AttrExpr:
		return "(" + x(e.Of) + ")." + e.Name
	case scenario.AwaitExpr:
		return "(await " + x(e.Expr) + ")"
	case scenario.YieldExpr:
		if e.Expr == nil {
			return "(yield)"
		}
		return "(yield " + x(e.Expr) + ")"
	case scenario.TypeNameExpr:
		return "type(" + x(e.Of) + ").__name__"
	case scenario.IsExpr:
		return "(" + x(e.Left) + " is " + x(e.Right) + ")"
	case scenario.BinOpExpr:
		return "(" + x(e.Left) + " " + e.Op + " " + x(e.Right) + ")"
	case scenario.NotExpr:
		return "(not " + x(e.Expr) + ")"
	case scenario.ListExpr:
		return "[" + strings.Join(r.exprs(e.Items), ", ") + "]"
	case scenario.TupleExpr:
		items := r.exprs(e.Items)
		if len(items) == 1 {
			return "(" + items[0] + ",)"
		}
		return "(" + strings.Join(items, ", ") + ")"
	case scenario.ComprehensionExpr:
		var parts []string
		for _, c := range e.Clauses {
			kw := "for"
			if c.Async {
				kw = "async for"
			}
			text := kw + " " + c.Target + " in " + x(c.Iter)
			for i := range c.If {
				text += " if " + x(&c.If[i])
			}
			parts = append(parts, text)
		}
		clauses := strings.Join(parts, " ")
		el := x(e.Element)
		switch e.Form {
		case scenario.ListForm:
			return "[" + el + " " + clauses + "]"
		case scenario.SetForm:
			return "{" + el + " " + clauses + "}"
		case scenario.DictForm:
			return "{" + x(e.Key) + ": " + el + " " + clauses + "}"
		}
		return "(" + el + " " + clauses + ")"
	case scenario.LambdaExpr:
		return "(lambda: " + x(e.Expr) + ")"
	case scenario.CompileExpr:
		flags := "0"
		for _, f := range e.Flags {
			if f == "top_level_await" {
				flags = "_aiterspec_TOP_LEVEL_AWAIT"
			}
		}
		src := renderModule(e.Body)
		return "compile(" + pyStrRepr(src) + ", '<scenario>', 'exec', flags=" + flags + ")"
	case scenario.FutureExpr:
		if e.Exception != nil {
			return "_aiterspec_future_exception(" + x(e.Exception) + ")"
		}
		if e.Result == nil {
			return "_aiterspec_future_result(None)"
		}
		return "_aiterspec_future_result(" + x(e.Result) + ")"
	}
	return "<" + string(e.Kind) + ">"
}

// valueSource is the Python literal for v (harness.py's value_src);
// inside a set or as a dict key a set is a frozenset.
func valueSource(v scenario.Value, hashable bool) string {
	switch v.Kind {
	case scenario.NoneKind:
		return "None"
	case scenario.BoolKind:
		if v.Bool {
			return "True"
		}
		return "False"
	case scenario.IntKind:
		return strconv.FormatInt(v.Int, 10)
	case scenario.FloatKind:
		return scenario.FloatRepr(v.Float)
	case scenario.StrKind:
		return pyStrRepr(v.Str)
	case scenario.ListKind:
		items := make([]string, len(v.Items))
		for i, it := range v.Items {
			items[i] = valueSource(it, false)
		}
		return "[" + strings.Join(items, ", ") + "]"
	case scenario.TupleKind:
		items := make([]string, len(v.Items))
		for i, it := range v.Items {
			items[i] = valueSource(it, hashable)
		}
		if len(items) == 1 {
			return "(" + items[0] + ",)"
		}
		return "(" + strings.Join(items, ", ") + ")"
	case scenario.SetKind:
		items := make([]string, len(v.Items))
		for i, it := range v.Items {
			items[i] = valueSource(it, true)
		}
		if hashable {
			if len(items) == 0 {
				return "frozenset()"
			}
			return "frozenset({" + strings.Join(items, ", ") + "})"
		}
		if len(items) == 0 {
			return "set()"
		}
		return "{" + strings.Join(items, ", ") + "}"
	case scenario.DictKind:
		items := make([]string, len(v.Pairs))
		for i, p := range v.Pairs {
			items[i] = valueSource(p[0], true) + ": " + valueSource(p[1], false)
		}
		return "{" + strings.Join(items, ", ") + "}"
	}
	return "None"
}

// pyStrRepr is Python's repr of a str, which compile bodies embed.
func pyStrRepr(s string) string { return scenario.StrRepr(s) }
