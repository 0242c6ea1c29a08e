package reference

import "testing"

// __name__ and __qualname__ of generators are writable, with str only
// (CPython's getset descriptors); other attributes of builtin objects are
// read-only (test_asyncgen's test_async_gen_api_01).
func TestGeneratorNamesAreWritable(t *testing.T) {
	e := newEnv(t)
	g := e.rt.NewAsyncGenerator("agen", "agen", func(f *Frame) error { return nil })
	if err := SetAttr(g, "__name__", "renamed"); err != nil {
		t.Fatal(err)
	}
	if err := SetAttr(g, "__qualname__", "Q.renamed"); err != nil {
		t.Fatal(err)
	}
	name, _ := GetAttr(g, "__name__")
	qual, _ := GetAttr(g, "__qualname__")
	if name != "renamed" || qual != "Q.renamed" {
		t.Errorf("__name__, __qualname__ = %v, %v; want renamed, Q.renamed", name, qual)
	}
	for _, c := range []struct {
		attr string
		v    Object
		want string
	}{
		{"__name__", 5, "TypeError: __name__ must be set to a string object"},
		{"__qualname__", None, "TypeError: __qualname__ must be set to a string object"},
		{"ag_running", true, "AttributeError: readonly attribute"},
		{"ag_frame", nil, "AttributeError: attribute 'ag_frame' of 'async_generator' objects is not writable"},
		{"nothing", 1, "AttributeError: 'async_generator' object has no attribute 'nothing'"},
	} {
		err := SetAttr(g, c.attr, c.v)
		if got := describe(err); got != c.want {
			t.Errorf("g.%s = %v: got %s, want %s", c.attr, c.v, got, c.want)
		}
	}
	if name, _ := GetAttr(g, "__name__"); name != "renamed" {
		t.Errorf("a rejected assignment changed __name__ to %v", name)
	}
}

func describe(err error) string {
	e := AsException(err)
	if e == nil {
		return "no error"
	}
	return e.Class.Name + ": " + e.Str()
}
