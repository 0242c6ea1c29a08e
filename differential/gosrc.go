package differential

import (
	"fmt"
	"go/format"
	"math"
	"slices"
	"strconv"
	"strings"

	. "github.com/aiterspec/aiterspec/scenario"
)

// GoSpec renders sc as a spec in the suite's builder language
// (spec/case.go and scenario/build.go), ready to paste into a
// behaviour(...) of spec/: spec(title).Needs(...).Module(...).Main(...).
// Observes(...), expecting want (CPython 3.11's observations). other, if
// not nil, is what the implementation under test observed, written under
// it as a comment in the same language.
func GoSpec(title string, sc *Scenario, want []Observation, otherName string, other []Observation) string {
	var b strings.Builder
	c := gcall("spec", gstr(title))
	if len(sc.Needs) > 0 {
		var caps []gnode
		for _, n := range sc.Needs {
			caps = append(caps, gtext(capName(n)))
		}
		c = c.chain("Needs", caps...)
	}
	if sc.Mode == SyncMode {
		c = c.chain("Sync")
	}
	if len(sc.Report) > 0 {
		var reps []gnode
		for _, r := range sc.Report {
			reps = append(reps, gtext(map[string]string{ReportWarnings: "ReportWarnings", ReportUnraisable: "ReportUnraisable",
				ReportLoopExceptions: "ReportLoopExceptions"}[r]))
		}
		c = c.chain("Report", reps...)
	}
	if len(sc.Module) > 0 {
		c = c.chain("Module", goStmts(sc.Module)...)
	}
	if len(sc.Main) > 0 {
		c = c.chain("Main", goStmts(sc.Main)...)
	}
	if len(sc.After) > 0 {
		c = c.chain("After", goStmts(sc.After)...)
	}
	c = c.chain("Observes", goObservations(want)...)
	b.WriteString(c.render(0))
	b.WriteString(",\n")
	if other != nil {
		fmt.Fprintf(&b, "// %s observes instead:\n", otherName)
		obs := gcall("Observes", goObservations(other)...).render(0)
		for _, line := range strings.Split(obs, "\n") {
			b.WriteString("//\t" + line + "\n")
		}
	}
	src := b.String()
	// gofmt the spec as an expression in a file, then strip the wrapper.
	wrapped := "package p\n\nvar _ = []any{\n" + src + "}\n"
	if out, err := format.Source([]byte(wrapped)); err == nil {
		s := string(out)
		s = s[strings.Index(s, "{\n")+2 : strings.LastIndex(s, "}")]
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimPrefix(l, "\t")
		}
		return strings.Join(lines, "\n") + "\n"
	}
	return src
}

func capName(c Capability) string {
	names := map[Capability]string{
		CapAsyncGenerators: "CapAsyncGenerators", CapANextBuiltin: "CapANextBuiltin", CapAIterBuiltin: "CapAIterBuiltin",
		CapAsyncGenMethods: "CapAsyncGenMethods", CapAsyncComprehensions: "CapAsyncComprehensions", CapCompile: "CapCompile",
		CapTasks: "CapTasks", CapDeterministicCollect: "CapDeterministicCollect", CapSource: "CapSource",
		CapIntrospection: "CapIntrospection",
	}
	if n, ok := names[c]; ok {
		return n
	}
	return "Capability(" + strconv.Quote(string(c)) + ")"
}

// gnode is Go source as a tree of calls, so that long calls can break
// across lines: a call is fn(args...) with chained .method(args...)
// calls after it.
type gnode struct {
	text  string // a leaf: literal text
	fn    string
	args  []gnode
	links []glink
}

type glink struct {
	name string
	args []gnode
}

func gtext(s string) gnode { return gnode{text: s} }
func gstr(s string) gnode  { return gnode{text: strconv.Quote(s)} }
func gcall(fn string, args ...gnode) gnode {
	return gnode{fn: fn, args: args}
}

func (n gnode) chain(name string, args ...gnode) gnode {
	n.links = append(append([]glink(nil), n.links...), glink{name, args})
	return n
}

// width is how long a flat rendering may be before it breaks.
const width = 110

func (n gnode) flat() string {
	if n.fn == "" {
		return n.text
	}
	var b strings.Builder
	b.WriteString(n.fn)
	flatArgs(&b, n.args)
	for _, l := range n.links {
		b.WriteString("." + l.name)
		flatArgs(&b, l.args)
	}
	return b.String()
}

func flatArgs(b *strings.Builder, args []gnode) {
	b.WriteString("(")
	for i, a := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(a.flat())
	}
	b.WriteString(")")
}

