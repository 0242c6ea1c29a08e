// Package speclock serialises `go tool ginkgo ./spec` runs of one checkout.
//
// Ginkgo's CLI compiles a suite to a fixed path inside its folder
// (spec/spec.test) and deletes it afterwards, so two runs of ./spec at once
// (two `aiterspec check --adapter` runs, or tests that run the ginkgo CLI
// in parallel) remove each other's binary: "Output file spec/spec.test
// could not be found". Lock takes an exclusive lock on the spec folder
// itself (flock on the directory: no lock file is created or left behind).
package speclock

// Lock blocks until this process holds the lock on dir, and returns the
// function that releases it.
func Lock(dir string) (unlock func(), err error) { return lock(dir) }
