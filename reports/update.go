package reports

import (
	"fmt"
	"strings"
)

// Update makes b (nil: a new baseline) record the run s as expected: for
// the run's implementation version, every spec that did not pass gets an
// entry with the mode observed, and entries of specs that now pass go.
// Entries for other versions are kept.
//
// An entry that already applies keeps its reason, issue, expiry and
// timeout (only its mode changes, if it did). A new entry applies to the
// run's minor version ("~3.9"); when another entry of the same spec
// expects the same mode for other versions, that entry's constraint is
// widened instead, so one file serves an implementation across versions.
// New entries get a reason derived from the evidence, to be rewritten by
// someone who knows why. Update returns what changed, one line each.
func Update(b *Baseline, s Suite) (*Baseline, []string) {
	impl := s.Implementation()
	if b == nil {
		b = &Baseline{Implementation: impl.Name}
	}
	out := &Baseline{Implementation: b.Implementation, About: b.About}
	if out.Implementation == "" {
		out.Implementation = impl.Name
	}
	results := map[string]Spec{}
	for _, sp := range s.Specs {
		results[sp.Title] = sp
	}
	var changes []string
	handled := map[string]bool{}
	// Existing entries: keep those for other versions or unknown to this
	// run; update or drop those that apply.
	for _, e := range b.Entries {
		sp, ran := results[e.Spec]
		if !e.Applies(impl.Version) || !ran || sp.State == NotRun || sp.State == Skipped {
			out.Entries = append(out.Entries, e)
			if e.Applies(impl.Version) && ran {
				handled[e.Spec] = true
			}
			continue
		}
		handled[e.Spec] = true
		if sp.State == Passed {
			changes = append(changes, fmt.Sprintf("removed %s: now passes on %s", e.Spec, impl))
			continue
		}
		got := ModeOf(sp)
		if !e.Expected.Accepts(got) || e.Expected.State == Failed && e.Expected.FirstDifference == nil {
			changes = append(changes, fmt.Sprintf("changed %s: expected %s, now %s", e.Spec, e.Expected, got))
			e.Expected = got
			if got.Error == nil || got.Error.Kind != Timeout {
				e.Timeout = ""
			}
		}
		out.Entries = append(out.Entries, e)
	}
	minor := minorConstraint(impl.Version)
	out.Lacks = append(out.Lacks, b.Lacks...)
	lacking := b.Lacking(impl.Version)
	for _, sp := range s.Specs {
		if handled[sp.Title] || sp.State == Passed || sp.State == Skipped || sp.State == NotRun {
			continue
		}
		if sp.State == Unsupported && len(sp.Missing) > 0 {
			// the implementation does not announce a capability: one
			// line for the capability, not one per spec
			for _, c := range sp.Missing {
				if lacking[c] {
					continue
				}
				lacking[c] = true
				if i := lackElsewhere(out.Lacks, c); i >= 0 && minor != "" && out.Lacks[i].Versions != "" {
					out.Lacks[i].Versions += " || " + minor
					changes = append(changes, fmt.Sprintf("widened the lack of %s to versions %s", c, out.Lacks[i].Versions))
					continue
				}
				out.Lacks = append(out.Lacks, Lack{Capability: c, Versions: minor,
					Reason: fmt.Sprintf("recorded by --update-baseline: %s does not announce %s", impl.Name, c)})
				changes = append(changes, fmt.Sprintf("added: lacks %s", c))
			}
			continue
		}
		got := ModeOf(sp)
		if i := sameModeElsewhere(out.Entries, sp.Title, got); i >= 0 && minor != "" && out.Entries[i].Versions != "" {
			out.Entries[i].Versions += " || " + minor
			changes = append(changes, fmt.Sprintf("widened %s to versions %s", sp.Title, out.Entries[i].Versions))
			continue
		}
		out.Entries = append(out.Entries, Entry{
			ID: sp.ID, Spec: sp.Title, Expected: got, Versions: minor,
			Reason: "recorded by --update-baseline: " + firstLine(evidenceReason(sp)),
		})
		changes = append(changes, fmt.Sprintf("added %s: %s", sp.Title, got))
	}
	return out, changes
}

func lackElsewhere(lacks []Lack, capability string) int {
	for i, l := range lacks {
		if l.Capability == capability {
			return i
		}
	}
	return -1
}

func sameModeElsewhere(entries []Entry, spec string, m Mode) int {
	for i, e := range entries {
		if e.Spec == spec && e.Expected.Accepts(m) && m.Accepts(e.Expected) {
			return i
		}
	}
	return -1
}

// minorConstraint is "~X.Y" for a version X.Y.Z ("" if unparsable).
func minorConstraint(version string) string {
	v, err := ParseVersion(version)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("~%d.%d", v.Major(), v.Minor())
}

func evidenceReason(s Spec) string {
	switch s.State {
	case Failed:
		if s.FirstDifference != nil {
			return "observes " + s.FirstDifference.Observed + " where CPython observes " + s.FirstDifference.Expected
		}
		return "observations differ"
	case Errored:
		return s.Reason
	}
	if s.Reason != "" {
		return s.Reason
	}
	return s.State
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
