package reports

import (
	"fmt"
	"strings"
	"time"
)

// Family is a group of behaviours, and Behaviour one behaviour id, as the
// suite lists them (spec.Families, spec.Behaviours): the matrix's rows.
type Family struct {
	Prefix string
	Title  string
}

// Behaviour is one row of the matrix.
type Behaviour struct {
	ID      string
	Family  string
	Summary string
}

// Provenance says where a column's results come from.
type Provenance struct {
	// Adapter is the --adapter value the suite ran with.
	Adapter string `json:"adapter"`
	// Commit is the suite's git commit ("-dirty" if the tree had changes).
	Commit string `json:"commit"`
	// Date is when the run started.
	Date time.Time `json:"date"`
	// Baseline is the baseline file the run was gated against ("" if none).
	Baseline string `json:"baseline,omitempty"`
}

// Column is one implementation's run: its results, gated against its
// baseline.
type Column struct {
	Provenance
	Implementation Implementation
	Suite          Suite
	// Verdict is the gate's, or nil with GateError saying why there is none.
	Verdict   *Verdict
	GateError string
}

// NewColumn gates s against b (nil: no baseline) and records where it
// came from.
func NewColumn(s Suite, b *Baseline, p Provenance) Column {
	c := Column{Provenance: p, Implementation: s.Implementation(), Suite: s}
	v, err := Gate(s, b, GateOptions{Today: p.Date})
	if err != nil {
		c.GateError = err.Error()
	} else {
		c.Verdict = v
	}
	return c
}

// Key names the column in file names: "pypy-7.3.11", "reference".
func (c Column) Key() string {
	i := c.Implementation
	if i.Name == "" {
		return fileName(c.Adapter)
	}
	if i.Version == "" {
		return fileName(i.Name)
	}
	return fileName(i.Name + "-" + i.Version)
}

// Title is the column heading: "pypy 7.3.11".
func (c Column) Title() string {
	if c.Implementation.Name == "" {
		return c.Adapter
	}
	return strings.TrimSpace(c.Implementation.Name + " " + c.Implementation.Version)
}

// Ran is the number of specs that reached a verdict on this language
// version: every spec but those not run and those skipped (not applicable).
func (c Column) Ran() int {
	n := c.Suite.Count()
	return len(c.Suite.Specs) - n[NotRun] - n[Skipped]
}

// PassedPercent is the share of specs that ran and passed.
func (c Column) PassedPercent() float64 {
	if c.Ran() == 0 {
		return 0
	}
	return 100 * float64(c.Suite.Count()[Passed]) / float64(c.Ran())
}

// Baselined is the cell state of a spec that fails (or errors) as its
// baseline expects.
const Baselined = "baselined"

// CellSpec is one spec of a behaviour, as one implementation did.
type CellSpec struct {
	Spec
	// Entry is the baseline entry that applies, if any; Problem is set
	// when the result does not match it (or there is none) and fails the
	// gate.
	Entry   *Entry
	Problem string
}

// CellState is the state a spec shows in the matrix: its own, or
// baselined for a failure or error the baseline expected.
func (c CellSpec) CellState() string {
	if c.Problem == "" && c.Entry != nil && (c.State == Failed || c.State == Errored) {
		return Baselined
	}
	return c.State
}

// Cell is what one implementation did on one behaviour.
type Cell struct {
	// State is the worst state of its specs (errored, failed, baselined,
	// unsupported, passed, skipped, not-run, in that order).
	State string
	Specs []CellSpec
}

var cellOrder = []string{Errored, Failed, Baselined, Unsupported, Passed, Skipped, NotRun}

// Row is one behaviour across the implementations.
type Row struct {
	Behaviour
	Cells []Cell
}

// Interop reports whether every implementation passes the behaviour.
func (r Row) Interop() bool {
	for _, c := range r.Cells {
		if c.State != Passed {
			return false
		}
	}
	return len(r.Cells) > 0
}

// Differs reports whether the implementations do not all show the same
// state.
func (r Row) Differs() bool {
	for _, c := range r.Cells {
		if c.State != r.Cells[0].State {
			return true
		}
	}
	return false
}

// FamilyRows is a family and its behaviours.
type FamilyRows struct {
	Family
	Rows []Row
}

// Matrix is the conformance matrix: behaviours by implementations.
type Matrix struct {
	Columns  []Column
	Families []FamilyRows
	// Generated is when the matrix was made.
	Generated time.Time
}

