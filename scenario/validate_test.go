package scenario_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/spec"
)

// TestValidateAgreesWithDecode holds Validate's tree walk to the decoder
// it stands for: every scenario of the suite takes the fast path, and
// whatever the walk accepts in thousands of randomly damaged copies of
// them (fields cleared, set to other kinds' names, NaN, exception
// literals, extra or missing elements), Decode accepts when encoded.
// Validate then says exactly what Encode's round trip says.
func TestValidateAgreesWithDecode(t *testing.T) {
	cases := spec.Cases()
	for _, c := range cases {
		if !scenario.WellFormed(&c.Scenario) {
			t.Errorf("%s: the suite's own scenario misses Validate's fast path", c.Location)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rounds, walked := 5000, 0
	if testing.Short() {
		rounds = 1000
	}
	for i := range rounds {
		c := cases[rng.IntN(len(cases))]
		s := deepCopy(t, &c.Scenario)
		for range 1 + rng.IntN(2) {
			damage(rng, reflect.ValueOf(s).Elem())
		}
		data, marshalErr := marshal(s)
		var decodeErr error
		if marshalErr == nil {
			_, decodeErr = scenario.Decode(data)
		}
		accepted := marshalErr == nil && decodeErr == nil
		if scenario.WellFormed(s) {
			walked++
			if !accepted {
				t.Fatalf("round %d: the walk accepts what the decoder rejects (%v, %v):\n%s", i, marshalErr, decodeErr, data)
			}
		}
		if err := scenario.Validate(s); (err == nil) != accepted {
			t.Fatalf("round %d: Validate says %v, the round trip %v %v:\n%s", i, err, marshalErr, decodeErr, data)
		}
		if _, err := scenario.Encode(s); (err == nil) != accepted {
			t.Fatalf("round %d: Encode says %v, the round trip %v %v:\n%s", i, err, marshalErr, decodeErr, data)
		}
	}
	// Both outcomes must be common, or the test proves little.
	if walked < rounds/10 || walked > rounds*9/10 {
		t.Errorf("the walk accepted %d of %d damaged scenarios: the damage is too mild or too harsh", walked, rounds)
	}
	t.Logf("the walk accepted %d of %d damaged scenarios", walked, rounds)
}

func deepCopy(t *testing.T, s *scenario.Scenario) *scenario.Scenario {
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var c scenario.Scenario
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	return &c
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
