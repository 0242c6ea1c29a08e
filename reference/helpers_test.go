package reference

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The helpers mirror the catalogue's prelude (fmt, A, S, agen, drain,
// run) so that tests read like the probes they check.

// env is one probe: a Runtime, its captured stderr, and a log of
// printed lines.
type env struct {
	t      *testing.T
	rt     *Runtime
	stderr bytes.Buffer
	out    []string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, rt: NewRuntime()}
	e.rt.Stderr = &e.stderr
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		e.rt.Close()
		if n := e.rt.LiveFrames(); n != 0 {
			t.Errorf("%d frames still hold a stack after Close", n)
		}
		deadline := time.Now().Add(2 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			t.Errorf("goroutines leaked: %d before, %d after Close", before, n)
		}
	})
	return e
}

// print records a line the way print() would join its arguments.
func (e *env) print(parts ...any) {
	s := make([]string, len(parts))
	for i, p := range parts {
		if str, ok := p.(string); ok {
			s[i] = str
		} else {
			s[i] = strOr(p)
		}
	}
	e.out = append(e.out, strings.Join(s, " "))
}

func (e *env) want(lines ...string) {
	e.t.Helper()
	got := strings.Join(e.out, "\n")
	want := strings.Join(lines, "\n")
	if got != want {
		e.t.Errorf("output mismatch\n got: %q\nwant: %q", got, want)
	}
}

// fmtErr is the prelude's fmt(e).
func fmtErr(err error) string {
	if err == nil {
		return "<no exception>"
	}
	return AsException(err).Error()
}

// A awaits aw in frame f and returns repr(result) or fmt(exception).
func A(f *Frame, aw Object, err ...error) string {
	if len(err) > 0 && err[0] != nil {
		return fmtErr(err[0])
	}
	v, e := f.Await(aw)
	if e != nil {
		return fmtErr(e)
	}
	return reprOr(v)
}

// S reports a synchronous call the same way.
func S(v Object, err error) string {
	if err != nil {
		return fmtErr(err)
	}
	return reprOr(v)
}

// must panics on error; for setup steps that cannot fail.
func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("unexpected error: %v", err))
	}
	return v
}

// agen is `async def agen(*vals): for v in vals: yield v`.
func (e *env) agen(vals ...Object) *AsyncGenerator {
	return e.rt.NewAsyncGenerator("agen", "agen", func(f *Frame) error {
		for _, v := range vals {
			if _, err := f.Yield(v); err != nil {
				return err
			}
		}
		return nil
	})
}

// drain is the prelude's drain(it): "[items]" or "[items] then Exc: msg".
func drain(f *Frame, it Object) string {
	var out []Object
	_, err := f.AsyncFor(it, func(x Object) (bool, error) {
		out = append(out, x)
		return false, nil
	})
	r := reprOr(NewList(out...))
	if err != nil {
		return r + " then " + fmtErr(err)
	}
	return r
}

// run is asyncio.run(main()) with main's body given as Go code, under
// a time limit so that a hang fails the test instead of the run.
func (e *env) run(body func(f *Frame) (Object, error)) (Object, error) {
	e.t.Helper()
	main := e.rt.NewCoroutine("main", "main", body)
	type result struct {
		v   Object
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := e.rt.Run(main)
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-time.After(10 * time.Second):
		e.t.Fatal("asyncio.run did not finish within 10s")
		return nil, nil
	}
}

// cls builds a class from name/value pairs of its namespace.
func cls(name string, kv ...any) *Class {
	d := map[string]Object{}
	for i := 0; i < len(kv); i += 2 {
		d[kv[i].(string)] = kv[i+1]
	}
	c, err := NewClass(name, nil, d)
	if err != nil {
		panic(err)
	}
	return c
}

// def is a plain def method: fn gets self first.
func def(name string, fn func(args []Object) (Object, error)) *Function {
	return NewFunction(name, fn)
}

// asyncDef is an async def method: calling it makes a coroutine whose
// body is fn(f, args).
func (e *env) asyncDef(qualname string, fn func(f *Frame, args []Object) (Object, error)) *Function {
	return &Function{Name: qualname, Qualname: qualname, Fn: func(args []Object) (Object, error) {
		return e.rt.NewCoroutine(qualname, qualname, func(f *Frame) (Object, error) { return fn(f, args) }), nil
	}}
}

// genDef is a def with yield: calling it makes a generator.
func (e *env) genDef(qualname string, fn func(f *Frame, args []Object) (Object, error)) *Function {
	return &Function{Name: qualname, Qualname: qualname, Fn: func(args []Object) (Object, error) {
		return e.rt.NewGenerator(qualname, qualname, func(f *Frame) (Object, error) { return fn(f, args) }), nil
	}}
}

func returnsSelf(args []Object) (Object, error) { return args[0], nil }

func raises(exc *Exception) func([]Object) (Object, error) {
	return func([]Object) (Object, error) { return nil, exc }
}

func newObj(c *Class) Object { return must(c.Call(nil)) }

func (e *env) sleep(f *Frame, d float64) error {
	_, err := f.Await(e.rt.Sleep(d, nil))
	return err
}
