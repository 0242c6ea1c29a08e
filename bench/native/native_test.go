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
