package main

import "github.com/aiterspec/aiterspec/scenario"

// pythonSource renders sc as the Python program a harness runs.
func pythonSource(sc *scenario.Scenario) string {
	return "(Python rendering arrives with scenario/pysource)\n"
}
