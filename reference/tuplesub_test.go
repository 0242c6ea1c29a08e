package reference

import "testing"

// A class deriving from tuple: its instances hold the items of the
// iterable it was called with, and tuple's own operations read them,
// with CPython 3.11's messages (the same in 3.8 to 3.13).
func TestTupleSubclass(t *testing.T) {
	u, err := NewClass("U", []*Class{TupleType}, nil)
	if err != nil {
		t.Fatal(err)
	}
	v, err := u.Call([]Object{NewList(1, "b")})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := CallMethod(v, "__len__"); err != nil || n != 2 {
		t.Errorf("len(U([1, 'b'])) = %v, %v; want 2", n, err)
	}
	if x, err := GetItem(v, -1); err != nil || x != "b" {
		t.Errorf("U([1, 'b'])[-1] = %v, %v; want 'b'", x, err)
	}
	if items, err := Unpack(v, 2); err != nil || items[0] != 1 || items[1] != "b" {
		t.Errorf("a, b = U([1, 'b']): %v, %v", items, err)
	}
	if r, _ := Repr(v); r != "(1, 'b')" {
		t.Errorf("repr(U([1, 'b'])) = %s", r)
	}
	if eq, _ := Equal(v, NewTuple(1, "b")); !eq {
		t.Error("U([1, 'b']) != (1, 'b')")
	}
	if eq, _ := Equal(NewTuple(1, "b"), v); !eq {
		t.Error("(1, 'b') != U([1, 'b'])")
	}
	h1, _ := Hash(v)
	h2, _ := Hash(NewTuple(1, "b"))
	if h1 != h2 {
		t.Error("hash(U([1, 'b'])) != hash((1, 'b'))")
	}
	if !TypeOf(v).IsSubclass(TupleType) || TypeName(v) != "U" {
		t.Errorf("type(U(...)) is %s", TypeName(v))
	}
	empty, err := u.Call(nil)
	if n, _ := CallMethod(empty, "__len__"); err != nil || n != 0 {
		t.Errorf("len(U()) = %v, %v", n, err)
	}

	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"U(1, 2)", second(u.Call([]Object{1, 2})), "TypeError: tuple expected at most 1 argument, got 2"},
		{"U(5)", second(u.Call([]Object{5})), "TypeError: 'int' object is not iterable"},
		{"class T(tuple, Exception)", second(NewClass("T", []*Class{TupleType, ExcException}, nil)), "TypeError: multiple bases have instance lay-out conflict"},
		{"tuple.__len__(5)", second(CallMethod(TupleType, "__len__", 5)), "TypeError: descriptor '__len__' requires a 'tuple' object but received a 'int'"},
		{"class L(list)", second(NewClass("L", []*Class{ListType}, nil)), "TypeError: reference: subclassing builtin type 'list' is not supported"},
	} {
		if got := describe(c.err); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }
