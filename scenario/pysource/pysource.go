// Package pysource renders scenarios as Python source text: the one
// rendering of scenario/FORMAT.md that every Python harness executes and
// that the reference interpreter numbers its compile errors by.
//
// [Program] renders a whole scenario: each top-level statement of module
// and main wrapped so that its exception is recorded, main as
// `async def _aiterspec_main()` (a plain def in sync mode) with a `global`
// line for every name it binds, and the call that runs it. [Module] renders
// the body of a compile expression, statement k at the line FORMAT.md gives
// it.
//
// The rendered program calls back into the harness through names that
// start with [Reserved]; [RuntimeNames] lists them. A harness puts them
// into the fresh namespace it executes the program in (adapters/python's
// runtime.py is one such harness).
package pysource

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/aiterspec/aiterspec/scenario"
)

// Reserved is the prefix of every name the rendering introduces. A scenario
// may not use it (one underscore, not two: two would be name-mangled inside
// class bodies).
const Reserved = "_aiterspec"

// The names a rendered program expects in its namespace, besides the
// modules asyncio, gc and collections (with collections.abc imported).
const (
	// Value records an observed value: Value(x).
	Value = "_aiterspec_value"
	// Event records an event: Event(name) or Event(name, x).
	Event = "_aiterspec_event"
	// Raised records an exception that escaped a top-level statement.
	Raised = "_aiterspec_raised"
	// Call counts calls for per-call bodies: Call(self_or_None, def_id)
	// returns how many times that def's body has started before, per
	// instance for methods (self) and per def otherwise (None).
	Call = "_aiterspec_call"
	// FutureResult and FutureException make an already-done future of the
	// running loop.
	FutureResult    = "_aiterspec_future_result"
	FutureException = "_aiterspec_future_exception"
	// TopLevelAwait is the value of ast.PyCF_ALLOW_TOP_LEVEL_AWAIT.
	TopLevelAwait = "_aiterspec_TOP_LEVEL_AWAIT"
	// Asyncio runs main in async mode: Asyncio.run(main()). It is asyncio
	// itself on CPython; a host whose loop is driven otherwise may provide
	// any object whose run(coroutine) runs it to the end and finalises
	// async generators as asyncio.run does.
	Asyncio = "_aiterspec_asyncio"
	// Main is the name of the rendered main function, and Exc the name
	// its wrapping binds; neither is needed in the namespace.
	Main = "_aiterspec_main"
	Exc  = "_aiterspec_exc"
	// K holds the call index inside a def with per-call bodies.
	K = "_aiterspec_k"
)

// LoopExceptionHandler is main's first line under the report option
// "loop-exceptions": each call of the running loop's exception handler
// becomes the event "loop exception" with (message up to its first " <",
// exception or None). asyncio appends an object's repr to some messages,
// whose address changes from run to run.
const LoopExceptionHandler = "asyncio.get_running_loop().set_exception_handler(lambda loop, context: " +
	Event + "('loop exception', (context.get('message', '').split(' <', 1)[0], context.get('exception'))))"

// RuntimeNames are the names a harness must define in the namespace of a
// rendered program, besides asyncio, gc and collections.
var RuntimeNames = []string{Value, Event, Raised, Call, FutureResult, FutureException, TopLevelAwait, Asyncio}

// Error says why a scenario cannot be rendered as Python: it uses a name
// that is not a Python identifier (or is reserved), or a literal no Python
// display can build. A harness answers such a scenario unsupported.
type Error struct {
	// Missing names what Python cannot express, for the unsupported
	// result's missing list, e.g. `name "1x"` or `unhashable literal`.
	Missing []string
	// Reason says it in words.
	Reason string
}

func (e *Error) Error() string { return e.Reason }

