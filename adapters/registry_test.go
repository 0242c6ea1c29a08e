package adapters_test

import (
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/adapters"
	_ "github.com/aiterspec/aiterspec/adapters/all"
)

// --python chooses the interpreter of the adapters that run one; an
// adapter that runs none would ignore it silently, so naming it there is
// an error (issue 14 §7).
func TestPythonOnlyWithAdaptersThatRunPython(t *testing.T) {
	for _, name := range []string{"reference", "exec:cat"} {
		a, err := adapters.Open(name, adapters.Options{Python: "/usr/bin/python3"})
		if err == nil {
			a.Close()
			t.Errorf("--adapter=%s --python=/usr/bin/python3 opened; want an error", name)
			continue
		}
		for _, want := range []string{"--python=/usr/bin/python3", name, "--adapter=cpython"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("--adapter=%s: error %q does not mention %q", name, err, want)
			}
		}
	}
}
