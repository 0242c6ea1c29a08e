package report

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"io"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/aiterspec/aiterspec/bench"
)

// row is one implementation's figures on one workload.
type row struct {
	Impl               string
	Median, Lo, Hi     float64 // seconds per item
	Runs               int
	CI, Empty, Allocs  string
	Missing            bool
	Color              color.Color
	finiteLo, finiteHi bool
	centerText         string
}

// workloadView is one workload's section of the HTML page.
type workloadView struct {
	ID, Description string
	Chart           template.HTML
	Rows            []row
}

// HTML writes a self-contained page: per workload, a horizontal bar chart
// of the median time per item of each implementation on a log scale, with
// the 95% confidence interval as an error bar, and the figures as a
// table. The charts are SVG made by gonum.org/v1/plot, inlined: the page
// needs nothing else.
func HTML(w io.Writer, r *bench.Results, unit string) error {
	var views []workloadView
	for _, id := range r.Workloads {
		v := workloadView{ID: id}
		if wl := bench.Lookup(id); wl != nil {
			v.Description = wl.Description
		}
		for _, impl := range implOrder(r) {
			k := bench.Key{Workload: id, Impl: impl}
			s, n, ok := r.Summary(k, unit)
			rw := row{Impl: impl, Runs: n, Missing: !ok, Color: implColor(impl)}
			if ok {
				rw.Median, rw.Lo, rw.Hi = s.Center, s.Lo, s.Hi
				rw.finiteLo = !math.IsInf(s.Lo, 0) && s.Lo > 0
				rw.finiteHi = !math.IsInf(s.Hi, 0)
				rw.CI = "± " + s.PctRangeString()
				rw.centerText = bench.FormatSeconds(s.Center)
				if e, _, ok := r.Summary(k, bench.EmptySecPerItem); ok {
					rw.Empty = bench.FormatSeconds(e.Center)
				}
				if a, _, ok := r.Summary(k, bench.UnitAllocs); ok {
					rw.Allocs = fmt.Sprintf("%.3g", a.Center)
				}
			}
			v.Rows = append(v.Rows, rw)
		}
		svg, err := chart(v, unit)
		if err != nil {
			return fmt.Errorf("chart of %s: %w", id, err)
		}
		v.Chart = template.HTML(svg)
		views = append(views, v)
	}
	var impls []implView
	for _, impl := range implOrder(r) {
		impls = append(impls, implView{impl, r.Config["impl-"+impl]})
	}
	return page.Execute(w, map[string]any{
		"Source":      r.Path,
		"Unit":        unitTitle(unit),
		"MeasuredOn":  measuredOn(r),
		"Impls":       impls,
		"Clocks":      r.Clocks,
		"Workloads":   views,
		"NotMeasured": r.NotMeasured,
	})
}

type implView struct{ Key, What string }

// implColor groups implementations by family: Go-native, CPython, PyPy,
// others (the JavaScript-hosted Pythons, any harness).
func implColor(impl string) color.Color {
	switch {
	case impl == "reference" || strings.HasPrefix(impl, "go-"):
		return color.RGBA{0x1f, 0x77, 0xb4, 0xff}
	case strings.HasPrefix(impl, "cpython"):
		return color.RGBA{0xe6, 0xa1, 0x1b, 0xff}
	case strings.HasPrefix(impl, "pypy"):
		return color.RGBA{0x2c, 0xa0, 0x2c, 0xff}
	}
	return color.RGBA{0x8c, 0x56, 0x4b, 0xff}
}

// chart draws v as SVG.
func chart(v workloadView, unit string) (string, error) {
	var rows []row
	for _, r := range v.Rows {
		if !r.Missing && r.Median > 0 {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return "<p>No implementation was measured on this workload.</p>", nil
	}
	p := plot.New()
	p.Title.Text = v.ID + ": " + unitTitle(unit) + " (median, 95% CI), log scale"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = nsTicks{}
	p.X.Label.Text = unitTitle(unit)
	// Bars are listed top to bottom in table order: the Y axis grows
	// upwards, so the first row gets the highest value.
	names := make([]string, len(rows))
	bars := &logBars{}
	var errs plotter.XErrors
	var xys plotter.XYs
	labels := &plotter.XYLabels{}
	lo, hi := math.Inf(1), 0.0
	for i, r := range rows {
		y := float64(len(rows) - 1 - i)
		names[len(rows)-1-i] = r.Impl
		ns := r.Median * 1e9
		bars.values = append(bars.values, ns)
		bars.colors = append(bars.colors, r.Color)
		bars.ys = append(bars.ys, y)
		lo, hi = math.Min(lo, ns), math.Max(hi, ns)
		if r.finiteLo && r.finiteHi {
			xys = append(xys, plotter.XY{X: ns, Y: y})
			errs = append(errs, struct{ Low, High float64 }{ns - r.Lo*1e9, r.Hi*1e9 - ns})
			lo, hi = math.Min(lo, r.Lo*1e9), math.Max(hi, r.Hi*1e9)
		}
		edge := ns
		if r.finiteHi {
			edge = r.Hi * 1e9
		}
		labels.XYs = append(labels.XYs, plotter.XY{X: edge, Y: y})
		labels.Labels = append(labels.Labels, " "+r.centerText+" "+r.CI)
	}
	p.X.Min = math.Pow(10, math.Floor(math.Log10(lo)))
	// Room on the right for the labels: two decades past the longest bar.
	p.X.Max = math.Pow(10, math.Ceil(math.Log10(hi))+1)
	bars.min = p.X.Min
	p.Add(plotter.NewGrid())
	p.Add(bars)
	if len(xys) > 0 {
		eb := &plotter.XErrorBars{XYs: xys, XErrors: errs,
			LineStyle: draw.LineStyle{Color: color.Black, Width: vg.Points(1)}, CapWidth: vg.Points(6)}
		p.Add(eb)
	}
	lb, err := plotter.NewLabels(labels)
	if err != nil {
		return "", err
	}
	lb.Offset = vg.Point{X: vg.Points(5)}
	for i := range lb.TextStyle {
		lb.TextStyle[i].YAlign = -0.5
		lb.TextStyle[i].Font.Size = vg.Points(9)
	}
	p.Add(lb)
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.6, float64(len(rows))-0.4

	height := vg.Length(len(rows))*vg.Points(22) + vg.Points(70)
	wt, err := p.WriterTo(9*vg.Inch, height, "svg")
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return "", err
	}
	svg := buf.String()
	// Inline SVG needs no XML prolog.
	if i := strings.Index(svg, "<svg"); i > 0 {
		svg = svg[i:]
	}
	return svg, nil
}

