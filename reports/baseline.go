package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
)

// A Baseline is what one implementation is known to get wrong: for each
// spec it does not pass, the expected failure mode and why. CI gates a run
// against it (see [Gate]): a result that matches its entry is baselined, and
// anything else that does not pass is a regression. Baselines live in
// reports/baselines/IMPLEMENTATION.json; the suite itself stays
// implementation-neutral.
type Baseline struct {
	// Implementation is the implementation name its harness announces
	// ("pypy"); gating another implementation's run is an error.
	Implementation string `json:"implementation"`
	// About says, for people, what the file covers.
	About string `json:"about,omitempty"`
	// Lacks are capabilities the implementation does not announce: every
	// spec unsupported for lacking only these is expected, without an entry
	// of its own.
	Lacks []Lack `json:"lacks,omitempty"`
	// Entries are the specs expected not to pass, one by one.
	Entries []Entry `json:"entries"`
}

// Lack is a capability the implementation does not have.
type Lack struct {
	// Capability is its name, as the suite's cap: labels show it
	// ("anext-builtin", "source").
	Capability string `json:"capability"`
	Reason     string `json:"reason"`
	// Versions is a constraint on the implementation version, as in Entry.
	Versions string `json:"versions,omitempty"`
}

// Applies reports whether l applies to the implementation version.
func (l Lack) Applies(version string) bool {
	return Entry{Versions: l.Versions}.Applies(version)
}

// Lacking returns the capabilities b says the implementation lacks at
// version.
func (b *Baseline) Lacking(version string) map[string]bool {
	out := map[string]bool{}
	for _, l := range b.Lacks {
		if l.Applies(version) {
			out[l.Capability] = true
		}
	}
	return out
}

// Entry is one spec the implementation is expected not to pass.
type Entry struct {
	// ID is the spec's behaviour id and Spec its name (the text Ginkgo
	// shows, "R01: two anext() gathered …"); Spec identifies the entry.
	ID   string `json:"id"`
	Spec string `json:"spec"`
	// Expected is the failure mode: a result that does not pass and fails
	// differently (a crash where a hang was expected) is a regression.
	Expected Mode `json:"expected"`
	// Reason says why, for people.
	Reason string `json:"reason"`
	// Issue is the URL of the implementation's bug report, if any.
	Issue string `json:"issue,omitempty"`
	// Versions is a constraint on the implementation version the entry
	// applies to ("< 3.12.10 || >= 3.13.0, < 3.13.3"; Masterminds semver
	// syntax); empty means every version.
	Versions string `json:"versions,omitempty"`
	// Expires is the last day (YYYY-MM-DD) the entry is accepted; after it,
	// gating fails, naming the entry.
	Expires string `json:"expires,omitempty"`
	// Timeout is the time limit of an expected hang (a Go duration such as
	// "2s"), so a known hang does not cost the full scenario timeout.
	Timeout string `json:"timeout,omitempty"`
}

// Mode is how a spec fails to pass: failed (with the first observation
// that differs), unsupported, or errored (with its kind).
type Mode struct {
	State string `json:"state"`
	// Error is an errored spec's kind.
	Error *ErrorInfo `json:"error,omitempty"`
	// FirstDifference is a failed spec's first differing observation. An
	// entry without it accepts any failure.
	FirstDifference *Difference `json:"first_difference,omitempty"`
}

// String is "failed (#1: expected …, observed …)", "errored (crash:
// SIGSEGV)", "unsupported", "passed", ….
func (m Mode) String() string {
	switch {
	case m.Error != nil:
		return m.State + " (" + m.Error.String() + ")"
	case m.FirstDifference != nil:
		return m.State + " (" + m.FirstDifference.String() + ")"
	}
	return m.State
}

// Accepts reports whether the observed mode got is the failure m expects.
func (m Mode) Accepts(got Mode) bool {
	if m.State != got.State {
		return false
	}
	switch m.State {
	case Errored:
		return m.Error == nil || (got.Error != nil && m.Error.Equal(*got.Error))
	case Failed:
		return m.FirstDifference == nil || (got.FirstDifference != nil && *m.FirstDifference == *got.FirstDifference)
	}
	return true
}

// ModeOf is the mode of a spec's result.
func ModeOf(s Spec) Mode {
	m := Mode{State: s.State}
	switch s.State {
	case Errored:
		e := s.Error
		if e == nil {
			c := ClassifyError(s.Reason)
			e = &c
		}
		m.Error = e
	case Failed:
		m.FirstDifference = s.FirstDifference
	}
	return m
}

// BaselineDir is where the committed baselines live, relative to the
// module root.
const BaselineDir = "reports/baselines"

// BaselinePath is the default baseline file of an implementation.
func BaselinePath(implementation string) string {
	return filepath.Join(BaselineDir, fileName(implementation)+".json")
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func fileName(s string) string { return unsafeName.ReplaceAllString(s, "_") }

// LoadBaseline reads and checks a baseline file. Every problem is reported
// with the file and the entry it is in.
func LoadBaseline(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b Baseline
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("%s: not a baseline file: %w", path, err)
	}
	if err := b.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &b, nil
}

var dateLayout = "2006-01-02"