// render breaks n over lines where its flat form is too long; gofmt
// fixes the indentation afterwards.
func (n gnode) render(indent int) string {
	f := n.flat()
	if n.fn == "" || len(f)+indent*4 <= width {
		return f
	}
	var b strings.Builder
	b.WriteString(n.fn)
	brokenArgs(&b, n.args, indent)
	for _, l := range n.links {
		b.WriteString(".\n" + l.name)
		brokenArgs(&b, l.args, indent)
	}
	return b.String()
}

func brokenArgs(b *strings.Builder, args []gnode, indent int) {
	flat := &strings.Builder{}
	flatArgs(flat, args)
	if len(flat.String())+indent*4 <= width || len(args) == 0 {
		b.WriteString(flat.String())
		return
	}
	b.WriteString("(\n")
	for _, a := range args {
		b.WriteString(a.render(indent+1) + ",\n")
	}
	b.WriteString(")")
}

func goStmts(stmts []Stmt) []gnode {
	out := make([]gnode, len(stmts))
	for i := range stmts {
		out[i] = goStmt(&stmts[i])
	}
	return out
}

func goStmt(s *Stmt) gnode {
	opt := func(fn string, e *Expr) gnode {
		if e == nil {
			return gcall(fn)
		}
		return gcall(fn, goExpr(e))
	}
	var n gnode
	switch s.Kind {
	case DefStmt:
		fn := "Def"
		if s.Async {
			fn = "AsyncDef"
		}
		n = gcall(fn, append([]gnode{gstr(s.Name)}, goStmts(s.Body)...)...)
		if len(s.Params) > 0 {
			var ps []gnode
			for _, p := range s.Params {
				ps = append(ps, gstr(p))
			}
			n = n.chain("WithParams", ps...)
		}
		if s.Generator {
			n = n.chain("AsGenerator")
		}
		if len(s.Calls) > 0 {
			var calls []gnode
			for _, c := range s.Calls {
				calls = append(calls, gnode{fn: "[]Stmt", args: goStmts(c)}.braces())
			}
			n = n.chain("PerCall", calls...)
		}
		return n
	case ClassStmt:
		n = gcall("Class", append([]gnode{gstr(s.Name)}, goStmts(s.Body)...)...)
		if len(s.Bases) > 0 {
			var bs []gnode
			for _, b := range s.Bases {
				bs = append(bs, gstr(b))
			}
			n = n.chain("WithBases", bs...)
		}
		return n
	case LetStmt:
		return gcall("Let", gstr(s.Name), goExpr(s.Expr))
	case SetAttrStmt:
		return gcall("SetAttr", goExpr(s.Object), gstr(s.Name), goExpr(s.Expr))
	case DelStmt:
		return gcall("Del", gstr(s.Name))
	case ExprStmt:
		return gcall("Do", goExpr(s.Expr))
	case ObserveStmt:
		return gcall("Observe", goExpr(s.Expr))
	case EmitStmt:
		if s.Expr == nil {
			return gcall("Emit", gstr(s.Event))
		}
		return gcall("Emit", gstr(s.Event), goExpr(s.Expr))
	case YieldStmt:
		return opt("Yield", s.Expr)
	case YieldFromStmt:
		return gcall("YieldFrom", goExpr(s.Expr))
	case ReturnStmt:
		return opt("Return", s.Expr)
	case RaiseStmt:
		return opt("Raise", s.Expr)
	case TryStmt:
		n = gcall("Try", goStmts(s.Body)...)
		for _, h := range s.Handlers {
			n = n.chain("Except", append([]gnode{gstr(h.Type), gstr(h.As)}, goStmts(h.Body)...)...)
		}
		if len(s.Else) > 0 {
			n = n.chain("WithElse", goStmts(s.Else)...)
		}
		if len(s.Finally) > 0 {
			n = n.chain("WithFinally", goStmts(s.Finally)...)
		}
		return n
	case IfStmt:
		n = gcall("If", append([]gnode{goExpr(s.Cond)}, goStmts(s.Body)...)...)
	case ForStmt:
		n = gcall("For", append([]gnode{gstr(s.Target), goExpr(s.Iter)}, goStmts(s.Body)...)...)
	case AsyncForStmt:
		n = gcall("AsyncFor", append([]gnode{gstr(s.Target), goExpr(s.Iter)}, goStmts(s.Body)...)...)
	case WhileStmt:
		n = gcall("While", append([]gnode{goExpr(s.Cond)}, goStmts(s.Body)...)...)
	case AsyncWithStmt:
		return gcall("AsyncWith", append([]gnode{goExpr(s.Expr)}, goStmts(s.Body)...)...)
	case BreakStmt:
		return gcall("Break")
	case ContinueStmt:
		return gcall("Continue")
	case PassStmt:
		return gcall("Pass")
	default:
		return gtext(fmt.Sprintf("/* unknown statement %q */", s.Kind))
	}
	if len(s.Else) > 0 {
		n = n.chain("WithElse", goStmts(s.Else)...)
	}
	if s.TargetExpr != nil {
		n = n.chain("Into", goTarget(s.TargetExpr))
	}
	return n
}

