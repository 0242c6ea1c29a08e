package reports

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Outcome is what the suite records about one spec, as the value of the
// report entry named [ResultEntry]: the state, its evidence and the
// implementation that produced it. Ginkgo keeps it in its JSON report,
// where [Load] finds it again.
type Outcome struct {
	State string `json:"state"`
	// Reason explains unsupported, skipped and errored states.
	Reason string `json:"reason,omitempty"`
	// Missing names the capabilities the implementation lacks, for a spec
	// unsupported because it does not announce them.
	Missing []string `json:"missing,omitempty"`
	// Error classifies an errored state.
	Error *ErrorInfo `json:"error,omitempty"`
	// Expected and Observed are the observations, one per line as people
	// read them ("value 1", "raised TypeError: …"), for specs that ran to
	// the end (passed or failed). Errored specs have Expected only.
	Expected []string `json:"expected,omitempty"`
	Observed []string `json:"observed,omitempty"`
	// FirstDifference is a failed spec's first observation that differs,
	// and Differs the positions (from 1) of every row that differs.
	FirstDifference *Difference `json:"first_difference,omitempty"`
	Differs         []int       `json:"differs,omitempty"`
	// Implementation is the implementation and profile the spec ran on.
	Implementation Implementation `json:"implementation"`
}

// String is how Ginkgo shows the entry: "state" or "state: reason".
func (o Outcome) String() string {
	if o.Reason == "" {
		return o.State
	}
	return o.State + ": " + o.Reason
}

// Implementation is the implementation a suite ran against, as its
// adapter described it, with the profile the suite judged it by.
type Implementation struct {
	Name            string `json:"name"`
	Version         string `json:"version"`
	Language        string `json:"language,omitempty"`
	LanguageVersion string `json:"language_version,omitempty"`
	// Profile is the language version whose expectations applied.
	Profile string `json:"profile,omitempty"`
	// Messages is the message strictness ("exact" or "type").
	Messages string `json:"messages,omitempty"`
}

// String is "name version (language language_version)".
func (i Implementation) String() string {
	s := strings.TrimSpace(i.Name + " " + i.Version)
	if i.Language != "" {
		s += " (" + i.Language + " " + i.LanguageVersion + ")"
	}
	return s
}

// Difference is the first place where observed differs from expected.
type Difference struct {
	// Index counts observations from 1.
	Index    int    `json:"index"`
	Expected string `json:"expected"`
	Observed string `json:"observed"`
}

// Nothing stands for a missing observation in a [Difference].
const Nothing = "(nothing)"

// String is "#2: expected X, observed Y".
func (d Difference) String() string {
	return fmt.Sprintf("#%d: expected %s, observed %s", d.Index, d.Expected, d.Observed)
}

// The kinds of an errored spec.
const (
	// Timeout: the scenario did not finish within its time limit.
	Timeout = "timeout"
	// Crash: the implementation's process died (a signal or an exit).
	Crash = "crash"
	// Protocol: the harness broke the process protocol.
	Protocol = "protocol"
	// Harness: any other breakage (the harness reported it could not run
	// the scenario, could not be started, …).
	Harness = "harness"
)

// ErrorInfo classifies an errored spec.
type ErrorInfo struct {
	// Kind is one of Timeout, Crash, Protocol, Harness.
	Kind string `json:"kind"`
	// Signal names the signal that killed a crashed process ("SIGSEGV").
	Signal string `json:"signal,omitempty"`
	// ExitStatus is the status a crashed process exited with, when no
	// signal killed it.
	ExitStatus *int `json:"exit_status,omitempty"`
}

// String is "timeout", "crash: SIGSEGV", "crash: exit status 3", ….
func (e ErrorInfo) String() string {
	switch {
	case e.Signal != "":
		return e.Kind + ": " + e.Signal
	case e.ExitStatus != nil:
		return fmt.Sprintf("%s: exit status %d", e.Kind, *e.ExitStatus)
	}
	return e.Kind
}

// Equal reports whether e and o are the same failure.
func (e ErrorInfo) Equal(o ErrorInfo) bool {
	if e.Kind != o.Kind || e.Signal != o.Signal || (e.ExitStatus == nil) != (o.ExitStatus == nil) {
		return false
	}
	return e.ExitStatus == nil || *e.ExitStatus == *o.ExitStatus
}

var (
	killedBy   = regexp.MustCompile(`killed by signal \d+ \((SIG[A-Z0-9]+)\)`)
	exitedWith = regexp.MustCompile(`exited with status (\d+)`)
)

// ClassifyError reads the kind of an errored result from its reason, as
// the process adapter words it ("timed out after 10s", "the harness was
// killed by signal 11 (SIGSEGV) before answering", "protocol violation:
// …"). Only the first line counts: the rest is the harness's stderr,
// which may say anything.
func ClassifyError(reason string) ErrorInfo {
	first, _, _ := strings.Cut(reason, "\n")
	switch {
	case strings.HasPrefix(first, "protocol violation") ||
		strings.Contains(first, "observations that do not decode"):
		return ErrorInfo{Kind: Protocol}
	case strings.Contains(first, "timed out") || strings.Contains(first, "deadline exceeded"):
		return ErrorInfo{Kind: Timeout}
	case strings.HasPrefix(first, "gave up") || strings.HasPrefix(first, "could not"):
		// the restart budget is spent: the evidence is an earlier crash
		return ErrorInfo{Kind: Harness}
	}
	if m := killedBy.FindStringSubmatch(first); m != nil {
		return ErrorInfo{Kind: Crash, Signal: m[1]}
	}
	if m := exitedWith.FindStringSubmatch(first); m != nil {
		n, _ := strconv.Atoi(m[1])
		return ErrorInfo{Kind: Crash, ExitStatus: &n}
	}
	return ErrorInfo{Kind: Harness}
}
