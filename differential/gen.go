package differential

import (
	"fmt"
	"math/rand/v2"
	"slices"

	. "github.com/aiterspec/aiterspec/scenario"
)

// Generator makes scenario programs: valid (every program compiles and
// runs to its end on CPython 3.11), terminating (every loop is bounded,
// every awaited future already done), and deterministic on a refcounting
// implementation (nothing observed depends on addresses, hash order or
// the timing of a collector).
//
// Programs cover the protocol surface the catalogue does, weighted toward
// interactions: two operations on one generator, an exception thrown or
// raised during a step, a generator finalised while suspended in a try
// block, a generator stepping another (or itself), tasks and gather over
// the same generator, and sync-mode driving of the awaitables by hand.
//
// Program n of a seed is always the same program for the same
// capabilities: the capabilities decide which constructs may appear, so
// that two implementations are compared only on what both can run.
type Generator struct {
	seed uint64
	caps map[Capability]bool
}

// NewGenerator returns a generator of programs that need no capability
// outside caps.
func NewGenerator(seed uint64, caps []Capability) *Generator {
	g := &Generator{seed: seed, caps: map[Capability]bool{}}
	for _, c := range caps {
		g.caps[c] = true
	}
	return g
}

// Program returns program n of the generator's seed.
func (g *Generator) Program(n uint64) Scenario {
	p := &prog{r: rand.New(rand.NewPCG(g.seed, n)), caps: g.caps, needs: map[Capability]bool{}}
	sc := p.scenario()
	sc.ID = ProgramID
	sc.Title = fmt.Sprintf("generated program %d of seed %d", n, g.seed)
	return sc
}

// ProgramID is the behaviour id of generated scenarios.
const ProgramID = "DIFF"

// CPython bugs the generator steers around, so that a run against
// CPython 3.11 shows the reference's differences, not CPython's:
//
//   - gh-131670: on CPython 3.10, 3.11, 3.12 before 3.12.10 and 3.13
//     before 3.13.3, anext(it, default) segfaults when a plain-def
//     __anext__ raises synchronously. Specs B13 and B14 cover it; no
//     program calls anext with a default on such an iterator.
//   - gh-128078: anext(it, default) with a tuple default raises
//     SystemError when the iterator is exhausted (fixed in 3.12.9 and
//     3.13.2): defaults are never tuples (defaultLit).
//   - anext_awaitable.send(v) passes a tuple's items as separate
//     arguments to the awaitable it wraps (the C-API pitfall behind
//     gh-128078, still present in 3.14): values sent by hand are never
//     tuples.

// prog is the state of generating one program.
type prog struct {
	r     *rand.Rand
	caps  map[Capability]bool
	needs map[Capability]bool
	sync  bool // main is a plain def with no event loop
	// collect: generators may be dropped while suspended (rebinding, del,
	// break out of a loop over a fresh generator): the program then needs
	// deterministic-collect, since when a collector finalises them is
	// observable.
	collect bool

	agens    []string    // async generator functions defined so far
	iters    []iterClass // async iterator classes
	excs     []string    // exception classes the program defines (E0, E1)
	awaits   []string    // custom awaitable classes
	globals  []string    // generator variables main binds (g0, g1)
	pending  int         // awaitables a0..a{pending-1} main may bind
	consumer bool        // the program defines consume(it)
	syncGen  bool        // the program defines a sync generator sg()
	survivor bool        // main ends with gz = agz() suspended
	agz      bool        // the program defines agz (survivor or after)
	// before holds statements the last generated statement needs run
	// first in its block (a while loop's counter): the block builder
	// takes them.
	before []Stmt
	used   map[string]bool // variables main has bound
	named  map[string]bool // generator variables of main a body steps (globalName)
	// tasked: generator variables a task or gather has stepped. asyncio
	// keeps such a generator alive for a while afterwards (finished tasks,
	// the ready queue), so the program does not drop it before the final
	// sleeps.
	tasked map[string]bool
}

// iterClass is a class-based async iterator the program defines.
type iterClass struct {
	name string
	// base is the class's base: "" (object), an exception class, or
	// "tuple" (S19, S20); args are the arguments an instance is made with
	// (a tuple subclass's items).
	base string
	args []*Expr
	// raisesSync: a plain-def __anext__ that may raise synchronously
	// (gh-131670: no anext(it, default) on it).
	raisesSync bool
}

func (p *prog) pick(n int) int    { return p.r.IntN(n) }
func (p *prog) chance(n int) bool { return p.r.IntN(n) == 0 }
func (p *prog) has(c Capability) bool {
	return p.caps[c]
}
func (p *prog) need(c Capability) { p.needs[c] = true }

// takeBefore returns and clears the statements the last statement made
// needs before it.
func (p *prog) takeBefore() []Stmt {
	b := p.before
	p.before = nil
	return b
}

// weighted picks an index with probability proportional to its weight.
func (p *prog) weighted(weights ...int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	k := p.pick(total)
	for i, w := range weights {
		if k < w {
			return i
		}
		k -= w
	}
	return len(weights) - 1
}

func oneOf[T any](p *prog, xs ...T) T { return xs[p.pick(len(xs))] }

// lit is a small literal: what generators yield, __anext__ returns and
// asend sends.
func (p *prog) lit() *Expr {
	return Lit(oneOf[any](p, 0, 1, 2, 3, "a", "b", nil, true, 1.5, VTuple(1, "x")))
}

// defaultLit is a default for anext(it, default): never a tuple, which
// CPython 3.11 mangles into a SystemError (gh-128078, fixed in 3.12.9
// and 3.13.2).
func (p *prog) defaultLit() *Expr {
	return Lit(oneOf[any](p, "D", 0, nil, 2, "b"))
}

// excClass names an exception class the program may raise or throw.
func (p *prog) excClass() string {
	if len(p.excs) > 0 && p.chance(3) {
		return oneOf(p, p.excs...)
	}
	return oneOf(p, "ValueError", "ValueError", "KeyError", "RuntimeError", "TypeError",
		"StopAsyncIteration", "StopIteration", "GeneratorExit")
}