// goTarget is an assignment target: Unpack("a", "b") for a tuple of
// names, else the expression.
func goTarget(e *Expr) gnode {
	if e.Kind != TupleExpr || len(e.Items) == 0 {
		return goExpr(e)
	}
	var names []gnode
	for _, it := range e.Items {
		if it.Kind != VarExpr || it.Name == "self" {
			return goExpr(e)
		}
		names = append(names, gstr(it.Name))
	}
	return gcall("Unpack", names...)
}

// braces turns a call node into a composite literal: []Stmt{...}.
func (n gnode) braces() gnode {
	var b strings.Builder
	b.WriteString(n.fn + "{")
	for i, a := range n.args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(a.flat())
	}
	b.WriteString("}")
	return gtext(b.String())
}

// exceptionClass reports whether name is an exception class Exc may
// instantiate.
func exceptionClass(name string) bool { return exceptionNames[name] }

func goExpr(e *Expr) gnode {
	args := func(es []Expr) []gnode {
		out := make([]gnode, len(es))
		for i := range es {
			out[i] = goExpr(&es[i])
		}
		return out
	}
	var n gnode
	switch e.Kind {
	case LitExpr:
		return gcall("Lit", goValue(*e.Value))
	case VarExpr:
		if e.Name == "self" {
			return gcall("Self")
		}
		return gcall("Var", gstr(e.Name))
	case CallExpr:
		switch {
		case e.Func == "anext" && len(e.Kwargs) == 0 && len(e.Args) >= 1:
			n = gcall("ANext", args(e.Args)...)
		case e.Func == "aiter" && len(e.Kwargs) == 0 && len(e.Args) == 1:
			n = gcall("AIter", args(e.Args)...)
		case e.Func == "asyncio.sleep" && len(e.Args) == 1 && e.Args[0].Kind == LitExpr && len(e.Kwargs) == 0:
			n = gcall("Sleep", goValue(*e.Args[0].Value))
		case exceptionClass(e.Func) && len(e.Kwargs) == 0 && allStrLits(e.Args):
			n = gcall("Exc", append([]gnode{gstr(e.Func)}, strArgs(e.Args)...)...)
		default:
			n = gcall("Call", append([]gnode{gstr(e.Func)}, args(e.Args)...)...)
		}
	case MethodExpr:
		n = gcall("Method", append([]gnode{goExpr(e.Of), gstr(e.Name)}, args(e.Args)...)...)
	case AttrExpr:
		return gcall("Attr", goExpr(e.Of), gstr(e.Name))
	case AwaitExpr:
		return gcall("Await", goExpr(e.Expr))
	case YieldExpr:
		if e.Expr == nil {
			return gcall("YieldValue", gtext("nil"))
		}
		return gcall("YieldValue", goExpr(e.Expr))
	case TypeNameExpr:
		return gcall("TypeName", goExpr(e.Of))
	case IsExpr:
		return gcall("Is", goExpr(e.Left), goExpr(e.Right))
	case BinOpExpr:
		return gcall("BinOp", goExpr(e.Left), gstr(e.Op), goExpr(e.Right))
	case NotExpr:
		return gcall("Not", goExpr(e.Expr))
	case SubscriptExpr:
		return gcall("Subscript", goExpr(e.Of), goExpr(e.Index))
	case ListExpr:
		return gcall("ListOf", args(e.Items)...)
	case TupleExpr:
		return gcall("TupleOf", args(e.Items)...)
	case ComprehensionExpr:
		var clauses []gnode
		for _, c := range e.Clauses {
			fn := "SyncClause"
			if c.Async {
				fn = "AsyncClause"
			}
			clause := gcall(fn, append([]gnode{gstr(c.Target), goExpr(c.Iter)}, args(c.If)...)...)
			if c.TargetExpr != nil {
				clause = clause.chain("Into", goTarget(c.TargetExpr))
			}
			clauses = append(clauses, clause)
		}
		if e.Form == DictForm {
			return gcall("DictComprehension", append([]gnode{goExpr(e.Key), goExpr(e.Element)}, clauses...)...)
		}
		form := map[string]string{ListForm: "ListForm", SetForm: "SetForm", GenexpForm: "GenexpForm"}[e.Form]
		return gcall("Comprehension", append([]gnode{gtext(form), goExpr(e.Element)}, clauses...)...)
	case LambdaExpr:
		return gcall("Lambda", goExpr(e.Expr))
	case CompileExpr:
		n = gcall("Compile", goStmts(e.Body)...)
		if len(e.Flags) > 0 {
			var fs []gnode
			for _, f := range e.Flags {
				fs = append(fs, gstr(f))
			}
			n = n.chain("WithFlags", fs...)
		}
		return n
	case FutureExpr:
		if e.Exception != nil {
			return gcall("FutureException", goExpr(e.Exception))
		}
		if e.Result != nil {
			return gcall("FutureResult", goExpr(e.Result))
		}
		return gcall("FutureResult", gcall("Lit", gtext("nil")))
	default:
		return gtext(fmt.Sprintf("/* unknown expression %q */", e.Kind))
	}
	keys := make([]string, 0, len(e.Kwargs))
	for k := range e.Kwargs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := e.Kwargs[k]
		n = n.chain("WithKwarg", gstr(k), goExpr(&v))
	}
	return n
}

