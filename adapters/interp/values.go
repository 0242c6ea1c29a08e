package interp

import (
	"math"

	"github.com/aiterspec/aiterspec/reference"
	"github.com/aiterspec/aiterspec/scenario"
)

// fromValue builds the Python value of a literal: a fresh list, dict or
// set each time, as a display does.
func fromValue(v scenario.Value) (reference.Object, *reference.Exception) {
	switch v.Kind {
	case scenario.NoneKind:
		return reference.None, nil
	case scenario.BoolKind:
		return v.Bool, nil
	case scenario.IntKind:
		return int(v.Int), nil
	case scenario.FloatKind:
		return v.Float, nil
	case scenario.StrKind:
		return v.Str, nil
	case scenario.ListKind, scenario.TupleKind, scenario.SetKind:
		items := make([]reference.Object, len(v.Items))
		for i, it := range v.Items {
			x, exc := fromValue(it)
			if exc != nil {
				return nil, exc
			}
			items[i] = x
		}
		switch v.Kind {
		case scenario.ListKind:
			return reference.NewList(items...), nil
		case scenario.TupleKind:
			return reference.NewTuple(items...), nil
		}
		s := reference.NewSet()
		for _, x := range items {
			if err := s.Add(x); err != nil {
				return nil, reference.AsException(err)
			}
		}
		return s, nil
	case scenario.DictKind:
		d := reference.NewDict()
		for _, p := range v.Pairs {
			k, exc := fromValue(p[0])
			if exc != nil {
				return nil, exc
			}
			x, exc := fromValue(p[1])
			if exc != nil {
				return nil, exc
			}
			if err := d.SetItem(k, x); err != nil {
				return nil, reference.AsException(err)
			}
		}
		return d, nil
	}
	return nil, reference.Errorf(reference.ExcSystemError, "reference adapter: a literal cannot hold a %s value", v.Kind)
}

// toValue converts an observed value to its encoding (FORMAT.md,
// Values): bool before int; exceptions by type and str(); containers by
// content; anything else, an infinite or NaN float, and a container
// holding itself by type name.
func toValue(o reference.Object) scenario.Value {
	return toValueIn(o, map[reference.Object]bool{})
}

func toValueIn(o reference.Object, active map[reference.Object]bool) scenario.Value {
	switch v := o.(type) {
	case nil, reference.NoneType:
		return scenario.None
	case bool:
		return scenario.Value{Kind: scenario.BoolKind, Bool: v}
	case int:
		return scenario.Value{Kind: scenario.IntKind, Int: int64(v)}
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return scenario.VObject("float")
		}
		return scenario.Value{Kind: scenario.FloatKind, Float: v}
	case string:
		return scenario.Value{Kind: scenario.StrKind, Str: v}
	case *reference.Exception:
		return scenario.VException(v.Class.Name, exceptionMessage(v))
	}
	var items []reference.Object
	kind := scenario.ObjectKind
	switch v := o.(type) {
	case *reference.List:
		kind, items = scenario.ListKind, v.Items
	case *reference.Tuple:
		kind, items = scenario.TupleKind, v.Items
	case *reference.Instance:
		if v.Tuple != nil { // a tuple subclass is a tuple to the encoding
			kind, items = scenario.TupleKind, v.Tuple.Items
		}
	case *reference.Set:
		kind, items = scenario.SetKind, v.Items()
	case *reference.Dict:
		kind = scenario.DictKind
	}
	if kind == scenario.ObjectKind || active[o] {
		return scenario.VObject(reference.TypeOf(o).Name)
	}
	active[o] = true
	defer delete(active, o)
	switch kind {
	case scenario.DictKind:
		d := o.(*reference.Dict)
		keys, vals := d.Keys(), d.Values()
		out := scenario.Value{Kind: scenario.DictKind, Pairs: make([][2]scenario.Value, len(keys))}
		for i := range keys {
			out.Pairs[i] = [2]scenario.Value{toValueIn(keys[i], active), toValueIn(vals[i], active)}
		}
		return out
	case scenario.SetKind:
		conv := make([]any, len(items))
		for i, it := range items {
			conv[i] = toValueIn(it, active)
		}
		return scenario.VSet(conv...)
	}
	out := scenario.Value{Kind: kind, Items: make([]scenario.Value, len(items))}
	for i, it := range items {
		out.Items[i] = toValueIn(it, active)
	}
	return out
}

// exceptionMessage is what a raised observation reports as the message:
// str(e), or e.msg for a SyntaxError.
func exceptionMessage(e *reference.Exception) string {
	if e.Matches(reference.ExcSyntaxError) {
		msg, err := reference.GetAttr(e, "msg")
		if err != nil || msg == reference.None {
			return ""
		}
		s, _ := reference.Str(msg)
		return s
	}
	s, err := reference.Str(e)
	if err != nil {
		return "<str() raised " + reference.TypeName(reference.AsException(err)) + ">"
	}
	return s
}

// describe is a raised observation's fields, its cause's recursively.
func describe(e *reference.Exception, seen map[*reference.Exception]bool) *scenario.Raised {
	seen[e] = true
	r := &scenario.Raised{Type: e.Class.Name, Message: exceptionMessage(e)}
	if e.Matches(reference.ExcSyntaxError) {
		if n, err := reference.GetAttr(e, "lineno"); err == nil {
			if line, ok := n.(int); ok {
				r.Line = line
			}
		}
	}
	if e.Cause != nil && !seen[e.Cause] {
		r.Cause = describe(e.Cause, seen)
	}
	return r
}

func (interp *interpreter) recordRaised(e *reference.Exception) {
	if interp.recording {
		interp.obs = append(interp.obs, scenario.Observation{Kind: scenario.ObservedRaise, Raised: describe(e, map[*reference.Exception]bool{})})
	}
}
