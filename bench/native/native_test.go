package native_test

import (
	"context"
	"testing"

	"github.com/aiterspec/aiterspec/bench"
	"github.com/aiterspec/aiterspec/bench/native"
)

// TestEveryWorkloadPassesItsCheck: every Go-native subject has every
// workload, and its loop returns the workload's results.
func TestEveryWorkloadPassesItsCheck(t *testing.T) {
	for _, name := range native.Names {
		s, ok := native.Open(name)
		if !ok {
			t.Fatalf("native.Open(%q) found nothing", name)
		}
		for _, w := range bench.Workloads {
			if err := s.Check(context.Background(), w); err != nil {
				t.Errorf("%s on %s: %v", w.ID, name, err)
			}
		}
		s.Close()
	}
}

// TestReferenceAsyncGenAllocatesNothingPerItem: the reference's async for
// over an async generator allocates nothing per item (after its setup),
// counted in the same measurement make bench takes.
func TestReferenceAsyncGenAllocatesNothingPerItem(t *testing.T) {
	s, _ := native.Open("reference")
	defer s.Close()
	for _, id := range []string{"asyncgen", "class", "chain-4"} {
		m, err := s.Measure(context.Background(), bench.Lookup(id), 20000, bench.Settings{})
		if err != nil {
			t.Fatal(err)
		}
		if a := m.AllocsPerItem(1); a > 0.001 {
			t.Errorf("%s: %.4f allocations per item, want 0 (%v in all)", id, a, m.Allocs)
		}
	}
}

// BenchmarkNative measures every workload on the Go-native subjects with
// testing.B, as make bench does with its own loop: ns/item and
// allocs/item. Compare the reference's asyncgen with go-pull's (a bare
// iter.Pull loop) in one run:
//
//	go test -run '^$' -bench 'Native/workload=asyncgen/' -count 10 ./bench/native | tee native.txt
//	go tool benchstat -col /impl native.txt
func BenchmarkNative(b *testing.B) {
	for _, w := range bench.Workloads {
		for _, name := range native.Names {
			b.Run("workload="+w.ID+"/impl="+name, func(b *testing.B) {
				s, _ := native.Open(name)
				defer s.Close()
				ops := max(1, b.N/w.ItemsPerOp)
				m, err := s.Measure(context.Background(), w, ops, bench.Settings{})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(m.PerItem(w.ItemsPerOp), "ns/item")
				b.ReportMetric(m.AllocsPerItem(w.ItemsPerOp), "allocs/item")
			})
		}
	}
}