// Program renders the program a harness executes for s (FORMAT.md, How main
// runs). In source mode it is s.Source, verbatim.
//
// Program expects a valid scenario (one that survives scenario.Decode);
// for anything else its output is unspecified, but it does not panic.
func Program(s *scenario.Scenario) (string, error) {
	if s.Mode == scenario.SourceMode {
		return s.Source, nil
	}
	r := &renderer{}
	for i := range s.Module {
		r.wrapped(&s.Module[i], 0)
	}
	async := s.Mode != scenario.SyncMode
	head := "def " + Main + "():"
	if async {
		head = "async " + head
	}
	r.line(0, head)
	names := map[string]bool{}
	scenario.BoundNames(s.Main, names)
	if len(names) > 0 {
		sorted := make([]string, 0, len(names))
		for n := range names {
			sorted = append(sorted, n)
		}
		slices.Sort(sorted) // code point order, as Python's sorted()
		for i, n := range sorted {
			sorted[i] = r.ident(n)
		}
		r.line(1, "global "+strings.Join(sorted, ", "))
	}
	if async && slices.Contains(s.Report, scenario.ReportLoopExceptions) {
		r.line(1, LoopExceptionHandler)
	}
	if len(s.Main) == 0 {
		r.line(1, "pass")
	}
	for i := range s.Main {
		r.wrapped(&s.Main[i], 1)
	}
	// Whatever escapes the run itself (an exception asyncio.run re-raises
	// from a task, such as SystemExit) is an observation too.
	r.line(0, "try:")
	if async {
		r.line(1, Asyncio+".run("+Main+"())")
	} else {
		r.line(1, Main+"()")
	}
	r.line(0, "except BaseException as "+Exc+":")
	r.line(1, Raised+"("+Exc+")")
	// What can be observed once asyncio.run has returned.
	for i := range s.After {
		r.wrapped(&s.After[i], 0)
	}
	return r.text()
}

// Module renders the module text a compile expression with this body
// compiles: statement k of the body at the line FORMAT.md gives it, no
// wrapping, no blank lines.
func Module(body []scenario.Stmt) (string, error) {
	r := &renderer{}
	r.module(body)
	return r.text()
}

// renderer writes lines of source. One simple statement is one line and a
// compound statement is its header line plus its indented block, which
// gives compile bodies FORMAT.md's line numbers. It keeps the first error
// (in the order the statements are written) and goes on with placeholders.
type renderer struct {
	lines []string
	// defID numbers the defs with per-call bodies, across the whole
	// program including compile bodies: the key of each one's counter.
	defID *int
	err   *Error
}

func (r *renderer) text() (string, error) {
	if r.err != nil {
		return "", r.err
	}
	return strings.Join(r.lines, "\n") + "\n", nil
}

func (r *renderer) fail(missing, reason string) {
	if r.err == nil {
		r.err = &Error{Missing: []string{missing}, Reason: reason}
	}
}

func (r *renderer) line(indent int, text string) {
	r.lines = append(r.lines, strings.Repeat("    ", indent)+text)
}

func (r *renderer) module(body []scenario.Stmt) {
	for i := range body {
		r.stmt(&body[i], 0, false)
	}
}

func (r *renderer) nextDefID() int {
	if r.defID == nil {
		r.defID = new(int)
	}
	*r.defID++
	return *r.defID
}

// wrapped renders a top-level statement: its exception is recorded and the
// next statement runs.
func (r *renderer) wrapped(s *scenario.Stmt, indent int) {
	r.line(indent, "try:")
	r.stmt(s, indent+1, false)
	r.line(indent, "except BaseException as "+Exc+":")
	r.line(indent+1, Raised+"("+Exc+")")
}

func (r *renderer) block(stmts []scenario.Stmt, indent int, inClass bool) {
	if len(stmts) == 0 {
		r.line(indent, "pass")
	}
	for i := range stmts {
		r.stmt(&stmts[i], indent, inClass)
	}
}

func (r *renderer) elseBlock(stmts []scenario.Stmt, indent int) {
	if len(stmts) > 0 {
		r.line(indent, "else:")
		r.block(stmts, indent+1, false)
	}
}

