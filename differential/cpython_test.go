package differential

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/interp"
	_ "github.com/aiterspec/aiterspec/adapters/python"
	"github.com/aiterspec/aiterspec/internal/peertest"
	. "github.com/aiterspec/aiterspec/scenario"
)

// cpython311 opens CPython 3.11 (python3 on PATH, which the suite's
// expectations are), or skips (fails in CI) when it is missing.
func cpython311(t testing.TB, opts adapters.Options) func() (adapters.Adapter, error) {
	t.Helper()
	path := peertest.Find(t, "python3")
	out, err := exec.Command(path, "-c", "import sys; print('%d.%d' % sys.version_info[:2])").Output()
	if err != nil || strings.TrimSpace(string(out)) != "3.11" {
		peertest.Missing(t, "python3 is not CPython 3.11 (%s, %v)", strings.TrimSpace(string(out)), err)
	}
	return func() (adapters.Adapter, error) { return adapters.Open("cpython:"+path, opts) }
}

// TestReferenceAgreesWithCPython is the fixed-seed differential run of
// `make test`: a few thousand generated programs observe the same on the
// reference as on CPython 3.11. A failure shows each class of difference
// shrunk; `go run ./cmd/aiterspec diff` explores further.
func TestReferenceAgreesWithCPython(t *testing.T) {
	count := 3000
	if testing.Short() {
		count = 300
	}
	opts := adapters.Options{ScenarioTimeout: 10 * time.Second}
	rep, err := Search(context.Background(), Config{
		A:      func() (adapters.Adapter, error) { return interp.New(interp.DefaultOps(), opts), nil },
		B:      cpython311(t, opts),
		Seed:   11,
		Count:  count,
		Shrink: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(rep)
	if rep.Programs != count || rep.Skipped != 0 {
		t.Errorf("ran %d of %d programs, %d skipped", rep.Programs, count, rep.Skipped)
	}
	if ex := rep.InvalidExample; ex != nil {
		data, _ := json.Marshal(&ex.Scenario)
		t.Errorf("%d programs broke both sides; program %d: reference: %s; cpython: %s\n%s",
			rep.Invalid, ex.Program, ex.Outcome.A.Reason, ex.Outcome.B.Reason, data)
	}
	for _, cl := range rep.Classes {
		ex := cl.First
		if cl.Shrunk != nil {
			ex = *cl.Shrunk
		}
		t.Errorf("%d programs differ (%s); program %d, shrunk:\n%s%s", cl.Count, cl.Signature, cl.First.Program,
			sideBySide(ex.Outcome), GoSpec(cl.Signature, &ex.Scenario, ex.Outcome.B.Observations, "reference", ex.Outcome.A.Observations))
	}
}

func sideBySide(o Outcome) string {
	if o.A.State != adapters.Completed || o.B.State != adapters.Completed {
		return fmt.Sprintf("reference: %s %s\ncpython: %s %s\n", o.A.State, o.A.Reason, o.B.State, o.B.Reason)
	}
	return SideBySide(o.B.Observations, o.A.Observations, ExactMessages)
}