// exc is an exception to raise or throw: a class or an instance.
func (p *prog) exc() *Expr {
	t := p.excClass()
	switch p.pick(3) {
	case 0:
		return Var(t)
	case 1:
		return Exc(t)
	}
	return Exc(t, oneOf(p, "x", "boom"))
}

// handlerType is the type of an except clause ("" is a bare except).
func (p *prog) handlerType() string {
	if len(p.excs) > 0 && p.chance(4) {
		return oneOf(p, p.excs...)
	}
	if p.sync {
		return oneOf(p, "", "ValueError", "Exception", "BaseException", "GeneratorExit", "StopAsyncIteration", "KeyError", "StopIteration")
	}
	return oneOf(p, "", "ValueError", "Exception", "BaseException", "GeneratorExit", "StopAsyncIteration", "KeyError",
		"asyncio.CancelledError", "RuntimeError")
}

// emit records an event naming where it happened.
func emit(where, what string, e ...*Expr) Stmt { return Emit(where+" "+what, e...) }

// scenario makes the whole program.
func (p *prog) scenario() Scenario {
	p.used = map[string]bool{}
	p.tasked = map[string]bool{}
	p.named = map[string]bool{}
	p.sync = p.chance(5)
	p.collect = p.has(CapDeterministicCollect) && !p.chance(4)
	sc := Scenario{}
	if p.collect {
		// "Never awaited" warnings and exceptions raised in finalisers
		// come when a collector gets to the object: observable only where
		// that is deterministic.
		sc.Report = []string{ReportWarnings, ReportUnraisable}
	}
	if p.sync {
		sc.Mode = SyncMode
	}
	for i, n := 0, p.weighted(6, 2, 1); i < n; i++ {
		sc.Module = append(sc.Module, p.exceptionClassDef())
	}
	if p.chance(2) || !p.has(CapAsyncGenerators) {
		sc.Module = append(sc.Module, p.awaitableClass())
	}
	if p.has(CapAsyncGenerators) {
		p.need(CapAsyncGenerators)
		for i, n := 0, 1+p.weighted(4, 4, 2); i < n; i++ {
			sc.Module = append(sc.Module, p.agenDef())
		}
	}
	if p.chance(2) || len(p.agens) == 0 {
		sc.Module = append(sc.Module, p.iterClassDef())
	}
	if p.chance(4) {
		p.syncGen = true
		sc.Module = append(sc.Module, Def("sg", Yield(p.lit()), Yield(p.lit())))
	}
	if !p.sync && p.chance(3) {
		p.consumer = true
		sc.Module = append(sc.Module, p.consumerDef())
	}
	if p.sync {
		sc.Main = p.syncMain()
	} else {
		sc.Main = p.asyncMain()
	}
	if !p.sync && p.has(CapAsyncGenerators) && p.chance(6) {
		sc.After = p.afterStmts()
	}
	if p.survivor || p.agz {
		// agz's finally may await or raise: asyncio.run's
		// shutdown_asyncgens hands what it raises to the loop's exception
		// handler (L17).
		fin := []Stmt{Emit("agz finally")}
		switch p.weighted(3, 1, 3) {
		case 1:
			fin = append(fin, Do(Await(Sleep(0))), Emit("agz finally done"))
		case 2:
			fin = append(fin, Raise(p.exc()))
			if !p.chance(3) {
				sc.Report = append(sc.Report, ReportLoopExceptions)
			}
		}
		sc.Module = append(sc.Module, AsyncDef("agz", Try(Yield(Lit(1)), Yield(Lit(2))).WithFinally(fin...)))
	}
	for _, c := range Capabilities {
		if p.needs[c] {
			sc.Needs = append(sc.Needs, c)
		}
	}
	return sc
}

// --- module definitions -----------------------------------------------------

// agenDef defines the next async generator function agK. Its body may
// step earlier generator functions and the generator variables of main
// (possibly itself: "already running").
func (p *prog) agenDef() Stmt {
	name := fmt.Sprintf("ag%d", len(p.agens))
	body := p.agenBody(name, 0)
	// Every async generator function yields at least once, or it would be
	// a coroutine function.
	if !yields(body) {
		body = append(body, Yield(p.lit()))
	}
	p.agens = append(p.agens, name)
	return AsyncDef(name, body...)
}

func (p *prog) agenBody(name string, depth int) []Stmt {
	var out []Stmt
	for i, n := 0, 1+p.weighted(2, 4, 3, 2, 1); i < n; i++ {
		st := p.agenStmt(name, depth, i == n-1)
		out = append(append(out, p.takeBefore()...), st)
	}
	return out
}

// agenStmt is one statement of an async generator body. last says it is
// the last of its block, where a raise or return does not make the rest
// dead code.
func (p *prog) agenStmt(name string, depth int, last bool) Stmt {
	for {
		switch p.weighted(10, 3, 4, 2, 3, 2, 2, 2, 3, 2, 6, 2, 1, 2) {
		case 0:
			return Yield(p.lit())
		case 1:
			// v = yield x: what asend sends.
			return emit(name, "got", YieldValue(p.lit()))
		case 2:
			return Do(Await(p.awaitable(name)))
		case 3:
			return emit(name, "step")
		case 4:
			if depth > 0 || last {
				return Raise(p.exc())
			}
		case 5:
			if depth > 0 || last {
				return Return()
			}
		case 6:
			return For("i", Call("range", Lit(1+p.pick(3))), Yield(Var("i")))
		case 7:
			// Delegation: an async for over an earlier generator function.
			// Closing the outer generator while it is suspended inside the
			// loop abandons the inner one to the collector.
			if len(p.agens) > 0 && depth < 2 && p.collect {
				inner := oneOf(p, p.agens...)
				if p.chance(4) {
					// A tuple target: an item that is not a pair raises
					// from the loop (G25).
					return AsyncFor("", Call(inner), Yield(Var("v")), Yield(Var("k"))).Into(Unpack("k", "v"))
				}
				body := []Stmt{Yield(Var("x"))}
				if p.collect && p.chance(3) {
					body = append(body, If(BinOp(Var("x"), "==", p.lit()), Break()))
				}
				return AsyncFor("x", Call(inner), body...)
			}
		case 8:
			// Step another generator (or this one) through a global of main.
			if g := p.globalName(); g != "" {
				if p.chance(2) {
					return emit(name, "inner", Await(ANext(Var(g), Lit("D"))))
				}
				return emit(name, "inner", Await(ANext(Var(g))))
			}
		case 9:
			if !p.sync && p.has(CapAsyncComprehensions) && len(p.agens) > 0 && depth < 2 {
				p.need(CapAsyncComprehensions)
				return emit(name, "comp", Comprehension(ListForm, Var("x"), AsyncClause("x", Call(oneOf(p, p.agens...)))))
			}
		case 10:
			if depth < 2 {
				return p.agenTry(name, depth)
			}
		case 11:
			if depth < 2 {
				return If(Lit(p.chance(2)), p.agenBody(name, depth+1)...).WithElse(p.agenBody(name, depth+1)...)
			}
		case 12:
			return Pass()
		case 13:
			if depth < 2 {
				return p.agenWhile(name, depth)
			}
		}
	}
}

