package spec_test

import (
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/spec"
)

func TestCheckPythonVersion(t *testing.T) {
	for _, v := range []string{"3.8", "3.8.18", "3.11", "3.14", "3.14.2", "3.14.0rc1"} {
		if err := spec.CheckPythonVersion(v); err != nil {
			t.Errorf("%s: %v, want no error", v, err)
		}
	}
	for _, v := range []string{"2.7", "3.7", "3.7.16", "3.15", "4.0", "3"} {
		err := spec.CheckPythonVersion(v)
		if err == nil || !strings.Contains(err.Error(), "3.8 to 3.14") {
			t.Errorf("%s: error %v, want one naming the range 3.8 to 3.14", v, err)
		}
	}
	if err := spec.CheckPythonVersion("latest"); err == nil {
		t.Error("latest: no error")
	}
}
