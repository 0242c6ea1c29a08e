package differential

import (
	"testing"

	"github.com/aiterspec/aiterspec/adapters"
	. "github.com/aiterspec/aiterspec/scenario"
)

func completed(obs ...Observation) adapters.Result {
	return adapters.Result{State: adapters.Completed, Observations: obs}
}

func TestSignature(t *testing.T) {
	for _, c := range []struct {
		name string
		a, b adapters.Result
		want string
	}{
		{"a raise where a value was",
			completed(Got(1), Raises("ValueError", "boom")), completed(Got(1), Got(nil)),
			"raised ValueError ≠ value"},
		{"the exception types of exception values",
			completed(Got(VException("ValueError", "async generator already executing"))),
			completed(Got(VException("RuntimeError", "anext(): asynchronous generator is already running"))),
			"value exception ValueError ≠ value exception RuntimeError"},
		{"one side observed more",
			completed(Event("e1"), Event("ag0 finally")), completed(Event("e1")),
			"event ≠ (nothing)"},
		{"generated event names do not split classes, warnings keep their category",
			completed(Event("ag0 finally")), completed(Event("warning", "RuntimeWarning: coroutine 'f' was never awaited")),
			"event ≠ event warning RuntimeWarning"},
		{"a wording difference, with names and type names masked",
			completed(Raises("TypeError", "'async for' received a object from __aiter__ that does not implement __anext__: list")),
			completed(Raises("TypeError", "'async for' received an object from __aiter__ that does not implement __anext__: list")),
			`raised TypeError ("'…' received a object from __aiter__ that does not implement __anext__: T" ≠ "'…' received an object from __aiter__ that does not implement __anext__: T")`},
		{"a cause only one side has",
			completed(Raises("TypeError", "x").CausedBy("ValueError", "y")), completed(Raises("TypeError", "x")),
			"raised TypeError (cause ValueError ≠ no cause)"},
		{"values of one kind",
			completed(Got(1)), completed(Got(2)),
			"value (values differ)"},
		{"a hang",
			adapters.Result{State: adapters.Errored, Reason: "timed out after 3s"}, completed(Got(1)),
			"errored (hang) ≠ completed"},
		{"a crash",
			completed(), adapters.Result{State: adapters.Errored, Reason: "harness killed by signal 11 (SIGSEGV)"},
			"completed ≠ errored (crash)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Signature(c.a, c.b, ExactMessages); got != c.want {
				t.Errorf("Signature = %s\nwant        %s", got, c.want)
			}
		})
	}
}

func TestSameIsStrict(t *testing.T) {
	withCause := Raises("TypeError", "x").CausedBy("ValueError", "y")
	plain := Raises("TypeError", "x")
	if Same([]Observation{withCause}, []Observation{plain}, ExactMessages) || Same([]Observation{plain}, []Observation{withCause}, ExactMessages) {
		t.Error("an exception with a cause and one without are the same")
	}
	if Same([]Observation{Raises("SyntaxError", "m").AtLine(2)}, []Observation{Raises("SyntaxError", "m")}, ExactMessages) {
		t.Error("a SyntaxError with a line and one without are the same")
	}
	if !Same([]Observation{Raises("TypeError", "a")}, []Observation{Raises("TypeError", "b")}, TypeOnly) {
		t.Error("under TypeOnly, messages count")
	}
	if Same([]Observation{Got(1)}, []Observation{Got(1), Got(2)}, ExactMessages) {
		t.Error("lists of different lengths are the same")
	}
}

func TestJudge(t *testing.T) {
	p := &Pair{Messages: ExactMessages}
	unsupported := adapters.Result{State: adapters.Unsupported, Reason: "no anext"}
	errored := adapters.Result{State: adapters.Errored, Reason: "SyntaxError"}
	for _, c := range []struct {
		a, b adapters.Result
		want Verdict
	}{
		{completed(Got(1)), completed(Got(1)), Agree},
		{completed(Got(1)), completed(Got(2)), Diverge},
		{unsupported, completed(Got(1)), Skip},
		{completed(Got(1)), unsupported, Skip},
		{errored, errored, Invalid},
		{errored, completed(), Diverge},
	} {
		if got := p.judge(c.a, c.b).Verdict; got != c.want {
			t.Errorf("judge(%s, %s) = %s, want %s", c.a.State, c.b.State, got, c.want)
		}
	}
}
