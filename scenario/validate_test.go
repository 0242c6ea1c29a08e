package scenario_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/spec"
)

// Validate walks the Go tree instead of encoding and decoding it: it must
// accept exactly the trees whose encoding Decode accepts, and name the
// same JSON path when it rejects one. Checked on every spec's scenario
// with each node broken in each of the ways a Go tree can be.
func TestValidateAgreesWithDecode(t *testing.T) {
	stmtBreaks := []func(*scenario.Stmt){
		func(s *scenario.Stmt) { s.Kind = "bogus" },
		func(s *scenario.Stmt) { s.Name = "" },
		func(s *scenario.Stmt) { s.Name = "x" },
		func(s *scenario.Stmt) { s.Event = "" },
		func(s *scenario.Stmt) { s.Event = "e" },
		func(s *scenario.Stmt) { s.Async = true },
		func(s *scenario.Stmt) { s.Generator = true },
		func(s *scenario.Stmt) { s.Params = []string{"p"} },
		func(s *scenario.Stmt) { s.Bases = []string{""} },
		func(s *scenario.Stmt) { s.Object, s.Expr, s.Iter, s.Cond = nil, nil, nil, nil },
		func(s *scenario.Stmt) { s.Expr = &scenario.Expr{Kind: scenario.VarExpr, Name: "v"} },
		func(s *scenario.Stmt) { s.Expr = &scenario.Expr{Kind: scenario.LitExpr} },
		func(s *scenario.Stmt) { s.Iter = &scenario.Expr{} },
		func(s *scenario.Stmt) { s.Target, s.TargetExpr = "", nil },
		func(s *scenario.Stmt) {
			s.Target, s.TargetExpr = "", &scenario.Expr{Kind: scenario.CallExpr, Func: "f"}
		},
		func(s *scenario.Stmt) { s.TargetExpr = &scenario.Expr{Kind: scenario.TupleExpr} },
		func(s *scenario.Stmt) { s.Body = []scenario.Stmt{{Kind: scenario.LetStmt, Name: "x"}} },
		func(s *scenario.Stmt) { s.Body = []scenario.Stmt{{Kind: scenario.ObserveStmt, Expr: &scenario.Expr{}}} },
		func(s *scenario.Stmt) { s.Handlers, s.Finally = nil, nil },
		func(s *scenario.Stmt) { s.Handlers = []scenario.Handler{{Body: []scenario.Stmt{{}}}} },
		func(s *scenario.Stmt) { s.Calls = [][]scenario.Stmt{{{Kind: "x"}}} },
		func(s *scenario.Stmt) { s.Else = []scenario.Stmt{{Kind: scenario.BreakStmt, Name: "b"}} },
	}
	lit := func(v scenario.Value) *scenario.Value { return &v }
	exprBreaks := []func(*scenario.Expr){
		func(e *scenario.Expr) { e.Kind = "bogus" },
		func(e *scenario.Expr) { e.Kind = "" },
		func(e *scenario.Expr) { e.Name = "" },
		func(e *scenario.Expr) { e.Name = "n" },
		func(e *scenario.Expr) { e.Func = "" },
		func(e *scenario.Expr) { e.Op = "" },
		func(e *scenario.Expr) { e.Op = "**" },
		func(e *scenario.Expr) { e.Form = "" },
		func(e *scenario.Expr) { e.Form = scenario.DictForm },
		func(e *scenario.Expr) { e.Clauses = nil },
		func(e *scenario.Expr) { e.Clauses = []scenario.Clause{{Target: "x"}} },
		func(e *scenario.Expr) {
			e.Clauses = []scenario.Clause{{Iter: &scenario.Expr{Kind: scenario.VarExpr, Name: "v"}}}
		},
		func(e *scenario.Expr) { e.Key = nil },
		func(e *scenario.Expr) { e.Key = &scenario.Expr{Kind: scenario.VarExpr, Name: "k"} },
		func(e *scenario.Expr) { e.Value = nil },
		func(e *scenario.Expr) { e.Value = lit(scenario.None) },
		func(e *scenario.Expr) { e.Value = lit(scenario.VList(1, scenario.VException("E", "m"))) },
		func(e *scenario.Expr) { e.Value = lit(scenario.VDict(1, scenario.VObject("o"))) },
		func(e *scenario.Expr) { e.Value = lit(scenario.VTuple(math.Inf(1))) },
		func(e *scenario.Expr) { e.Value = lit(scenario.V(math.NaN())) },
		func(e *scenario.Expr) {
			e.Of, e.Expr, e.Left, e.Right, e.Index, e.Element = nil, nil, nil, nil, nil, nil
		},
		func(e *scenario.Expr) { e.Args = []scenario.Expr{{Kind: scenario.VarExpr}} },
		func(e *scenario.Expr) { e.Kwargs = map[string]scenario.Expr{"k": {Kind: "bad"}} },
		func(e *scenario.Expr) { e.Items = []scenario.Expr{{Kind: scenario.LitExpr}} },
		func(e *scenario.Expr) { e.Flags = []string{"optimize"} },
		func(e *scenario.Expr) {
			e.Result, e.Exception = &scenario.Expr{Kind: scenario.VarExpr, Name: "r"}, &scenario.Expr{Kind: scenario.VarExpr, Name: "x"}
		},
		func(e *scenario.Expr) { e.Body = []scenario.Stmt{{Kind: scenario.TryStmt}} },
	}
	scenarioBreaks := []func(*scenario.Scenario){
		func(s *scenario.Scenario) { s.ID = "" },
		func(s *scenario.Scenario) { s.Mode = "fast" },
		func(s *scenario.Scenario) { s.Mode = scenario.SyncMode },
		func(s *scenario.Scenario) { s.Mode = scenario.SourceMode },
		func(s *scenario.Scenario) { s.Source = "pass" },
		func(s *scenario.Scenario) { s.Needs = append(s.Needs, "anext") },
		func(s *scenario.Scenario) { s.Report = []string{"loop-exceptions"} },
		func(s *scenario.Scenario) { s.Report = []string{"loops"} },
		func(s *scenario.Scenario) { s.After = []scenario.Stmt{{Kind: scenario.PassStmt}} },
	}

	cases := spec.Cases()
	checked, rejected := 0, 0
	check := func(where string, s *scenario.Scenario) {
		t.Helper()
		checked++
		verr := scenario.Validate(s)
		data, merr := json.Marshal(s)
		var derr error
		if merr == nil {
			_, derr = scenario.Decode(data)
		}
		switch {
		case verr == nil && (merr != nil || derr != nil):
			t.Errorf("%s: Validate accepts it, but encoding %v, decoding %v\n%s", where, merr, derr, data)
		case verr != nil && merr == nil && derr == nil:
			t.Errorf("%s: Validate rejects it (%v), Decode accepts its encoding\n%s", where, verr, data)
		case verr != nil:
			rejected++
			var ve *scenario.DecodeError
			if !errors.As(verr, &ve) {
				t.Errorf("%s: Validate's error %T is not a *DecodeError: %v", where, verr, verr)
			}
			var de *scenario.DecodeError
			if errors.As(derr, &de) && de.Path != ve.Path {
				t.Errorf("%s: Validate says %v; Decode says %v", where, verr, derr)
			}
		}
	}
	for ci, c := range cases {
		if c.Scenario.ID == "" {
			continue
		}
		check(c.Location.String(), &c.Scenario)
		for bi, brk := range scenarioBreaks {
			s := clone(t, &c.Scenario)
			brk(s)
			check(c.Location.String()+" scenario break "+strconv.Itoa(bi), s)
		}
		// One break per node, in rotation: over the suite every break
		// meets every kind of node (all of them on every node: 163,000
		// trees, two minutes; the rotation checks about 10,000).
		nStmts, nExprs := countNodes(&c.Scenario)
		for i := range nStmts {
			for k := range stmtBreaks {
				if (i+k+ci)%len(stmtBreaks) == 0 {
					s := clone(t, &c.Scenario)
					brk := stmtBreaks[k]
					walk(s, func(j int, st *scenario.Stmt) {
						if j == i {
							brk(st)
						}
					}, nil)
					check(c.Location.String()+" stmt "+strconv.Itoa(i)+" break "+strconv.Itoa(k), s)
				}
			}
		}
		for i := range nExprs {
			for k := range exprBreaks {
				if (i+k+ci)%len(exprBreaks) == 0 {
					s := clone(t, &c.Scenario)
					brk := exprBreaks[k]
					walk(s, nil, func(j int, e *scenario.Expr) {
						if j == i {
							brk(e)
						}
					})
					check(c.Location.String()+" expr "+strconv.Itoa(i)+" break "+strconv.Itoa(k), s)
				}
			}
		}
	}
	t.Logf("%d trees checked, %d rejected", checked, rejected)
	// Where the two cannot agree, Validate is the stricter: json.Marshal
	// writes a value of no known kind as null.
	bad := &scenario.Scenario{ID: "X", Main: []scenario.Stmt{scenario.Observe(scenario.Lit(scenario.Value{Kind: 99}))}}
	if err := scenario.Validate(bad); err == nil || err.Error() != "main[0].expr.value: unknown value kind ValueKind(99)" {
		t.Errorf("a value of no known kind: %v", err)
	}
	if rejected < checked/2 {
		t.Errorf("only %d of %d broken trees rejected: the breaks do not break", rejected, checked)
	}
}

