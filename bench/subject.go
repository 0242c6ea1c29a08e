package bench

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aiterspec/aiterspec/scenario"
)

// Subject is one implementation under measurement.
//
// Check and Measure are called for one workload at a time; a Subject need
// not be safe for concurrent use.
type Subject interface {
	// Describe says what the subject is. It does not change after it is
	// opened.
	Describe() Description
	// Check runs the workload's conformance scenario and reports whether
	// the implementation passes it: nil, an *UnsupportedError when it
	// lacks what the workload needs, a *CheckError when it observed
	// something else, or another error when running it broke.
	Check(ctx context.Context, w *Workload) error
	// Measure times the workload once (see [MeasureLoop] for how). ops is
	// the number of operations to time; 0 asks the implementation to
	// calibrate it (then the warm-up is s.Warmup, otherwise the
	// subject's own short one).
	Measure(ctx context.Context, w *Workload, ops int, s Settings) (Measurement, error)
	// Close releases the implementation.
	Close() error
}

// Description says what a subject is.
type Description struct {
	// Key is the subject's value of the /impl= benchmark key: the
	// implementation's name and version, e.g. "cpython-3.11.7", or a fixed
	// name for Go-native subjects ("reference", "go-chan", "go-pull"). It
	// has no space, '/' or '='.
	Key string
	// Name and Version are the implementation's own.
	Name, Version string
	// Language is the language and version implemented, e.g. "python 3.11.7"
	// or "go go1.26.8".
	Language string
	// Detail says how it runs, e.g. the interpreter's path.
	Detail string
}

// UnsupportedError says an implementation cannot run a workload.
type UnsupportedError struct {
	Missing []scenario.Capability
	Reason  string
}

func (e *UnsupportedError) Error() string {
	if e.Reason != "" {
		return "unsupported: " + e.Reason
	}
	var names []string
	for _, c := range e.Missing {
		names = append(names, string(c))
	}
	return "unsupported: needs " + strings.Join(names, ", ")
}

// CheckError says an implementation failed a workload's conformance check.
type CheckError struct {
	Want, Got []scenario.Observation
}

func (e *CheckError) Error() string {
	return fmt.Sprintf("fails the workload's conformance check: observed %v, want %v", e.Got, e.Want)
}

// IsUnsupported reports whether err is an *UnsupportedError.
func IsUnsupported(err error) bool {
	var u *UnsupportedError
	return errors.As(err, &u)
}

// sanitizeKey makes s usable as a benchmark key value: no spaces, '/' or '='.
func sanitizeKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '/', '=':
			return '_'
		}
		return r
	}, s)
}