// agenWhile is a while loop bounded by a counter (set before it), around
// yields and awaits, some times left by break, with an else.
func (p *prog) agenWhile(name string, depth int) Stmt {
	body := []Stmt{Let("w", BinOp(Var("w"), "+", Lit(1)))}
	switch p.weighted(3, 2, 2, 1) {
	case 0:
		body = append(body, Yield(Var("w")))
	case 1:
		body = append(body, emit(name, "got", YieldValue(Var("w"))))
	case 2:
		body = append(body, Do(Await(p.awaitable(name))), Yield(p.lit()))
	case 3:
		body = append(body, p.agenTry(name, depth+1))
	}
	if p.chance(3) {
		body = append(body, If(BinOp(Var("w"), "==", Lit(2)), Break()))
	}
	loop := While(BinOp(Var("w"), "<", Lit(1+p.pick(3))), body...)
	if p.chance(2) {
		loop = loop.WithElse(emit(name, "while else"))
	}
	p.before = append(p.before, Let("w", Lit(0)))
	return loop
}

// agenTry is try/except/else/finally around yields and awaits: where
// athrow, aclose, cancellation and finalisation land.
func (p *prog) agenTry(name string, depth int) Stmt {
	t := Try(p.agenBody(name, depth+1)...)
	for i, n := 0, p.weighted(2, 4, 2); i < n; i++ {
		typ := p.handlerType()
		as := ""
		body := []Stmt{emit(name, "caught "+typ)}
		if p.chance(2) {
			as = "e"
			body = []Stmt{emit(name, "caught", Var("e"))}
		}
		switch p.weighted(3, 2, 2, 1, 2, 1) {
		case 0:
			body = append(body, Raise())
		case 1:
			body = append(body, Yield(p.lit()))
		case 2:
			body = append(body, Return())
		case 3:
			body = append(body, Raise(p.exc()))
		case 4:
			body = append(body, Do(Await(p.awaitable(name))))
		}
		t = t.Except(typ, as, body...)
	}
	if len(t.Handlers) > 0 && p.chance(4) {
		t = t.WithElse(emit(name, "else"), Yield(p.lit()))
	}
	if len(t.Handlers) == 0 || p.chance(2) {
		fin := []Stmt{emit(name, "finally")}
		switch p.weighted(4, 2, 1, 1) {
		case 1:
			fin = append(fin, Do(Await(p.awaitable(name))), emit(name, "finally done"))
		case 2:
			fin = append(fin, Yield(p.lit())) // yield in finally: "ignored GeneratorExit" on aclose
		case 3:
			fin = append(fin, Raise(p.exc()))
		}
		t = t.WithFinally(fin...)
	}
	return t
}

// awaitable is something a coroutine body awaits: a zero sleep, a done
// future, a custom awaitable, a helper coroutine, a step of a generator.
func (p *prog) awaitable(where string) *Expr {
	for {
		switch p.weighted(6, 2, 2, 1) {
		case 0:
			return Sleep(0)
		case 1:
			if !p.sync && p.has(CapTasks) {
				p.need(CapTasks)
				if p.chance(3) {
					return FutureException(p.exc())
				}
				return FutureResult(p.lit())
			}
		case 2:
			if len(p.awaits) > 0 {
				return Call(oneOf(p, p.awaits...))
			}
		case 3:
			if g := p.globalName(); g != "" && where != "" {
				return ANext(Var(g), Lit("D"))
			}
		}
	}
}

// globalName is a generator variable of main that a body may step, or "".
// Bodies are made before main, which binds g0 whenever the program has an
// async generator, and g1 when it draws so or a body named it (bindGlobals):
// a body never steps a name main leaves unbound, which would only raise
// NameError (on MicroPython, with no async generators, in every program
// that named one).
func (p *prog) globalName() string {
	if !p.chance(2) {
		return ""
	}
	g := oneOf(p, "g0", "g0", "g1")
	if !p.has(CapAsyncGenerators) {
		return ""
	}
	p.named[g] = true
	return g
}

// bindGlobals is main's first statements: g0 (and g1 one time in odds, or
// if a body names it) bound to a fresh generator, when the program has
// async generator functions.
func (p *prog) bindGlobals(odds int) []Stmt {
	var main []Stmt
	for _, g := range []string{"g0", "g1"} {
		if len(p.agens) > 0 && (g == "g0" || p.chance(odds) || p.named[g]) {
			main = append(main, Let(g, Call(oneOf(p, p.agens...))))
			p.globals = append(p.globals, g)
			p.used[g] = true
		}
	}
	return main
}

