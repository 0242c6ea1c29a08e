package spec

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// reportFlags are the Ginkgo CLI's report flags that take a file name.
var reportFlags = []string{"json-report", "junit-report", "teamcity-report", "gojson-report"}

// warnAbsoluteReportPaths tells the user, at the top of the run's output,
// what Ginkgo's CLI does with an absolute report path: it writes the report
// under the suite's folder first (spec/tmp/ci/out.json for
// --json-report=/tmp/ci/out.json), moves it where the user said at the end,
// and leaves the folders it made behind (onsi/ginkgo#1001). The test binary
// sees only the joined path, so it reads the flags from the command line
// of the ginkgo process that started it; where that cannot be read (not
// Linux, not started by ginkgo) it says nothing.
func warnAbsoluteReportPaths(w io.Writer) {
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", os.Getppid()))
	if err != nil {
		return
	}
	args := strings.Split(string(bytes.TrimRight(cmdline, "\x00")), "\x00")
	if len(args) == 0 || !strings.Contains(filepath.Base(args[0]), "ginkgo") {
		return
	}
	for _, p := range absoluteReportPaths(args[1:]) {
		fmt.Fprintf(w, "aiterspec: note: Ginkgo writes --%s=%s under the suite's folder first and leaves the empty folders it made there (onsi/ginkgo#1001); "+
			"the report still lands where you said. To avoid the folders: --output-dir=%s --%s=%s\n",
			p.flag, p.path, filepath.Dir(p.path), p.flag, filepath.Base(p.path))
	}
}

type reportPath struct{ flag, path string }

// absoluteReportPaths finds report flags with absolute paths among the
// ginkgo CLI's arguments (before the package and "--"), in any of the
// forms Go's flag package accepts: -f=v, --f=v, -f v, --f v.
func absoluteReportPaths(args []string) []reportPath {
	var out []reportPath
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if !strings.HasPrefix(arg, "-") {
			continue
		}
		for _, f := range reportFlags {
			if name != f {
				continue
			}
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			if filepath.IsAbs(value) {
				out = append(out, reportPath{f, value})
			}
		}
	}
	return out
}
