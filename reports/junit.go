package reports

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"
)

// WriteJUnit writes a JUnit XML report of the Ginkgo JSON report at
// ginkgoJSON as gated by v, with Ginkgo's own JUnit reporter: a spec the
// baseline expected to fail shows as skipped ("baselined: ..."), and a
// regression as failed with the gate's explanation, so CI dashboards agree
// with the gate.
func WriteJUnit(ginkgoJSON string, v *Verdict, dst string) error {
	data, err := os.ReadFile(ginkgoJSON)
	if err != nil {
		return err
	}
	var raw []types.Report
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("%s: not a Ginkgo JSON report: %w", ginkgoJSON, err)
	}
	if len(raw) != 1 {
		return fmt.Errorf("%s: %d suites in the report, want 1", ginkgoJSON, len(raw))
	}
	problems := map[string]Problem{}
	for _, p := range v.Problems {
		problems[p.Spec.Title] = p
	}
	r := raw[0]
	for i := range r.SpecReports {
		sr := &r.SpecReports[i]
		if sr.LeafNodeType != types.NodeTypeIt {
			continue
		}
		if p, bad := problems[sr.LeafNodeText]; bad {
			sr.State = types.SpecStateFailed
			sr.Failure.Message = p.String()
			continue
		}
		if e := v.Matched[sr.LeafNodeText]; e != nil {
			sr.State = types.SpecStateSkipped
			sr.Failure.Message = "baselined: " + e.Expected.String() + ": " + e.Reason
		}
	}
	r.SuiteSucceeded = v.OK()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return reporters.GenerateJUnitReportWithConfig(r, dst, reporters.JunitReportConfig{OmitTimelinesForSpecState: types.SpecStatePassed})
}
