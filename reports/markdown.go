package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// cellWords is how the Markdown matrix shows a cell's state.
var cellWords = map[string]string{
	Passed:      "pass",
	Failed:      "**FAIL**",
	Errored:     "**ERROR**",
	Baselined:   "baselined",
	Unsupported: "unsupported",
	Skipped:     "n/a",
	NotRun:      "–",
}

// WriteMarkdown writes the matrix as Markdown: provenance and counts per
// implementation, the interop count, then one table per family.
func (m *Matrix) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# aiterspec conformance matrix\n\n")
	fmt.Fprintf(&b, "Generated %s by `make conformance` (`aiterspec report`). The [HTML page](conformance.html) has the same\n", m.Generated.UTC().Format("2006-01-02 15:04 UTC"))
	b.WriteString("matrix; click a cell there for the expected-vs-observed observations of each spec.\n\n")
	b.WriteString("States: **pass**; **FAIL** (observed something else, not in the baseline); **ERROR** (the harness\n")
	b.WriteString("crashed, hung or broke the protocol, not in the baseline); **baselined** (fails or errors as the\n")
	b.WriteString("implementation's baseline expects); **unsupported** (lacks a capability); **n/a** (the behaviour\n")
	b.WriteString("does not exist in that language version). A row's cell shows its worst spec.\n\n")

	header := func(first string) {
		b.WriteString("| " + first + " |")
		for _, c := range m.Columns {
			b.WriteString(" " + mdEscape(c.Title()) + " |")
		}
		b.WriteString("\n|---|")
		for range m.Columns {
			b.WriteString("---|")
		}
		b.WriteString("\n")
	}
	row := func(name string, f func(i int, c Column) string) {
		b.WriteString("| " + name + " |")
		for i, c := range m.Columns {
			b.WriteString(" " + f(i, c) + " |")
		}
		b.WriteString("\n")
	}
	b.WriteString("## Implementations\n\n")
	header("")
	row("implementation", func(_ int, c Column) string { return mdEscape(c.Implementation.Name + " " + c.Implementation.Version) })
	row("language", func(_ int, c Column) string {
		return mdEscape(c.Implementation.Language + " " + c.Implementation.LanguageVersion)
	})
	row("adapter", func(_ int, c Column) string { return "`" + mdEscape(c.Adapter) + "`" })
	row("suite commit", func(_ int, c Column) string { return "`" + c.Commit + "`" })
	row("date", func(_ int, c Column) string { return c.Date.UTC().Format("2006-01-02 15:04") })
	for _, st := range []string{Passed, Failed, Unsupported, Skipped, Errored, NotRun} {
		row("specs "+st, func(_ int, c Column) string { return fmt.Sprint(c.Suite.Count()[st]) })
	}
	row("passed of those run", func(_ int, c Column) string {
		return fmt.Sprintf("%d/%d (%.1f%%)", c.Suite.Count()[Passed], c.Ran(), c.PassedPercent())
	})
	row("behaviours passed", func(i int, c Column) string {
		p, a := m.BehavioursPassed(i)
		return fmt.Sprintf("%d/%d", p, a)
	})
	row("gate (baseline)", func(_ int, c Column) string { return mdEscape(c.GateSummary()) })
	fmt.Fprintf(&b, "\n**Interop:** %d of %d behaviours pass on every implementation above; %d pass wherever they are\n", m.Interop(), len(m.Rows()), m.Agreement())
	b.WriteString("supported (no implementation fails or errors on them, baselined or not).\n\n")

	for _, f := range m.Families {
		fmt.Fprintf(&b, "## %s — %s\n\n", f.Prefix, mdEscape(f.Title))
		header("id | behaviour")
		for _, r := range f.Rows {
			b.WriteString("| " + r.ID + " | " + mdEscape(r.Summary) + " |")
			for _, c := range r.Cells {
				b.WriteString(" " + cellWords[c.State] + " |")
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// Badge is a shields.io endpoint description
// (https://shields.io/badges/endpoint-badge) of one implementation's
// result.
type Badge struct {
	SchemaVersion int    `json:"schemaVersion"`
	Label         string `json:"label"`
	Message       string `json:"message"`
	Color         string `json:"color"`
}

// Badge is the column's badge: "187/236 passed (79%)", coloured by share.
func (c Column) Badge() Badge {
	pct := c.PassedPercent()
	color := "red"
	switch {
	case c.Verdict != nil && !c.Verdict.OK():
		color = "critical"
	case pct >= 99.95:
		color = "brightgreen"
	case pct >= 90:
		color = "green"
	case pct >= 75:
		color = "yellow"
	case pct >= 50:
		color = "orange"
	}
	msg := fmt.Sprintf("%d/%d passed (%.0f%%)", c.Suite.Count()[Passed], c.Ran(), pct)
	if c.Verdict != nil && !c.Verdict.OK() {
		msg += ", " + c.GateSummary()
	}
	return Badge{SchemaVersion: 1, Label: "aiterspec " + c.Title(), Message: msg, Color: color}
}

// JSON encodes the badge.
func (b Badge) JSON() []byte {
	data, _ := json.MarshalIndent(b, "", "  ")
	return append(data, '\n')
}
