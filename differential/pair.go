package differential

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/aiterspec/aiterspec/adapters"
	. "github.com/aiterspec/aiterspec/scenario"
)

// Pair is two implementations compared scenario by scenario: A, the one
// under test, and B, the one it is held against (CPython 3.11, usually).
// A Pair is not safe for concurrent use; a search opens one per worker.
type Pair struct {
	A, B     adapters.Adapter
	Messages Messages
}

// Verdict is what comparing one scenario on a pair found.
type Verdict int

const (
	// Agree: both completed with the same observations.
	Agree Verdict = iota
	// Diverge: the observations differ, or one side completed and the
	// other broke (crashed, hung).
	Diverge
	// Skip: one side cannot run the scenario (unsupported).
	Skip
	// Invalid: both sides broke: the program itself is bad, which is a
	// bug of the generator.
	Invalid
)

func (v Verdict) String() string {
	return [...]string{"agree", "diverge", "skip", "invalid"}[v]
}

// Outcome is the result of running one scenario on both sides.
type Outcome struct {
	A, B    adapters.Result
	Verdict Verdict
	// Signature names the divergence class (see [Signature]); empty unless
	// Verdict is Diverge.
	Signature string
	// Detail is the first differing observations themselves, with
	// messages masked as in Signature: the shrinker keeps a candidate only
	// if both its Signature and its Detail are unchanged, so that it does
	// not slip from one bug to another of the same signature.
	Detail string
}

// Run runs sc on both sides at once (B on its own goroutine) and compares
// the results.
func (p *Pair) Run(ctx context.Context, sc *Scenario) Outcome {
	done := make(chan adapters.Result, 1)
	go func() { done <- p.B.Run(ctx, sc) }()
	a := p.A.Run(ctx, sc)
	b := <-done
	return p.judge(a, b)
}

func (p *Pair) judge(a, b adapters.Result) Outcome {
	o := Outcome{A: a, B: b}
	switch {
	case a.State == adapters.Unsupported || b.State == adapters.Unsupported:
		o.Verdict = Skip
	case a.State == adapters.Errored && b.State == adapters.Errored:
		o.Verdict = Invalid
	case a.State == adapters.Completed && b.State == adapters.Completed && Same(a.Observations, b.Observations, p.Messages):
		o.Verdict = Agree
	default:
		o.Verdict = Diverge
		o.Signature = Signature(a, b, p.Messages)
		o.Detail = detail(a, b, p.Messages)
	}
	return o
}

// Close closes both sides.
func (p *Pair) Close() error {
	ea, eb := p.A.Close(), p.B.Close()
	if ea != nil {
		return ea
	}
	return eb
}

// Same reports whether two runs observed the same, entry by entry: unlike
// [Matches], which lets an expectation leave a cause or a line open, both
// sides here are observations, and every field counts (messages only
// under [ExactMessages]).
func Same(a, b []Observation, m Messages) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameObservation(a[i], b[i], m) {
			return false
		}
	}
	return true
}

// sameObservation is Accepts both ways: each side's cause and line must
// match the other's.
func sameObservation(a, b Observation, m Messages) bool {
	return a.Accepts(b, m) && b.Accepts(a, m)
}

// Signature names the class of a divergence, so that a thousand programs
// showing one difference count as one class. It is the first differing
// observation's kind and exception type on each side, "A ≠ B":
//
//	raised RuntimeError ≠ value
//	value exception ValueError ≠ value exception RuntimeError
//	event ≠ (nothing)
//	errored (hang) ≠ completed
//
// Where both sides raised the same type, the messages are part of the
// signature, with quoted names and numbers masked, so that each wording
// difference is a class of its own but not each name it mentions.
// Generated events differ only by where they were emitted, so their names
// are left out; warning and unraisable events keep their category.
func Signature(a, b adapters.Result, m Messages) string {
	if a.State != adapters.Completed || b.State != adapters.Completed {
		return stateSig(a) + " ≠ " + stateSig(b)
	}
	for i := 0; i < max(len(a.Observations), len(b.Observations)); i++ {
		var oa, ob *Observation
		if i < len(a.Observations) {
			oa = &a.Observations[i]
		}
		if i < len(b.Observations) {
			ob = &b.Observations[i]
		}
		if oa != nil && ob != nil && sameObservation(*oa, *ob, m) {
			continue
		}
		sa, sb := obsSig(oa), obsSig(ob)
		if sa == sb && oa != nil && ob != nil {
			if d := detailSig(*oa, *ob); d != "" {
				return sa + " (" + d + ")"
			}
		}
		return sa + " ≠ " + sb
	}
	return "no difference"
}

