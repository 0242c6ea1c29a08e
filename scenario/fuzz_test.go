package scenario_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/scenario/pysource"
	"github.com/aiterspec/aiterspec/spec"
)

// The fuzz targets start from the suite's own scenarios and expected
// observations (spec.Cases), plus a few malformed inputs, and check more
// than "no panic": whatever a decoder accepts must encode and decode back
// to the same thing. `make test` runs each briefly (make fuzz-short);
// `make fuzz` runs them long.

func FuzzDecodeScenario(f *testing.F) {
	for _, c := range spec.Cases() {
		data, err := json.Marshal(&c.Scenario)
		if err != nil {
			f.Fatalf("%s: %v", c.Location, err)
		}
		f.Add(data)
	}
	for _, s := range []string{``, `null`, `{}`, `[]`, `{"id":"X","title":"t","main":[{"kind":"pass","pass":1}]}`,
		`{"id":"X","title":"t","main":[{"kind":"observe","expr":{"kind":"lit","value":{"kind":"int","int":"1e999"}}}]}`,
		`{"id":"X","title":"t","main":[` + string(bytes.Repeat([]byte(`{"kind":"if","cond":{"kind":"lit","value":{"kind":"bool","bool":true}},"body":[`), 50)) + `]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scenario.Decode(data)
		if err != nil {
			if _, ok := err.(*scenario.DecodeError); !ok {
				if _, syntax := err.(*json.SyntaxError); !syntax && s != nil {
					t.Fatalf("Decode returned a scenario with its error %v", err)
				}
			}
			return
		}
		// What Decode accepts, Validate accepts too (Decode ends with
		// Validate's checks on what it decoded; a Go tree equal to it
		// must pass them the same way).
		if err := scenario.Validate(s); err != nil {
			t.Fatalf("Decode accepted %q but Validate rejects it: %v", data, err)
		}
		// What Decode accepts, Encode writes and Decode reads back the same.
		enc, err := scenario.Encode(s)
		if err != nil {
			t.Fatalf("Decode accepted %q but Encode rejects the result: %v", data, err)
		}
		back, err := scenario.Decode(enc)
		if err != nil {
			t.Fatalf("Encode wrote %s, which Decode rejects: %v", enc, err)
		}
		if again, _ := scenario.Encode(back); !bytes.Equal(enc, again) {
			t.Fatalf("not stable on a round trip:\n%s\n%s", enc, again)
		}
		// Every decoded scenario either renders as Python or is reported
		// as not expressible; it never breaks the renderer.
		if _, err := pysource.Program(s); err != nil {
			var pe *pysource.Error
			if !asError(err, &pe) {
				t.Fatalf("pysource.Program: %v (%T), want a *pysource.Error", err, err)
			}
		}
	})
}

func FuzzDecodeObservations(f *testing.F) {
	for _, c := range spec.Cases() {
		for _, obs := range append([][]scenario.Observation{c.Expect}, versionExpectations(c)...) {
			data, err := json.Marshal(obs)
			if err != nil {
				f.Fatalf("%s: %v", c.Location, err)
			}
			f.Add(data)
		}
	}
	for _, s := range []string{``, `[]`, `{}`, `[{"kind":"value"}]`, `[{"kind":"raised","type":"E","message":"m","line":-1}]`,
		`[{"kind":"value","value":{"kind":"float","float":1.0}}]`, `[{"kind":"event","name":"x","value":{"kind":"int","int":99999999999999999999999}}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		obs, err := scenario.DecodeObservations(data)
		if err != nil {
			return
		}
		enc, err := json.Marshal(obs)
		if err != nil {
			t.Fatalf("DecodeObservations accepted %q but the result does not encode: %v", data, err)
		}
		back, err := scenario.DecodeObservations(enc)
		if err != nil {
			t.Fatalf("encoded as %s, which DecodeObservations rejects: %v", enc, err)
		}
		if !reflect.DeepEqual(normalize(obs), normalize(back)) {
			t.Fatalf("not the same after a round trip through %s", enc)
		}
		// Observations always match themselves, and the diff shown on a
		// failure renders.
		for _, m := range []scenario.Messages{scenario.ExactMessages, scenario.TypeOnly} {
			if !scenario.Matches(obs, back, m) {
				t.Fatalf("observations do not match themselves (%s): %s", m, enc)
			}
		}
		_ = scenario.SideBySide(obs, nil, scenario.ExactMessages)
	})
}

func versionExpectations(c *spec.Case) [][]scenario.Observation {
	var out [][]scenario.Observation
	for _, v := range c.Versions {
		out = append(out, v.Expect)
	}
	return out
}

// normalize makes an empty list and a nil one the same.
func normalize(obs []scenario.Observation) []scenario.Observation {
	if len(obs) == 0 {
		return nil
	}
	return obs
}

func asError(err error, target **pysource.Error) bool {
	pe, ok := err.(*pysource.Error)
	if ok {
		*target = pe
	}
	return ok
}
