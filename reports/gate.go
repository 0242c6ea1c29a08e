package reports

import (
	"fmt"
	"strings"
	"time"
)

// Verdict is the outcome of gating one suite run against a baseline.
type Verdict struct {
	Implementation Implementation
	// Count tallies the run's specs by state; Baselined tallies, by state,
	// those whose result the baseline expected.
	Count, Baselined map[string]int
	// Problems are what fails the gate, in spec order.
	Problems []Problem
	// Matched maps the name of each spec whose result the baseline
	// expected to its entry.
	Matched map[string]*Entry
}

// Problem is one reason the gate fails.
type Problem struct {
	Kind ProblemKind
	// Spec is the result (zero for an entry naming no spec of the suite).
	Spec Spec
	// Entry is the baseline entry involved (nil for a new failure).
	Entry *Entry
	// Got is the failure mode observed.
	Got Mode
}

// ProblemKind says why a result fails the gate.
type ProblemKind string

const (
	// NewFailure: the spec does not pass and the baseline has no entry.
	NewFailure ProblemKind = "new failure"
	// ChangedMode: the spec fails differently from the baseline's entry.
	ChangedMode ProblemKind = "changed failure"
	// NowPasses: a baselined spec passes; the entry must go.
	NowPasses ProblemKind = "now passes"
	// Expired: the entry's expiry date has passed.
	Expired ProblemKind = "expired"
	// UnknownSpec: the entry names a spec the suite does not have.
	UnknownSpec ProblemKind = "unknown spec"
)

// GateOptions tune [Gate].
type GateOptions struct {
	// AllowFixed accepts a baselined spec that now passes.
	AllowFixed bool
	// Today decides expiry; the zero time means time.Now().
	Today time.Time
}

// Gate compares a suite run with the implementation's baseline (nil: an
// empty one). A spec that passes, is skipped (not in this language
// version) or was not run is fine; any other result must match the
// failure mode of its entry. An error means the two cannot be compared.
func Gate(s Suite, b *Baseline, o GateOptions) (*Verdict, error) {
	impl := s.Implementation()
	if impl.Name == "" {
		return nil, fmt.Errorf("no spec of the run reached the implementation: nothing to gate")
	}
	if b == nil {
		b = &Baseline{Implementation: impl.Name}
	}
	if b.Implementation != impl.Name {
		return nil, fmt.Errorf("the baseline is for %q but the run is of %q: pass that implementation's baseline (--baseline=%s)",
			b.Implementation, impl.Name, BaselinePath(impl.Name))
	}
	entries, err := b.For(impl.Version)
	if err != nil {
		return nil, err
	}
	lacking := b.Lacking(impl.Version)
	today := o.Today
	if today.IsZero() {
		today = time.Now()
	}
	v := &Verdict{Implementation: impl, Count: s.Count(), Baselined: map[string]int{}, Matched: map[string]*Entry{}}
	seen := map[string]bool{}
	for _, sp := range s.Specs {
		seen[sp.Title] = true
		e := entries[sp.Title]
		if sp.State == NotRun || sp.State == Skipped {
			continue
		}
		if e != nil && e.Expired(today) {
			v.Problems = append(v.Problems, Problem{Kind: Expired, Spec: sp, Entry: e, Got: ModeOf(sp)})
		}
		switch sp.State {
		case Passed:
			if e != nil && !o.AllowFixed {
				v.Problems = append(v.Problems, Problem{Kind: NowPasses, Spec: sp, Entry: e, Got: ModeOf(sp)})
			}
			continue
		}
		got := ModeOf(sp)
		switch {
		case e == nil && sp.State == Unsupported && len(sp.Missing) > 0 && allIn(sp.Missing, lacking):
			v.Baselined[sp.State]++
		case e == nil:
			v.Problems = append(v.Problems, Problem{Kind: NewFailure, Spec: sp, Got: got})
		case !e.Expected.Accepts(got):
			v.Problems = append(v.Problems, Problem{Kind: ChangedMode, Spec: sp, Entry: e, Got: got})
		default:
			v.Baselined[sp.State]++
			v.Matched[sp.Title] = e
		}
	}
	for i := range b.Entries {
		e := &b.Entries[i]
		if !seen[e.Spec] {
			v.Problems = append(v.Problems, Problem{Kind: UnknownSpec, Spec: Spec{ID: e.ID, Title: e.Spec}, Entry: e})
		}
	}
	return v, nil
}

func allIn(names []string, set map[string]bool) bool {
	for _, n := range names {
		if !set[n] {
			return false
		}
	}
	return true
}

// OK reports whether the gate passes.
func (v *Verdict) OK() bool { return len(v.Problems) == 0 }

// Summary is the one-line tally: "passed 187, failed 11 (baselined 11),
// unsupported 38, errored 0".
func (v *Verdict) Summary() string {
	c, b := v.Count, v.Baselined
	s := fmt.Sprintf("passed %d, failed %d (baselined %d), unsupported %d", c[Passed], c[Failed], b[Failed], c[Unsupported])
	if b[Unsupported] != c[Unsupported] {
		s += fmt.Sprintf(" (baselined %d)", b[Unsupported])
	}
	s += fmt.Sprintf(", errored %d", c[Errored])
	if c[Errored] > 0 {
		s += fmt.Sprintf(" (baselined %d)", b[Errored])
	}
	if c[Skipped] > 0 {
		s += fmt.Sprintf(", skipped %d (not in this language version)", c[Skipped])
	}
	if c[NotRun] > 0 {
		s += fmt.Sprintf(", not run %d", c[NotRun])
	}
	return s
}

// String explains the problem for people; a new or changed failure
// carries its evidence (the observation diff, or the harness's error).
func (p Problem) String() string {
	var b strings.Builder
	name := p.Spec.Title
	if name == "" && p.Entry != nil {
		name = p.Entry.Spec
	}
	fmt.Fprintf(&b, "%s %s", strings.ToUpper(string(p.Kind)), name)
	switch p.Kind {
	case NewFailure:
		fmt.Fprintf(&b, "\n  %s, and the baseline has no entry for it", p.Got)
	case ChangedMode:
		fmt.Fprintf(&b, "\n  expected %s%s\n  got      %s", p.Entry.Expected, entryNote(p.Entry), p.Got)
	case NowPasses:
		fmt.Fprintf(&b, "\n  now passes: remove it from the baseline (it expected %s%s), or pass --allow-fixed", p.Entry.Expected, entryNote(p.Entry))
	case Expired:
		fmt.Fprintf(&b, "\n  the baseline entry expired on %s (%s): fix the implementation, or renew the entry with a new date", p.Entry.Expires, p.Entry.Reason)
	case UnknownSpec:
		b.WriteString("\n  the baseline names a spec the suite does not have: remove the entry, or rename it to the spec's current name")
	}
	if p.Kind == NewFailure || p.Kind == ChangedMode {
		if ev := evidence(p.Spec); ev != "" {
			b.WriteString("\n" + indent(ev, "    "))
		}
	}
	return b.String()
}

func entryNote(e *Entry) string {
	var notes []string
	if e.Issue != "" {
		notes = append(notes, e.Issue)
	}
	if e.Versions != "" {
		notes = append(notes, "versions "+e.Versions)
	}
	if len(notes) == 0 {
		return ""
	}
	return " [" + strings.Join(notes, "; ") + "]"
}

// evidence is what shows why a spec did not pass: Ginkgo's failure
// message (the observation diff) or the reason.
func evidence(s Spec) string {
	switch {
	case s.State == Failed && s.Failure != "":
		return s.Failure
	case s.Reason != "":
		return s.Reason
	}
	return s.Failure
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}
