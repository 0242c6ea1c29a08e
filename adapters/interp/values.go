package interp

import (
	"math"

	rt "github.com/aiterspec/aiterspec/reference"
	"github.com/aiterspec/aiterspec/scenario"
)

// fromValue builds the Python value of a literal: a fresh list, dict or
// set each time, as a display does.
func fromValue(v scenario.Value) (rt.Object, *rt.Exception) {
	switch v.Kind {
	case scenario.NoneKind:
		return rt.None, nil
	case scenario.BoolKind:
		return v.Bool, nil
	case scenario.IntKind:
		return int(v.Int), nil
	case scenario.FloatKind:
		return v.Float, nil
	case scenario.StrKind:
		return v.Str, nil
	case scenario.ListKind, scenario.TupleKind, scenario.SetKind:
		items := make([]rt.Object, len(v.Items))
		for i, it := range v.Items {
			x, exc := fromValue(it)
			if exc != nil {
				return nil, exc
			}
			items[i] = x
		}
		switch v.Kind {
		case scenario.ListKind:
			return rt.NewList(items...), nil
		case scenario.TupleKind:
			return rt.NewTuple(items...), nil
		}
		s := rt.NewSet()
		for _, x := range items {
			if err := s.Add(x); err != nil {
				return nil, rt.AsException(err)
			}
		}
		return s, nil
	case scenario.DictKind:
		d := rt.NewDict()
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
				return nil, rt.AsException(err)
			}
		}
		return d, nil
	}
	return nil, rt.Errorf(rt.ExcSystemError, "reference adapter: a literal cannot hold a %s value", v.Kind)
}

// toValue converts an observed value to its encoding (FORMAT.md,
// Values): bool before int; exceptions by type and str(); containers by
// content; anything else, an infinite or NaN float, and a container
// holding itself by type name.
func toValue(o rt.Object) scenario.Value {
	return toValueIn(o, map[rt.Object]bool{})
}

func toValueIn(o rt.Object, active map[rt.Object]bool) scenario.Value {
	switch v := o.(type) {
	case nil, rt.NoneType:
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
	case *rt.Exception:
		return scenario.VException(v.Class.Name, exceptionMessage(v))
	}
	var items []rt.Object
	kind := scenario.ObjectKind
	switch v := o.(type) {
	case *rt.List:
		kind, items = scenario.ListKind, v.Items
	case *rt.Tuple:
		kind, items = scenario.TupleKind, v.Items
	case *rt.Set:
		kind, items = scenario.SetKind, v.Items()
	case *rt.Dict:
		kind = scenario.DictKind
	}
	if kind == scenario.ObjectKind || active[o] {
		return scenario.VObject(rt.TypeOf(o).Name)
	}
	active[o] = true
	defer delete(active, o)
	switch kind {
	case scenario.DictKind:
		d := o.(*rt.Dict)
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
func exceptionMessage(e *rt.Exception) string {
	if e.Matches(rt.ExcSyntaxError) {
		msg, err := rt.GetAttr(e, "msg")
		if err != nil || msg == rt.None {
			return ""
		}
		s, _ := rt.Str(msg)
		return s
	}
	s, err := rt.Str(e)
	if err != nil {
		return "<str() raised " + rt.TypeName(rt.AsException(err)) + ">"
	}
	return s
}

// describe is a raised observation's fields, its cause's recursively.
func describe(e *rt.Exception, seen map[*rt.Exception]bool) *scenario.Raised {
	seen[e] = true
	r := &scenario.Raised{Type: e.Class.Name, Message: exceptionMessage(e)}
	if e.Matches(rt.ExcSyntaxError) {
		if n, err := rt.GetAttr(e, "lineno"); err == nil {
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

func (in *interp) recordRaised(e *rt.Exception) {
	if in.recording {
		in.obs = append(in.obs, scenario.Observation{Kind: scenario.ObservedRaise, Raised: describe(e, map[*rt.Exception]bool{})})
	}
}
