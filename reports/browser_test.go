package reports_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/aiterspec/aiterspec/internal/peertest"
	"github.com/aiterspec/aiterspec/reports"
)

// findChromium returns Debian's chromium (make setup installs it), or
// skips the test (fails it in CI).
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	peertest.Missing(t, "no chromium on PATH for the browser test of the HTML report (run make setup)")
	return ""
}

// browser is a headless Chromium that collects the console's errors and
// warnings (uncaught exceptions and failed loads included).
type browser struct {
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(findChromium(t)),
		chromedp.NoSandbox, // CI runs as root
		chromedp.WindowSize(1400, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	b := &browser{ctx: ctx}
	messages := chromedp.Console(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
				b.mu.Lock()
				b.errors = append(b.errors, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
				b.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() { cancelTimeout(); <-done; cancelCtx(); cancelAlloc() })
	return b
}

// takeErrors returns the console messages collected so far.
func (b *browser) takeErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.errors
	b.errors = nil
	return out
}

// checkPage loads page and checks what a reader needs: no console errors,
// nothing fetched, every implementation's column shown, and a click on a
// failed cell opening its diff. It saves a screenshot, with the diff open,
// as shot.
func (b *browser) checkPage(t *testing.T, page string, m *reports.Matrix, shot string) {
	t.Helper()
	abs, err := filepath.Abs(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b.ctx, chromedp.Navigate("file://"+abs), chromedp.WaitReady(chromedp.ID("matrix"))); err != nil {
		t.Fatalf("loading %s: %v", page, err)
	}
	headers, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#matrix thead th.impl")).filter(th => {
		const r = th.getBoundingClientRect();
		return r.width > 0 && r.height > 0 && getComputedStyle(th).visibility !== "hidden";
	}).map(th => th.firstChild.textContent.trim())`))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, c := range m.Columns {
		want = append(want, c.Title())
	}
	if strings.Join(headers, " | ") != strings.Join(want, " | ") {
		t.Errorf("columns shown: %q\n          want %q", headers, want)
	}
	fetched, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`performance.getEntriesByType("resource").map(e => e.name)`))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range fetched {
		t.Errorf("%s fetched %s: the page must be self-contained", page, u)
	}

	// The first failed cell: its first differing observation must show in
	// the dialog the click opens.
	var failed *reports.CellSpec
	var rowID string
	for _, r := range m.Rows() {
		for _, c := range r.Cells {
			for i, s := range c.Specs {
				if failed == nil && c.State == reports.Failed && s.State == reports.Failed {
					failed, rowID = &c.Specs[i], r.ID
				}
			}
		}
	}
	if failed == nil {
		t.Fatal("the matrix has no failed cell to click")
	}
	cell := chromedp.CSS(fmt.Sprintf(`#matrix tr[data-id=%q] td.st-failed button`, rowID))
	if err := chromedp.Do(b.ctx, chromedp.Click(cell), chromedp.WaitVisible(chromedp.ID("detail"))); err != nil {
		t.Fatalf("clicking the failed cell of %s: %v", rowID, err)
	}
	text, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.ID("detail")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{failed.Title, failed.FirstDifference.Expected, failed.FirstDifference.Observed, "✗"} {
		if !strings.Contains(text, want) {
			t.Errorf("the dialog for %s lacks %q:\n%s", rowID, want, text)
		}
	}
	marked, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#detail table.diff tr.differs").length`))
	if err != nil || marked == 0 {
		t.Errorf("the dialog for %s marks no differing row (err %v)", rowID, err)
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of %s with the diff of %s open: %s", page, rowID, shot)
	for _, e := range b.takeErrors() {
		t.Errorf("%s: console: %s", page, e)
	}
}

// TestHTMLReportInABrowser checks the page made from real runs of the
// suite (testdata) in headless Chromium. The screenshot lands in
// reports/browser-test.png.
func TestHTMLReportInABrowser(t *testing.T) {
	b := newBrowser(t)
	m := reports.NewMatrix(sampleFamilies, sampleBehaviours, sampleColumns(t), sampleDate)
	dir := t.TempDir()
	if err := m.Write(dir); err != nil {
		t.Fatal(err)
	}
	b.checkPage(t, filepath.Join(dir, "conformance.html"), m, "browser-test.png")
}

// TestCommittedReportInABrowser checks the matrix committed in reports/
// (the latest real run, which the README links to) the same way, reading
// its columns from the page's own data. Its screenshot lands in
// reports/browser-test-conformance.png.
func TestCommittedReportInABrowser(t *testing.T) {
	const page = "conformance.html"
	if _, err := os.Stat(page); err != nil {
		t.Skipf("no committed %s yet (make conformance writes it)", page)
	}
	b := newBrowser(t)
	abs, _ := filepath.Abs(page)
	if err := chromedp.Do(b.ctx, chromedp.Navigate("file://"+abs), chromedp.WaitReady(chromedp.ID("matrix"))); err != nil {
		t.Fatal(err)
	}
	var got struct{ Shown, Columns []string }
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[struct{ Shown, Columns []string }](`({
		shown: Array.from(document.querySelectorAll("#matrix thead th.impl")).filter(th => th.getBoundingClientRect().width > 0).map(th => th.firstChild.textContent.trim()),
		columns: JSON.parse(document.getElementById("data").textContent).columns.map(c => c.title),
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Columns) < 2 || strings.Join(got.Shown, "|") != strings.Join(got.Columns, "|") {
		t.Errorf("columns shown %q, in the data %q", got.Shown, got.Columns)
	}
	cell := chromedp.CSS(`#matrix td.st-baselined button, #matrix td.st-failed button`)
	if err := chromedp.Do(b.ctx, chromedp.Click(cell), chromedp.WaitVisible(chromedp.ID("detail"))); err != nil {
		t.Fatalf("clicking a failed or baselined cell: %v", err)
	}
	text, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.ID("detail")))
	if err != nil || !strings.Contains(text, "baseline: expects") {
		t.Errorf("the dialog does not show the baseline's expectation (err %v):\n%s", err, text)
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err == nil {
		err = os.WriteFile("browser-test-conformance.png", png, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range b.takeErrors() {
		t.Errorf("%s: console: %s", page, e)
	}
}
