package reference

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/aiterspec/aiterspec/scenario"
)

// Repr is repr(o). Runtime-defined classes may define __repr__, which
// may raise; builtin values render as CPython renders them, with
// addresses shown as Go pointers.
func Repr(o Object) (string, error) {
	s, exc := repr(o, nil)
	return s, errOf(exc)
}

// Str is str(o): strings unchanged, exceptions by their str() rules,
// __str__ of runtime-defined classes, else repr(o).
func Str(o Object) (string, error) {
	switch v := o.(type) {
	case string:
		return v, nil
	case *Exception:
		if m, ok := lookupSpecial(v, "__str__"); ok {
			return strResult(callBound(m, v, nil))
		}
		return v.Str(), nil
	case *Instance:
		if m, ok := lookupSpecial(v, "__str__"); ok {
			return strResult(callBound(m, v, nil))
		}
	}
	return Repr(o)
}

func strResult(r Object, exc *Exception) (string, error) {
	if exc != nil {
		return "", exc
	}
	s, ok := r.(string)
	if !ok {
		return "", Errorf(ExcTypeError, "__str__ returned non-string (type %s)", TypeName(r))
	}
	return s, nil
}

// reprOr and strOr never fail: a raising __repr__ yields a generic form.
func reprOr(o Object) string {
	s, exc := repr(o, nil)
	if exc != nil {
		return fmt.Sprintf("<%s object at %p>", TypeName(o), o)
	}
	return s
}

func strOr(o Object) string {
	s, err := Str(o)
	if err != nil {
		return reprOr(o)
	}
	return s
}

func repr(o Object, seen map[any]bool) (string, *Exception) {
	switch v := o.(type) {
	case nil, NoneType:
		return "None", nil
	case bool:
		if v {
			return "True", nil
		}
		return "False", nil
	case int:
		return strconv.Itoa(v), nil
	case float64:
		return scenario.FloatRepr(v), nil
	case string:
		return scenario.StrRepr(v), nil
	case *Exception:
		if m, ok := lookupSpecial(v, "__repr__"); ok {
			return reprResult(callBound(m, v, nil))
		}
		return v.Repr(), nil
	case *Instance:
		if m, ok := lookupSpecial(v, "__repr__"); ok {
			return reprResult(callBound(m, v, nil))
		}
		if v.Tuple != nil {
			return repr(v.Tuple, seen)
		}
		return fmt.Sprintf("<%s.%s object at %p>", v.Class.Module, v.Class.Qualname, v), nil
	case *Class:
		if v.Module == "" {
			return "<class '" + v.Name + "'>", nil
		}
		return "<class '" + v.Module + "." + v.Qualname + "'>", nil
	case *Tuple:
		if len(v.Items) == 1 {
			s, exc := repr(v.Items[0], seen)
			return "(" + s + ",)", exc
		}
		return reprSeq("(", ")", v, v.Items, seen)
	case *List:
		return reprSeq("[", "]", v, v.Items, seen)
	case *Set:
		if v.used == 0 {
			return "set()", nil
		}
		return reprSeq("{", "}", v, v.Items(), seen)
	case *Dict:
		if seen[v] {
			return "{...}", nil
		}
		seen = mark(seen, v)
		defer delete(seen, v)
		var b strings.Builder
		b.WriteString("{")
		first := true
		for _, e := range v.entries {
			if !e.live {
				continue
			}
			if !first {
				b.WriteString(", ")
			}
			first = false
			ks, exc := repr(e.key, seen)
			if exc != nil {
				return "", exc
			}
			vs, exc := repr(e.val, seen)
			if exc != nil {
				return "", exc
			}
			b.WriteString(ks + ": " + vs)
		}
		b.WriteString("}")
		return b.String(), nil
	case *Function:
		return fmt.Sprintf("<function %s at %p>", v.Qualname, v), nil
	case *Method:
		s, exc := repr(v.Self, seen)
		return fmt.Sprintf("<bound method %s of %s>", v.Func.Qualname, s), exc
	case interface{ Repr() string }:
		return v.Repr(), nil
	}
	return fmt.Sprintf("<%s object at %s>", TypeName(o), addr(o)), nil
}

func addr(o Object) string {
	rv := reflect.ValueOf(o)
	if rv.Kind() == reflect.Pointer {
		return fmt.Sprintf("%#x", rv.Pointer())
	}
	return "0x0"
}

func mark(seen map[any]bool, v any) map[any]bool {
	if seen == nil {
		seen = map[any]bool{}
	}
	seen[v] = true
	return seen
}

func reprSeq(open, close string, self any, items []Object, seen map[any]bool) (string, *Exception) {
	if seen[self] {
		return open + "..." + close, nil
	}
	seen = mark(seen, self)
	defer delete(seen, self)
	parts := make([]string, len(items))
	for i, it := range items {
		s, exc := repr(it, seen)
		if exc != nil {
			return "", exc
		}
		parts[i] = s
	}
	return open + strings.Join(parts, ", ") + close, nil
}

func reprResult(r Object, exc *Exception) (string, *Exception) {
	if exc != nil {
		return "", exc
	}
	s, ok := r.(string)
	if !ok {
		return "", Errorf(ExcTypeError, "__repr__ returned non-string (type %s)", TypeName(r))
	}
	return s, nil
}
