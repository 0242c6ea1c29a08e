// Package interp is the scenario interpreter. It registers the adapter "reference": the scenario
// language interpreted in process on the Go reference implementation of
// the async iteration protocol (package
// github.com/aiterspec/aiterspec/reference), with CPython 3.11's
// semantics. It is the suite's default implementation.
//
// Every protocol operation the interpreter performs goes through an
// [Ops] value, so that a test can run the suite against deliberately
// broken variants ([New] with one field wrapped) and see it fail.
package interp

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/reference"
	"github.com/aiterspec/aiterspec/scenario"
)

// Version is the adapter's version, reported in Info.
const Version = "0.1.0"

func init() {
	adapters.Register(adapters.Registration{
		Name:    "reference",
		Usage:   "reference",
		Summary: "the built-in Go reference implementation (in-process; CPython 3.11 semantics, with gh-131670 fixed)",
		Open: func(arg string, opts adapters.Options) (adapters.Adapter, error) {
			if arg != "" {
				return nil, fmt.Errorf("the reference adapter takes no argument (got %q)", arg)
			}
			return New(DefaultOps(), opts), nil
		},
	})
}

// capabilities are everything FORMAT.md lists but source mode: the
// interpreter runs scenario trees, not Python source text.
var capabilities = []scenario.Capability{
	scenario.CapAsyncGenerators, scenario.CapANextBuiltin, scenario.CapAIterBuiltin,
	scenario.CapAsyncGenMethods, scenario.CapAsyncComprehensions, scenario.CapCompile,
	scenario.CapTasks, scenario.CapDeterministicCollect, scenario.CapIntrospection,
}

// adapter runs scenarios on the reference library through ops.
type adapter struct {
	ops  Ops
	opts adapters.Options
}

// New returns an adapter that interprets scenarios with ops, which must
// have every field set (start from [DefaultOps]). The registered adapter
// "reference" is New(DefaultOps(), opts).
func New(ops Ops, opts adapters.Options) adapters.Adapter {
	return &adapter{ops: ops, opts: opts}
}

// Info implements adapters.Adapter.
func (a *adapter) Info() adapters.Info {
	return adapters.Info{
		Name:            "reference",
		Version:         Version,
		Language:        "python",
		LanguageVersion: "3.11",
		Capabilities:    append([]scenario.Capability(nil), capabilities...),
	}
}

// Close implements adapters.Adapter; there is nothing to release between
// runs (each Run releases its own runtime).
func (a *adapter) Close() error { return nil }

// Run implements adapters.Adapter. The scenario runs on a goroutine of its
// own so that it can be abandoned: past the time limit (or when ctx is
// done) the interpreter is told to stop at its next statement, and the
// result is Errored. A panic while running is Errored too, with the
// panic value and a short stack. The runtime is closed after every run,
// releasing every coroutine stack.
func (a *adapter) Run(ctx context.Context, s *scenario.Scenario) adapters.Result {
	if res, ok := precheck(s); !ok {
		return res
	}
	timeout := a.opts.Timeout()
	if err := ctx.Err(); err != nil {
		return adapters.Result{State: adapters.Errored, Reason: "not run: " + err.Error()}
	}
	var abort atomic.Bool
	done := make(chan adapters.Result, 1)
	go func() { done <- runScenario(a.ops, s, &abort) }()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var reason string
	select {
	case res := <-done:
		return res
	case <-timer.C:
		reason = fmt.Sprintf("timed out after %v", timeout)
	case <-ctx.Done():
		reason = "stopped: " + ctx.Err().Error()
	}
	abort.Store(true)
	// The interpreter stops at its next statement; give it a moment to
	// unwind and release its runtime, without waiting on a scenario that
	// never reaches one.
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		reason += " (and did not stop when told to)"
	}
	return adapters.Result{State: adapters.Errored, Reason: reason}
}

// precheck answers what does not need running: source mode (the
// reference interprets scenario trees only), names and literals the
// Python harness could not render (unsupported, as it answers), and
// programs that would not compile (errored, as the harness answers for
// them).
func precheck(s *scenario.Scenario) (res adapters.Result, ok bool) {
	defer func() {
		// Validate rejects what a tree built in Go can hold and the
		// wire format cannot (a nil expression, a comprehension without
		// clauses); should it miss something, the checks below report
		// their panic instead of ending the run.
		if p := recover(); p != nil {
			res, ok = adapters.Result{State: adapters.Errored, Reason: fmt.Sprintf("malformed scenario: %v", p)}, false
		}
	}()
	if err := scenario.Validate(s); err != nil {
		return adapters.Result{State: adapters.Errored, Reason: "malformed scenario: " + err.Error()}, false
	}
	if s.Mode == scenario.SourceMode {
		return adapters.Result{State: adapters.Unsupported,
			Reason: "the reference interprets scenario trees and cannot run verbatim Python source (source mode)"}, false
	}
	for _, need := range s.Needs {
		if need == scenario.CapSource {
			return adapters.Result{State: adapters.Unsupported, Reason: "the reference lacks source"}, false
		}
	}
	if reason := validate(s); reason != "" {
		return adapters.Result{State: adapters.Unsupported, Reason: reason}, false
	}
	if e := checkProgram(s); e != nil {
		return adapters.Result{State: adapters.Errored,
			Reason: fmt.Sprintf("the rendered program is not valid Python: SyntaxError: %s (%s)", e.msg, e.where)}, false
	}
	return adapters.Result{}, true
}

