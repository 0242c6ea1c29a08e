package process

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/scenario/pysource"
)

// A harness that asks for python-source gets the program pysource renders
// with each run request; one that does not (or speaks protocol 1) gets
// none, and unknown options are ignored.
func TestPythonSourceOption(t *testing.T) {
	s := &scenario.Scenario{ID: "program", Main: []scenario.Stmt{scenario.Observe(scenario.Lit("é\n"))}}
	want, err := pysource.Program(s)
	if err != nil {
		t.Fatal(err)
	}
	c := newFake(t, "python-source").open()
	r := c.Run(context.Background(), s)
	wantState(t, r, adapters.Completed)
	if len(r.Observations) != 1 || r.Observations[0].Value == nil || r.Observations[0].Value.Str != want {
		t.Errorf("the harness received %v, want the program\n%s", r.Observations, want)
	}
	// What Python cannot express is unsupported, and never sent: the fake
	// would answer an error to an unknown behaviour.
	bad := &scenario.Scenario{ID: "never sent", Main: []scenario.Stmt{scenario.Let("_aiterspec_x", scenario.Lit(1))}}
	wantState(t, c.Run(context.Background(), bad), adapters.Unsupported,
		"names starting with _aiterspec are reserved by the harness (missing: name \"_aiterspec_x\")")

	r = newFake(t, "ok").open().Run(context.Background(), s)
	wantState(t, r, adapters.Completed)
	if len(r.Observations) != 1 || r.Observations[0].Value == nil || r.Observations[0].Value.Kind != scenario.NoneKind {
		t.Errorf("a protocol 1 harness received a program: %v", r.Observations)
	}
}

// A malformed scenario never reaches the harness: Go validates every
// scenario before sending it, so that a harness may trust what it gets.
func TestMalformedScenarioIsNotSent(t *testing.T) {
	f := newFake(t, "ok")
	c := f.open()
	s := &scenario.Scenario{ID: "ok", Main: []scenario.Stmt{{Kind: scenario.LetStmt, Name: "x"}}}
	wantState(t, c.Run(context.Background(), s), adapters.Errored,
		"not run: the scenario is malformed (a bug in the spec, not in the implementation): main[0].expr: missing field \"expr\" for statement \"let\"")
	wantOK(t, c, "ok")
}

// "protocol": 1.0 is protocol 1 (Python's json.dumps writes floats so);
// protocol 3 is refused naming both versions (TestOpenErrors).
func TestProtocolVersionAsFloat(t *testing.T) {
	c := newFake(t, "proto1.0").open()
	if c.hello.protocol != 1 {
		t.Errorf("protocol %d, want 1", c.hello.protocol)
	}
	wantOK(t, c, "ok")
	for raw, want := range map[string]int{"1": 1, "2": 2, "2.0": 2, "1e0": 1, " 2 ": 2, "1.5": 0, "3": 0, "0": 0, `"2"`: 0, "null": 0} {
		got, ok := protocolVersion([]byte(raw))
		if (want == 0 && ok) || (want != 0 && (!ok || got != want)) {
			t.Errorf("protocol %s: got %d, %v; want %d", raw, got, ok, want)
		}
	}
}

// A harness that exits right after its hello is classified the same way
// every time, truly: Open succeeds (the hello was sent), and the scenario
// is errored saying the harness exited after its hello without answering,
// whether the exit is seen before the request is sent or after (issue 14
// §7: it used to be "exited before its hello" or "closed its standard
// output after the previous result", by timing).
func TestExitRightAfterHello(t *testing.T) {
	want := "the harness exited with status 0 after its hello, without answering any request (a harness may exit only on shutdown or at the end of its input)"
	for i := range 9 {
		f := newFake(t, "hello-exit")
		f.cfg.MaxRestarts = 1
		c, err := Open(f.cfg)
		if err != nil {
			t.Fatalf("run %d: Open: %v", i, err)
		}
		if i%2 == 1 {
			time.Sleep(50 * time.Millisecond) // let the exit be seen first
		}
		r := run(t, c, "ok")
		wantState(t, r, adapters.Errored, want)
		// The restarted harness does the same, and reads the same.
		wantState(t, run(t, c, "ok"), adapters.Errored, want)
		wantState(t, run(t, c, "ok"), adapters.Errored, "gave up on the harness after 1 restarts in a row")
		c.Close()
	}
}

