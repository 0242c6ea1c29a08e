package pysource_test

import (
	"strings"
	"testing"

	. "github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/scenario/pysource"
)

// A bench program is the workload's program, then the timing loop, which
// defines the name a harness calls.
func TestBenchIsTheProgramAndTheTimingLoop(t *testing.T) {
	s := &Scenario{ID: "BENCH-T", Module: []Stmt{AsyncDef("run", Return(Lit(1)))}}
	program, err := pysource.Program(s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pysource.Bench(s)
	if err != nil {
		t.Fatal(err)
	}
	if got != program+pysource.TimingLoop {
		t.Errorf("Bench:\n%s\nwant the program, then TimingLoop", got)
	}
	if !strings.HasPrefix(pysource.TimingLoop, "async def "+pysource.Time+"(entry, ops, target_ns, warmup_ns, clock, cpu):\n") {
		t.Errorf("TimingLoop does not define %s as PROTOCOL.md says:\n%s", pysource.Time, pysource.TimingLoop)
	}
}
