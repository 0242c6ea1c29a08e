package differential

import (
	"context"
	"encoding/json"

	. "github.com/aiterspec/aiterspec/scenario"
)

// MaxShrinkSteps bounds the candidate programs one shrink runs.
const MaxShrinkSteps = 3000

// Shrink reduces sc to a smaller program that still diverges on p with
// signature sig (and the same first differing observations, messages
// masked: see [Outcome.Detail]), by delta debugging on the tree: it drops chunks of
// statements from every block (halves, then quarters, down to single
// statements), unwraps compound statements (a try to its body, a loop
// without its else, a def without its per-call bodies, a class without
// its bases), simplifies expressions (an exception instance to its class,
// anext(g, d) to anext(g), a binop to an operand, a subscript to what it
// subscripts, a comprehension without its ifs) and
// reduces literals, re-running every candidate on both sides and keeping
// it only if the divergence keeps its signature. It repeats until a whole
// round changes nothing (or MaxShrinkSteps candidates ran), and returns
// the smallest program, its outcome and the number of candidates run.
func Shrink(ctx context.Context, p *Pair, sc *Scenario, sig string) (*Scenario, Outcome, int) {
	s := &shrinker{ctx: ctx, p: p, sig: sig, seen: map[string]bool{}, best: clone(sc)}
	s.bestOut = p.Run(ctx, s.best)
	s.detail = s.bestOut.Detail
	for changed := true; changed && s.steps < MaxShrinkSteps && ctx.Err() == nil; {
		changed = s.dropStatements()
		changed = s.simplifyStatements() || changed
		changed = s.simplifyExpressions() || changed
		changed = s.dropReports() || changed
	}
	s.best.Needs = neededBy(s.best, sc.Needs)
	return s.best, s.bestOut, s.steps
}

type shrinker struct {
	ctx     context.Context
	p       *Pair
	sig     string
	detail  string
	seen    map[string]bool // candidates already run, by encoding
	steps   int
	best    *Scenario
	bestOut Outcome
}

// try runs a candidate and keeps it if it still shows the divergence.
func (s *shrinker) try(c *Scenario) bool {
	if s.steps >= MaxShrinkSteps || s.ctx.Err() != nil {
		return false
	}
	data, _ := json.Marshal(c)
	key := string(data)
	if ok, dup := s.seen[key]; dup {
		return ok
	}
	if _, err := Decode(data); err != nil {
		// Not a scenario (a try left without handlers and finally, say):
		// not a candidate.
		s.seen[key] = false
		return false
	}
	s.steps++
	o := s.p.Run(s.ctx, c)
	ok := o.Verdict == Diverge && o.Signature == s.sig && o.Detail == s.detail
	s.seen[key] = ok
	if ok {
		s.best, s.bestOut = c, o
	}
	return ok
}

// sites are pointers to every block, statement and expression of a
// scenario, in pre-order, so that the i-th of a clone is the same node as
// the i-th of the original.
type sites struct {
	lists []*[]Stmt
	stmts []*Stmt
	exprs []*Expr
	// skipCompiled leaves out the bodies of compile expressions, which
	// are compiled, never run.
	skipCompiled bool
}

func collect(sc *Scenario) *sites {
	s := &sites{}
	s.list(&sc.Module)
	s.list(&sc.Main)
	s.list(&sc.After)
	return s
}

func (s *sites) list(l *[]Stmt) {
	s.lists = append(s.lists, l)
	for i := range *l {
		s.stmt(&(*l)[i])
	}
}

func (s *sites) stmt(st *Stmt) {
	s.stmts = append(s.stmts, st)
	for _, e := range stmtExprs(st) {
		s.expr(e)
	}
	for _, l := range stmtLists(st) {
		s.list(l)
	}
}

func (s *sites) expr(e *Expr) {
	s.exprs = append(s.exprs, e)
	if e.Kind == CompileExpr && !s.skipCompiled {
		s.list(&e.Body)
	}
	for _, c := range exprChildren(e) {
		s.expr(c)
	}
}

// dropStatements runs ddmin on each block: remove chunks of half the
// block, then quarters, down to single statements.
func (s *shrinker) dropStatements() bool {
	changed := false
	for i := 0; i < len(collect(s.best).lists); i++ {
		n := len(*collect(s.best).lists[i])
		for size := (n + 1) / 2; size >= 1; size /= 2 {
			for start := 0; start < len(*collect(s.best).lists[i]); {
				c := clone(s.best)
				l := collect(c).lists[i]
				end := min(start+size, len(*l))
				*l = append((*l)[:start:start], (*l)[end:]...)
				if s.try(c) {
					changed = true
					continue // the next chunk now starts here
				}
				start += size
			}
			if size == 1 {
				break
			}
		}
	}
	return changed
}

// dropReports drops the report options (warnings, unraisable) the
// divergence does not need.
func (s *shrinker) dropReports() bool {
	changed := false
	for i := 0; i < len(s.best.Report); {
		c := clone(s.best)
		c.Report = append(append([]string(nil), c.Report[:i]...), c.Report[i+1:]...)
		if len(c.Report) == 0 {
			c.Report = nil
		}
		if s.try(c) {
			changed = true
			continue
		}
		i++
	}
	return changed
}