// runScenario interprets s to the end and returns its observations.
func runScenario(ops Ops, s *scenario.Scenario, abort *atomic.Bool) (res adapters.Result) {
	r := reference.NewRuntime()
	r.Stderr = io.Discard
	interp := &interpreter{
		ops: ops, runtime: r, sc: s, abort: abort, recording: true,
		globals:  map[string]reference.Object{},
		codes:    map[any]*code{},
		funcs:    map[*reference.Function]*funcObj{},
		classes:  map[*reference.Class]bool{},
		counters: map[counterKey]int{},
	}
	interp.initLife()
	for _, rep := range s.Report {
		switch rep {
		case scenario.ReportWarnings:
			interp.warnings = true
		case scenario.ReportUnraisable:
			interp.unraisable = true
		case scenario.ReportLoopExceptions:
			interp.loopErrors = true
		}
	}
	r.OnWarning = func(category *reference.Class, message string) {
		if interp.recording && interp.warnings {
			v := scenario.V(category.Name + ": " + message)
			interp.obs = append(interp.obs, scenario.Observation{Kind: scenario.ObservedEvent, Event: "warning", Value: &v})
		}
	}
	r.OnUnraisable = func(exc *reference.Exception, _ reference.Object) {
		if interp.recording && interp.unraisable {
			v := toValue(exc)
			interp.obs = append(interp.obs, scenario.Observation{Kind: scenario.ObservedEvent, Event: "unraisable", Value: &v})
		}
	}
	r.OnFree = interp.freed
	interp.installNames()
	defer func() {
		p := recover()
		interp.closing = true
		interp.recording = false
		r.Close()
		switch {
		case p == abortSignal:
			res = adapters.Result{State: adapters.Errored, Reason: "aborted"}
		case p != nil:
			stack := interp.panicStack
			if stack == nil {
				stack = debug.Stack()
			}
			res = adapters.Result{State: adapters.Errored,
				Reason: fmt.Sprintf("reference adapter panic: %v\n%s", p, shortStack(stack))}
		}
	}()
	if errored := interp.run(); errored != "" {
		return adapters.Result{State: adapters.Errored, Reason: errored}
	}
	return adapters.Result{State: adapters.Completed, Observations: interp.obs}
}

// run executes module then main. It returns a reason when the run broke
// the way a CPython run would hang.
func (interp *interpreter) run() string {
	s := interp.sc
	modAct := &activation{kind: globalActivation, vars: interp.globals}
	interp.enterSync(modAct)
	for i := range s.Module {
		interp.execTop(modAct, &s.Module[i])
	}
	interp.exitSync(modAct)

	main := &code{name: "_aiterspec_main", qualname: "_aiterspec_main", body: s.Main, main: true}
	mainAct := &activation{kind: globalActivation, code: main, vars: interp.globals, depth: 1, qualprefix: "_aiterspec_main.<locals>."}
	yields := hasYield(s.Main)
	if s.Mode == scenario.SyncMode {
		if yields {
			main.kind = generatorCode
			interp.mainObj = interp.makeFrameObject(main, mainAct)
		} else {
			interp.enterSync(mainAct)
			interp.runBody(mainAct)
			interp.exitSync(mainAct)
		}
		interp.recording = false
		return ""
	}
	main.kind = coroutineCode
	if yields {
		main.kind = asyncGenCode
	}
	interp.mainObj = interp.makeFrameObject(main, mainAct)
	interp.cur = nil
	_, err := interp.ops.Run(interp.runtime, interp.mainObj)
	interp.recording = false
	if err != nil {
		exc := reference.AsException(err)
		if exc.Matches(reference.ExcRuntimeError) && strings.HasPrefix(exc.Str(), "event loop deadlock") {
			// CPython would wait forever here: what the harness reports
			// as a time-out.
			return "the scenario hangs: " + exc.Str()
		}
		interp.recording = true
		interp.recordRaised(exc)
		interp.recording = false
	}
	// The after block runs at module level once asyncio.run has returned,
	// still recorded.
	if len(s.After) > 0 {
		interp.recording = true
		afterAct := &activation{kind: globalActivation, vars: interp.globals}
		interp.enterSync(afterAct)
		for i := range s.After {
			interp.execTop(afterAct, &s.After[i])
		}
		interp.exitSync(afterAct)
		interp.recording = false
	}
	return ""
}

// recordLoopException records a call of the event loop's exception
// handler: event "loop exception" with (message up to the first " <",
// where asyncio appends an object's repr, and the exception or None).
func (interp *interpreter) recordLoopException(ctx reference.ExceptionContext) {
	if !interp.recording {
		return
	}
	message, _, _ := strings.Cut(ctx.Message, " <")
	var exc reference.Object = reference.None
	if ctx.Exception != nil {
		exc = ctx.Exception
	}
	v := toValue(reference.NewTuple(message, exc))
	interp.obs = append(interp.obs, scenario.Observation{Kind: scenario.ObservedEvent, Event: "loop exception", Value: &v})
}

// shortStack keeps the interesting part of a goroutine stack: the frames
// after the panic, up to twenty lines.
func shortStack(stack []byte) string {
	lines := strings.Split(strings.TrimSpace(string(stack)), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "panic(") {
			lines = lines[i:]
			break
		}
	}
	if len(lines) > 20 {
		lines = lines[:20]
	}
	return strings.Join(lines, "\n")
}
