//go:build !aiterspec_mutants

package reference

// mutated is false: this build has no mutation points (see mutation.go).
func mutated(mutation) bool { return false }