// simplifyStatements replaces each statement by simpler ones.
func (s *shrinker) simplifyStatements() bool {
	changed := false
	for i := 0; i < len(collect(s.best).stmts); i++ {
		for alt := 0; ; alt++ {
			c := clone(s.best)
			cs := collect(c)
			if i >= len(cs.stmts) {
				break
			}
			repl, ok := stmtAlternative(cs.stmts[i], alt)
			if !ok {
				break
			}
			if !replaceStmt(cs, i, repl) {
				continue
			}
			if s.try(c) {
				changed = true
				alt = -1 // the statement changed: start over with its alternatives
			}
		}
	}
	return changed
}

// replaceStmt replaces statement i of cs by repl (zero or more
// statements) in its block.
func replaceStmt(cs *sites, i int, repl []Stmt) bool {
	target := cs.stmts[i]
	for _, l := range cs.lists {
		for k := range *l {
			if &(*l)[k] == target {
				out := append([]Stmt(nil), (*l)[:k]...)
				out = append(out, repl...)
				*l = append(out, (*l)[k+1:]...)
				return true
			}
		}
	}
	return false
}

// stmtAlternative returns the alt-th simpler replacement of st, or false
// when there are no more.
func stmtAlternative(st *Stmt, alt int) ([]Stmt, bool) {
	var alts [][]Stmt
	with := func(f func(*Stmt)) {
		c := *st
		f(&c)
		alts = append(alts, []Stmt{c})
	}
	switch st.Kind {
	case TryStmt:
		alts = append(alts, st.Body, append(append([]Stmt(nil), st.Body...), st.Finally...))
		for k := range st.Handlers {
			if len(st.Handlers) > 1 || len(st.Finally) > 0 {
				with(func(c *Stmt) { c.Handlers = append(append([]Handler(nil), st.Handlers[:k]...), st.Handlers[k+1:]...) })
			}
		}
		if len(st.Else) > 0 {
			with(func(c *Stmt) { c.Else = nil })
		}
		if len(st.Finally) > 0 && len(st.Handlers) > 0 {
			with(func(c *Stmt) { c.Finally = nil })
		}
	case IfStmt:
		alts = append(alts, st.Body, st.Else)
		if len(st.Else) > 0 {
			with(func(c *Stmt) { c.Else = nil })
		}
	case ForStmt, AsyncForStmt, WhileStmt:
		if len(st.Else) > 0 {
			with(func(c *Stmt) { c.Else = nil })
		}
		alts = append(alts, st.Body)
	case ClassStmt:
		if len(st.Bases) > 0 {
			with(func(c *Stmt) { c.Bases = nil })
		}
	case DefStmt:
		if len(st.Calls) > 0 {
			with(func(c *Stmt) { c.Calls = nil })
			with(func(c *Stmt) { c.Body, c.Calls = st.Calls[0], st.Calls[1:] })
			for k := range st.Calls {
				with(func(c *Stmt) { c.Calls = append(append([][]Stmt(nil), st.Calls[:k]...), st.Calls[k+1:]...) })
			}
		}
		if st.Generator && yields(st.Body) {
			with(func(c *Stmt) { c.Generator = false })
		}
	case EmitStmt:
		if st.Expr != nil {
			with(func(c *Stmt) { c.Expr = nil })
			alts = append(alts, []Stmt{Do(st.Expr)})
		}
	case ObserveStmt:
		alts = append(alts, []Stmt{Do(st.Expr)})
	case LetStmt:
		alts = append(alts, []Stmt{Do(st.Expr)})
	case YieldStmt, ReturnStmt, RaiseStmt:
		if st.Expr != nil {
			with(func(c *Stmt) { c.Expr = nil })
		}
	}
	if alt >= len(alts) {
		return nil, false
	}
	return alts[alt], true
}

// simplifyExpressions replaces each expression by simpler ones.
func (s *shrinker) simplifyExpressions() bool {
	changed := false
	for i := 0; i < len(collect(s.best).exprs); i++ {
		for alt := 0; ; alt++ {
			c := clone(s.best)
			cs := collect(c)
			if i >= len(cs.exprs) {
				break
			}
			repl, ok := exprAlternative(cs.exprs[i], alt)
			if !ok {
				break
			}
			*cs.exprs[i] = repl
			if s.try(c) {
				changed = true
				alt = -1
			}
		}
	}
	return changed
}

// exceptionNames are the exception classes an exception instance may
// shrink to.
var exceptionNames = map[string]bool{
	"BaseException": true, "Exception": true, "StopIteration": true, "StopAsyncIteration": true,
	"GeneratorExit": true, "TypeError": true, "ValueError": true, "KeyError": true, "RuntimeError": true,
	"AttributeError": true, "NameError": true, "SystemExit": true, "KeyboardInterrupt": true,
	"asyncio.CancelledError": true,
}

