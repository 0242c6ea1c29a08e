package reference

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode"
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
		return FloatRepr(v), nil
	case string:
		return StrRepr(v), nil
	case *Exception:
		if m, ok := lookupSpecial(v, "__repr__"); ok {
			return reprResult(callBound(m, v, nil))
		}
		return v.Repr(), nil
	case *Instance:
		if m, ok := lookupSpecial(v, "__repr__"); ok {
			return reprResult(callBound(m, v, nil))
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

// FloatRepr is repr(f): the shortest round-tripping digits, fixed
// notation for exponents in [-4, 16), scientific otherwise.
func FloatRepr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, expS, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expS)
	neg := strings.HasPrefix(mant, "-")
	mant = strings.TrimPrefix(mant, "-")
	digits := strings.Replace(mant, ".", "", 1)
	sign := ""
	if neg {
		sign = "-"
	}
	if exp < -4 || exp >= 16 {
		m := digits[:1]
		if len(digits) > 1 {
			m += "." + digits[1:]
		}
		es := fmt.Sprintf("%+03d", exp)
		return sign + m + "e" + es
	}
	if exp < 0 {
		return sign + "0." + strings.Repeat("0", -exp-1) + digits
	}
	if len(digits) <= exp+1 {
		return sign + digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
	}
	return sign + digits[:exp+1] + "." + digits[exp+1:]
}

// StrRepr is repr(s) with CPython's quote choice and escapes.
func StrRepr(s string) string {
	q := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x7f || unicode.IsPrint(r):
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte(q)
	return b.String()
}