func (r *renderer) stmt(s *scenario.Stmt, ind int, inClass bool) {
	x := r.expr
	switch s.Kind {
	case scenario.DefStmt:
		r.def(s, ind, inClass)
	case scenario.ClassStmt:
		head := "class " + r.ident(s.Name)
		if len(s.Bases) > 0 {
			bases := make([]string, len(s.Bases))
			for i, b := range s.Bases {
				bases[i] = r.dotted(b)
			}
			head += "(" + strings.Join(bases, ", ") + ")"
		}
		r.line(ind, head+":")
		r.block(s.Body, ind+1, true)
	case scenario.LetStmt:
		name := r.ident(s.Name)
		r.line(ind, name+" = "+x(s.Expr))
	case scenario.SetAttrStmt:
		obj := x(s.Object)
		name := r.ident(s.Name)
		r.line(ind, "("+obj+")."+name+" = "+x(s.Expr))
	case scenario.DelStmt:
		r.line(ind, "del "+r.ident(s.Name))
	case scenario.ExprStmt:
		r.line(ind, x(s.Expr))
	case scenario.ObserveStmt:
		r.line(ind, Value+"("+x(s.Expr)+")")
	case scenario.EmitStmt:
		if s.Expr == nil {
			r.line(ind, Event+"("+scenario.StrRepr(s.Event)+")")
		} else {
			r.line(ind, Event+"("+scenario.StrRepr(s.Event)+", "+x(s.Expr)+")")
		}
	case scenario.YieldStmt, scenario.ReturnStmt, scenario.RaiseStmt:
		if s.Expr == nil {
			r.line(ind, string(s.Kind))
		} else {
			r.line(ind, string(s.Kind)+" "+x(s.Expr))
		}
	case scenario.YieldFromStmt:
		r.line(ind, "yield from "+x(s.Expr))
	case scenario.TryStmt:
		r.try(s, ind)
	case scenario.IfStmt:
		r.line(ind, "if "+x(s.Cond)+":")
		r.block(s.Body, ind+1, false)
		r.elseBlock(s.Else, ind)
	case scenario.ForStmt, scenario.AsyncForStmt:
		kw := "for"
		if s.Kind == scenario.AsyncForStmt {
			kw = "async for"
		}
		target := r.target(s.Target, s.TargetExpr)
		r.line(ind, kw+" "+target+" in "+x(s.Iter)+":")
		r.block(s.Body, ind+1, false)
		r.elseBlock(s.Else, ind)
	case scenario.WhileStmt:
		r.line(ind, "while "+x(s.Cond)+":")
		r.block(s.Body, ind+1, false)
		r.elseBlock(s.Else, ind)
	case scenario.AsyncWithStmt:
		r.line(ind, "async with "+x(s.Expr)+":")
		r.block(s.Body, ind+1, false)
	case scenario.BreakStmt, scenario.ContinueStmt, scenario.PassStmt:
		r.line(ind, string(s.Kind))
	default:
		r.fail("statement "+strconv.Quote(string(s.Kind)), "unknown statement "+strconv.Quote(string(s.Kind)))
		r.line(ind, "pass")
	}
}

func (r *renderer) def(s *scenario.Stmt, ind int, inClass bool) {
	params := make([]string, 0, len(s.Params)+1)
	if inClass {
		params = append(params, "self") // a method
	}
	for _, p := range s.Params {
		params = append(params, r.ident(p))
	}
	head := "def " + r.ident(s.Name) + "(" + strings.Join(params, ", ") + "):"
	if s.Async {
		head = "async " + head
	}
	r.line(ind, head)
	if s.Generator {
		// Makes it a generator (function) without running anything.
		r.line(ind+1, "if False: yield")
	}
	if len(s.Calls) == 0 {
		r.block(s.Body, ind+1, false)
		return
	}
	// Per-call bodies: the counter is read when the body starts running,
	// i.e. for a coroutine or generator when it is first resumed.
	self := "None"
	if inClass {
		self = "self"
	}
	r.line(ind+1, K+" = "+Call+"("+self+", "+strconv.Itoa(r.nextDefID())+")")
	for i, body := range s.Calls {
		kw := "elif"
		if i == 0 {
			kw = "if"
		}
		r.line(ind+1, kw+" "+K+" == "+strconv.Itoa(i)+":")
		r.block(body, ind+2, false)
	}
	r.line(ind+1, "else:")
	r.block(s.Body, ind+2, false)
}

func (r *renderer) try(s *scenario.Stmt, ind int) {
	r.line(ind, "try:")
	r.block(s.Body, ind+1, false)
	last := len(s.Handlers) - 1
	for i, h := range s.Handlers {
		var head string
		switch {
		case h.Type != "":
			head = "except " + r.dotted(h.Type)
		case h.As != "" || i != last:
			// `except as e:` is not Python, and a bare `except:` must be
			// last; `except BaseException` catches exactly the same.
			head = "except BaseException"
		default:
			head = "except"
		}
		if h.As != "" {
			head += " as " + r.ident(h.As)
		}
		r.line(ind, head+":")
		r.block(h.Body, ind+1, false)
	}
	r.elseBlock(s.Else, ind)
	if len(s.Finally) > 0 {
		r.line(ind, "finally:")
		r.block(s.Finally, ind+1, false)
	}
}

