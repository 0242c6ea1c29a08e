// Package differential searches for behaviour differences between two
// implementations of the async iteration protocol, in the manner of
// Csmith and Hypothesis: it generates scenario programs from a seed, runs
// each on both implementations through their adapters, groups the
// programs whose observations differ into classes by a signature, and
// shrinks one program of each class to a minimal one that still shows the
// difference.
//
// The pieces:
//
//   - [Generator] makes valid, terminating scenarios over the whole
//     protocol surface, deterministically from a seed and a program number.
//   - [Pair] runs one scenario on two adapters and compares the results
//     ([Compare], [Signature]).
//   - [Search] runs many programs on a pool of pairs and collects the
//     [Divergence] classes; [Shrink] reduces a program by delta
//     debugging on its tree.
//   - [GoSpec] renders a scenario and its observations as a spec in
//     the suite's builder language, ready to paste into spec/.
//
// `aiterspec diff` is the command line over this package.
package differential
