package reports

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"strings"
)

//go:embed conformance.html.tmpl
var pageTemplate string

var page = template.Must(template.New("conformance").Funcs(template.FuncMap{
	"pct":  func(f float64) string { return fmt.Sprintf("%.1f%%", f) },
	"code": codeSpans,
}).Parse(pageTemplate))

// codeSpans shows a summary's `backquoted` names as code, escaping
// everything.
func codeSpans(s string) template.HTML {
	parts := strings.Split(s, "`")
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 1 && i < len(parts)-1 {
			b.WriteString("<code>" + template.HTMLEscapeString(p) + "</code>")
			continue
		}
		if i%2 == 1 {
			b.WriteString("`") // an unpaired backquote stays as it is
		}
		b.WriteString(template.HTMLEscapeString(p))
	}
	return template.HTML(b.String())
}

// pageData is what the page's script reads (the table itself is HTML):
// per cell, each spec's result with its observations, for the diff dialog.
type pageData struct {
	Columns []pageColumn `json:"columns"`
	Rows    []pageRow    `json:"rows"`
}

type pageColumn struct {
	Title   string `json:"title"`
	Adapter string `json:"adapter"`
}

type pageRow struct {
	ID      string     `json:"id"`
	Summary string     `json:"summary"`
	Cells   []pageCell `json:"cells"`
}

type pageCell struct {
	State string     `json:"state"`
	Specs []pageSpec `json:"specs"`
}

type pageSpec struct {
	Title    string   `json:"title"`
	State    string   `json:"state"`
	Shown    string   `json:"shown"`
	Reason   string   `json:"reason,omitempty"`
	Error    string   `json:"error,omitempty"`
	Expected []string `json:"expected,omitempty"`
	// Observed is omitted when it equals Expected (a passed spec).
	Observed []string   `json:"observed,omitempty"`
	Same     bool       `json:"same,omitempty"`
	Differs  []int      `json:"differs,omitempty"`
	Failure  string     `json:"failure,omitempty"`
	Location string     `json:"location,omitempty"`
	Entry    *pageEntry `json:"entry,omitempty"`
	Problem  string     `json:"problem,omitempty"`
}

type pageEntry struct {
	Expected string `json:"expected"`
	Reason   string `json:"reason"`
	Issue    string `json:"issue,omitempty"`
	Versions string `json:"versions,omitempty"`
	Expires  string `json:"expires,omitempty"`
}

// htmlWords is how the page shows a cell's state.
var htmlWords = map[string]string{
	Passed:      "pass",
	Failed:      "FAIL",
	Errored:     "ERROR",
	Baselined:   "baselined",
	Unsupported: "unsupported",
	Skipped:     "n/a",
	NotRun:      "–",
}

func (m *Matrix) pageData() pageData {
	var d pageData
	for _, c := range m.Columns {
		d.Columns = append(d.Columns, pageColumn{Title: c.Title(), Adapter: c.Adapter})
	}
	for _, r := range m.Rows() {
		pr := pageRow{ID: r.ID, Summary: r.Summary}
		for _, c := range r.Cells {
			pc := pageCell{State: c.State, Specs: []pageSpec{}}
			for _, s := range c.Specs {
				ps := pageSpec{Title: s.Title, State: s.State, Shown: s.CellState(), Reason: s.Reason,
					Expected: s.Expected, Observed: s.Observed, Differs: s.Differs, Problem: s.Problem}
				if strings.HasPrefix(s.Location, "spec/") {
					ps.Location = s.Location // not Ginkgo's own file, for specs made by a helper
				}
				if s.Error != nil {
					ps.Error = s.Error.String()
				}
				if s.State == Passed && equalLines(s.Expected, s.Observed) {
					ps.Observed, ps.Same = nil, true
				}
				if s.State == Failed && len(s.Expected) == 0 && len(s.Observed) == 0 {
					ps.Failure = s.Failure // an old report: Ginkgo's diff is all there is
				}
				if e := s.Entry; e != nil {
					ps.Entry = &pageEntry{Expected: e.Expected.String(), Reason: e.Reason, Issue: e.Issue, Versions: e.Versions, Expires: e.Expires}
				}
				pc.Specs = append(pc.Specs, ps)
			}
			pr.Cells = append(pr.Cells, pc)
		}
		d.Rows = append(d.Rows, pr)
	}
	return d
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// WriteHTML writes the matrix as one self-contained page (styles, script
// and data inline; nothing fetched). Clicking a cell opens the expected
// and observed observations of each of its specs.
func (m *Matrix) WriteHTML(w io.Writer) error {
	type count struct {
		State string
		Ns    []int
	}
	var counts []count
	for _, st := range []string{Passed, Failed, Unsupported, Skipped, Errored, NotRun} {
		c := count{State: st}
		for _, col := range m.Columns {
			c.Ns = append(c.Ns, col.Suite.Count()[st])
		}
		counts = append(counts, c)
	}
	type behaviours struct{ Passed, Applicable int }
	var bs []behaviours
	for i := range m.Columns {
		p, a := m.BehavioursPassed(i)
		bs = append(bs, behaviours{p, a})
	}
	var b strings.Builder
	err := page.Execute(&b, map[string]any{
		"M":          m,
		"Generated":  m.Generated.UTC().Format("2006-01-02 15:04 UTC"),
		"Counts":     counts,
		"Behaviours": bs,
		"Interop":    m.Interop(),
		"Agreement":  m.Agreement(),
		"Total":      len(m.Rows()),
		"Data":       m.pageData(),
		"Words":      htmlWords,
		"Span":       len(m.Columns) + 2,
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// Write writes the matrix into dir: conformance.md, conformance.html and
// badges/KEY.json (a shields.io endpoint per implementation). Every file
// is written whole or not at all (see [WriteFileAtomic]); all of them are
// rendered before the first is written, so a failure leaves the previous
// report in place.
func (m *Matrix) Write(dir string) error {
	files := map[string][]byte{}
	var md, html strings.Builder
	if err := m.WriteMarkdown(&md); err != nil {
		return err
	}
	if err := m.WriteHTML(&html); err != nil {
		return err
	}
	files[filepath.Join(dir, "conformance.md")] = []byte(md.String())
	files[filepath.Join(dir, "conformance.html")] = []byte(html.String())
	for _, c := range m.Columns {
		files[filepath.Join(dir, "badges", c.Key()+".json")] = c.Badge().JSON()
	}
	for path, data := range files {
		if err := WriteFileAtomic(path, data); err != nil {
			return err
		}
	}
	return nil
}
