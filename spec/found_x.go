package spec

import (
	. "github.com/aiterspec/aiterspec/scenario"
)

// Behaviours of family X found by differential search (`aiterspec diff`).
var _ = family("X", func() {
	behaviour("X11", "a Future cannot hold StopIteration: set_exception(StopIteration) raises TypeError (3.13: the future holds a RuntimeError caused by it)",
		spec("a future made done with StopIteration('boom'), then awaited").
			Needs(CapTasks).
			Main(Observe(Await(FutureException(Exc("StopIteration", "boom"))))).
			Observes(Raises("TypeError", "StopIteration interacts badly with generators and cannot be raised into a Future")).
			Since(">= 3.13", "3.13 stores a RuntimeError caused by the StopIteration instead of refusing it",
				Raises("RuntimeError", "StopIteration interacts badly with generators and cannot be raised into a Future").CausedBy("StopIteration", "boom")),
	)
})
