package interp

import (
	"fmt"

	rt "github.com/aiterspec/aiterspec/reference"
)

// Python objects the interpreter needs that the reference library does
// not model: code objects, modules, builtin functions, range. Their
// classes are made with rt.NewClass only so that type(x).__name__ and
// attribute lookup work; the objects are Go values implementing the
// library's slot interfaces.

func newClass(name string, dict map[string]rt.Object) *rt.Class {
	c, err := rt.NewClass(name, nil, dict)
	if err != nil {
		panic(err)
	}
	return c
}

// coCoroutine is CO_COROUTINE, set on a module compiled with top-level
// await that awaits.
const coCoroutine = 0x80

// codeObject is what compile() returns.
type codeObject struct{ flags int }

var codeType = newClass("code", map[string]rt.Object{
	"co_flags": &rt.Property{Get: func(self rt.Object) (rt.Object, error) { return self.(*codeObject).flags, nil }},
})

func (c *codeObject) PyType() *rt.Class { return codeType }
func (c *codeObject) Repr() string {
	return fmt.Sprintf("<code object <module> at %p, file \"<scenario>\", line 1>", c)
}

// module is one of the modules a harness imports into the scenario's
// namespace (asyncio, gc, collections and collections.abc).
type module struct {
	name  string
	attrs map[string]rt.Object
}

var moduleType = newClass("module", nil)

func (m *module) PyType() *rt.Class { return moduleType }
func (m *module) Repr() string      { return "<module '" + m.name + "'>" }

// builtinFunc is a builtin function of the names table; it takes keyword
// arguments only where CPython's does.
type builtinFunc struct {
	in   *interp
	name string
	fn   func(a *act, args []rt.Object, kw []kwarg) (rt.Object, error)
	// python marks the functions CPython writes in Python (asyncio's),
	// whose type is function rather than builtin_function_or_method.
	python bool
}

type kwarg struct {
	name  string
	value rt.Object
}

var (
	builtinFuncType = newClass("builtin_function_or_method", nil)
	pyFuncType      = newClass("function", nil)
)

// PyType implements rt.Typer.
func (b *builtinFunc) PyType() *rt.Class {
	if b.python {
		return pyFuncType
	}
	return builtinFuncType
}
func (b *builtinFunc) Repr() string { return "<built-in function " + b.name + ">" }

// Call implements rt.Callable, for the library calling a builtin.
func (b *builtinFunc) Call(args []rt.Object) (rt.Object, error) {
	return b.fn(b.in.cur, args, nil)
}

// rangeObj is range(start, stop, step).
type rangeObj struct{ start, stop, step int }

func (r *rangeObj) length() int {
	switch {
	case r.step > 0 && r.start < r.stop:
		return (r.stop - r.start + r.step - 1) / r.step
	case r.step < 0 && r.start > r.stop:
		return (r.start - r.stop - r.step - 1) / -r.step
	}
	return 0
}

var (
	rangeType = newClass("range", map[string]rt.Object{
		"__iter__": rt.NewFunction("__iter__", func(args []rt.Object) (rt.Object, error) { return args[0].(*rangeObj).Iter() }),
	})
	rangeIterType = newClass("range_iterator", map[string]rt.Object{
		"__iter__": rt.NewFunction("__iter__", func(args []rt.Object) (rt.Object, error) { return args[0], nil }),
		"__next__": rt.NewFunction("__next__", func(args []rt.Object) (rt.Object, error) {
			v, ok, _ := args[0].(*rangeIter).Next()
			if !ok {
				return nil, rt.NewException(rt.ExcStopIteration)
			}
			return v, nil
		}),
	})
)

func (r *rangeObj) PyType() *rt.Class { return rangeType }
func (r *rangeObj) Repr() string {
	if r.step == 1 {
		return fmt.Sprintf("range(%d, %d)", r.start, r.stop)
	}
	return fmt.Sprintf("range(%d, %d, %d)", r.start, r.stop, r.step)
}

// Iter implements rt.Iterable.
func (r *rangeObj) Iter() (rt.Object, error) { return &rangeIter{r: r}, nil }

type rangeIter struct {
	r *rangeObj
	i int
}

func (it *rangeIter) PyType() *rt.Class { return rangeIterType }

// Next implements rt.Iterator.
func (it *rangeIter) Next() (rt.Object, bool, error) {
	if it.i >= it.r.length() {
		return nil, false, nil
	}
	v := it.r.start + it.i*it.r.step
	it.i++
	return v, true, nil
}

// aiterOf is an async iterable whose __aiter__ returns an iterator that
// GET_AITER already produced: an async generator expression's outermost
// iterable, evaluated when the expression was, looped over by its body.
type aiterOf struct{ it rt.Object }

func (w *aiterOf) PyType() *rt.Class { return rt.TypeOf(w.it) }

// AIter implements rt.AsyncIterable.
func (w *aiterOf) AIter() (rt.Object, error) { return w.it, nil }

// iterOf is the same for a generator expression and GET_ITER.
type iterOf struct{ it rt.Object }

func (w *iterOf) PyType() *rt.Class { return rt.TypeOf(w.it) }

// Iter implements rt.Iterable.
func (w *iterOf) Iter() (rt.Object, error) { return w.it, nil }