// awaitableClass defines a class with an __await__: the catalogue's shapes
// (N04, N08, W03, W06, X04).
func (p *prog) awaitableClass() Stmt {
	name := fmt.Sprintf("Aw%d", len(p.awaits))
	p.awaits = append(p.awaits, name)
	var await Stmt
	switch p.weighted(5, 2, 1, 1, 1) {
	case 0: // a generator: bare yields (a zero-delay reschedule in a task), then a result
		var body []Stmt
		for i := p.pick(2); i > 0; i-- {
			body = append(body, Yield())
		}
		await = Def("__await__", append(body, Return(p.lit()))...).AsGenerator()
	case 1: // a generator that raises
		await = Def("__await__", Raise(p.exc())).AsGenerator()
	case 2: // returns a non-iterator
		await = Def("__await__", Return(p.lit()))
	case 3: // returns an iterator that ends at once
		await = Def("__await__", Return(Call("iter", ListOf())))
	case 4: // async def: returns a coroutine, not an iterator
		// The coroutine is dropped unawaited: when it warns depends on the
		// collector.
		if p.collect {
			await = AsyncDef("__await__", Return(p.lit()))
		} else {
			await = Def("__await__", Return(p.lit()))
		}
	}
	return Class(name, await)
}

// exceptionClassDef defines an exception class EK deriving from a builtin
// exception or an earlier EK: what main and the generators raise, throw
// and catch by its base's name (a StopAsyncIteration subclass ends a
// loop, a StopIteration subclass leaving a generator becomes a
// RuntimeError, a GeneratorExit subclass thrown in is not a close).
func (p *prog) exceptionClassDef() Stmt {
	name := fmt.Sprintf("E%d", len(p.excs))
	bases := []string{"ValueError", "Exception", "StopAsyncIteration", "StopIteration", "GeneratorExit", "KeyError", "RuntimeError"}
	base := oneOf(p, bases...)
	if len(p.excs) > 0 && p.chance(3) {
		base = oneOf(p, p.excs...)
	}
	p.excs = append(p.excs, name)
	return Class(name, Pass()).WithBases(base)
}

// newIter is a new instance of the iterator class ic.
func (p *prog) newIter(ic iterClass) *Expr { return Call(ic.name, ic.args...) }

// iterClassDef defines a class-based async iterator in one of the
// catalogue's shapes: __aiter__ returning self, missing, not callable,
// None, async, raising, returning a list or a generator; __anext__ an
// async def, a plain def returning values, coroutines, futures, custom
// awaitables or non-awaitables, raising synchronously, or missing.
func (p *prog) iterClassDef() Stmt {
	ic := iterClass{name: fmt.Sprintf("It%d", len(p.iters))}
	switch p.weighted(12, 2, 3, 1) {
	case 1: // an iterator that is a StopIteration (S19)
		ic.base = "StopIteration"
		if p.chance(2) {
			ic.args = []*Expr{p.lit()}
		}
	case 2: // an iterator that is a tuple of its own items (S20)
		ic.base = "tuple"
		items := []*Expr{p.lit()}
		for i := p.pick(3); i > 0; i-- {
			items = append(items, p.lit())
		}
		if !p.chance(4) {
			ic.args = []*Expr{ListOf(items...)}
		}
	case 3:
		ic.base = oneOf(p, "ValueError", "StopAsyncIteration", "Exception")
		if len(p.excs) > 0 && p.chance(2) {
			ic.base = oneOf(p, p.excs...)
		}
	}
	var body []Stmt
	switch p.weighted(12, 1, 1, 1, 1, 1, 1, 2) {
	case 0:
		body = append(body, Def("__aiter__", Return(Self())))
	case 1: // missing
	case 2:
		body = append(body, Let("__aiter__", Lit(5)))
	case 3:
		body = append(body, Let("__aiter__", Lit(nil)))
	case 4:
		if p.collect { // the unawaited coroutine warns when it is collected
			body = append(body, AsyncDef("__aiter__", Return(Self())))
		} else {
			body = append(body, Def("__aiter__", Return(Self())))
		}
	case 5:
		body = append(body, Def("__aiter__", Raise(p.exc())))
	case 6:
		body = append(body, Def("__aiter__", Return(ListOf(Lit(1)))))
	case 7:
		if len(p.agens) > 0 && p.collect { // a loop that breaks abandons it
			body = append(body, Def("__aiter__", Return(Call(oneOf(p, p.agens...)))))
		} else {
			body = append(body, Def("__aiter__", Return(Self())))
		}
	}
	switch p.weighted(6, 4, 1) {
	case 0: // async def, a different body per call; then StopAsyncIteration
		var calls [][]Stmt
		for i := 1 + p.pick(3); i > 0; i-- {
			calls = append(calls, p.asyncNextBody(ic))
		}
		body = append(body, AsyncDef("__anext__", p.stopBody()...).PerCall(calls...))
	case 1: // a plain def returning awaitables and non-awaitables
		var calls [][]Stmt
		for i := 1 + p.pick(3); i > 0; i-- {
			call, raises := p.plainNextBody()
			ic.raisesSync = ic.raisesSync || raises
			calls = append(calls, call)
		}
		ic.raisesSync = true // the body after the calls raises StopAsyncIteration
		body = append(body, Def("__anext__", p.stopBody()...).PerCall(calls...))
		body = append(body, AsyncDef("step", Do(Await(Sleep(0))), Return(p.lit())))
	case 2: // missing
	}
	if len(body) == 0 {
		body = append(body, Pass())
	}
	p.iters = append(p.iters, ic)
	if ic.base != "" {
		return Class(ic.name, body...).WithBases(ic.base)
	}
	return Class(ic.name, body...)
}

// stopBody ends a class-based iterator.
func (p *prog) stopBody() []Stmt {
	if p.chance(4) {
		return []Stmt{Raise(Exc("StopAsyncIteration", "payload"))}
	}
	return []Stmt{Raise(Var("StopAsyncIteration"))}
}

func (p *prog) asyncNextBody(ic iterClass) []Stmt {
	where := ic.name
	if ic.base == "tuple" && p.chance(2) {
		// What the iterator returns is made of its own items, read by
		// subscript and len() (S20): never the items themselves, in order.
		if len(ic.args) == 0 || p.chance(3) {
			return []Stmt{Return(BinOp(Call("len", Self()), "+", Lit(10)))}
		}
		n := len(ic.args[0].Items)
		return []Stmt{Return(TupleOf(Lit("item"), Subscript(Self(), Lit(p.pick(n)-n*p.pick(2)))))}
	}
	switch p.weighted(5, 3, 1, 1, 1, 1) {
	case 0:
		return []Stmt{Return(p.lit())}
	case 1:
		return []Stmt{Do(Await(p.awaitable(where))), Return(p.lit())}
	case 2:
		return []Stmt{emit(where, "next"), Raise(p.exc())}
	case 3:
		return p.stopBody()
	case 4:
		if len(p.agens) > 0 && p.collect { // a fresh generator left suspended
			return []Stmt{Return(Await(ANext(Call(oneOf(p, p.agens...)), Lit("D"))))}
		}
	}
	return []Stmt{Raise(Var("StopIteration"))}
}

