package scenario

// Scenario is one test case: definitions, a main body, and how to run it.
// It carries no expectations; those belong to the spec that sends it.
type Scenario struct {
	// ID is the behaviour id the scenario exercises, e.g. "SEED-AGEN-ORDER"
	// or "G05". Several scenarios may share one.
	ID string `json:"id"`
	// Title says in one line what the scenario checks.
	Title string `json:"title,omitempty"`
	// Needs lists the capabilities the scenario cannot run without. A harness
	// that lacks one answers unsupported instead of running it.
	Needs []Capability `json:"needs,omitempty"`
	// Mode says how main runs; the zero value is AsyncMode.
	Mode Mode `json:"mode,omitempty"`
	// Report asks for extra observations: "warnings" records each warning
	// as event "warning" with value "Category: message"; "unraisable"
	// records each unraisable exception (sys.unraisablehook) as event
	// "unraisable" with the exception as value; "loop-exceptions" (async
	// mode only) records each call of the event loop's exception handler
	// as event "loop exception" with value (message, exception).
	Report []string `json:"report,omitempty"`
	// Module holds module-level statements, run before main: defs,
	// classes, lets.
	Module []Stmt `json:"module,omitempty"`
	// Main is the body of main. An exception escaping one of its top-level
	// statements is recorded as a raised observation and main goes on with
	// the next statement.
	Main []Stmt `json:"main,omitempty"`
	// After holds statements run at module level once asyncio.run has
	// returned (async mode only): what is observable when the event loop
	// is gone.
	After []Stmt `json:"after,omitempty"`
	// Source is the verbatim program of a SourceMode scenario.
	Source string `json:"source,omitempty"`
}

// Mode says how a scenario's main runs.
type Mode string

const (
	// AsyncMode runs main as `async def main()` under `asyncio.run`
	// (the default, encoded as an absent mode).
	AsyncMode Mode = ""
	// SyncMode runs main as a plain function with no event loop.
	SyncMode Mode = "sync"
	// SourceMode runs Source as a program (`python3 program.py`): each line
	// it prints is an event "stdout" whose value is the line, and an
	// exception that ends it is a raised observation (with its cause).
	SourceMode Mode = "source"
)

// The report options of [Scenario.Report].
const (
	ReportWarnings       = "warnings"
	ReportUnraisable     = "unraisable"
	ReportLoopExceptions = "loop-exceptions"
)

// ReportOptions lists the report options, in documentation order.
var ReportOptions = []string{ReportWarnings, ReportUnraisable, ReportLoopExceptions}

// Capability is something an implementation may lack. Harnesses announce
// theirs in the handshake; scenarios list what they need.
type Capability string

// The capabilities. A scenario that calls anext or aiter without listing
// the builtin's capability lets a harness lacking the builtin substitute
// the protocol-level equivalent (type(it).__anext__(it)).
const (
	CapAsyncGenerators      Capability = "async-generators"      // async def with yield
	CapANextBuiltin         Capability = "anext-builtin"         // the anext() builtin itself is under test
	CapAIterBuiltin         Capability = "aiter-builtin"         // the aiter() builtin itself is under test
	CapAsyncGenMethods      Capability = "agen-methods"          // asend, athrow, aclose
	CapAsyncComprehensions  Capability = "async-comprehensions"  // async for in comprehensions, async genexps
	CapCompile              Capability = "compile"               // compile() reporting SyntaxError with msg and lineno
	CapTasks                Capability = "tasks"                 // asyncio.create_task, gather, cancel, futures
	CapDeterministicCollect Capability = "deterministic-collect" // del + gc.collect() finalises at once (refcounting)
	CapSource               Capability = "source"                // run a verbatim program (SourceMode)
	CapIntrospection        Capability = "introspection"         // ag_running, ag_frame, ag_await, type names
)

// Capabilities lists every capability, in documentation order.
var Capabilities = []Capability{
	CapAsyncGenerators, CapANextBuiltin, CapAIterBuiltin, CapAsyncGenMethods,
	CapAsyncComprehensions, CapCompile, CapTasks, CapDeterministicCollect,
	CapSource, CapIntrospection,
}

// Missing returns the capabilities s needs that have does not include.
func (s *Scenario) Missing(have []Capability) []Capability {
	var missing []Capability
	for _, need := range s.Needs {
		found := false
		for _, h := range have {
			if h == need {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, need)
		}
	}
	return missing
}