func allStrLits(es []Expr) bool {
	for _, e := range es {
		if e.Kind != LitExpr || e.Value.Kind != StrKind {
			return false
		}
	}
	return true
}

func strArgs(es []Expr) []gnode {
	out := make([]gnode, len(es))
	for i, e := range es {
		out[i] = gstr(e.Value.Str)
	}
	return out
}

// goValue is a Go expression that V converts to v: nil, true, 1, 1.5,
// "s", or a VList/VTuple/VSet/VDict/VException/VObject call.
func goValue(v Value) gnode {
	items := func(vs []Value) []gnode {
		out := make([]gnode, len(vs))
		for i, x := range vs {
			out[i] = goValue(x)
		}
		return out
	}
	switch v.Kind {
	case NoneKind:
		return gtext("nil")
	case BoolKind:
		return gtext(strconv.FormatBool(v.Bool))
	case IntKind:
		return gtext(strconv.FormatInt(v.Int, 10))
	case FloatKind:
		if math.IsInf(v.Float, 0) || math.IsNaN(v.Float) {
			return gtext(fmt.Sprintf("math.Inf(1) /* %v */", v.Float))
		}
		s := strconv.FormatFloat(v.Float, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		return gtext(s)
	case StrKind:
		return gstr(v.Str)
	case ListKind:
		return gcall("VList", items(v.Items)...)
	case TupleKind:
		return gcall("VTuple", items(v.Items)...)
	case SetKind:
		return gcall("VSet", items(v.Items)...)
	case DictKind:
		var kv []gnode
		for _, p := range v.Pairs {
			kv = append(kv, goValue(p[0]), goValue(p[1]))
		}
		return gcall("VDict", kv...)
	case ExceptionKind:
		return gcall("VException", gstr(v.Exception.Type), gstr(v.Exception.Message))
	case ObjectKind:
		return gcall("VObject", gstr(v.Str))
	}
	return gtext(fmt.Sprintf("/* unknown value kind %v */", v.Kind))
}

func goObservations(obs []Observation) []gnode {
	out := make([]gnode, 0, len(obs))
	for _, o := range obs {
		out = append(out, goObservation(o))
	}
	return out
}

func goObservation(o Observation) gnode {
	switch o.Kind {
	case ObservedValue:
		v := None
		if o.Value != nil {
			v = *o.Value
		}
		return gcall("Got", goValue(v))
	case ObservedRaise:
		n := gcall("Raises", gstr(o.Raised.Type), gstr(o.Raised.Message))
		if c := o.Raised.Cause; c != nil {
			n = n.chain("CausedBy", gstr(c.Type), gstr(c.Message))
		}
		if o.Raised.Line != 0 {
			n = n.chain("AtLine", gtext(strconv.Itoa(o.Raised.Line)))
		}
		return n
	case ObservedEvent:
		if o.Value == nil {
			return gcall("Event", gstr(o.Event))
		}
		return gcall("Event", gstr(o.Event), goValue(*o.Value))
	}
	return gtext(fmt.Sprintf("/* unknown observation %q */", o.Kind))
}
