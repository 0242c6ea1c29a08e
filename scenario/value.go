package scenario

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// ValueKind says which Python type a [Value] stands for.
type ValueKind uint8

// The kinds of [Value]. Exception and Object appear only in observations:
// an exception instance is reported by type and message, any other object
// by its type name.
const (
	NoneKind ValueKind = iota
	BoolKind
	IntKind
	FloatKind
	StrKind
	ListKind
	TupleKind
	SetKind
	DictKind
	ExceptionKind
	ObjectKind
)

var valueKindNames = [...]string{"None", "bool", "int", "float", "str", "list", "tuple", "set", "dict", "exception", "object"}

// String is the Python type name of the kind ("None" for NoneKind).
func (k ValueKind) String() string {
	if int(k) < len(valueKindNames) {
		return valueKindNames[k]
	}
	return fmt.Sprintf("ValueKind(%d)", k)
}

// Value is a Python value as data: a literal in a scenario, or what an
// implementation observed. The zero Value is None.
//
// JSON: None, bools, ints (JSON numbers without a fraction), floats, and
// strings are themselves; containers and opaque objects are objects with
// exactly one key: {"list": [...]}, {"tuple": [...]}, {"set": [...]},
// {"dict": [[key, value], ...]}, {"exception": {"type": T, "message": M}},
// {"object": "TypeName"}.
type Value struct {
	Kind  ValueKind
	Bool  bool
	Int   int64
	Float float64
	// Str is the string of a StrKind value and the type name of an ObjectKind
	// value.
	Str string
	// Items holds list and tuple items in order, and set items in canonical
	// order (see [Compare]), so that equal sets are equal Values.
	Items []Value
	// Pairs holds dict items in insertion order, each as a 2-item slice.
	Pairs [][2]Value
	// Exception is the type and message of an ExceptionKind value.
	Exception *Raised
}

// None is Python's None.
var None = Value{}

// V converts a Go value to a [Value]: nil is None; bool, the integer types,
// float64, and string map to their Python counterparts; a [Value] is itself;
// []any is a list. V panics on anything else, since it is meant for literals
// written in specs.
func V(x any) Value {
	switch x := x.(type) {
	case nil:
		return None
	case Value:
		return x
	case bool:
		return Value{Kind: BoolKind, Bool: x}
	case int:
		return Value{Kind: IntKind, Int: int64(x)}
	case int64:
		return Value{Kind: IntKind, Int: x}
	case float64:
		return Value{Kind: FloatKind, Float: x}
	case string:
		return Value{Kind: StrKind, Str: x}
	case []any:
		return VList(x...)
	}
	panic(fmt.Sprintf("scenario.V: no Python value for %T", x))
}

func values(xs []any) []Value {
	out := make([]Value, len(xs))
	for i, x := range xs {
		out[i] = V(x)
	}
	return out
}

// VList is a list of the given items (converted with [V]).
func VList(items ...any) Value { return Value{Kind: ListKind, Items: values(items)} }

// VTuple is a tuple of the given items.
func VTuple(items ...any) Value { return Value{Kind: TupleKind, Items: values(items)} }

// VSet is a set of the given items; duplicates collapse and the order is
// canonical.
func VSet(items ...any) Value { return normalSet(values(items)) }

// VDict is a dict of alternating keys and values, in insertion order.
func VDict(keysAndValues ...any) Value {
	if len(keysAndValues)%2 != 0 {
		panic("scenario.VDict: odd number of arguments")
	}
	v := Value{Kind: DictKind}
	for i := 0; i < len(keysAndValues); i += 2 {
		v.Pairs = append(v.Pairs, [2]Value{V(keysAndValues[i]), V(keysAndValues[i+1])})
	}
	return v
}

// VException is an exception instance seen as a value (for example in the
// list asyncio.gather returns with return_exceptions=True).
func VException(typ, message string) Value {
	return Value{Kind: ExceptionKind, Exception: &Raised{Type: typ, Message: message}}
}

// VObject is an opaque object of the named type.
func VObject(typeName string) Value { return Value{Kind: ObjectKind, Str: typeName} }

func normalSet(items []Value) Value {
	slices.SortFunc(items, Compare)
	items = slices.CompactFunc(items, func(a, b Value) bool { return Compare(a, b) == 0 })
	return Value{Kind: SetKind, Items: items}
}

