package differential

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/interp"
)

// keepOpen is an adapter whose Close does nothing, so that a benchmark's
// searches share harnesses opened once, outside the timed region.
type keepOpen struct{ adapters.Adapter }

func (keepOpen) Close() error { return nil }

// BenchmarkSearch measures a search's throughput: generating programs,
// running each on the reference and on the implementation it is held
// against, comparing; one pair per CPU, harnesses kept alive. It reports
// programs/s (wall clock, which a busy machine lowers) and the CPU time
// per program of this process and its harnesses (cpu-ms/program; a
// harness's CPU counts once it has exited, which it does before the
// figure is taken): on an idle machine with N CPUs the throughput is
// about N*1000/cpu-ms-per-program.
//
//	go test -run XXX -bench Search -benchtime 2000x ./differential/
func BenchmarkSearch(b *testing.B) {
	opts := adapters.Options{ScenarioTimeout: 10 * time.Second}
	for _, against := range []string{"reference", "cpython"} {
		b.Run("against="+against, func(b *testing.B) {
			open := func() (adapters.Adapter, error) { return interp.New(interp.DefaultOps(), opts), nil }
			other := open
			if against == "cpython" {
				other = cpython311(b, opts)
			}
			b.StopTimer()
			cpu0 := cpuTime()
			var as, bs []adapters.Adapter
			for range runtime.NumCPU() {
				a, err := open()
				if err != nil {
					b.Fatal(err)
				}
				o, err := other()
				if err != nil {
					b.Fatal(err)
				}
				as, bs = append(as, a), append(bs, o)
			}
			next := func(list []adapters.Adapter) func() (adapters.Adapter, error) {
				i := 0
				return func() (adapters.Adapter, error) { i++; return keepOpen{list[i-1]}, nil }
			}
			start := time.Now()
			b.StartTimer()
			rep, err := Search(context.Background(), Config{A: next(as), B: next(bs), Seed: 1, Count: b.N})
			b.StopTimer()
			wall := time.Since(start)
			for i := range as {
				as[i].Close()
				bs[i].Close()
			}
			cpu := cpuTime() - cpu0
			if err != nil {
				b.Fatal(err)
			}
			if rep.Diverged+rep.Invalid+rep.Skipped != 0 {
				b.Fatalf("not every program agreed: %s", rep)
			}
			b.ReportMetric(float64(b.N)/wall.Seconds(), "programs/s")
			if cpu > 0 {
				b.ReportMetric(cpu.Seconds()*1000/float64(b.N), "cpu-ms/program")
			}
			b.ReportMetric(0, "ns/op") // the figures above are the measure
		})
	}
}