// Expressions are always one line, parenthesised to keep the tree's shape.

func (r *renderer) args(e *scenario.Expr) string {
	parts := make([]string, 0, len(e.Args)+len(e.Kwargs))
	for i := range e.Args {
		parts = append(parts, r.expr(&e.Args[i]))
	}
	// In key order, as their JSON encoding has them.
	keys := make([]string, 0, len(e.Kwargs))
	for k := range e.Kwargs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := e.Kwargs[k]
		name := r.ident(k)
		parts = append(parts, name+"="+r.expr(&v))
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
	if e == nil {
		r.fail("expression", "an expression is missing")
		return "None"
	}
	x := r.expr
	switch e.Kind {
	case scenario.LitExpr:
		if e.Value == nil {
			r.fail("expression", "a literal has no value")
			return "None"
		}
		return r.value(*e.Value, false)
	case scenario.VarExpr:
		if e.Name == "None" || e.Name == "True" || e.Name == "False" {
			return e.Name // keywords, yet fine as expressions
		}
		return r.dotted(e.Name)
	case scenario.CallExpr:
		fn := r.dotted(e.Func)
		return fn + "(" + r.args(e) + ")"
	case scenario.MethodExpr:
		of := x(e.Of)
		name := r.ident(e.Name)
		return "(" + of + ")." + name + "(" + r.args(e) + ")"
	case scenario.AttrExpr:
		of := x(e.Of)
		return "(" + of + ")." + r.ident(e.Name)
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
		left := x(e.Left)
		return "(" + left + " is " + x(e.Right) + ")"
	case scenario.BinOpExpr:
		left := x(e.Left)
		return "(" + left + " " + e.Op + " " + x(e.Right) + ")"
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
		return r.comprehension(e)
	case scenario.LambdaExpr:
		return "(lambda: " + x(e.Expr) + ")"
	case scenario.CompileExpr:
		body := &renderer{defID: r.ensureDefID()}
		body.module(e.Body)
		if body.err != nil && r.err == nil {
			r.err = body.err
		}
		flags := "0"
		if slices.Contains(e.Flags, "top_level_await") {
			flags = TopLevelAwait
		}
		src := strings.Join(body.lines, "\n") + "\n"
		return "compile(" + scenario.StrRepr(src) + ", '<scenario>', 'exec', flags=" + flags + ")"
	case scenario.SubscriptExpr:
		of := x(e.Of)
		return "(" + of + ")[" + x(e.Index) + "]"
	case scenario.FutureExpr:
		if e.Exception != nil {
			return FutureException + "(" + x(e.Exception) + ")"
		}
		if e.Result == nil {
			return FutureResult + "(None)"
		}
		return FutureResult + "(" + x(e.Result) + ")"
	}
	r.fail("expression "+strconv.Quote(string(e.Kind)), "unknown expression "+strconv.Quote(string(e.Kind)))
	return "None"
}

// target renders an assignment target: the name, or the target
// expression (a tuple of targets renders parenthesised, which Python
// accepts as a target).
func (r *renderer) target(name string, e *scenario.Expr) string {
	if e == nil {
		return r.ident(name)
	}
	if !e.IsTarget() {
		r.fail("target "+strconv.Quote(string(e.Kind)), "a "+string(e.Kind)+" expression cannot be assigned to")
	}
	return r.expr(e)
}

func (r *renderer) ensureDefID() *int {
	if r.defID == nil {
		r.defID = new(int)
	}
	return r.defID
}

