// Package spec is aiterspec's conformance suite: Ginkgo specs, one file per
// behaviour family, each spec labelled with its behaviour id (for example
// Label("SEED-AGEN-ORDER") or Label("G05")).
//
// The specs are declared when the package is imported, so a Go
// implementation can run the whole suite from its own tests with one call
// (one per test binary: see TestAdapter):
//
//	func TestConformance(t *testing.T) {
//		spec.TestAdapter(t, func() (adapters.Adapter, error) { return myimpl.NewAdapter() }, spec.Options{})
//	}
//
// Behaviours and Cases list what the suite checks without running it.
//
// `go tool ginkgo ./spec` runs them against the adapter named by
// --adapter (default: the built-in reference implementation).
package spec
