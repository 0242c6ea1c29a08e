package spec

import (
	"reflect"
	"testing"
)

func TestAbsoluteReportPaths(t *testing.T) {
	args := []string{"--no-color", "--json-report=/tmp/ci/out.json", "-junit-report", "/tmp/ci/j.xml",
		"--teamcity-report=rel.txt", "-p", "./spec", "--", "--json-report=/not/ginkgos.json"}
	want := []reportPath{{"json-report", "/tmp/ci/out.json"}, {"junit-report", "/tmp/ci/j.xml"}}
	if got := absoluteReportPaths(args); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