func (r *renderer) comprehension(e *scenario.Expr) string {
	parts := make([]string, 0, len(e.Clauses))
	for _, c := range e.Clauses {
		kw := "for"
		if c.Async {
			kw = "async for"
		}
		target := r.target(c.Target, c.TargetExpr)
		// The iterable is written without added parentheses: a list
		// display stays a list display (the compiler treats it specially).
		text := kw + " " + target + " in " + r.expr(c.Iter)
		for i := range c.If {
			text += " if " + r.expr(&c.If[i])
		}
		parts = append(parts, text)
	}
	clauses := strings.Join(parts, " ")
	el := r.expr(e.Element)
	switch e.Form {
	case scenario.ListForm:
		return "[" + el + " " + clauses + "]"
	case scenario.SetForm:
		return "{" + el + " " + clauses + "}"
	case scenario.DictForm:
		return "{" + r.expr(e.Key) + ": " + el + " " + clauses + "}"
	}
	return "(" + el + " " + clauses + ")"
}

// value is the Python literal for v. Inside a set or as a dict key
// (hashable), a set renders as a frozenset; lists and dicts cannot be
// there at all.
func (r *renderer) value(v scenario.Value, hashable bool) string {
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
		return scenario.StrRepr(v.Str)
	case scenario.ListKind:
		if hashable {
			r.fail("unhashable literal", "a list inside a set or as a dict key cannot be built in Python")
		}
		items := make([]string, len(v.Items))
		for i, it := range v.Items {
			items[i] = r.value(it, false)
		}
		return "[" + strings.Join(items, ", ") + "]"
	case scenario.TupleKind:
		items := make([]string, len(v.Items))
		for i, it := range v.Items {
			items[i] = r.value(it, hashable)
		}
		if len(items) == 1 {
			return "(" + items[0] + ",)"
		}
		return "(" + strings.Join(items, ", ") + ")"
	case scenario.SetKind:
		items := make([]string, len(v.Items))
		for i, it := range v.Items {
			items[i] = r.value(it, true)
		}
		joined := strings.Join(items, ", ")
		switch {
		case hashable && joined == "":
			return "frozenset()"
		case hashable:
			return "frozenset({" + joined + "})"
		case joined == "":
			return "set()"
		}
		return "{" + joined + "}"
	case scenario.DictKind:
		if hashable {
			r.fail("unhashable literal", "a dict inside a set or as a dict key cannot be built in Python")
		}
		items := make([]string, len(v.Pairs))
		for i, p := range v.Pairs {
			items[i] = r.value(p[0], true) + ": " + r.value(p[1], false)
		}
		return "{" + strings.Join(items, ", ") + "}"
	}
	r.fail(v.Kind.String()+" literal", "a literal cannot hold an "+v.Kind.String()+" value")
	return "None"
}

// ident checks a plain name the rendering writes.
func (r *renderer) ident(name string) string {
	if reason := identProblem(name); reason != "" {
		r.fail("name "+strconv.Quote(name), reason)
	}
	return name
}

// dotted checks a name that may be dotted (asyncio.sleep,
// collections.abc.AsyncIterator).
func (r *renderer) dotted(name string) string {
	for _, part := range strings.Split(name, ".") {
		if identProblem(part) != "" {
			r.fail("name "+strconv.Quote(name), strconv.Quote(name)+" is not a Python (dotted) name")
			break
		}
	}
	return name
}

func identProblem(name string) string {
	if !IsIdentifier(name) || keywords[name] {
		return strconv.Quote(name) + " is not a Python identifier"
	}
	if strings.HasPrefix(name, Reserved) {
		return "names starting with " + Reserved + " are reserved by the harness"
	}
	return ""
}

// keywords are Python's hard keywords, the same from 3.7 to 3.14 (soft
// keywords such as match are fine as names).
var keywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields("False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield") {
		keywords[k] = true
	}
}

// IsIdentifier reports whether name is a Python identifier
// (str.isidentifier), keywords included. It follows Unicode's ID_Start and
// ID_Continue properties, which differ from Python's XID_ variants in a
// handful of code points no scenario uses.
func IsIdentifier(name string) bool {
	if name == "" {
		return false
	}
	for i, c := range name {
		if unicode.In(c, unicode.Pattern_Syntax, unicode.Pattern_White_Space) {
			return false
		}
		start := c == '_' || unicode.In(c, unicode.L, unicode.Nl, unicode.Other_ID_Start)
		if i == 0 && !start {
			return false
		}
		if !start && !unicode.In(c, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc, unicode.Other_ID_Continue) {
			return false
		}
	}
	return true
}