func clone(t *testing.T, s *scenario.Scenario) *scenario.Scenario {
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	c, err := scenario.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func countNodes(s *scenario.Scenario) (stmts, exprs int) {
	walk(s, func(int, *scenario.Stmt) { stmts++ }, func(int, *scenario.Expr) { exprs++ })
	return
}

// walk calls fs for every statement and fe for every expression of s (a
// kwarg's expression excepted: a map value cannot be changed in place),
// numbering each kind in order.
func walk(s *scenario.Scenario, fs func(int, *scenario.Stmt), fe func(int, *scenario.Expr)) {
	ns, ne := 0, 0
	var stmts func([]scenario.Stmt)
	var expr func(*scenario.Expr)
	expr = func(e *scenario.Expr) {
		if e == nil {
			return
		}
		if fe != nil {
			fe(ne, e)
		}
		ne++
		for _, x := range []*scenario.Expr{e.Of, e.Expr, e.Left, e.Right, e.Element, e.Key, e.Result, e.Exception, e.Index} {
			expr(x)
		}
		for i := range e.Args {
			expr(&e.Args[i])
		}
		for i := range e.Items {
			expr(&e.Items[i])
		}
		for i := range e.Clauses {
			expr(e.Clauses[i].TargetExpr)
			expr(e.Clauses[i].Iter)
			for j := range e.Clauses[i].If {
				expr(&e.Clauses[i].If[j])
			}
		}
		stmts(e.Body)
	}
	stmts = func(list []scenario.Stmt) {
		for i := range list {
			st := &list[i]
			if fs != nil {
				fs(ns, st)
			}
			ns++
			for _, x := range []*scenario.Expr{st.Object, st.Expr, st.Iter, st.Cond, st.TargetExpr} {
				expr(x)
			}
			stmts(st.Body)
			for _, c := range st.Calls {
				stmts(c)
			}
			for _, h := range st.Handlers {
				stmts(h.Body)
			}
			stmts(st.Else)
			stmts(st.Finally)
		}
	}
	stmts(s.Module)
	stmts(s.Main)
	stmts(s.After)
}

// The tables Validate reads a Go node's fields with name every JSON field
// of the structs, so that a field added to Stmt or Expr is validated too.
func TestValidateKnowsEveryField(t *testing.T) {
	for _, typ := range []reflect.Type{reflect.TypeFor[scenario.Stmt](), reflect.TypeFor[scenario.Expr]()} {
		var fields []string
		for i := range typ.NumField() {
			name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			if name != "" && name != "-" && name != "kind" {
				fields = append(fields, name)
			}
		}
		if typ == reflect.TypeFor[scenario.Stmt]() {
			if !slices.Contains(fields, "target") {
				fields = append(fields, "target")
			}
		}
		slices.Sort(fields)
		if got := scenario.ValidatedFields(typ.Name()); !slices.Equal(got, fields) {
			t.Errorf("%s: Validate reads %v, the struct has %v", typ.Name(), got, fields)
		}
	}
}

// TestValidateAgreesWithDecodeOnRandomDamage complements the systematic
// breaks above with random ones: thousands of copies of the suite's
// scenarios, each damaged in one or two fields chosen anywhere in the
// tree (cleared, set to other kinds' names, NaN, exception literals,
// extra or missing elements), including the combinations no list of
// breaks names. Validate and Encode must say what Encode's round trip
// (json.Marshal, then Decode) says; the one difference allowed is the
// one above, a value of no known kind, which Validate alone rejects.
func TestValidateAgreesWithDecodeOnRandomDamage(t *testing.T) {
	cases := spec.Cases()
	for _, c := range cases {
		if err := scenario.Validate(&c.Scenario); err != nil {
			t.Errorf("%s: Validate rejects the suite's own scenario: %v", c.Location, err)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rounds, accepted := 5000, 0
	if testing.Short() {
		rounds = 1000
	}
	for i := range rounds {
		c := cases[rng.IntN(len(cases))]
		s := clone(t, &c.Scenario)
		for range 1 + rng.IntN(2) {
			damage(rng, reflect.ValueOf(s).Elem())
		}
		data, marshalErr := marshal(s)
		var decodeErr error
		if marshalErr == nil {
			_, decodeErr = scenario.Decode(data)
		}
		want := marshalErr == nil && decodeErr == nil && !holdsUnknownValueKind(reflect.ValueOf(s))
		if want {
			accepted++
		}
		if err := scenario.Validate(s); (err == nil) != want {
			t.Fatalf("round %d: Validate says %v, the round trip %v %v:\n%s", i, err, marshalErr, decodeErr, data)
		}
		if _, err := scenario.Encode(s); (err == nil) != want {
			t.Fatalf("round %d: Encode says %v, the round trip %v %v:\n%s", i, err, marshalErr, decodeErr, data)
		}
	}
	// Both outcomes must be common, or the test proves little.
	if accepted < rounds/10 || accepted > rounds*9/10 {
		t.Errorf("%d of %d damaged scenarios accepted: the damage is too mild or too harsh", accepted, rounds)
	}
	t.Logf("%d of %d damaged scenarios accepted", accepted, rounds)
}

// holdsUnknownValueKind reports whether the tree under v holds a value
// of no known kind (json.Marshal writes it as null, which decodes as None).
func holdsUnknownValueKind(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer:
		return !v.IsNil() && holdsUnknownValueKind(v.Elem())
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[scenario.Value]() && v.Interface().(scenario.Value).Kind > scenario.ObjectKind {
			return true
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && holdsUnknownValueKind(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if holdsUnknownValueKind(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if holdsUnknownValueKind(it.Value()) {
				return true
			}
		}
	}
	return false
}

// strings are what damage writes into a string field: every name the
// format gives a meaning, and a few it does not.
var damageStrings = func() []string {
	out := []string{"", "bogus", "x", "self", "ValueError", "sync", "source", "top_level_await", "+", "list", "dict", "genexp", "set"}
	for _, k := range []scenario.StmtKind{scenario.DefStmt, scenario.ClassStmt, scenario.LetStmt, scenario.TryStmt,
		scenario.AsyncForStmt, scenario.YieldStmt, scenario.PassStmt, scenario.EmitStmt} {
		out = append(out, string(k))
	}
	for _, k := range []scenario.ExprKind{scenario.LitExpr, scenario.VarExpr, scenario.CallExpr, scenario.TupleExpr,
		scenario.ComprehensionExpr, scenario.SubscriptExpr, scenario.FutureExpr, scenario.AttrExpr} {
		out = append(out, string(k))
	}
	for _, c := range scenario.Capabilities {
		out = append(out, string(c))
	}
	return append(out, scenario.ReportOptions...)
}()

// damage changes one field somewhere in the tree under v, chosen at random.
func damage(rng *rand.Rand, v reflect.Value) {
	var fields []reflect.Value
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if f := v.Field(i); f.CanSet() {
					fields = append(fields, f)
					walk(f)
				}
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		}
	}
	walk(v)
	// Mostly a field the tree uses: most fields of a node are not its
	// kind's, and setting one is an error too easy to find.
	var set []reflect.Value
	for _, f := range fields {
		if !f.IsZero() {
			set = append(set, f)
		}
	}
	if len(set) > 0 && rng.IntN(5) > 0 {
		fields = set
	}
	if len(fields) == 0 {
		return
	}
	f := fields[rng.IntN(len(fields))]
	switch f.Kind() {
	case reflect.String:
		f.SetString(damageStrings[rng.IntN(len(damageStrings))])
	case reflect.Bool:
		f.SetBool(!f.Bool())
	case reflect.Int64:
		f.SetInt(rng.Int64N(5))
	case reflect.Uint8: // a Value's kind
		f.SetUint(uint64(rng.IntN(12)))
	case reflect.Float64:
		f.SetFloat([]float64{math.NaN(), math.Inf(1), 0.5, 3}[rng.IntN(4)])
	case reflect.Pointer:
		if f.IsNil() || rng.IntN(2) == 0 {
			f.Set(reflect.New(f.Type().Elem()))
		} else {
			f.Set(reflect.Zero(f.Type()))
		}
	case reflect.Slice:
		switch n := f.Len(); {
		case n > 0 && rng.IntN(3) == 0:
			f.Set(reflect.Zero(f.Type()))
		case n > 0 && rng.IntN(2) == 0:
			f.Set(reflect.Append(f.Slice3(0, n, n), f.Index(rng.IntN(n))))
		default:
			f.Set(reflect.Append(f, reflect.Zero(f.Type().Elem())))
		}
	case reflect.Map:
		if f.Len() > 0 {
			f.Set(reflect.Zero(f.Type()))
		} else {
			m := reflect.MakeMap(f.Type())
			m.SetMapIndex(reflect.ValueOf("k"), reflect.Zero(f.Type().Elem()))
			f.Set(m)
		}
	}
}

// marshal is json.Marshal, with a panic (a value kind whose fields are
// missing) as an error.
func marshal(s *scenario.Scenario) (data []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return json.Marshal(s)
}