// Compare orders Values canonically: by kind, then by content. It is the
// order of set items and is total, so it also decides equality.
func Compare(a, b Value) int {
	if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	switch a.Kind {
	case BoolKind:
		return cmp.Compare(boolInt(a.Bool), boolInt(b.Bool))
	case IntKind:
		return cmp.Compare(a.Int, b.Int)
	case FloatKind:
		return cmp.Compare(a.Float, b.Float)
	case StrKind, ObjectKind:
		return strings.Compare(a.Str, b.Str)
	case ListKind, TupleKind, SetKind:
		return slices.CompareFunc(a.Items, b.Items, Compare)
	case DictKind:
		return slices.CompareFunc(a.Pairs, b.Pairs, func(p, q [2]Value) int {
			if c := Compare(p[0], q[0]); c != 0 {
				return c
			}
			return Compare(p[1], q[1])
		})
	case ExceptionKind:
		return cmp.Or(strings.Compare(a.Exception.Type, b.Exception.Type),
			strings.Compare(a.Exception.Message, b.Exception.Message))
	}
	return 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Equal reports whether a and b are the same Python value.
func (v Value) Equal(w Value) bool { return Compare(v, w) == 0 }

// String is the Python repr of v (for an exception, Type('message'); for an
// opaque object, <Type object>).
func (v Value) String() string {
	var b strings.Builder
	v.repr(&b)
	return b.String()
}

func (v Value) repr(b *strings.Builder) {
	switch v.Kind {
	case NoneKind:
		b.WriteString("None")
	case BoolKind:
		if v.Bool {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case IntKind:
		b.WriteString(strconv.FormatInt(v.Int, 10))
	case FloatKind:
		b.WriteString(FloatRepr(v.Float))
	case StrKind:
		b.WriteString(StrRepr(v.Str))
	case ListKind:
		reprItems(b, "[", v.Items, "]")
	case TupleKind:
		if len(v.Items) == 1 {
			b.WriteString("(")
			v.Items[0].repr(b)
			b.WriteString(",)")
			return
		}
		reprItems(b, "(", v.Items, ")")
	case SetKind:
		if len(v.Items) == 0 {
			b.WriteString("set()")
			return
		}
		reprItems(b, "{", v.Items, "}")
	case DictKind:
		b.WriteString("{")
		for i, p := range v.Pairs {
			if i > 0 {
				b.WriteString(", ")
			}
			p[0].repr(b)
			b.WriteString(": ")
			p[1].repr(b)
		}
		b.WriteString("}")
	case ExceptionKind:
		b.WriteString(v.Exception.Type)
		b.WriteString("(")
		if v.Exception.Message != "" {
			b.WriteString(StrRepr(v.Exception.Message))
		}
		b.WriteString(")")
	case ObjectKind:
		b.WriteString("<" + v.Str + " object>")
	}
}

func reprItems(b *strings.Builder, open string, items []Value, close string) {
	b.WriteString(open)
	for i, it := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		it.repr(b)
	}
	b.WriteString(close)
}

// StrRepr is Python's repr() of a str: single quotes unless s contains a
// single quote and no double quote; backslash escapes for the quote, the
// backslash, \t \n \r, other control characters and every character
// Python does not consider printable (\xNN, \uNNNN, \UNNNNNNNN). Go's
// unicode.IsPrint and Python's str.isprintable agree (both exclude the
// categories C* and Z* but the space), up to their Unicode versions.
func StrRepr(s string) string {
	q := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		q = '"'
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
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

// FloatRepr is Python's repr() of a float: the shortest digits that round
// trip, in fixed notation for decimal exponents in [-4, 16) and in
// scientific notation (two exponent digits at least) otherwise; inf, -inf,
// nan.
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
	sign := ""
	if strings.HasPrefix(mant, "-") {
		sign, mant = "-", mant[1:]
	}
	digits := strings.Replace(mant, ".", "", 1)
	switch {
	case exp < -4 || exp >= 16:
		m := digits[:1]
		if len(digits) > 1 {
			m += "." + digits[1:]
		}
		return sign + m + "e" + fmt.Sprintf("%+03d", exp)
	case exp < 0:
		return sign + "0." + strings.Repeat("0", -exp-1) + digits
	case len(digits) <= exp+1:
		return sign + digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
	}
	return sign + digits[:exp+1] + "." + digits[exp+1:]
}

// MarshalJSON encodes v in the wire format described on [Value].
func (v Value) MarshalJSON() ([]byte, error) { return json.Marshal(v.tree()) }

func (v Value) tree() any {
	switch v.Kind {
	case NoneKind:
		return nil
	case BoolKind:
		return v.Bool
	case IntKind:
		return v.Int
	case FloatKind:
		if v.Float == math.Trunc(v.Float) && math.Abs(v.Float) < 1e21 {
			// Keep a fraction so that the decoder sees a float, not an int.
			return json.RawMessage(strconv.FormatFloat(v.Float, 'f', 1, 64))
		}
		return v.Float
	case StrKind:
		return v.Str
	case ListKind, TupleKind, SetKind:
		items := make([]any, len(v.Items))
		for i, it := range v.Items {
			items[i] = it.tree()
		}
		return map[string]any{v.Kind.String(): items}
	case DictKind:
		pairs := make([]any, len(v.Pairs))
		for i, p := range v.Pairs {
			pairs[i] = []any{p[0].tree(), p[1].tree()}
		}
		return map[string]any{"dict": pairs}
	case ExceptionKind:
		return map[string]any{"exception": map[string]any{"type": v.Exception.Type, "message": v.Exception.Message}}
	case ObjectKind:
		return map[string]any{"object": v.Str}
	}
	return nil
}

// UnmarshalJSON decodes the wire format described on [Value].
func (v *Value) UnmarshalJSON(data []byte) error {
	t, err := parseTree(data)
	if err != nil {
		return err
	}
	d := decoder{}
	*v = d.value(t, "")
	return d.err
}
