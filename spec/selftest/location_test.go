package selftest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

// A failing spec must name the line it is written on (its spec("...")
// call in the family file), not a line of Ginkgo or of the suite's
// machinery: the header Ginkgo prints above a failure, the JSON and JUnit
// reports, and the failure message all carry it.
func TestAFailureNamesItsSpecsFileAndLine(t *testing.T) {
	bin, dir := suiteBinary(t), t.TempDir()
	runSuite(t, bin, dir, "mutant:yields-out-of-order", "-ginkgo.label-filter=SEED-AGEN-ORDER")
	data, err := os.ReadFile(filepath.Join(dir, "mutant-yields-out-of-order.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rs []types.Report
	if err := json.Unmarshal(data, &rs); err != nil || len(rs) != 1 {
		t.Fatalf("report: %v (%d suites)", err, len(rs))
	}
	failed := 0
	for _, sr := range rs[0].SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt || sr.State != types.SpecStateFailed {
			continue
		}
		failed++
		loc := sr.LeafNodeLocation
		title := strings.TrimPrefix(sr.LeafNodeText, "SEED-AGEN-ORDER: ")
		if filepath.Base(filepath.Dir(loc.FileName)) != "spec" || !strings.HasPrefix(filepath.Base(loc.FileName), "seed_") {
			t.Errorf("%q is reported at %s, not in the family file spec/seed_*.go", title, loc)
			continue
		}
		if line := loc.ContentsOfLine(); !strings.Contains(line, fmt.Sprintf("spec(%q)", title)) {
			t.Errorf("%q is reported at %s, which reads %q, not its spec(...) call", title, loc, strings.TrimSpace(line))
		}
		if sr.Failure.FailureNodeLocation != loc {
			t.Errorf("%q: the failure's node is at %s, the spec at %s", title, sr.Failure.FailureNodeLocation, loc)
		}
		want := fmt.Sprintf("spec at spec/%s:%d", filepath.Base(loc.FileName), loc.LineNumber)
		if !strings.Contains(sr.Failure.Message, want) {
			t.Errorf("%q: the failure message does not say %q:\n%s", title, want, sr.Failure.Message)
		}
	}
	if failed == 0 {
		t.Fatal("the mutant failed no SEED-AGEN-ORDER spec: nothing to check the location of")
	}
}
