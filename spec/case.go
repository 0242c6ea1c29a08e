package spec

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/Masterminds/semver/v3"
	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/aiterspec/aiterspec/scenario"
)

// Case is one spec: a scenario and what CPython does with it.
type Case struct {
	Scenario scenario.Scenario
	// Expect is what running the scenario must observe, unless a Versions
	// entry applies.
	Expect []scenario.Observation
	// Versions holds version-specific expectations for behaviour that
	// CPython itself changed; the first entry whose constraint holds for the
	// profile's language version wins.
	Versions []VersionExpect
	// Detail marks a CPython implementation detail rather than protocol
	// (type names of internal awaitables, frame attributes, warning text):
	// labelled "cpython-detail" so other implementations can filter it out.
	Detail bool
	// PythonVersions are constraints on the Python versions in which the
	// behaviour exists at all (see InVersions); none means every version.
	PythonVersions []string
	// Location is where the case is written (its spec("...") call): Ginkgo
	// reports the spec there, and a failure names it.
	Location types.CodeLocation
}

// VersionExpect is the expectation for the language versions matching
// Constraint (Masterminds semver syntax, e.g. "< 3.12" or ">= 3.13").
type VersionExpect struct {
	Constraint string
	Expect     []scenario.Observation
	Note       string
}

// Needs adds capabilities the scenario cannot run without.
func (c *Case) Needs(caps ...scenario.Capability) *Case {
	c.Scenario.Needs = append(c.Scenario.Needs, caps...)
	return c
}

// Module adds module-level statements.
func (c *Case) Module(stmts ...scenario.Stmt) *Case {
	c.Scenario.Module = append(c.Scenario.Module, stmts...)
	return c
}

// Main adds statements to main.
func (c *Case) Main(stmts ...scenario.Stmt) *Case {
	c.Scenario.Main = append(c.Scenario.Main, stmts...)
	return c
}

// After adds statements run once asyncio.run has returned.
func (c *Case) After(stmts ...scenario.Stmt) *Case {
	c.Scenario.After = append(c.Scenario.After, stmts...)
	return c
}

// Sync makes main a plain function run without an event loop.
func (c *Case) Sync() *Case { c.Scenario.Mode = scenario.SyncMode; return c }

// Source makes the case run program verbatim (source mode).
func (c *Case) Source(program string) *Case {
	c.Scenario.Mode = scenario.SourceMode
	c.Scenario.Source = program
	return c.Needs(scenario.CapSource)
}

// Report asks for warnings, unraisable exceptions or the event loop's
// exception handler calls to be observed.
func (c *Case) Report(what ...string) *Case {
	c.Scenario.Report = append(c.Scenario.Report, what...)
	return c
}

// Observes sets what must be observed.
func (c *Case) Observes(obs ...scenario.Observation) *Case { c.Expect = obs; return c }

// Since sets what must be observed on language versions matching
// constraint, e.g. Since(">= 3.12", "3-arg athrow deprecated", obs...).
func (c *Case) Since(constraint, note string, obs ...scenario.Observation) *Case {
	mustConstraint(constraint)
	if obs == nil {
		obs = []scenario.Observation{}
	}
	c.Versions = append(c.Versions, VersionExpect{Constraint: constraint, Note: note, Expect: obs})
	return c
}

// InVersions says the behaviour of c exists only in the Python versions
// matching constraint (e.g. ">= 3.12" for something new in 3.12); on other
// versions the spec does not run and is reported as skipped. This is
// Ginkgo's own ComponentSemVerConstraint for the component "python":
// TestAdapter adds python=PROFILE to the --sem-ver-filter, and Ginkgo
// shows the constraint beside the spec. (Behaviour that exists everywhere
// but differs between versions is Since, not this.)
func (c *Case) InVersions(constraint string) *Case {
	mustConstraint(constraint)
	c.PythonVersions = append(c.PythonVersions, constraint)
	return c
}

// AsDetail labels the case "cpython-detail".
func (c *Case) AsDetail() *Case { c.Detail = true; return c }

func mustConstraint(s string) *semver.Constraints {
	cs, err := semver.NewConstraint(s)
	if err != nil {
		panic(fmt.Sprintf("spec: bad version constraint %q: %v", s, err))
	}
	return cs
}

// pythonComponent is the component of Ginkgo's semantic version filter
// that holds the Python version (--sem-ver-filter=python=3.11.7).
const pythonComponent = "python"

// decorations are the Ginkgo decorators of the case's spec: its labels,
// the versions in which it exists, and where it is written.
func (c *Case) decorations() []any {
	ds := []any{c.Labels(), c.Location}
	if len(c.PythonVersions) > 0 {
		ds = append(ds, ComponentSemVerConstraint(pythonComponent, c.PythonVersions...))
	}
	return ds
}

// Labels are the Ginkgo labels of the case: its behaviour id, "cap:NAME"
// for each capability it needs, and "cpython-detail" if it is one.
func (c *Case) Labels() Labels {
	ls := Labels{c.Scenario.ID}
	for _, need := range c.Scenario.Needs {
		ls = append(ls, "cap:"+string(need))
	}
	if c.Detail {
		ls = append(ls, "cpython-detail")
	}
	return ls
}

// expectation picks the expected observations for language version v.
func (c *Case) expectation(v *semver.Version) []scenario.Observation {
	if v != nil {
		for _, ve := range c.Versions {
			if mustConstraint(ve.Constraint).Check(v) {
				return reword(ve.Expect, v)
			}
		}
	}
	return reword(c.Expect, v)
}

var versionPrefix = regexp.MustCompile(`^\d+(\.\d+){0,2}`)

// ParseVersion reads a Python version such as "3.11.7", "3.14.0rc1" or
// "3.9.16 (PyPy 7.3.11)", keeping the numeric release only.
func ParseVersion(s string) (*semver.Version, error) {
	num := versionPrefix.FindString(strings.TrimSpace(s))
	if num == "" {
		return nil, fmt.Errorf("%q is not a version like 3.11 or 3.11.7", s)
	}
	return semver.NewVersion(num)
}
