package spec_test

import "github.com/aiterspec/aiterspec/adapters/interp/mutants"

// The suite's own test binary also knows the deliberately broken
// references, as the adapter "mutant:NAME": spec/selftest runs the suite
// against each of them to prove that every bug is caught.
func init() { mutants.Register() }
