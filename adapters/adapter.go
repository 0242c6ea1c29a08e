// Package adapters connects the suite to implementations of the async
// iteration protocol. An [Adapter] describes its implementation and runs
// scenarios on it; the registry maps adapter names (as given to
// --adapter) to constructors.
//
// Each implementation lives in its own subpackage and registers itself
// from an init function; import [github.com/aiterspec/aiterspec/adapters/all]
// to register them all.
package adapters

import (
	"context"
	"time"

	"github.com/aiterspec/aiterspec/scenario"
)

// Adapter runs scenarios on one implementation.
//
// Run is called for one scenario at a time; an adapter need not be safe
// for concurrent use (parallel suite runs open one adapter per process).
type Adapter interface {
	// Info describes the implementation. It does not change after Open.
	Info() Info
	// Run runs s and returns what happened. It returns when the scenario
	// finished, failed to run, or ctx is done (then with State Errored).
	// A scenario that breaks the implementation (a crash, a hang, garbage
	// output) is Errored; the adapter must be usable for the next scenario.
	Run(ctx context.Context, s *scenario.Scenario) Result
	// Close releases the implementation (stops its processes). Run must not
	// be called after Close.
	Close() error
}

// Preparer is an adapter that can get ready for scenarios before it runs
// them: the cython adapter compiles their programs, in parallel, while the
// first ones run. The suite hands Prepare every scenario it may run, once,
// before the first Run. Prepare returns at once and works in the
// background; Run of a scenario not prepared yet must work all the same,
// and Close stops the work.
type Preparer interface {
	Prepare(scenarios []*scenario.Scenario)
}

// Info describes an implementation, as its harness reported in the
// handshake.
type Info struct {
	// Name identifies the implementation, e.g. "cpython", "pypy", "reference".
	Name string `json:"name"`
	// Version is the implementation's own version, e.g. "7.3.11" for PyPy.
	Version string `json:"version"`
	// Language is the language whose protocol is implemented: "python".
	Language string `json:"language"`
	// LanguageVersion is the language version implemented, e.g. "3.11.7".
	LanguageVersion string `json:"language_version"`
	// Capabilities lists what the implementation can run (see
	// [scenario.Capability]).
	Capabilities []scenario.Capability `json:"capabilities"`
}

// State is the outcome of running one scenario.
type State string

const (
	// Completed: the scenario ran to its end and Observations are what it
	// produced. Whether they are right is for the suite to judge.
	Completed State = "completed"
	// Unsupported: the implementation cannot express the scenario; Reason
	// names what it lacks.
	Unsupported State = "unsupported"
	// Errored: running the scenario broke the implementation or its harness
	// (crash, timeout, protocol violation); Reason holds the evidence.
	Errored State = "errored"
)

// Result is what running one scenario gave.
type Result struct {
	State        State                  `json:"state"`
	Observations []scenario.Observation `json:"observations,omitempty"`
	// Reason explains an Unsupported or Errored result for people.
	Reason string `json:"reason,omitempty"`
}

// Options configure an adapter when it is opened.
type Options struct {
	// ScenarioTimeout bounds each Run; 0 means DefaultScenarioTimeout.
	ScenarioTimeout time.Duration
	// Python overrides the interpreter of Python-based adapters (--python).
	Python string
	// StartTimeout bounds the start of an implementation that runs as a
	// process (until its harness's hello); 0 means DefaultStartTimeout,
	// and lets an adapter give up sooner on a command that prints nothing
	// at all.
	StartTimeout time.Duration
}

// DefaultScenarioTimeout is the time limit of one scenario unless Options
// say otherwise.
const DefaultScenarioTimeout = 10 * time.Second

// DefaultStartTimeout is the start-up limit of a harness process unless
// Options say otherwise.
const DefaultStartTimeout = 20 * time.Second

// Timeout returns o.ScenarioTimeout, or the default if it is unset.
func (o Options) Timeout() time.Duration {
	if o.ScenarioTimeout > 0 {
		return o.ScenarioTimeout
	}
	return DefaultScenarioTimeout
}