// A command that prints nothing at all and sits idle is given up on soon
// after the silent limit, not at the start-up limit: `exec:cat` and
// `exec:sleep 100` cost seconds (issue 14 §7). A harness that says
// something on stderr, or is busy (an interpreter starting on a loaded
// machine), gets the whole start-up limit.
func TestSilentStart(t *testing.T) {
	f := newFake(t, "sleeper")
	f.cfg.StartTimeout = time.Minute
	f.cfg.SilentStartTimeout = 300 * time.Millisecond
	start := time.Now()
	_, err := Open(f.cfg)
	if err == nil || !strings.Contains(err.Error(), "printed nothing at all within 300ms, neither a hello nor anything on stderr") ||
		!strings.Contains(err.Error(), "--start-timeout") {
		t.Errorf("error: %v", err)
	}
	if d := time.Since(start); d > 40*time.Second { // well under the start-up limit
		t.Errorf("gave up after %s", d)
	}
	f = newFake(t, "no-hello") // writes "thinking..." to stderr, then sleeps
	f.cfg.StartTimeout = 1500 * time.Millisecond
	f.cfg.SilentStartTimeout = 300 * time.Millisecond
	if _, err := Open(f.cfg); err == nil || !strings.Contains(err.Error(), "sent no hello within 1.5s") {
		t.Errorf("error: %v", err)
	}
	f = newFake(t, "busy-start") // silent, spinning for 1.5 s, then hello
	f.cfg.StartTimeout = time.Minute
	f.cfg.SilentStartTimeout = 300 * time.Millisecond
	c := f.open()
	wantOK(t, c, "ok")
}

// Relaunch picks the command of later harnesses from the first hello.
func TestRelaunch(t *testing.T) {
	f := newFake(t, "ok")
	var seen []byte
	f.cfg.Relaunch = func(hello []byte, argv []string) []string {
		seen = hello
		return append(append([]string(nil), argv...), "relaunched")
	}
	c := f.open()
	if !strings.Contains(string(seen), `"future-field":1`) {
		t.Errorf("Relaunch got %q, want the hello line", seen)
	}
	if r := run(t, c, "argv"); len(r.Observations) != 1 || r.Observations[0].Value.Str != "" {
		t.Errorf("first harness: %+v", r)
	}
	wantState(t, run(t, c, "segv"), adapters.Errored, "SIGSEGV")
	if r := run(t, c, "argv"); len(r.Observations) != 1 || r.Observations[0].Value.Str != "relaunched" {
		t.Errorf("restarted harness: %+v", r)
	}
}

// With KeepSpare two harnesses are started ahead: two crashes in a row
// cost no start-up, and new spares follow. Close stops the spares too
// (checkGone).
func TestKeepSpare(t *testing.T) {
	f := newFake(t, "ok")
	f.cfg.KeepSpare = true
	c := f.open()
	wantOK(t, c, "ok")
	waitStarts(t, f, 3)
	for range 2 {
		wantState(t, run(t, c, "segv"), adapters.Errored, "SIGSEGV")
		wantOK(t, c, "ok")
	}
	waitStarts(t, f, 5)
	if n := f.starts(); n != 5 {
		t.Errorf("%d starts, want 5: the first harness, two spares, one after each crash", n)
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

func waitStarts(t *testing.T, f *fake, n int) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); f.starts() < n; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d starts, want %d", f.starts(), n)
		}
	}
}

// Prepare renders requests ahead; what Run then sends and answers is what
// it sends and answers without Prepare, a malformed or inexpressible
// scenario included, whether the background rendering got to it first or
// Run did.
func TestPrepareRendersTheSameRequests(t *testing.T) {
	good := &scenario.Scenario{ID: "program", Main: []scenario.Stmt{scenario.Observe(scenario.Lit("é\n"))}}
	want, err := pysource.Program(good)
	if err != nil {
		t.Fatal(err)
	}
	malformed := &scenario.Scenario{ID: "ok", Main: []scenario.Stmt{{Kind: scenario.LetStmt, Name: "x"}}}
	reserved := &scenario.Scenario{ID: "never sent", Main: []scenario.Stmt{scenario.Let("_aiterspec_x", scenario.Lit(1))}}
	needs := &scenario.Scenario{ID: "ok", Needs: []scenario.Capability{scenario.CapIntrospection}}
	for _, ahead := range []bool{false, true} {
		c := newFake(t, "python-source").open()
		c.Prepare([]*scenario.Scenario{good, malformed, reserved, needs})
		if ahead {
			deadline := time.Now().Add(20 * time.Second)
			for _, s := range []*scenario.Scenario{good, malformed, reserved, needs} {
				p, _ := c.prepared.Load(s)
				for p.(*preparing).r.Load() == nil && time.Now().Before(deadline) {
					time.Sleep(time.Millisecond)
				}
			}
		}
		r := c.Run(context.Background(), good)
		wantState(t, r, adapters.Completed)
		if len(r.Observations) != 1 || r.Observations[0].Value == nil || r.Observations[0].Value.Str != want {
			t.Errorf("ahead=%v: the harness received %v, want the program\n%s", ahead, r.Observations, want)
		}
		wantState(t, c.Run(context.Background(), malformed), adapters.Errored, "not run: the scenario is malformed")
		wantState(t, c.Run(context.Background(), reserved), adapters.Unsupported, "names starting with _aiterspec are reserved")
		wantState(t, c.Run(context.Background(), needs), adapters.Unsupported, "missing: introspection")
	}
}