// exprAlternative returns the alt-th simpler replacement of e.
func exprAlternative(e *Expr, alt int) (Expr, bool) {
	var alts []Expr
	with := func(f func(*Expr)) {
		c := *e
		f(&c)
		alts = append(alts, c)
	}
	switch e.Kind {
	case LitExpr:
		for _, v := range simplerValues(*e.Value) {
			alts = append(alts, *Lit(v))
		}
	case CallExpr:
		if exceptionNames[e.Func] {
			alts = append(alts, *Var(e.Func))
		}
		if len(e.Args) > 0 {
			with(func(c *Expr) { c.Args = e.Args[:len(e.Args)-1] })
		}
		if len(e.Kwargs) > 0 {
			with(func(c *Expr) { c.Kwargs = nil })
		}
	case MethodExpr:
		if len(e.Args) > 0 {
			with(func(c *Expr) { c.Args = e.Args[:len(e.Args)-1] })
		}
	case AwaitExpr, NotExpr:
		alts = append(alts, *e.Expr)
	case SubscriptExpr:
		alts = append(alts, *e.Of)
	case BinOpExpr:
		alts = append(alts, *e.Left, *e.Right)
	case TupleExpr, ListExpr:
		for k := range e.Items {
			alts = append(alts, e.Items[k])
			with(func(c *Expr) { c.Items = append(append([]Expr(nil), e.Items[:k]...), e.Items[k+1:]...) })
		}
	case ComprehensionExpr:
		for k := range e.Clauses {
			if len(e.Clauses[k].If) > 0 {
				with(func(c *Expr) {
					c.Clauses = append([]Clause(nil), e.Clauses...)
					c.Clauses[k].If = nil
				})
			}
		}
		if e.Form != ListForm {
			with(func(c *Expr) { c.Form, c.Key = ListForm, nil })
		}
		if len(e.Clauses) > 0 && (e.Element.Kind != VarExpr || e.Element.Name != e.Clauses[0].Target) {
			with(func(c *Expr) { c.Element = Var(e.Clauses[len(e.Clauses)-1].Target) })
		}
	case FutureExpr:
		if e.Exception != nil {
			alts = append(alts, *FutureResult(Lit(nil)))
		}
	case CompileExpr:
		if len(e.Flags) > 0 {
			with(func(c *Expr) { c.Flags = nil })
		}
	}
	if alt >= len(alts) {
		return Expr{}, false
	}
	return alts[alt], true
}

// simplerValues are the literals v may shrink to, simplest first.
func simplerValues(v Value) []any {
	switch v.Kind {
	case IntKind:
		if v.Int > 1 || v.Int < 0 {
			return []any{0, 1}
		}
	case StrKind:
		if v.Str != "a" && v.Str != "" {
			return []any{"a"}
		}
	case FloatKind, TupleKind, ListKind, SetKind, DictKind:
		return []any{1}
	}
	return nil
}

// neededBy is the capabilities a shrunk program needs: those of the
// original that its tree still uses, and deterministic-collect whenever
// the original needed it (dropping a suspended generator needs no marker
// in the tree).
func neededBy(sc *Scenario, original []Capability) []Capability {
	uses := usedCaps(sc)
	var out []Capability
	for _, c := range original {
		if uses[c] || c == CapDeterministicCollect {
			out = append(out, c)
		}
	}
	return out
}

// usedCaps finds the capabilities a scenario's tree visibly uses.
func usedCaps(sc *Scenario) map[Capability]bool {
	used := map[Capability]bool{}
	cs := &sites{skipCompiled: true}
	cs.list(&sc.Module)
	cs.list(&sc.Main)
	cs.list(&sc.After)
	for _, st := range cs.stmts {
		if st.Kind == DefStmt && st.Async && yields(st.Body) {
			used[CapAsyncGenerators] = true
		}
		if st.Kind == DelStmt {
			used[CapDeterministicCollect] = true
		}
	}
	for _, e := range cs.exprs {
		switch e.Kind {
		case MethodExpr:
			switch e.Name {
			case "asend", "athrow", "aclose":
				used[CapAsyncGenMethods] = true
			case "cancel":
				used[CapTasks] = true
			}
		case CallExpr:
			switch e.Func {
			case "asyncio.create_task", "asyncio.gather":
				used[CapTasks] = true
			case "gc.collect":
				used[CapDeterministicCollect] = true
			case "anext":
				used[CapANextBuiltin] = true
			case "aiter":
				used[CapAIterBuiltin] = true
			}
		case FutureExpr:
			used[CapTasks] = true
		case ComprehensionExpr:
			for _, cl := range e.Clauses {
				if cl.Async {
					used[CapAsyncComprehensions] = true
				}
			}
		case CompileExpr:
			used[CapCompile] = true
		case AttrExpr:
			if e.Name == "ag_running" || e.Name == "ag_await" || e.Name == "ag_frame" {
				used[CapIntrospection] = true
			}
		case TypeNameExpr:
			used[CapIntrospection] = true
		}
	}
	return used
}