// plainNextBody is one call of a plain-def __anext__; raises says it
// raises synchronously.
func (p *prog) plainNextBody() (body []Stmt, raises bool) {
	for {
		switch p.weighted(3, 4, 2, 2, 2, 1, 1) {
		case 0: // not awaitable: async for raises TypeError
			return []Stmt{Return(p.lit())}, false
		case 1:
			return []Stmt{Return(Method(Self(), "step"))}, false
		case 2:
			if !p.sync && p.has(CapTasks) {
				p.need(CapTasks)
				return []Stmt{Return(FutureResult(p.lit()))}, false
			}
		case 3:
			if len(p.awaits) > 0 {
				return []Stmt{Return(Call(oneOf(p, p.awaits...)))}, false
			}
		case 4:
			return []Stmt{Raise(oneOf(p, Var("StopAsyncIteration"), p.exc()))}, true
		case 5:
			if len(p.agens) > 0 { // an async generator is not awaitable
				return []Stmt{Return(Call(oneOf(p, p.agens...)))}, false
			}
		case 6:
			return []Stmt{Return(Method(ListOf(p.lit()), "__iter__"))}, false
		}
	}
}

// consumerDef defines `async def consume(it)`: a coroutine a task runs,
// draining an async iterator.
func (p *prog) consumerDef() Stmt {
	body := []Stmt{emit("consume", "got", Var("x"))}
	if p.chance(2) {
		body = append(body, Do(Await(Sleep(0))))
	}
	if p.chance(3) {
		body = append(body, If(BinOp(Var("x"), "==", p.lit()), Break()))
	}
	return AsyncDef("consume", AsyncFor("x", Var("it"), body...).WithElse(emit("consume", "exhausted")), Return(Lit("done"))).WithParams("it")
}

// --- async main -------------------------------------------------------------

func (p *prog) asyncMain() []Stmt {
	main := p.bindGlobals(2)
	if len(p.iters) > 0 {
		main = append(main, Let("i0", p.newIter(p.iters[0])))
		p.used["i0"] = true
	}
	for i, n := 0, 2+p.pick(8); i < n; i++ {
		st := p.asyncOp()
		main = append(append(main, p.takeBefore()...), st)
	}
	return append(main, p.asyncEpilogue()...)
}

// asyncEpilogue drops everything main bound and lets finalisation run, so
// that nothing is left for asyncio.run's shutdown_asyncgens: it would
// close the survivors in the order of a weak set, which is not
// deterministic.
func (p *prog) asyncEpilogue() []Stmt {
	out := []Stmt{Do(Await(Sleep(0)))}
	names := p.boundNames()
	if !p.collect {
		// Without deterministic collection, close every generator
		// explicitly before dropping it, so that no collector has anything
		// observable left to do.
		for _, g := range names {
			switch {
			case g[0] != 'g':
			case p.has(CapAsyncGenMethods):
				out = append(out, Do(Await(Method(Var(g), "aclose"))))
				p.need(CapAsyncGenMethods)
			default: // finish it by exhausting it
				out = append(out, AsyncFor("x", Var(g), Pass()))
			}
		}
	}
	for _, n := range names {
		out = append(out, Let(n, Lit(nil)))
	}
	if p.collect {
		p.need(CapDeterministicCollect)
		out = append(out, Do(Call("gc.collect")))
	}
	for i := 0; i < 4; i++ {
		out = append(out, Do(Await(Sleep(0))))
	}
	if p.has(CapAsyncGenerators) && p.chance(5) {
		// One generator left suspended when main returns, the only one
		// alive: asyncio.run's shutdown_asyncgens closes it (L16).
		p.survivor = true
		out = append(out, Let("gz", Call("agz")), Observe(Await(ANext(Var("gz")))))
	}
	return out
}

