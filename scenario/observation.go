package scenario

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ObservationKind says what an [Observation] records.
type ObservationKind string

// The kinds of [Observation].
const (
	// ObservedValue is the value of an `observe` statement's expression.
	ObservedValue ObservationKind = "value"
	// ObservedRaise is an exception that escaped a top-level statement of
	// main (or, in source mode, the program).
	ObservedRaise ObservationKind = "raised"
	// ObservedEvent is an `emit` statement's event, and in source mode a line
	// the program printed (event "stdout").
	ObservedEvent ObservationKind = "event"
)

// Observation is one entry of what running a scenario produced, in order.
//
// JSON: {"kind": "value", "value": V}, {"kind": "raised", "type": T,
// "message": M, "cause": {...}, "line": N}, {"kind": "event", "event": E,
// "value": V}; cause, line and an event's value are optional.
type Observation struct {
	Kind ObservationKind
	// Value is the observed value (kind value) or the event's value (kind
	// event, nil when the event carries none).
	Value *Value
	// Raised is the exception (kind raised).
	Raised *Raised
	// Event is the event's name (kind event).
	Event string
}

// Raised describes an exception: its type's __name__ and str(exception).
// For SyntaxError the message is the exception's msg attribute (without
// CPython's " (file, line N)" suffix) and Line its lineno.
type Raised struct {
	Type    string
	Message string
	// Cause is the exception's __cause__, if any. In an expectation, a nil
	// Cause means the cause is not part of the behaviour under test.
	Cause *Raised
	// Line is a SyntaxError's line number, 0 if unknown. In an expectation, 0
	// means the line is not part of the behaviour under test.
	Line int
}

// Got is an observation of the value x (converted with [V]).
func Got(x any) Observation {
	v := V(x)
	return Observation{Kind: ObservedValue, Value: &v}
}

// Raises is an observation of an exception of type typ whose str() is
// message.
func Raises(typ, message string) Observation {
	return Observation{Kind: ObservedRaise, Raised: &Raised{Type: typ, Message: message}}
}

// CausedBy returns o with the exception's __cause__ set. It panics if o is
// not a raised observation.
func (o Observation) CausedBy(typ, message string) Observation {
	r := *o.Raised
	r.Cause = &Raised{Type: typ, Message: message}
	o.Raised = &r
	return o
}

// AtLine returns o with the SyntaxError's line number set.
func (o Observation) AtLine(line int) Observation {
	r := *o.Raised
	r.Line = line
	o.Raised = &r
	return o
}

// Event is an observation of the named event, with an optional value.
func Event(name string, value ...any) Observation {
	o := Observation{Kind: ObservedEvent, Event: name}
	if len(value) > 1 {
		panic("scenario.Event: at most one value")
	}
	if len(value) == 1 {
		v := V(value[0])
		o.Value = &v
	}
	return o
}

// String formats o for people: "value 1", "raised TypeError: msg",
// "event finally ran".
func (o Observation) String() string {
	switch o.Kind {
	case ObservedValue:
		return "value " + o.Value.String()
	case ObservedRaise:
		return "raised " + o.Raised.String()
	case ObservedEvent:
		if o.Value != nil {
			return "event " + o.Event + " " + o.Value.String()
		}
		return "event " + o.Event
	}
	return fmt.Sprintf("observation of unknown kind %q", o.Kind)
}

// String formats r as Python's traceback does ("Type: message", or "Type"
// for an empty message), followed by the line and cause when present.
func (r *Raised) String() string {
	var b strings.Builder
	b.WriteString(r.Type)
	if r.Message != "" {
		b.WriteString(": " + r.Message)
	}
	if r.Line != 0 {
		fmt.Fprintf(&b, " (line %d)", r.Line)
	}
	if r.Cause != nil {
		b.WriteString(" [cause: " + r.Cause.String() + "]")
	}
	return b.String()
}

// MarshalJSON encodes o in the wire format described on [Observation].
func (o Observation) MarshalJSON() ([]byte, error) {
	m := map[string]any{"kind": o.Kind}
	switch o.Kind {
	case ObservedValue:
		v := None
		if o.Value != nil {
			v = *o.Value
		}
		m["value"] = v
	case ObservedRaise:
		for k, x := range o.Raised.fields() {
			m[k] = x
		}
	case ObservedEvent:
		m["event"] = o.Event
		if o.Value != nil {
			m["value"] = *o.Value
		}
	}
	return json.Marshal(m)
}

func (r *Raised) fields() map[string]any {
	m := map[string]any{"type": r.Type, "message": r.Message}
	if r.Cause != nil {
		m["cause"] = r.Cause.fields()
	}
	if r.Line != 0 {
		m["line"] = r.Line
	}
	return m
}

// UnmarshalJSON decodes the wire format described on [Observation],
// rejecting unknown kinds and fields.
func (o *Observation) UnmarshalJSON(data []byte) error {
	t, err := parseTree(data)
	if err != nil {
		return err
	}
	d := decoder{}
	*o = d.observation(t, "")
	return d.err
}

// DecodeObservations decodes a JSON array of observations; errors name the
// offending path, e.g. `[3].kind: unknown observation "vaule"`.
func DecodeObservations(data []byte) ([]Observation, error) {
	t, err := parseTree(data)
	if err != nil {
		return nil, err
	}
	d := decoder{}
	obs := decodeList(&d, t, "", d.observation)
	return obs, d.err
}
