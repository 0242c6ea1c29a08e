package spec

import (
	"github.com/Masterminds/semver/v3"

	"github.com/aiterspec/aiterspec/scenario"
)

// Expectation is what the suite expects of c on Python version v (the
// expectation the run compares with), for the external tests.
func (c *Case) Expectation(v *semver.Version) []scenario.Observation { return c.expectation(v) }