func (p *prog) boundNames() []string {
	var names []string
	for n := range p.used {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// target is what an operation steps: usually a generator variable, some
// times the iterator instance or a fresh generator.
func (p *prog) target() (e *Expr, isGen bool) {
	switch p.weighted(8, 3, 2) {
	case 0:
		if len(p.globals) > 0 {
			return Var(oneOf(p, p.globals...)), true
		}
	case 1:
		if p.used["i0"] {
			return Var("i0"), false
		}
	case 2:
		if len(p.iters) > 0 && p.chance(2) {
			return p.newIter(p.iters[0]), false
		}
		// A fresh generator is left suspended by most operations: only
		// where collection is deterministic.
		if len(p.agens) > 0 && p.collect {
			return Call(oneOf(p, p.agens...)), true
		}
	}
	if len(p.globals) > 0 {
		return Var(p.globals[0]), true
	}
	return Var("i0"), false
}

// genVar is a generator variable, or "" if main has none.
func (p *prog) genVar() string {
	if len(p.globals) == 0 {
		return ""
	}
	return oneOf(p, p.globals...)
}

// step is one awaited step of target: anext with or without default, or
// __anext__ by name.
func (p *prog) step(it *Expr, isGen bool) *Expr {
	if !isGen {
		if !p.has(CapANextBuiltin) || p.chance(3) {
			return Await(Method(it, "__anext__"))
		}
		p.need(CapANextBuiltin)
		if p.iterRaisesSync() || p.chance(2) {
			return Await(ANext(it))
		}
		return Await(ANext(it, Lit("D")))
	}
	switch p.weighted(5, 3, 1) {
	case 1:
		return Await(ANext(it, p.defaultLit()))
	case 2:
		return Await(Method(it, "__anext__"))
	}
	return Await(ANext(it))
}

// iterRaisesSync says whether the program has an iterator class whose plain-def
// __anext__ raises synchronously (no anext default then: gh-131670).
func (p *prog) iterRaisesSync() bool {
	for _, ic := range p.iters {
		if ic.raisesSync {
			return true
		}
	}
	return false
}

// asyncOp is one top-level statement of an async main.
func (p *prog) asyncOp() Stmt {
	for {
		it, isGen := p.target()
		g := p.genVar()
		switch p.weighted(14, 4, 4, 3, 3, 6, 3, 3, 2, 2, 3, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 2) {
		case 0:
			return Observe(p.step(it, isGen))
		case 1:
			if g != "" && p.has(CapAsyncGenMethods) {
				p.need(CapAsyncGenMethods)
				return Observe(Await(Method(Var(g), "asend", p.lit())))
			}
		case 2:
			if g != "" && p.has(CapAsyncGenMethods) {
				p.need(CapAsyncGenMethods)
				return Observe(Await(Method(Var(g), "athrow", p.athrowArg())))
			}
		case 3:
			if g != "" && p.has(CapAsyncGenMethods) {
				p.need(CapAsyncGenMethods)
				return Observe(Await(Method(Var(g), "aclose")))
			}
		case 4:
			// An awaitable made now, awaited later (O03, O09), maybe twice (O04).
			if g != "" {
				return p.makePending(g)
			}
		case 5:
			if p.pending > 0 {
				return p.usePending()
			}
		case 6:
			return p.asyncForOp(it, isGen)
		case 7:
			if p.has(CapAsyncComprehensions) {
				return p.comprehensionOp(it)
			}
		case 8:
			if g != "" && p.has(CapTasks) && !p.tasked[g] {
				p.need(CapTasks)
				p.tasked[g] = true
				args := []*Expr{ANext(Var(g)), oneOf(p, ANext(Var(g)), ANext(Var(g), Lit("D")), Call("co"))}
				if args[1].Func == "co" {
					args[1] = p.stepOther(g)
				}
				call := Call("asyncio.gather", args...)
				if !p.chance(4) {
					call = call.WithKwarg("return_exceptions", Lit(true))
				}
				return Observe(Await(call))
			}
		case 9:
			if g != "" && p.has(CapTasks) && !p.tasked[g] {
				return p.taskOp(g)
			}
		case 10:
			if g != "" && p.collect && !p.tasked[g] {
				return p.dropOp(g)
			}
		case 11:
			if g != "" {
				return p.syncUseOp(g)
			}
		case 12:
			if g != "" && p.has(CapIntrospection) {
				p.need(CapIntrospection)
				return Observe(Attr(Var(g), oneOf(p, "ag_running", "ag_running")))
			}
		case 13:
			return Observe(p.inspect(it, isGen))
		case 14:
			if p.has(CapCompile) {
				p.need(CapCompile)
				return Observe(p.compileExpr())
			}
		case 15:
			return Do(Await(Sleep(0)))
		case 16:
			if g != "" && p.has(CapAsyncGenMethods) {
				// A generator stepping in the middle of a try in main.
				p.need(CapAsyncGenMethods)
				return Try(Observe(Await(ANext(Var(g)))), Observe(Await(Method(Var(g), "athrow", p.athrowArg())))).
					Except(p.handlerType(), "err", Observe(Var("err"))).
					WithFinally(Emit("main finally"))
			}
		case 17:
			if g != "" {
				// Driving the awaitable by hand inside the loop.
				return p.byHand(g)
			}
		case 18:
			if g != "" && p.collect && !p.tasked[g] {
				// Rebinding drops the old generator, suspended or not.
				return Let(g, Call(oneOf(p, p.agens...)))
			}
		case 19:
			return p.wrongIterableOp()
		case 20:
			if st, ok := p.instanceDunderOp(); ok {
				return st
			}
		case 21:
			return p.whileOp(it, isGen)
		}
	}
}

// whileOp steps target in a while loop bounded by a counter (set before
// it), some times left by break when a step gives a certain value.
func (p *prog) whileOp(it *Expr, isGen bool) Stmt {
	p.used["w"] = true
	body := []Stmt{Let("w", BinOp(Var("w"), "+", Lit(1))), Let("x", p.step(it, isGen)), Observe(Var("x"))}
	if p.chance(2) {
		body = append(body, If(BinOp(Var("x"), "==", p.lit()), Break()))
	}
	loop := While(BinOp(Var("w"), "<", Lit(2+p.pick(3))), body...)
	if p.chance(2) {
		loop = loop.WithElse(Emit("while else"))
	}
	p.before = append(p.before, Let("w", Lit(0)))
	return loop
}

// afterStmts run once asyncio.run has returned, with no event loop and
// asyncio's finalizer hooks gone: a generator asyncio.run closed (the
// survivor gz), or a new one, stepped by hand (L16, L17).
func (p *prog) afterStmts() []Stmt {
	out := []Stmt{Emit("after asyncio.run")}
	step := func(g string) Stmt {
		return p.handSteps(nil, Method(Method(Var(g), "__anext__"), "send", Lit(nil)))
	}
	if p.survivor && p.chance(2) {
		out = append(out, step("gz"))
	}
	p.agz = true
	out = append(out, Let("h", Call("agz")), step("h"))
	switch {
	case p.collect && p.chance(2):
		// Dropped suspended with no finalizer hook: closed at once.
		p.need(CapDeterministicCollect)
		out = append(out, Let("h", Lit(nil)), Do(Call("gc.collect")))
	case p.has(CapAsyncGenMethods) && p.chance(2):
		p.need(CapAsyncGenMethods)
		out = append(out, p.handSteps(nil, Method(Method(Var("h"), "aclose"), "send", Lit(nil))))
	default: // exhausted by hand: 2, then the finally and StopAsyncIteration
		out = append(out, step("h"), step("h"))
	}
	return out
}

// athrowArg is what athrow throws: mostly exceptions, some times a
// non-exception (T07) or a BaseException that is not an Exception.
func (p *prog) athrowArg() *Expr {
	switch p.weighted(12, 1, 1) {
	case 1:
		return p.lit()
	case 2:
		return Var(oneOf(p, "SystemExit", "KeyboardInterrupt"))
	}
	return p.exc()
}

// stepOther is another step a gather runs next to anext(g).
func (p *prog) stepOther(g string) *Expr {
	for _, o := range p.globals {
		if o != g && !p.tasked[o] {
			p.tasked[o] = true
			return ANext(Var(o), Lit("D"))
		}
	}
	if !p.has(CapAsyncGenMethods) {
		return ANext(Var(g), Lit("D"))
	}
	p.need(CapAsyncGenMethods)
	return Method(Var(g), "asend", Lit(nil))
}

func (p *prog) makePending(g string) Stmt {
	name := fmt.Sprintf("a%d", p.pending)
	p.pending++
	p.used[name] = true
	var e *Expr
	switch p.weighted(4, 2, 1, 1, 1) {
	case 0:
		e = ANext(Var(g))
	case 1:
		e = p.anextDefault(g, Lit("D"))
	case 2:
		e = Method(Var(g), "asend", p.lit())
	case 3:
		e = Method(Var(g), "athrow", p.exc())
	case 4:
		e = Method(Var(g), "aclose")
	}
	if (e.Kind == MethodExpr) && !p.has(CapAsyncGenMethods) {
		e = ANext(Var(g))
	} else if e.Kind == MethodExpr {
		p.need(CapAsyncGenMethods)
	}
	return Let(name, e)
}

func (p *prog) usePending() Stmt {
	a := Var(fmt.Sprintf("a%d", p.pick(p.pending)))
	switch p.weighted(6, 1, 1) {
	case 1:
		return p.handSteps(a, Method(a, "throw", p.exc()))
	case 2:
		return Observe(Method(a, "close"))
	}
	return Observe(Await(a))
}

// handSteps observes expr, a send or throw on an awaitable, and the value
// of the StopIteration that ends it.
func (p *prog) handSteps(_ *Expr, step *Expr) Stmt {
	return Try(Observe(step)).Except("StopIteration", "e", Emit("stop", Attr(Var("e"), "value")))
}

func (p *prog) byHand(g string) Stmt {
	var aw *Expr
	switch p.pick(3) {
	case 0:
		aw = Method(Var(g), "__anext__")
	case 1:
		aw = p.anextDefault(g, Lit("D"))
	default:
		if p.has(CapAsyncGenMethods) {
			p.need(CapAsyncGenMethods)
			aw = Method(Var(g), oneOf(p, "asend", "athrow"), p.exc())
			if aw.Name == "asend" {
				aw.Args[0] = *Lit(nil)
			}
		} else {
			aw = Method(Var(g), "__anext__")
		}
	}
	step := Method(aw, "send", Lit(nil))
	if p.chance(3) {
		step = Method(aw, "throw", p.exc())
	}
	return p.handSteps(aw, step)
}

func (p *prog) asyncForOp(it *Expr, isGen bool) Stmt {
	// The loop's target: a name, a tuple of names (an item that is not a
	// pair raises from the loop: G25), or an element of a list.
	var target *Expr
	x := Var("x")
	body := []Stmt{Observe(x)}
	switch p.weighted(8, 3, 1, 1) {
	case 1:
		target, x = Unpack("k", "v"), Var("v")
		body = []Stmt{Observe(Var("k")), Observe(x)}
		p.used["k"], p.used["v"] = true, true
	case 2:
		target, x = Unpack("k"), Var("k")
		body = []Stmt{Observe(x)}
		p.used["k"] = true
	case 3:
		target, x = Subscript(Var("d"), Lit(p.pick(2))), Var("d")
		body = []Stmt{Observe(x)}
		p.used["d"] = true
		p.before = append(p.before, Let("d", ListOf(Lit(0), Lit(0))))
	}
	switch p.weighted(3, 3, 2, 2, 1, 2, 2) {
	case 1:
		body = append(body, If(BinOp(x, "==", p.lit()), Break()))
	case 2:
		body = append(body, If(BinOp(x, "==", p.lit()), Continue()), Emit("after continue"))
	case 3:
		// Step the iterated generator from inside the loop.
		if isGen && it.Kind == VarExpr {
			body = append(body, Observe(p.step(it, true)))
		}
	case 4:
		body = append(body, If(BinOp(x, "==", p.lit()), Raise(p.exc())))
	case 5:
		body = append(body, Do(Await(Sleep(0))))
	case 6:
		// An item that is not subscriptable raises from the loop.
		body = append(body, Observe(Subscript(x, Lit(0))))
	}
	if !p.collect && it.Kind != VarExpr {
		// A fresh generator left suspended by break or raise would be
		// finalised when a collector gets to it.
		body = body[:1]
	}
	loop := AsyncFor("x", it, body...)
	if target != nil {
		loop = loop.Into(target)
	}
	if p.chance(2) {
		loop = loop.WithElse(Emit("else"))
	}
	if isGen && it.Kind == CallExpr && p.collect {
		p.need(CapDeterministicCollect)
	}
	return loop
}

func (p *prog) comprehensionOp(it *Expr) Stmt {
	p.need(CapAsyncComprehensions)
	var ifs []*Expr
	if p.chance(3) {
		ifs = append(ifs, BinOp(Var("x"), "!=", p.lit()))
	}
	elem := Var("x")
	if p.chance(4) {
		elem = TupleOf(Var("x"), Await(Sleep(0)))
	}
	clause := AsyncClause("x", it, ifs...)
	if p.chance(5) {
		clause = AsyncClause("", it).Into(Unpack("k", "v"))
		elem = TupleOf(Var("v"), Var("k"))
	}
	switch p.weighted(5, 2, 1, 2) {
	case 1:
		return Observe(Comprehension(SetForm, Lit(1), clause))
	case 2:
		return Observe(DictComprehension(Lit("k"), elem, clause))
	case 3:
		// An async generator expression drained by an async comprehension.
		inner := Comprehension(GenexpForm, elem, clause)
		return Observe(Comprehension(ListForm, Var("y"), AsyncClause("y", inner)))
	}
	return Observe(Comprehension(ListForm, elem, clause))
}

// taskOp steps g in a task, which main may cancel before awaiting it.
func (p *prog) taskOp(g string) Stmt {
	p.need(CapTasks)
	p.tasked[g] = true
	p.used["t"] = true
	var coro *Expr
	if p.chance(2) && p.consumerDefined() {
		coro = Call("consume", Var(g))
	} else {
		coro = ANext(Var(g))
	}
	body := []Stmt{Let("t", Call("asyncio.create_task", coro))}
	for i := p.pick(3); i > 0; i-- {
		body = append(body, Do(Await(Sleep(0))))
	}
	if p.chance(2) {
		body = append(body, Observe(Method(Var("t"), "cancel")))
	}
	body = append(body, Observe(Await(Var("t"))))
	return Try(body...).Except("BaseException", "err", Observe(Var("err")))
}

func (p *prog) consumerDefined() bool { return p.consumer }

// dropOp deletes a generator variable, collects, lets finalisers run and
// rebinds it: finalisation while suspended.
func (p *prog) dropOp(g string) Stmt {
	p.need(CapDeterministicCollect)
	body := []Stmt{Del(g), Do(Call("gc.collect")), Do(Await(Sleep(0))), Do(Await(Sleep(0))), Emit("collected")}
	body = append(body, Let(g, Call(oneOf(p, p.agens...))))
	return Try(body...).Except("BaseException", "err", Observe(Var("err")))
}

// syncUseOp uses a generator where a sync iterable is expected (S01, S02,
// SEED-SYNC-FOR-REJECT) or checks what it is (X06, SEED-AGEN-PROTOCOL).
func (p *prog) syncUseOp(g string) Stmt {
	switch p.pick(4) {
	case 0:
		return For("x", Var(g), Observe(Var("x")))
	case 1:
		return Observe(Call("list", Var(g)))
	case 2:
		return Observe(Call("isinstance", Var(g), Var(oneOf(p, "collections.abc.AsyncIterator", "collections.abc.AsyncGenerator", "collections.abc.Coroutine"))))
	}
	return Observe(Call("hasattr", Var(g), Lit(oneOf(p, "__aiter__", "__anext__", "__next__", "__iter__", "aclose"))))
}

// inspect checks what aiter() returns, what awaitables are (typename),
// and the ABCs, for a target.
func (p *prog) inspect(it *Expr, isGen bool) *Expr {
	switch p.pick(3) {
	case 0:
		if p.has(CapAIterBuiltin) || isGen {
			if !isGen {
				p.need(CapAIterBuiltin)
			}
			return Is(AIter(it), it)
		}
	case 1:
		if isGen && p.has(CapIntrospection) {
			p.need(CapIntrospection)
			m := oneOf(p, "__anext__", "aclose")
			if m == "aclose" && !p.has(CapAsyncGenMethods) {
				m = "__anext__"
			} else if m == "aclose" {
				p.need(CapAsyncGenMethods)
			}
			return TypeName(Method(it, m))
		}
	}
	return Call("isinstance", it, Var(oneOf(p, "collections.abc.AsyncIterator", "collections.abc.AsyncIterable")))
}

// notAsyncIterable is an object async iteration must reject: a list or
// tuple display, an int, None, a string, a range, a sync generator
// (S03-S06, S15, B01, B04).
func (p *prog) notAsyncIterable() *Expr {
	switch p.pick(7) {
	case 0:
		return ListOf(p.lit(), p.lit())
	case 1:
		return TupleOf(p.lit())
	case 2:
		return Lit(oneOf[any](p, 1, nil, "ab"))
	case 3:
		return Call("range", Lit(2))
	case 4:
		if p.syncGen {
			return Call("sg")
		}
	case 5:
		if p.used["i0"] {
			return Call("iter", ListOf(Lit(1)))
		}
	}
	return ListOf()
}

// wrongIterableOp iterates asynchronously over something that is not
// async iterable.
func (p *prog) wrongIterableOp() Stmt {
	x := p.notAsyncIterable()
	for {
		switch p.pick(4) {
		case 0:
			return AsyncFor("x", x, Observe(Var("x"))).WithElse(Emit("else"))
		case 1:
			if p.has(CapAsyncComprehensions) {
				p.need(CapAsyncComprehensions)
				return Observe(Comprehension(ListForm, Var("x"), AsyncClause("x", x)))
			}
		case 2:
			if p.has(CapAIterBuiltin) {
				p.need(CapAIterBuiltin)
				return Observe(AIter(x))
			}
		case 3:
			if p.has(CapANextBuiltin) {
				p.need(CapANextBuiltin)
				if p.chance(2) {
					return Observe(Await(ANext(x, Lit("D"))))
				}
				return Observe(Await(ANext(x)))
			}
		}
	}
}

// instanceDunderOp sets __aiter__, __anext__ or __await__ on an instance,
// which the protocol ignores: special methods are looked up on the type
// (W07).
func (p *prog) instanceDunderOp() (Stmt, bool) {
	if len(p.awaits) > 0 && (p.chance(3) || !p.used["i0"]) {
		p.used["w"] = true
		return Try(
			Let("w", Call(oneOf(p, p.awaits...))),
			SetAttr(Var("w"), "__await__", Lambda(Call("iter", ListOf()))),
			Observe(Await(Var("w"))),
		).Except("BaseException", "err", Observe(Var("err"))), true
	}
	if !p.used["i0"] {
		return Stmt{}, false
	}
	// What the instance attribute returns differs from what the class's
	// method does, so that using it shows.
	name := oneOf(p, "__aiter__", "__anext__")
	return SetAttr(Var("i0"), name, Lambda(oneOf(p, Var("i0"), Lit(nil), ListOf()))), true
}

// anextDefault is anext(g, d) for a program that will drive, throw into,
// close or re-await the awaitable by hand: that needs the builtin, since
// the substitution a harness may use without it (FORMAT.md) is a
// coroutine, which behaves differently there. Without the builtin it is
// g.__anext__().
func (p *prog) anextDefault(g string, d *Expr) *Expr {
	if !p.has(CapANextBuiltin) {
		return Method(Var(g), "__anext__")
	}
	p.need(CapANextBuiltin)
	return ANext(Var(g), d)
}