// unitTitle names a unit for people.
func unitTitle(unit string) string {
	switch unit {
	case bench.SecPerItem:
		return "time per item"
	case bench.CPUSecPerItem:
		return "CPU time per item"
	}
	return unit
}

// logBars draws horizontal bars from the left edge of a log axis (which
// has no zero) to each value.
type logBars struct {
	values, ys []float64
	colors     []color.Color
	min        float64
}

func (b *logBars) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	half := vg.Points(8)
	for i, v := range b.values {
		x0, x1, y := trX(b.min), trX(v), trY(b.ys[i])
		c.FillPolygon(b.colors[i], []vg.Point{{X: x0, Y: y - half}, {X: x1, Y: y - half}, {X: x1, Y: y + half}, {X: x0, Y: y + half}})
	}
}

func (b *logBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	for _, v := range b.values {
		xmin, xmax = math.Min(xmin, v), math.Max(xmax, v)
	}
	return xmin, xmax, -0.5, float64(len(b.values)) - 0.5
}

// nsTicks labels a log axis in nanoseconds with units: 10ns, 1µs, 1ms.
type nsTicks struct{}

func (nsTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.LogTicks{}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = bench.FormatSeconds(ticks[i].Value / 1e9)
		}
	}
	return ticks
}

var page = template.Must(template.New("bench").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>aiterspec benchmarks: the per-item cost of async iteration</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.92rem; }
th, td { padding: 0.2rem 0.7rem; border-bottom: 1px solid #eee; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.swatch { display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.4rem; vertical-align: middle; }
.muted { color: #666; } svg { max-width: 100%; height: auto; }
code { background: #f4f4f4; padding: 0 0.2rem; }
</style>
</head>
<body>
<h1>aiterspec benchmarks: the per-item cost of async iteration</h1>
<p class="muted">From <code>{{.Source}}</code>. {{.MeasuredOn}}</p>
<p>Each figure is the time one item costs, measured inside the implementation with its own
monotonic clock: <code>run(n)</code> is timed after calibration and warm-up, and the same loop with
no items, <code>run(0)</code>, is subtracted. Every implementation passed the workload's conformance check
before it was timed. Bars show the median over the runs on a <b>log scale</b>, whiskers its 95%
confidence interval (none when there are fewer than 6 runs). Runs of all implementations were
interleaved; compare ratios within this page, not figures across machines.</p>
<p><span class="swatch" style="background:#1f77b4"></span>Go-native
<span class="swatch" style="background:#e6a11b"></span>CPython
<span class="swatch" style="background:#2ca02c"></span>PyPy
<span class="swatch" style="background:#8c564b"></span>other harnesses</p>
<h2>Implementations</h2>
<table><tr><th>impl</th><th>what</th></tr>
{{range .Impls}}<tr><td><code>{{.Key}}</code></td><td>{{.What}}</td></tr>
{{end}}</table>
{{range .Clocks}}<div class="muted">clock of {{.}}</div>{{end}}
{{range .Workloads}}
<h2 id="{{.ID}}">{{.ID}}</h2>
<p>{{.Description}}</p>
{{.Chart}}
<table><tr><th>impl</th><th>median {{$.Unit}}</th><th>95% CI</th><th>runs</th><th>empty loop per item</th><th>allocs/item</th></tr>
{{range .Rows}}<tr><td><code>{{.Impl}}</code></td>{{if .Missing}}<td colspan="5" class="muted">not measured</td>{{else}}<td class="num">{{.MedianText}}</td><td class="num">{{.CI}}</td><td class="num">{{.Runs}}</td><td class="num">{{.Empty}}</td><td class="num">{{.Allocs}}</td>{{end}}</tr>
{{end}}</table>
{{end}}
{{if .NotMeasured}}<h2>Not measured</h2>
<p>A workload runs on an implementation only after it passes the workload's conformance check.</p>
<ul>{{range .NotMeasured}}<li>{{.}}</li>{{end}}</ul>{{end}}
</body>
</html>
`))

// MedianText is the median for the table.
func (r row) MedianText() string { return r.centerText }
