package spec

import (
	"fmt"
	"regexp"

	"github.com/Masterminds/semver/v3"

	"github.com/aiterspec/aiterspec/scenario"
)

// OldestPython and NewestPython bound the Python versions the suite's
// expectations cover: the catalogue was probed on CPython 3.8 to 3.14
// (docs/python-versions.md).
const (
	OldestPython = "3.8"
	NewestPython = "3.14"
)

var coveredPythons = mustConstraint(fmt.Sprintf(">= %s, < %s", OldestPython, semver.MustParse(NewestPython).IncMinor()))

// CheckPythonVersion reports an error unless v ("3.12", "3.12.1") is a
// Python version the suite's expectations cover.
func CheckPythonVersion(v string) error {
	parsed, err := ParseVersion(v)
	if err != nil {
		return err
	}
	if !coveredPythons.Check(parsed) {
		return fmt.Errorf("version %s is outside the Python versions the suite covers, %s to %s", v, OldestPython, NewestPython)
	}
	return nil
}

// MessageChange is an exception message CPython reworded in some version,
// everywhere it appears. Expectations are written in CPython 3.11's words;
// under a profile matching Versions, messages matching Pattern are
// rewritten to Replace (regexp.ReplaceAllString syntax).
type MessageChange struct {
	Versions string
	Pattern  *regexp.Regexp
	Replace  string
	// Evidence says where the change was seen.
	Evidence string
}

// MessageChanges lists the rewordings found between CPython 3.8 and 3.14
// (docs/python-versions.md has the probes and outputs).
var MessageChanges = []MessageChange{
	{
		Versions: ">= 3.14",
		Pattern:  regexp.MustCompile(`^object (\S+) can't be used in 'await' expression$`),
		Replace:  "'$1' object can't be awaited",
		Evidence: "CPython 3.14.2 (Pyodide 314.0.7): B08 B09 N13 W01 W02 W05 W07 Z09",
	},
}

// reword applies the message changes that hold for version v to a copy of
// obs (and to causes and exception values within).
func reword(obs []scenario.Observation, v *semver.Version) []scenario.Observation {
	var changes []MessageChange
	for _, mc := range MessageChanges {
		if v != nil && mustConstraint(mc.Versions).Check(v) {
			changes = append(changes, mc)
		}
	}
	if len(changes) == 0 {
		return obs
	}
	out := make([]scenario.Observation, len(obs))
	for i, o := range obs {
		if o.Raised != nil {
			o.Raised = rewordRaised(o.Raised, changes)
		}
		if o.Value != nil {
			v := rewordValue(*o.Value, changes)
			o.Value = &v
		}
		out[i] = o
	}
	return out
}

func rewordMessage(m string, changes []MessageChange) string {
	for _, mc := range changes {
		m = mc.Pattern.ReplaceAllString(m, mc.Replace)
	}
	return m
}

func rewordRaised(r *scenario.Raised, changes []MessageChange) *scenario.Raised {
	c := *r
	c.Message = rewordMessage(r.Message, changes)
	if r.Cause != nil {
		c.Cause = rewordRaised(r.Cause, changes)
	}
	return &c
}

func rewordValue(v scenario.Value, changes []MessageChange) scenario.Value {
	switch v.Kind {
	case scenario.ExceptionKind:
		return scenario.VException(v.Exception.Type, rewordMessage(v.Exception.Message, changes))
	case scenario.ListKind, scenario.TupleKind, scenario.SetKind:
		items := make([]scenario.Value, len(v.Items))
		for i, it := range v.Items {
			items[i] = rewordValue(it, changes)
		}
		v.Items = items
	}
	return v
}
