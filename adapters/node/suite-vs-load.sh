#!/usr/bin/env bash
# Wall time of the whole conformance suite against Pyodide (one harness
# process: Pyodide loads once), next to the wall time of loading Pyodide
# alone (node, loadPyodide(), exit), measured alternately in one run so that
# machine load affects both alike. Prints the medians and their ratio (the
# goal: under 3); asserts nothing (these machines are shared and noisy).
#
#   adapters/node/suite-vs-load.sh [ROUNDS] [ENGINE]
#
# ENGINE is pyodide (default), micropython or brython; "load" is then that
# engine's own load.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
engine=${2:-pyodide}
bin=$(mktemp -d)/spec.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
# Compile once, outside the timing: the comparison is of running the suite.
go test -c -o "$bin" ./spec

case $engine in
pyodide) load='const {loadPyodide} = await import("pyodide"); await loadPyodide();' flags=--experimental-wasm-stack-switching ;;
micropython) load='const {loadMicroPython} = await import("@micropython/micropython-webassembly-pyscript"); await loadMicroPython();' flags= ;;
brython) load='globalThis.self = globalThis; globalThis.addEventListener = () => {}; globalThis.location = {href: "http://localhost/"}; const {createRequire} = await import("node:module"); const require = createRequire(process.cwd() + "/"); require("brython/brython.js"); require("brython/brython_stdlib.js");' flags= ;;
*) echo "unknown engine $engine" >&2; exit 2 ;;
esac

now() { date +%s.%N; }
suite=() alone=()
for ((i = 1; i <= rounds; i++)); do
	t0=$(now)
	(cd spec && "$bin" -ginkgo.no-color --adapter="$engine" >/dev/null 2>&1) || true
	t1=$(now)
	(cd adapters/node && node $flags --input-type=module -e "$load") >/dev/null 2>&1
	t2=$(now)
	suite+=("$(echo "$t1 - $t0" | bc)")
	alone+=("$(echo "$t2 - $t1" | bc)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
s=$(median "${suite[@]}")
l=$(median "${alone[@]}")
echo "engine: $engine; rounds: $rounds"
echo "aiterspec suite (one harness process): median ${s}s   runs: ${suite[*]}"
echo "$engine load alone:                   median ${l}s   runs: ${alone[*]}"
echo "ratio suite/load: $(echo "scale=2; $s / $l" | bc)"
