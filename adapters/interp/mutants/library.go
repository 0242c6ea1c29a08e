package mutants

// Library lists the library mutants: bugs at the reference library's own
// mutation points (reference/mutation.go), which a build compiles in only
// with -tags aiterspec_mutants. They are listed in every build, so that
// spec/selftest knows them; opening one in a build without the tag fails,
// naming the tag.
var Library = []Mutant{
	{
		Name:    "lib-running-flag-stays-set",
		Bug:     "ag_running stays True after the body yields an item, so the next step is refused as already running",
		Library: true,
		Catches: []string{"R03", "G16"},
	},
	{
		Name:    "lib-stopasynciteration-escapes-body",
		Bug:     "a StopAsyncIteration raised in an async generator body ends the generator instead of becoming RuntimeError",
		Library: true,
		Catches: []string{"E01"},
	},
	{
		Name:    "lib-stopiteration-escapes-agen-body",
		Bug:     "a StopIteration raised in an async generator body escapes unchanged instead of becoming RuntimeError",
		Library: true,
		Catches: []string{"E02"},
	},
	{
		Name:    "lib-stopiteration-escapes-coroutine",
		Bug:     "a StopIteration raised in a coroutine (an async def __anext__) is taken for its return instead of becoming RuntimeError",
		Library: true,
		Catches: []string{"N10"},
	},
	{
		Name:    "lib-athrow-on-finished-raises",
		Bug:     "athrow() on a finished generator raises the exception instead of returning None",
		Library: true,
		Catches: []string{"T11", "L09"},
	},
	{
		Name:    "lib-aclose-runs-unstarted-body",
		Bug:     "aclose() on a never-started generator runs its body to the first yield before closing it",
		Library: true,
		Catches: []string{"L01"},
	},
	{
		Name:    "lib-athrow-runs-unstarted-body",
		Bug:     "athrow() on a never-started generator runs its body to the first yield before throwing",
		Library: true,
		Catches: []string{"T04"},
	},
	{
		Name:    "lib-anext-default-hides-running",
		Bug:     "anext(g, default) returns the default when g is already running, instead of raising RuntimeError",
		Library: true,
		Catches: []string{"R04"},
	},
	{
		Name:    "lib-shutdown-asyncgens-closes-nothing",
		Bug:     "loop.shutdown_asyncgens() closes no generator, so asyncio.run leaves suspended ones unfinalised",
		Library: true,
		Catches: []string{"L16"},
	},
	{
		Name:    "lib-shutdown-asyncgens-error-escapes",
		Bug:     "an exception a generator raises while loop.shutdown_asyncgens() closes it escapes asyncio.run instead of going to the loop's exception handler",
		Library: true,
		Catches: []string{"L17"},
	},
	{
		Name:    "lib-asend-awaitable-reusable",
		Bug:     "an already-awaited __anext__()/asend() awaitable can be awaited again and steps the generator",
		Library: true,
		Catches: []string{"O04", "O07"},
	},
	{
		Name:    "lib-cancel-not-delivered",
		Bug:     "a task's cancellation (CancelledError thrown at the asend awaitable it awaits) never reaches the generator's body",
		Library: true,
		Catches: []string{"X01"},
	},
	{
		Name:    "lib-aiter-looked-up-on-instance",
		Bug:     "__aiter__ is looked up on the instance before the type",
		Library: true,
		Catches: []string{"SEED-MISSING-AITER"},
	},
	{
		Name:    "lib-await-looked-up-on-instance",
		Bug:     "__await__ is looked up on the instance before the type",
		Library: true,
		Catches: []string{"W07"},
	},
	{
		Name:    "lib-finalizer-closes-immediately",
		Bug:     "asyncio's finalizer hook closes a collected generator at once instead of in a task scheduled with call_soon, so finally runs a loop turn early",
		Library: true,
		Catches: []string{"L13"},
	},
}
