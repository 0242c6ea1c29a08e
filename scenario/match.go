package scenario

import (
	"fmt"
	"strings"
)

// Messages says how strictly exception messages are compared.
type Messages string

const (
	// ExactMessages compares exception types and messages (the default).
	ExactMessages Messages = "exact"
	// TypeOnly compares exception types only, for implementations that word
	// their errors differently.
	TypeOnly Messages = "type"
)

// ParseMessages parses a --messages flag value.
func ParseMessages(s string) (Messages, error) {
	switch Messages(s) {
	case ExactMessages, TypeOnly:
		return Messages(s), nil
	}
	return "", fmt.Errorf("--messages=%q: want %q (types and messages) or %q (types only)", s, ExactMessages, TypeOnly)
}

// Matches reports whether got satisfies want, entry by entry and in order.
// A want exception without a cause or line accepts any cause or line;
// under [TypeOnly] messages are not compared (types always are).
func Matches(want, got []Observation, m Messages) bool {
	if len(want) != len(got) {
		return false
	}
	for i := range want {
		if !want[i].Accepts(got[i], m) {
			return false
		}
	}
	return true
}

// Accepts reports whether the observation got satisfies the expected
// observation o under message strictness m.
func (o Observation) Accepts(got Observation, m Messages) bool {
	if o.Kind != got.Kind {
		return false
	}
	switch o.Kind {
	case ObservedValue:
		return valueAccepts(o.Value, got.Value, m)
	case ObservedRaise:
		return o.Raised.accepts(got.Raised, m)
	case ObservedEvent:
		return o.Event == got.Event && valueAccepts(o.Value, got.Value, m)
	}
	return false
}

func valueAccepts(want, got *Value, m Messages) bool {
	if want == nil || got == nil {
		return want == got
	}
	if m == TypeOnly {
		return Compare(typesOnly(*want), typesOnly(*got)) == 0
	}
	return want.Equal(*got)
}

// typesOnly blanks the messages of exception values, recursively.
func typesOnly(v Value) Value {
	switch v.Kind {
	case ExceptionKind:
		return VException(v.Exception.Type, "")
	case ListKind, TupleKind, SetKind:
		items := make([]Value, len(v.Items))
		for i, it := range v.Items {
			items[i] = typesOnly(it)
		}
		v.Items = items
	case DictKind:
		pairs := make([][2]Value, len(v.Pairs))
		for i, p := range v.Pairs {
			pairs[i] = [2]Value{typesOnly(p[0]), typesOnly(p[1])}
		}
		v.Pairs = pairs
	}
	return v
}

func (r *Raised) accepts(got *Raised, m Messages) bool {
	if got == nil || r.Type != got.Type {
		return false
	}
	if m == ExactMessages && r.Message != got.Message {
		return false
	}
	if r.Line != 0 && r.Line != got.Line {
		return false
	}
	if r.Cause != nil {
		return r.Cause.accepts(got.Cause, m)
	}
	return true
}

// SideBySide lays out expected and observed observations in two columns,
// marking each row that differs, for failure messages.
func SideBySide(want, got []Observation, m Messages) string {
	left := []string{"expected"}
	right := []string{"observed"}
	marks := []string{" "}
	for i := 0; i < max(len(want), len(got)); i++ {
		l, r, mark := "", "", "✗"
		if i < len(want) {
			l = want[i].String()
		}
		if i < len(got) {
			r = got[i].String()
		}
		if i < len(want) && i < len(got) && want[i].Accepts(got[i], m) {
			mark = " "
		}
		if i >= len(want) {
			l = "(nothing)"
		}
		if i >= len(got) {
			r = "(nothing)"
		}
		left, right, marks = append(left, l), append(right, r), append(marks, mark)
	}
	width := 0
	for _, l := range left {
		width = max(width, len([]rune(l)))
	}
	var b strings.Builder
	for i := range left {
		pad := strings.Repeat(" ", width-len([]rune(left[i])))
		fmt.Fprintf(&b, "%s %s%s | %s\n", marks[i], left[i], pad, right[i])
	}
	return b.String()
}
