package interp

import (
	"fmt"

	"github.com/aiterspec/aiterspec/reference"
)

// Python objects the interpreter needs that the reference library does
// not model: code objects, modules, builtin functions, range. Their
// classes are made with reference.NewClass only so that type(x).__name__ and
// attribute lookup work; the objects are Go values implementing the
// library's slot interfaces.

func newClass(name string, dict map[string]reference.Object) *reference.Class {
	c, err := reference.NewClass(name, nil, dict)
	if err != nil {
		panic(err)
	}
	return c
}

// coCoroutine is CO_COROUTINE, set on a module compiled with top-level
// await that awaits.
const coCoroutine = 0x80

// The co_flags bits a scenario can tell apart.
const (
	coOptimized      = 0x1
	coNewLocals      = 0x2
	coGenerator      = 0x20
	coAsyncGenerator = 0x200
)

// codeObject is what compile() returns, and a function's __code__ (also
// the ag_code, cr_code and gi_code of what it makes).
type codeObject struct {
	flags int
	name  string // co_name: "<module>" for compile()
}

var codeType = newClass("code", map[string]reference.Object{
	"co_flags": &reference.Property{Get: func(self reference.Object) (reference.Object, error) { return self.(*codeObject).flags, nil }},
})

func (c *codeObject) PyType() *reference.Class { return codeType }
func (c *codeObject) Repr() string {
	name := c.name
	if name == "" {
		name = "<module>"
	}
	return fmt.Sprintf("<code object %s at %p, file \"<scenario>\", line 1>", name, c)
}

// module is one of the modules a harness imports into the scenario's
// namespace (asyncio, gc, collections and collections.abc).
type module struct {
	name  string
	attrs map[string]reference.Object
}

var moduleType = newClass("module", nil)

func (m *module) PyType() *reference.Class { return moduleType }
func (m *module) Repr() string             { return "<module '" + m.name + "'>" }

// builtinFunc is a builtin function of the names table; it takes keyword
// arguments only where CPython's does.
type builtinFunc struct {
	interpreter *interpreter
	name        string
	fn          func(a *activation, args []reference.Object, kw []kwarg) (reference.Object, error)
	// python marks the functions CPython writes in Python (asyncio's),
	// whose type is function rather than builtin_function_or_method.
	python bool
}

type kwarg struct {
	name  string
	value reference.Object
}

var (
	builtinFuncType = newClass("builtin_function_or_method", nil)
	pyFuncType      = newClass("function", nil)
)

// PyType implements reference.Typer.
func (b *builtinFunc) PyType() *reference.Class {
	if b.python {
		return pyFuncType
	}
	return builtinFuncType
}
func (b *builtinFunc) Repr() string { return "<built-in function " + b.name + ">" }

// Call implements reference.Callable, for the library calling a builtin.
func (b *builtinFunc) Call(args []reference.Object) (reference.Object, error) {
	return b.fn(b.interpreter.cur, args, nil)
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
	rangeType = newClass("range", map[string]reference.Object{
		"__iter__": reference.NewFunction("__iter__", func(args []reference.Object) (reference.Object, error) { return args[0].(*rangeObj).Iter() }),
	})
	rangeIterType = newClass("range_iterator", map[string]reference.Object{
		"__iter__": reference.NewFunction("__iter__", func(args []reference.Object) (reference.Object, error) { return args[0], nil }),
		"__next__": reference.NewFunction("__next__", func(args []reference.Object) (reference.Object, error) {
			v, ok, _ := args[0].(*rangeIter).Next()
			if !ok {
				return nil, reference.NewException(reference.ExcStopIteration)
			}
			return v, nil
		}),
	})
)

func (r *rangeObj) PyType() *reference.Class { return rangeType }
func (r *rangeObj) Repr() string {
	if r.step == 1 {
		return fmt.Sprintf("range(%d, %d)", r.start, r.stop)
	}
	return fmt.Sprintf("range(%d, %d, %d)", r.start, r.stop, r.step)
}

// Iter implements reference.Iterable.
func (r *rangeObj) Iter() (reference.Object, error) { return &rangeIter{r: r}, nil }

type rangeIter struct {
	r *rangeObj
	i int
}

func (it *rangeIter) PyType() *reference.Class { return rangeIterType }

// Next implements reference.Iterator.
func (it *rangeIter) Next() (reference.Object, bool, error) {
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
type aiterOf struct{ it reference.Object }

func (w *aiterOf) PyType() *reference.Class { return reference.TypeOf(w.it) }

// AIter implements reference.AsyncIterable.
func (w *aiterOf) AIter() (reference.Object, error) { return w.it, nil }

// iterOf is the same for a generator expression and GET_ITER.
type iterOf struct{ it reference.Object }

func (w *iterOf) PyType() *reference.Class { return reference.TypeOf(w.it) }

// Iter implements reference.Iterable.
func (w *iterOf) Iter() (reference.Object, error) { return w.it, nil }