// Validate checks every entry and returns all problems found, each
// naming its entry.
func (b *Baseline) Validate() error {
	var errs []error
	if b.Implementation == "" {
		errs = append(errs, errors.New(`"implementation" is missing: name the implementation the baseline is for, as its harness announces it`))
	}
	for i, l := range b.Lacks {
		if l.Capability == "" || strings.TrimSpace(l.Reason) == "" {
			errs = append(errs, fmt.Errorf("lacks[%d]: \"capability\" and \"reason\" are required", i))
		}
		if l.Versions != "" {
			if _, err := semver.NewConstraint(l.Versions); err != nil {
				errs = append(errs, fmt.Errorf("lacks[%d] (%s): versions %q: %v", i, l.Capability, l.Versions, err))
			}
		}
	}
	for i, e := range b.Entries {
		where := fmt.Sprintf("entries[%d] (%s)", i, e.ID)
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf(where+": "+format, args...))
		}
		if e.ID == "" || e.Spec == "" {
			bad(`"id" and "spec" are required`)
		}
		switch e.Expected.State {
		case Failed, Unsupported:
			if e.Expected.Error != nil {
				bad(`expected.error is only for state "errored"`)
			}
		case Errored:
			if e.Expected.Error == nil {
				bad(`expected.error is required for state "errored" (kind: timeout, crash, protocol or harness)`)
			} else if !slices.Contains([]string{Timeout, Crash, Protocol, Harness}, e.Expected.Error.Kind) {
				bad("expected.error.kind %q is not one of timeout, crash, protocol, harness", e.Expected.Error.Kind)
			}
		default:
			bad("expected.state %q: want failed, unsupported or errored", e.Expected.State)
		}
		if e.Expected.FirstDifference != nil && e.Expected.State != Failed {
			bad(`expected.first_difference is only for state "failed"`)
		}
		if strings.TrimSpace(e.Reason) == "" {
			bad(`"reason" is required: say why the implementation does not pass`)
		}
		if e.Versions != "" {
			if _, err := semver.NewConstraint(e.Versions); err != nil {
				bad("versions %q: %v", e.Versions, err)
			}
		}
		if e.Expires != "" {
			if _, err := time.Parse(dateLayout, e.Expires); err != nil {
				bad("expires %q is not a date like 2027-06-30", e.Expires)
			}
		}
		if e.Timeout != "" {
			d, err := time.ParseDuration(e.Timeout)
			switch {
			case err != nil || d <= 0:
				bad("timeout %q is not a duration like 2s", e.Timeout)
			case e.Expected.Error == nil || e.Expected.Error.Kind != Timeout:
				bad("timeout is only for an expected hang (expected errored with kind timeout)")
			}
		}
	}
	return errors.Join(errs...)
}

// Applies reports whether e applies to the implementation version v ("" or
// unparsable: only entries without a constraint apply).
func (e Entry) Applies(version string) bool {
	if e.Versions == "" {
		return true
	}
	v, err := ParseVersion(version)
	if err != nil {
		return false
	}
	c, err := semver.NewConstraint(e.Versions)
	return err == nil && c.Check(v)
}

// Expired reports whether e's expiry date is before today.
func (e Entry) Expired(today time.Time) bool {
	if e.Expires == "" {
		return false
	}
	d, err := time.Parse(dateLayout, e.Expires)
	if err != nil {
		return false
	}
	y, m, dd := today.Date()
	return d.Before(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC))
}

// For returns the entries that apply to a run of the implementation at
// version, by spec name. Two entries applying to one spec are an error.
func (b *Baseline) For(version string) (map[string]*Entry, error) {
	out := map[string]*Entry{}
	for i := range b.Entries {
		e := &b.Entries[i]
		if !e.Applies(version) {
			continue
		}
		if prev, dup := out[e.Spec]; dup {
			return nil, fmt.Errorf("two entries apply to %q on version %s (versions %q and %q): make their version constraints exclusive",
				e.Spec, version, prev.Versions, e.Versions)
		}
		out[e.Spec] = e
	}
	return out, nil
}

// Timeouts returns the time limits of the expected hangs that apply to
// version, by spec name, for the suite's --baseline flag.
func (b *Baseline) Timeouts(version string) map[string]time.Duration {
	out := map[string]time.Duration{}
	for _, e := range b.Entries {
		if e.Timeout == "" || !e.Applies(version) {
			continue
		}
		if d, err := time.ParseDuration(e.Timeout); err == nil {
			out[e.Spec] = d
		}
	}
	return out
}

// Save writes b to path atomically, entries sorted by id and spec name.
func (b *Baseline) Save(path string) error {
	slices.SortStableFunc(b.Entries, func(x, y Entry) int {
		if c := compareIDs(x.ID, y.ID); c != 0 {
			return c
		}
		return strings.Compare(x.Spec, y.Spec)
	})
	slices.SortStableFunc(b.Lacks, func(x, y Lack) int { return strings.Compare(x.Capability, y.Capability) })
	if b.Entries == nil {
		b.Entries = []Entry{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return err
	}
	return WriteFileAtomic(path, buf.Bytes())
}

var versionPrefix = regexp.MustCompile(`^v?(\d+(\.\d+){0,2})`)

// ParseVersion reads the numeric release of a version such as "3.11.7",
// "7.3.11", "v20.19.2" or "3.14.0rc1".
func ParseVersion(s string) (*semver.Version, error) {
	m := versionPrefix.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return nil, fmt.Errorf("%q is not a version like 3.11.7", s)
	}
	return semver.NewVersion(m[1])
}

// WriteFileAtomic writes data to path through a temporary file in the same
// folder and a rename, so a reader (or an interrupted run) never sees half
// a file.
func WriteFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after a successful rename there is nothing to remove
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
