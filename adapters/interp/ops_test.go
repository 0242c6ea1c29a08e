package interp_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/interp"
	"github.com/aiterspec/aiterspec/reference"
	. "github.com/aiterspec/aiterspec/scenario"
)

func TestDefaultOpsComplete(t *testing.T) {
	v := reflect.ValueOf(interp.DefaultOps())
	for i := 0; i < v.NumField(); i++ {
		if v.Field(i).IsNil() {
			t.Errorf("DefaultOps().%s is nil", v.Type().Field(i).Name)
		}
	}
}

// TestOpsSeam wraps one field at a time, as a broken implementation
// would, and checks that the scenario that exercises it observes the
// bug (and that the unwrapped reference does not).
func TestOpsSeam(t *testing.T) {
	mutants := []struct {
		name   string
		mutate func(*interp.Ops)
		sc     Scenario
		good   []Observation
		bad    []Observation
	}{
		{
			name: "async for accepts a list",
			mutate: func(o *interp.Ops) {
				inner := o.AsyncFor
				o.AsyncFor = func(fr *reference.Frame, it reference.Object, body func(reference.Object) (bool, error)) (bool, error) {
					if l, ok := it.(*reference.List); ok {
						return reference.For(l, body)
					}
					return inner(fr, it, body)
				}
			},
			sc:   async(nil, AsyncFor("x", Lit(VList(1, 2)), Observe(Var("x")))),
			good: obs(Raises("TypeError", "'async for' requires an object with __aiter__ method, got list")),
			bad:  obs(Got(1), Got(2)),
		},
		{
			name: "anext with a default swallows every exception",
			mutate: func(o *interp.Ops) {
				inner := o.ANextDefault
				o.ANextDefault = func(r *reference.Runtime, it, def reference.Object) (reference.Object, error) {
					aw, err := inner(r, it, def)
					if err != nil {
						return nil, err
					}
					return r.NewCoroutine("anext", "anext", func(fr *reference.Frame) (reference.Object, error) {
						v, err := fr.Await(aw)
						if err != nil {
							return def, nil
						}
						return v, nil
					}), nil
				}
			},
			sc:   async(mod(AsyncDef("g", Raise(Exc("ValueError", "boom")), Yield())), Observe(Await(ANext(Call("g"), Lit("D"))))),
			good: obs(Raises("ValueError", "boom")),
			bad:  obs(Got("D")),
		},
		{
			name: "compile accepts async for outside async def",
			mutate: func(o *interp.Ops) {
				inner := o.Compile
				o.Compile = func(body []Stmt, tla bool) (reference.Object, error) { return inner(body, true) }
			},
			sc:   sync(nil, Observe(Compile(AsyncFor("x", Var("y"), Pass())))),
			good: obs(Raises("SyntaxError", "'async for' outside async function").AtLine(1)),
			bad:  obs(Got(VObject("code"))),
		},
		{
			name: "StopAsyncIteration in a generator body ends it quietly",
			mutate: func(o *interp.Ops) {
				inner := o.NewAsyncGenerator
				o.NewAsyncGenerator = func(r *reference.Runtime, name, qual string, body func(*reference.Frame) error) reference.Object {
					return inner(r, name, qual, func(fr *reference.Frame) error {
						if err := body(fr); err != nil && !reference.AsException(err).Matches(reference.ExcStopAsyncIteration) {
							return err
						}
						return nil
					})
				}
			},
			sc:   async(mod(AsyncDef("g", Yield(Lit(1)), Raise(Var("StopAsyncIteration")))), AsyncFor("x", Call("g"), Observe(Var("x")))),
			good: obs(Got(1), Raises("RuntimeError", "async generator raised StopAsyncIteration").CausedBy("StopAsyncIteration", "")),
			bad:  obs(Got(1)),
		},
		{
			name: "athrow raises instead of returning what the generator yields",
			mutate: func(o *interp.Ops) {
				inner := o.CallMethod
				o.CallMethod = func(obj reference.Object, name string, args []reference.Object) (reference.Object, error) {
					if name == "athrow" {
						return nil, reference.ExceptionFrom(args[0])
					}
					return inner(obj, name, args)
				}
			},
			sc: async(mod(AsyncDef("g", Try(Yield(Lit(1))).Except("ValueError", "", Yield(Lit("handled"))))),
				Let("it", Call("g")), Do(Await(ANext(Var("it")))), Observe(Await(Method(Var("it"), "athrow", Var("ValueError"))))),
			good: obs(Got("handled")),
			bad:  obs(Raises("ValueError", "")),
		},
	}
	for _, m := range mutants {
		t.Run(m.name, func(t *testing.T) {
			ops := interp.DefaultOps()
			for i, want := range [][]Observation{m.good, m.bad} {
				if i == 1 {
					m.mutate(&ops)
				}
				res := interp.New(ops, adapters.Options{}).Run(context.Background(), &m.sc)
				if res.State != adapters.Completed || !Matches(want, res.Observations, ExactMessages) {
					t.Errorf("mutated=%v: %s %s\n%s", i == 1, res.State, res.Reason, SideBySide(want, res.Observations, ExactMessages))
				}
			}
		})
	}
}
