package differential

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"strings"
	"testing"

	. "github.com/aiterspec/aiterspec/scenario"
)

// TestGoSpecRebuildsTheScenario renders generated programs as specs and
// evaluates each rendering with the builders of package scenario: it must
// build exactly the scenario it came from, and its observations.
func TestGoSpecRebuildsTheScenario(t *testing.T) {
	gen := NewGenerator(7, Capabilities)
	obs := []Observation{
		Got(VTuple(1, 2.5, "s\n'\"", nil, true, 1.0)),
		Raises("TypeError", "x").CausedBy("ValueError", "y"),
		Raises("SyntaxError", "bad").AtLine(3),
		Event("e", VException("KeyError", "'k'")),
		Event("f"),
		Got(VObject("code")),
		Got(VDict("k", VSet(1, 2))),
		Got(VList()),
	}
	for n := uint64(0); n < 300; n++ {
		sc := gen.Program(n)
		sc.ID = "X" // a spec's id is its behaviour's
		src := GoSpec(sc.Title, &sc, obs, "other", obs)
		got, err := evalSpec(strings.TrimSuffix(strings.TrimSpace(stripComments(src)), ","))
		if err != nil {
			t.Fatalf("program %d: %v\n%s", n, err, src)
		}
		want := rebuilt{sc, obs}
		if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
			t.Fatalf("program %d: the spec builds a different scenario:\n got %s\nwant %s\n%s", n, g, w, src)
		}
	}
}

