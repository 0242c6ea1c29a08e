package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
)

// Units as benchfmt reads them back: it turns ns into seconds.
const (
	SecPerItem      = "sec/item"
	CPUSecPerItem   = "cpu-sec/item"
	EmptySecPerItem = "empty-sec/item"
)

// Key identifies one benchmark of a results file.
type Key struct{ Workload, Impl string }

func (k Key) String() string { return "workload=" + k.Workload + "/impl=" + k.Impl }

// Results are the measurements of a results file, as benchfmt reads them.
type Results struct {
	// Path is the file they were read from.
	Path string
	// Workloads and Impls list the keys' values in order of appearance.
	Workloads, Impls []string
	// Config is the file configuration (its last value per key).
	Config map[string]string
	// ConfigOrder lists Config's keys in order of appearance.
	ConfigOrder []string
	// Values holds every measurement: by benchmark, then by unit (as
	// tidied by benchfmt: sec/item, empty-sec/item, allocs/item).
	Values map[Key]map[string][]float64
	// NotMeasured are the "# not measured: " comment lines, without that
	// prefix; Clocks the "# clock: " ones.
	NotMeasured, Clocks []string
}

// ReadResults reads a file written by [Run] (or any Go benchmark file
// with BenchmarkAsyncIter/workload=…/impl=… lines; other benchmarks are
// ignored).
func ReadResults(path string) (*Results, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseResults(path, data)
}

// ParseResults is ReadResults of data read from path.
func ParseResults(path string, data []byte) (*Results, error) {
	r := &Results{Path: path, Config: map[string]string{}, Values: map[Key]map[string][]float64{}}
	seenW, seenI := map[string]bool{}, map[string]bool{}
	rd := benchfmt.NewReader(bytes.NewReader(data), path)
	for rd.Scan() {
		switch rec := rd.Result(); rec := rec.(type) {
		case *benchfmt.SyntaxError:
			return nil, rec
		case *benchfmt.Result:
			for _, c := range rec.Config {
				if !c.File {
					continue
				}
				if _, ok := r.Config[c.Key]; !ok {
					r.ConfigOrder = append(r.ConfigOrder, c.Key)
				}
				r.Config[c.Key] = string(c.Value)
			}
			k, ok := parseName(rec.Name)
			if !ok {
				continue
			}
			if !seenW[k.Workload] {
				seenW[k.Workload] = true
				r.Workloads = append(r.Workloads, k.Workload)
			}
			if !seenI[k.Impl] {
				seenI[k.Impl] = true
				r.Impls = append(r.Impls, k.Impl)
			}
			units := r.Values[k]
			if units == nil {
				units = map[string][]float64{}
				r.Values[k] = units
			}
			for _, v := range rec.Values {
				units[v.Unit] = append(units[v.Unit], v.Value)
			}
		}
	}
	if err := rd.Err(); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "# not measured: "); ok {
			r.NotMeasured = append(r.NotMeasured, rest)
		} else if rest, ok := strings.CutPrefix(line, "# clock: "); ok {
			r.Clocks = append(r.Clocks, rest)
		}
	}
	if len(r.Values) == 0 {
		return nil, fmt.Errorf("%s: no Benchmark%s/workload=…/impl=… results", path, BenchmarkName)
	}
	return r, nil
}

// parseName splits AsyncIter/workload=W/impl=I.
func parseName(n benchfmt.Name) (Key, bool) {
	base, parts := n.Parts()
	if string(base) != BenchmarkName {
		return Key{}, false
	}
	var k Key
	for _, p := range parts {
		key, val, ok := strings.Cut(strings.TrimPrefix(string(p), "/"), "=")
		if !ok {
			continue
		}
		switch key {
		case "workload":
			k.Workload = val
		case "impl":
			k.Impl = val
		}
	}
	return k, k.Workload != "" && k.Impl != ""
}

// Sample returns the measurements of k in unit as a benchmath sample, or
// nil if there are none.
func (r *Results) Sample(k Key, unit string) *benchmath.Sample {
	vs := r.Values[k][unit]
	if len(vs) == 0 {
		return nil
	}
	return benchmath.NewSample(append([]float64(nil), vs...), &benchmath.DefaultThresholds)
}

// Summary is benchstat's summary of k in unit: the median and its 95%
// confidence interval. ok is false when there is no measurement.
func (r *Results) Summary(k Key, unit string) (s benchmath.Summary, n int, ok bool) {
	sample := r.Sample(k, unit)
	if sample == nil {
		return s, 0, false
	}
	return benchmath.AssumeNothing.Summary(sample, 0.95), len(sample.Values), true
}
