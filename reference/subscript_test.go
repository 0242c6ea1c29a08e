package reference

import "testing"

// Subscripts of the builtin containers and of runtime classes, with
// CPython 3.11's messages.
func TestSubscripts(t *testing.T) {
	d := NewDict()
	if err := d.SetItem("k", 1); err != nil {
		t.Fatal(err)
	}
	withGet, _ := NewClass("G", nil, map[string]Object{"__getitem__": NewFunction("__getitem__", func(a []Object) (Object, error) {
		return NewTuple("got", a[1]), nil
	})})
	g, _ := withGet.Call(nil)
	for _, c := range []struct {
		o, k Object
		want string
	}{
		{NewList(1, 2), -1, "2"},
		{NewTuple(1, 2), 0, "1"},
		{"ab", 1, "'b'"},
		{d, "k", "1"},
		{g, 5, "('got', 5)"},
		{NewList(1), 5, "IndexError: list index out of range"},
		{NewTuple(), 0, "IndexError: tuple index out of range"},
		{"a", 5, "IndexError: string index out of range"},
		{NewList(1), "x", "TypeError: list indices must be integers or slices, not str"},
		{"a", "x", "TypeError: string indices must be integers, not 'str'"},
		{d, "nope", "KeyError: 'nope'"},
		{d, NewList(), "TypeError: unhashable type: 'list'"},
		{None, 0, "TypeError: 'NoneType' object is not subscriptable"},
	} {
		v, err := GetItem(c.o, c.k)
		got := describe(err)
		if err == nil {
			got, _ = Repr(v)
		}
		if got != c.want {
			t.Errorf("GetItem(%s, %v) = %s, want %s", TypeName(c.o), c.k, got, c.want)
		}
	}
	l := NewList(1, 2)
	if err := SetItem(l, -2, "x"); err != nil || l.Items[0] != "x" {
		t.Errorf("l[-2] = 'x': %v, %v", err, l.Items)
	}
	for _, c := range []struct {
		o, k Object
		want string
	}{
		{l, 7, "IndexError: list assignment index out of range"},
		{l, "a", "TypeError: list indices must be integers or slices, not str"},
		{NewTuple(1), 0, "TypeError: 'tuple' object does not support item assignment"},
		{g, 0, "TypeError: 'G' object does not support item assignment"},
	} {
		if got := describe(SetItem(c.o, c.k, 0)); got != c.want {
			t.Errorf("SetItem(%s, %v) = %s, want %s", TypeName(c.o), c.k, got, c.want)
		}
	}
}