func mustJSON(t *testing.T, x any) string {
	data, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func stripComments(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "//") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// rebuilt is what a spec(...) expression builds: spec/case.go's Case
// reduced to the scenario and the expectation.
type rebuilt struct {
	S   Scenario
	Obs []Observation
}

func (c *rebuilt) Needs(cs ...Capability) *rebuilt    { c.S.Needs = append(c.S.Needs, cs...); return c }
func (c *rebuilt) Sync() *rebuilt                     { c.S.Mode = SyncMode; return c }
func (c *rebuilt) Report(r ...string) *rebuilt        { c.S.Report = append(c.S.Report, r...); return c }
func (c *rebuilt) Module(s ...Stmt) *rebuilt          { c.S.Module = append(c.S.Module, s...); return c }
func (c *rebuilt) Main(s ...Stmt) *rebuilt            { c.S.Main = append(c.S.Main, s...); return c }
func (c *rebuilt) After(s ...Stmt) *rebuilt           { c.S.After = append(c.S.After, s...); return c }
func (c *rebuilt) Observes(o ...Observation) *rebuilt { c.Obs = o; return c }

// builders are the functions and constants a rendered spec may use.
var builders = map[string]any{
	"spec": func(title string) *rebuilt { return &rebuilt{S: Scenario{ID: "X", Title: title}} },
	"Lit":  Lit, "Var": Var, "Self": Self, "Call": Call, "Method": Method, "Attr": Attr, "Await": Await,
	"YieldValue": YieldValue, "TypeName": TypeName, "Is": Is, "BinOp": BinOp, "Not": Not, "ListOf": ListOf,
	"TupleOf": TupleOf, "Lambda": Lambda, "Compile": Compile, "FutureResult": FutureResult,
	"FutureException": FutureException, "Comprehension": Comprehension, "DictComprehension": DictComprehension,
	"AsyncClause": AsyncClause, "SyncClause": SyncClause, "ANext": ANext, "AIter": AIter, "Sleep": Sleep,
	"Exc": Exc, "Def": Def, "AsyncDef": AsyncDef, "Class": Class, "Let": Let, "SetAttr": SetAttr, "Del": Del,
	"Do": Do, "Observe": Observe, "Emit": Emit, "Yield": Yield, "YieldFrom": YieldFrom, "Return": Return,
	"Raise": Raise, "Try": Try, "If": If, "For": For, "AsyncFor": AsyncFor, "AsyncWith": AsyncWith,
	"Break": Break, "Continue": Continue, "Pass": Pass, "While": While, "Subscript": Subscript, "Unpack": Unpack,
	"Got": Got, "Raises": Raises, "Event": Event, "VList": VList, "VTuple": VTuple, "VSet": VSet, "VDict": VDict,
	"VException": VException, "VObject": VObject,
	"ListForm": ListForm, "SetForm": SetForm, "DictForm": DictForm, "GenexpForm": GenexpForm,
	"ReportWarnings": ReportWarnings, "ReportUnraisable": ReportUnraisable, "ReportLoopExceptions": ReportLoopExceptions,
	"CapAsyncGenerators": CapAsyncGenerators, "CapANextBuiltin": CapANextBuiltin, "CapAIterBuiltin": CapAIterBuiltin,
	"CapAsyncGenMethods": CapAsyncGenMethods, "CapAsyncComprehensions": CapAsyncComprehensions,
	"CapCompile": CapCompile, "CapTasks": CapTasks, "CapDeterministicCollect": CapDeterministicCollect,
	"CapSource": CapSource, "CapIntrospection": CapIntrospection,
}

// evalSpec evaluates a Go expression made of builder calls, method
// chains, literals and []Stmt{...}.
func evalSpec(src string) (any, error) {
	e, err := parser.ParseExpr(src)
	if err != nil {
		return nil, err
	}
	v, err := evalGo(e)
	if err != nil {
		return nil, err
	}
	return v.Interface(), nil
}

func evalGo(e ast.Expr) (reflect.Value, error) {
	switch e := e.(type) {
	case *ast.BasicLit:
		switch e.Kind {
		case token.INT:
			n, err := strconv.Atoi(e.Value)
			return reflect.ValueOf(n), err
		case token.FLOAT:
			f, err := strconv.ParseFloat(e.Value, 64)
			return reflect.ValueOf(f), err
		case token.STRING:
			s, err := strconv.Unquote(e.Value)
			return reflect.ValueOf(s), err
		}
	case *ast.UnaryExpr:
		if e.Op == token.SUB {
			v, err := evalGo(e.X)
			if err != nil {
				return v, err
			}
			if v.Kind() == reflect.Int {
				return reflect.ValueOf(-int(v.Int())), nil
			}
			return reflect.ValueOf(-v.Float()), nil
		}
	case *ast.Ident:
		switch e.Name {
		case "nil":
			return reflect.Zero(reflect.TypeOf((*any)(nil)).Elem()), nil
		case "true", "false":
			return reflect.ValueOf(e.Name == "true"), nil
		}
		if b, ok := builders[e.Name]; ok {
			return reflect.ValueOf(b), nil
		}
		return reflect.Value{}, fmt.Errorf("unknown name %s", e.Name)
	case *ast.CompositeLit:
		var out []Stmt
		for _, el := range e.Elts {
			v, err := evalGo(el)
			if err != nil {
				return v, err
			}
			out = append(out, v.Interface().(Stmt))
		}
		return reflect.ValueOf(out), nil
	case *ast.SelectorExpr:
		recv, err := evalGo(e.X)
		if err != nil {
			return recv, err
		}
		m := recv.MethodByName(e.Sel.Name)
		if !m.IsValid() {
			return m, fmt.Errorf("%s has no method %s", recv.Type(), e.Sel.Name)
		}
		return m, nil
	case *ast.CallExpr:
		fn, err := evalGo(e.Fun)
		if err != nil {
			return fn, err
		}
		ft := fn.Type()
		var args []reflect.Value
		for i, a := range e.Args {
			v, err := evalGo(a)
			if err != nil {
				return v, err
			}
			var pt reflect.Type
			if ft.IsVariadic() && i >= ft.NumIn()-1 {
				pt = ft.In(ft.NumIn() - 1).Elem()
			} else {
				pt = ft.In(i)
			}
			if !v.IsValid() || (v.Kind() == reflect.Interface && v.IsNil()) {
				v = reflect.Zero(pt)
			} else if v.Type() != pt {
				if !v.Type().ConvertibleTo(pt) {
					return v, fmt.Errorf("argument %d of %s: %s is not %s", i, ft, v.Type(), pt)
				}
				v = v.Convert(pt)
			}
			args = append(args, v)
		}
		out := fn.Call(args)
		if len(out) != 1 {
			return reflect.Value{}, fmt.Errorf("%s returns %d values", ft, len(out))
		}
		return out[0], nil
	}
	return reflect.Value{}, fmt.Errorf("unexpected Go syntax %T", e)
}
