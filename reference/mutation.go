package reference

// A mutation is a deliberate bug in this library that the conformance
// suite's self-test (spec/selftest) switches on, one at a time, to prove
// that some spec fails without the library's correct behaviour. The
// mutation points are compiled in only with -tags aiterspec_mutants
// (mutation_on.go); in any other build mutated is a constant false and
// every `if mutated(...)` compiles away.
type mutation string

// The mutation points, each named for what it breaks; the mutant of each
// (adapters/interp/mutants) says what spec must catch it.
const (
	// ag_running stays True after an item, so the next step is refused.
	mutRunningFlagStaysSet mutation = "lib-running-flag-stays-set"
	// StopAsyncIteration raised in an async generator body ends it.
	mutStopAsyncIterationEscapes mutation = "lib-stopasynciteration-escapes-body"
	// StopIteration raised in an async generator body escapes unchanged.
	mutStopIterationEscapesAgen mutation = "lib-stopiteration-escapes-agen-body"
	// StopIteration raised in a coroutine escapes unchanged (its return).
	mutStopIterationEscapesCoro mutation = "lib-stopiteration-escapes-coroutine"
	// athrow() on a finished generator raises instead of returning None.
	mutAthrowFinishedRaises mutation = "lib-athrow-on-finished-raises"
	// aclose() on a never-started generator runs it to its first yield.
	mutAcloseRunsUnstarted mutation = "lib-aclose-runs-unstarted-body"
	// athrow() on a never-started generator runs it to its first yield.
	mutAthrowRunsUnstarted mutation = "lib-athrow-runs-unstarted-body"
	// anext(g, default) gives the default for "already running".
	mutANextDefaultHidesRunning mutation = "lib-anext-default-hides-running"
	// loop.shutdown_asyncgens() closes nothing.
	mutShutdownAsyncgensSkipped mutation = "lib-shutdown-asyncgens-closes-nothing"
	// An awaited __anext__()/asend() awaitable may be awaited again.
	mutASendReusable mutation = "lib-asend-awaitable-reusable"
	// A CancelledError thrown at an asend awaitable never reaches the body.
	mutCancelNotDelivered mutation = "lib-cancel-not-delivered"
	// __aiter__ is looked up on the instance first.
	mutAiterOnInstance mutation = "lib-aiter-looked-up-on-instance"
	// __await__ is looked up on the instance first.
	mutAwaitOnInstance mutation = "lib-await-looked-up-on-instance"
	// asyncio's finalizer hook closes a collected generator at once.
	mutFinalizerClosesImmediately mutation = "lib-finalizer-closes-immediately"
	// An error closing a generator in shutdown_asyncgens escapes asyncio.run.
	mutShutdownErrorEscapes mutation = "lib-shutdown-asyncgens-error-escapes"
)