// NewMatrix lays out columns along the suite's behaviours. Behaviours the
// catalogue lacks (reports of another suite version) land in a family of
// their own at the end.
func NewMatrix(families []Family, behaviours []Behaviour, columns []Column, generated time.Time) *Matrix {
	m := &Matrix{Columns: columns, Generated: generated}
	// index every column's specs by behaviour id
	byID := make([]map[string][]CellSpec, len(columns))
	seen := map[string]bool{}
	var extra []Behaviour
	for i, col := range columns {
		byID[i] = map[string][]CellSpec{}
		problems := map[string]string{}
		var matched map[string]*Entry
		if col.Verdict != nil {
			matched = col.Verdict.Matched
			for _, p := range col.Verdict.Problems {
				problems[p.Spec.Title] = firstLine(p.String())
			}
		}
		for _, sp := range col.Suite.Specs {
			cs := CellSpec{Spec: sp, Entry: matched[sp.Title], Problem: problems[sp.Title]}
			if cs.Entry == nil && col.Verdict != nil {
				// a problem's entry (a changed mode, a fix) is still shown
				for _, p := range col.Verdict.Problems {
					if p.Spec.Title == sp.Title {
						cs.Entry = p.Entry
					}
				}
			}
			byID[i][sp.ID] = append(byID[i][sp.ID], cs)
			if !seen[sp.ID] {
				seen[sp.ID] = true
				extra = append(extra, Behaviour{ID: sp.ID, Family: "?"})
			}
		}
	}
	known := map[string]bool{}
	for _, b := range behaviours {
		known[b.ID] = true
	}
	var unknown []Behaviour
	for _, b := range extra {
		if !known[b.ID] {
			unknown = append(unknown, b)
		}
	}
	rowOf := func(b Behaviour) Row {
		r := Row{Behaviour: b}
		for i := range columns {
			specs := byID[i][b.ID]
			cell := Cell{State: NotRun, Specs: specs}
			best := len(cellOrder) - 1
			for _, s := range specs {
				for k, st := range cellOrder {
					if st == s.CellState() && k < best {
						best = k
					}
				}
			}
			// a passed spec beside a skipped one makes a passed cell
			cell.State = cellOrder[best]
			r.Cells = append(r.Cells, cell)
		}
		return r
	}
	for _, f := range families {
		fr := FamilyRows{Family: f}
		for _, b := range behaviours {
			if b.Family == f.Prefix && seen[b.ID] {
				fr.Rows = append(fr.Rows, rowOf(b))
			}
		}
		if len(fr.Rows) > 0 {
			m.Families = append(m.Families, fr)
		}
	}
	if len(unknown) > 0 {
		fr := FamilyRows{Family: Family{Prefix: "?", Title: "Behaviours the catalogue does not list"}}
		for _, b := range unknown {
			fr.Rows = append(fr.Rows, rowOf(b))
		}
		m.Families = append(m.Families, fr)
	}
	return m
}

// Rows returns every row, family by family.
func (m *Matrix) Rows() []Row {
	var out []Row
	for _, f := range m.Families {
		out = append(out, f.Rows...)
	}
	return out
}

// Interop counts the behaviours every implementation passes.
func (m *Matrix) Interop() int {
	n := 0
	for _, r := range m.Rows() {
		if r.Interop() {
			n++
		}
	}
	return n
}

// Agreement counts the behaviours no implementation fails or errors on,
// baselined or not: each passes them or does not support them (and at
// least one passes).
func (m *Matrix) Agreement() int {
	n := 0
	for _, r := range m.Rows() {
		passed, bad := false, false
		for _, c := range r.Cells {
			switch c.State {
			case Passed:
				passed = true
			case Failed, Errored, Baselined:
				bad = true
			}
		}
		if passed && !bad {
			n++
		}
	}
	return n
}

// BehavioursPassed counts, for column i, the behaviours whose specs all
// passed, and the behaviours that apply (not skipped or not run).
func (m *Matrix) BehavioursPassed(i int) (passed, applicable int) {
	for _, r := range m.Rows() {
		switch r.Cells[i].State {
		case Skipped, NotRun:
			continue
		case Passed:
			passed++
		}
		applicable++
	}
	return passed, applicable
}

// GateSummary is a column's gate result in a few words.
func (c Column) GateSummary() string {
	switch {
	case c.Verdict == nil:
		return "not gated: " + c.GateError
	case c.Verdict.OK():
		if c.Baseline == "" {
			return "ok (no baseline)"
		}
		return "ok"
	}
	return fmt.Sprintf("%d regression%s", len(c.Verdict.Problems), plural(len(c.Verdict.Problems)))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
