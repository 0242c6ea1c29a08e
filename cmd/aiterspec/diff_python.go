package main

import (
	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/scenario/pysource"
)

// pythonSource renders sc as the Python program a Python harness runs
// (scenario/pysource; the _aiterspec_* names are the harness's recorders).
func pythonSource(sc *scenario.Scenario) string {
	src, err := pysource.Program(sc)
	if err != nil {
		return "(cannot render as Python: " + err.Error() + ")\n"
	}
	return src
}
