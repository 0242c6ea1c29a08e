#!/usr/bin/env bash
# Wall time of the whole conformance suite against CPython, next to the wall
# time of CPython's own async-iteration tests (test_asyncgen and
# test_coroutines) on the same interpreter, measured alternately in one run
# so that machine load affects both alike. Prints the medians and their
# ratio, then where the suite's time goes (bench/suitetime: the harness's
# start-up, its time per scenario, crashes, the slowest scenarios); asserts
# nothing (these machines are shared and noisy).
#
#   bench/suite-vs-cpython-tests.sh [ROUNDS] [PYTHON]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
# The interpreter itself, not a launcher such as pyenv's shim: the suite
# resolves one (adapters/python), and CPython's tests must not pay for it.
python=$("${2:-python3}" -c 'import sys; print(sys.executable)')
bin=$(mktemp -d)/spec.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
# Compile once, outside the timing: the comparison is of running the tests.
go test -c -o "$bin" ./spec

now() { date +%s.%N; }
suite=() cpython=()
for ((i = 1; i <= rounds; i++)); do
	t0=$(now)
	# TestSpec is the suite; the package's other tests check the specs
	# themselves (every scenario's JSON round trip, the README's table) and
	# do not depend on the implementation.
	(cd spec && "$bin" -test.run '^TestSpec$' -ginkgo.no-color --adapter="cpython:$python" >/dev/null 2>&1) || true
	t1=$(now)
	"$python" -m test test_asyncgen test_coroutines >/dev/null 2>&1 || true
	t2=$(now)
	suite+=("$(echo "$t1 - $t0" | bc)")
	cpython+=("$(echo "$t2 - $t1" | bc)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
s=$(median "${suite[@]}")
c=$(median "${cpython[@]}")
specs=$( (cd spec && "$bin" -ginkgo.dry-run -ginkgo.no-color --adapter=cpython 2>/dev/null | sed -n "s/.*Ran \([0-9]*\) of.*/\1/p" | head -1) || true)
echo "python: $("$python" --version 2>&1); rounds: $rounds"
echo "aiterspec suite (${specs:-?} specs, cpython adapter): median ${s}s   runs: ${suite[*]}"
echo "python -m test test_asyncgen test_coroutines:      median ${c}s   runs: ${cpython[*]}"
echo "ratio suite/cpython-tests: $(echo "scale=2; $s / $c" | bc)"
echo
go run ./bench/suitetime -python "$python"