// detail is the first differing pair of observations, masked.
func detail(a, b adapters.Result, m Messages) string {
	if a.State != adapters.Completed || b.State != adapters.Completed {
		return stateSig(a) + " ≠ " + stateSig(b)
	}
	for i := 0; i < max(len(a.Observations), len(b.Observations)); i++ {
		sa, sb := "(nothing)", "(nothing)"
		if i < len(a.Observations) {
			sa = maskMessage(a.Observations[i].String())
		}
		if i < len(b.Observations) {
			sb = maskMessage(b.Observations[i].String())
		}
		if i < len(a.Observations) && i < len(b.Observations) && sameObservation(a.Observations[i], b.Observations[i], m) {
			continue
		}
		return sa + " ≠ " + sb
	}
	return ""
}

// stateSig describes a run that did not complete: its state and, for an
// errored run, whether it hung, crashed or broke the protocol.
func stateSig(r adapters.Result) string {
	if r.State != adapters.Errored {
		return string(r.State)
	}
	reason := strings.ToLower(r.Reason)
	switch {
	case strings.Contains(reason, "timed out") || strings.Contains(reason, "timeout") || strings.Contains(reason, "time limit"):
		return "errored (hang)"
	case strings.Contains(reason, "signal") || strings.Contains(reason, "crash") || strings.Contains(reason, "exited"):
		return "errored (crash)"
	case strings.Contains(reason, "syntaxerror") || strings.Contains(reason, "does not compile"):
		return "errored (program does not compile)"
	}
	return "errored"
}

func obsSig(o *Observation) string {
	if o == nil {
		return "(nothing)"
	}
	switch o.Kind {
	case ObservedValue:
		return "value" + valueSig(o.Value)
	case ObservedRaise:
		return "raised " + o.Raised.Type
	case ObservedEvent:
		switch o.Event {
		case "warning":
			cat := ""
			if o.Value != nil && o.Value.Kind == StrKind {
				cat, _, _ = strings.Cut(o.Value.Str, ":")
			}
			return "event warning " + cat
		case "unraisable", "stdout":
			return "event " + o.Event + valueSig(o.Value)
		}
		return "event"
	}
	return string(o.Kind)
}

// valueSig is the kind of a value, or its type for an exception or an
// opaque object.
func valueSig(v *Value) string {
	if v == nil {
		return ""
	}
	switch v.Kind {
	case ExceptionKind:
		return " exception " + v.Exception.Type
	case ObjectKind:
		return " object " + v.Str
	}
	return ""
}

// detailSig tells apart two observations of the same signature: the
// masked messages of two exceptions of one type, or "values differ".
func detailSig(a, b Observation) string {
	ea, eb := exceptionOf(a), exceptionOf(b)
	if ea != nil && eb != nil {
		ma, mb := maskMessage(ea.Message), maskMessage(eb.Message)
		if ma != mb {
			return fmt.Sprintf("%q ≠ %q", ma, mb)
		}
		if ea.Cause != nil || eb.Cause != nil {
			ca, cb := "no cause", "no cause"
			if ea.Cause != nil {
				ca = "cause " + ea.Cause.Type
			}
			if eb.Cause != nil {
				cb = "cause " + eb.Cause.Type
			}
			if ca != cb {
				return ca + " ≠ " + cb
			}
		}
		if ea.Line != eb.Line {
			return "line differs"
		}
		return "message differs in names"
	}
	return "values differ"
}

func exceptionOf(o Observation) *Raised {
	switch {
	case o.Kind == ObservedRaise:
		return o.Raised
	case o.Value != nil && o.Value.Kind == ExceptionKind:
		return &Raised{Type: o.Value.Exception.Type, Message: o.Value.Exception.Message}
	}
	return nil
}

var (
	quoted  = regexp.MustCompile(`'[^']*'|"[^"]*"`)
	numbers = regexp.MustCompile(`\b\d+(\.\d+)?\b`)
	// typeNames are the places a message names a type: at its end after
	// "not", "got" or a colon, and in "object T can't".
	typeNames = []*regexp.Regexp{
		regexp.MustCompile(`\b(not|got|:) [A-Za-z_][A-Za-z0-9_.]*$`),
		regexp.MustCompile(`\bobject [A-Za-z_][A-Za-z0-9_.]* can't`),
	}
)

// maskMessage hides what varies between instances of one message
// template: quoted names, numbers, and the type names messages mention
// ("... not int", "got list", "object It0 can't be used ...").
func maskMessage(msg string) string {
	msg = quoted.ReplaceAllString(msg, "'…'")
	msg = typeNames[0].ReplaceAllStringFunc(msg, func(s string) string {
		return s[:strings.IndexByte(s, ' ')] + " T"
	})
	msg = typeNames[1].ReplaceAllString(msg, "object T can't")
	return numbers.ReplaceAllString(msg, "N")
}
