// Package protocoltest holds the process protocol's own conformance
// checks (adapters/process/PROTOCOL.md): it drives a harness command
// directly, byte by byte, and checks what a harness must do whatever
// implementation it runs. The checks come in two tiers.
//
// The core tier is what every harness must pass, even one that answers
// unsupported to every scenario (the way to start small):
//
//   - hello: the first line, unprompted, well formed: protocol 1 or 2,
//     names, versions, known capability and option names;
//   - ids: every run request is answered with one result carrying its id,
//     completed or unsupported (never error) for a valid scenario;
//   - unsupported: a scenario needing a capability the hello did not
//     announce is answered unsupported, with missing naming it;
//   - bad input: a line that is not JSON, not an object, or of an unknown
//     type gets {"type": "error"}, and the harness goes on;
//   - crash isolated: a harness killed while another one runs beside it
//     does not disturb it (aiterspec keeps a spare harness started ahead,
//     and restarts after crashes);
//   - shutdown: exit with status 0 within 2 s, writing nothing more;
//   - eof: exit within 2 s at the end of standard input.
//
// The strict tier is for harnesses that run scenarios or validate them:
//
//   - run: a trivial scenario (observe 1) completes with value 1;
//   - probes: scenarios using a range of constructs complete or are
//     unsupported, never error;
//   - stray output: what a scenario prints does not reach the protocol
//     stream (checked when the harness runs source mode);
//   - malformed: a malformed scenario gets state error naming the JSON
//     path, and the harness goes on (checked when the hello has the option
//     "validates", or speaks protocol 1, which required it).
//
// A harness whose hello asks for the option "python-source" gets the
// rendered program in each run request, as from aiterspec.
//
// Use it from a test:
//
//	func TestMyHarness(t *testing.T) {
//		protocoltest.Check(t, []string{"node", "my-harness.mjs"})
//	}
//
// or run this package's tests on any command, the whole check or the core
// tier only:
//
//	AITERSPEC_HARNESS='node my-harness.mjs' go test ./adapters/process/protocoltest/
//	AITERSPEC_HARNESS='node my-harness.mjs' go test ./adapters/process/protocoltest/ -run /core
package protocoltest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aiterspec/aiterspec/adapters/process"
	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/scenario/pysource"
)

// Options are the protocol options a hello may ask for that these checks
// know; others are flagged.
var Options = []string{process.OptionPythonSource, process.OptionValidates, process.OptionBench}

// Command is a harness to check.
type Command struct {
	// Argv is the command line; Argv[0] is looked up on PATH.
	Argv []string
	// Dir is its working directory; "" means the aiterspec module root (as
	// for the exec adapter), or the current directory outside the module.
	Dir string
	// Env is its environment; nil means this process's.
	Env []string
	// StartTimeout bounds the wait for hello; 0 means 60 s (generous: the
	// checks are of behaviour, not speed, and machines can be loaded).
	StartTimeout time.Duration
	// ResponseTimeout bounds the wait for each answer; 0 means 30 s.
	ResponseTimeout time.Duration
	// CoreOnly runs the core tier alone: for a harness that runs no
	// scenario yet.
	CoreOnly bool
}

// Check runs every check on the harness started by argv, from the module
// root: the subtests core/NAME and strict/NAME, each on a fresh harness
// process.
func Check(t *testing.T, argv []string) {
	t.Helper()
	CheckCommand(t, Command{Argv: argv})
}

type check struct {
	name string
	run  func(*testing.T, *conn)
}

var (
	coreChecks = []check{
		{"hello", checkHello},
		{"ids", checkIDs},
		{"unsupported", checkUnsupported},
		{"bad input", checkBadInput},
		{"crash isolated", checkCrashIsolated},
		{"shutdown", checkShutdown},
		{"eof", checkEOF},
	}
	strictChecks = []check{
		{"run", checkRun},
		{"probes", checkProbes},
		{"stray output", checkStrayOutput},
		{"malformed", checkMalformed},
	}
)

// CheckCommand is [Check] with full control over the command.
func CheckCommand(t *testing.T, cmd Command) {
	t.Helper()
	if len(cmd.Argv) == 0 {
		t.Fatal("protocoltest: empty command")
	}
	if cmd.Dir == "" {
		cmd.Dir = process.ModuleRoot()
	}
	if cmd.StartTimeout <= 0 {
		cmd.StartTimeout = 60 * time.Second
	}
	if cmd.ResponseTimeout <= 0 {
		cmd.ResponseTimeout = 30 * time.Second
	}
	for _, tier := range []struct {
		name   string
		checks []check
	}{{"core", coreChecks}, {"strict", strictChecks}} {
		if tier.name == "strict" && cmd.CoreOnly {
			break
		}
		t.Run(tier.name, func(t *testing.T) {
			for _, c := range tier.checks {
				t.Run(c.name, func(t *testing.T) {
					c.run(t, start(t, cmd))
				})
			}
		})
	}
}

// conn is a harness process under test.
type conn struct {
	t       *testing.T
	cmd     Command
	proc    *exec.Cmd
	stdin   *os.File
	lines   chan []byte // stdout lines; closed at EOF
	exited  chan struct{}
	state   *os.ProcessState
	stderrM sync.Mutex
	stderr  []byte // the last 4 KiB
	hello   map[string]any
	caps    []string
	options []string // asked for (protocol 2)
	nextID  int
}

// validates reports whether the harness says it checks the scenarios it
// receives: the option "validates", or protocol 1, which required it.
func (c *conn) validates() bool {
	v, _ := c.hello["protocol"].(json.Number)
	return slices.Contains(c.options, process.OptionValidates) || v.String() == "1"
}

// start launches the harness in its own process group (killed at the end
// of the test) and reads its hello, checked only as far as the other
// checks need it.
func start(t *testing.T, cmd Command) *conn {
	t.Helper()
	inR, inW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	p := exec.Command(cmd.Argv[0], cmd.Argv[1:]...)
	p.Dir, p.Env = cmd.Dir, cmd.Env
	p.Stdin, p.Stdout, p.Stderr = inR, outW, errW
	p.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	err = p.Start()
	inR.Close()
	outW.Close()
	errW.Close()
	if err != nil {
		t.Fatalf("cannot start %q: %v", cmd.Argv, err)
	}
	c := &conn{t: t, cmd: cmd, proc: p, stdin: inW, lines: make(chan []byte, 16), exited: make(chan struct{})}
	t.Cleanup(func() {
		syscall.Kill(-p.Process.Pid, syscall.SIGKILL)
		<-c.exited
		inW.Close()
		outR.Close()
		errR.Close()
	})
	go func() {
		p.Wait()
		c.state = p.ProcessState
		close(c.exited)
	}()
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := errR.Read(buf)
			c.stderrM.Lock()
			c.stderr = append(c.stderr, buf[:n]...)
			if len(c.stderr) > 4<<10 {
				c.stderr = c.stderr[len(c.stderr)-4<<10:]
			}
			c.stderrM.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() {
		defer close(c.lines)
		br := bufio.NewReaderSize(outR, 64<<10)
		for {
			line, err := br.ReadBytes('\n')
			if len(line) > 0 {
				c.lines <- line
			}
			if err != nil {
				return
			}
		}
	}()
	c.hello = c.recv(cmd.StartTimeout, "hello")
	if typ, _ := c.hello["type"].(string); typ != "hello" {
		t.Fatalf("the first line is not a hello: %v", c.hello)
	}
	c.caps, c.options = strs(c.hello["capabilities"]), strs(c.hello["options"])
	return c
}

// strs is the strings of a JSON array (other elements are checkHello's).
func strs(x any) []string {
	var out []string
	xs, _ := x.([]any)
	for _, x := range xs {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// stderrTail is the end of the harness's stderr, for failure messages.
func (c *conn) stderrTail() string {
	c.stderrM.Lock()
	defer c.stderrM.Unlock()
	if len(c.stderr) == 0 {
		return "(stderr empty)"
	}
	return "stderr ends:\n" + strings.ToValidUTF8(string(c.stderr), "\uFFFD")
}

// send writes one line to the harness.
func (c *conn) send(line string) {
	c.t.Helper()
	c.stdin.SetWriteDeadline(time.Now().Add(c.cmd.ResponseTimeout))
	if _, err := c.stdin.WriteString(line + "\n"); err != nil {
		c.t.Fatalf("cannot write to the harness: %v\n%s", err, c.stderrTail())
	}
}

// recv reads the next line, which must be one UTF-8 JSON object with a
// string type.
func (c *conn) recv(timeout time.Duration, what string) map[string]any {
	c.t.Helper()
	select {
	case line, ok := <-c.lines:
		if !ok {
			c.waitExit(time.Second)
			c.t.Fatalf("waiting for %s: the harness closed its stdout (%s)\n%s", what, c.exitString(), c.stderrTail())
		}
		return c.decode(line, what)
	case <-time.After(timeout):
		c.t.Fatalf("waiting for %s: nothing within %s\n%s", what, timeout, c.stderrTail())
	}
	return nil
}

func (c *conn) decode(line []byte, what string) map[string]any {
	c.t.Helper()
	q := quote(line)
	if !strings.HasSuffix(string(line), "\n") {
		c.t.Fatalf("%s: the line does not end with a newline: %s", what, q)
	}
	if !utf8.Valid(line) {
		c.t.Fatalf("%s: the line is not valid UTF-8: %s", what, q)
	}
	if len(line) > process.MaxLineBytes+1 {
		c.t.Fatalf("%s: the line is longer than %d bytes", what, process.MaxLineBytes)
	}
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(string(line)))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || m == nil {
		c.t.Fatalf("%s: the line is not one JSON object: %s", what, q)
	}
	if dec.More() {
		c.t.Fatalf("%s: more than one JSON value on the line: %s", what, q)
	}
	if _, ok := m["type"].(string); !ok {
		c.t.Fatalf("%s: the message has no string type: %s", what, q)
	}
	return m
}

func quote(line []byte) string {
	if len(line) > 300 {
		return fmt.Sprintf("%q… (%d bytes)", line[:300], len(line))
	}
	return fmt.Sprintf("%q", line)
}

func (c *conn) waitExit(d time.Duration) bool {
	select {
	case <-c.exited:
		return true
	case <-time.After(d):
		return false
	}
}

func (c *conn) exitString() string {
	select {
	case <-c.exited:
		return c.state.String()
	default:
		return "still running"
	}
}

// run sends a run request for s (a scenario, or raw JSON) and returns the
// result, checking its type and id.
func (c *conn) run(s any) map[string]any {
	c.t.Helper()
	c.nextID++
	id := fmt.Sprintf("pt-%d-ü\"%d", c.nextID, c.nextID)
	return c.runWithID(id, s)
}

func (c *conn) runWithID(id string, s any) map[string]any {
	c.t.Helper()
	req := map[string]any{"type": "run", "id": id, "scenario": s}
	if sc, ok := s.(*scenario.Scenario); ok && slices.Contains(c.options, process.OptionPythonSource) {
		program, err := pysource.Program(sc)
		if err != nil {
			c.t.Fatalf("protocoltest: %s cannot be rendered: %v", sc.ID, err)
		}
		req["program"] = program
	}
	msg, err := json.Marshal(req)
	if err != nil {
		c.t.Fatal(err)
	}
	c.send(string(msg))
	res := c.recv(c.cmd.ResponseTimeout, "the result of run "+id)
	if res["type"] != "result" {
		c.t.Fatalf("run %s: got a %v message, want a result: %v\n%s", id, res["type"], res, c.stderrTail())
	}
	if res["id"] != id {
		c.t.Fatalf("run %s: the result has id %v (the id must be echoed as the same string)", id, res["id"])
	}
	return res
}

func state(res map[string]any) string {
	s, _ := res["state"].(string)
	return s
}

// trivial is a scenario every harness must complete: observe 1.
func trivial() *scenario.Scenario {
	return &scenario.Scenario{ID: "PT-TRIVIAL", Main: []scenario.Stmt{scenario.Observe(scenario.Lit(1))}}
}

// checkTrivial runs the trivial scenario and checks it completed with
// exactly one observation, the value 1.
func (c *conn) checkTrivial(after string) {
	c.t.Helper()
	res := c.run(trivial())
	if state(res) != "completed" {
		c.t.Fatalf("%s: the trivial scenario (observe 1) gave state %q (reason %v), want completed "+
			"(a harness that runs no scenario yet passes the core tier only: go test -run /core)", after, state(res), res["reason"])
	}
	c.checkOne(res, after)
}

// answersTrivial runs the trivial scenario and checks the answer is one a
// harness may give to a valid scenario: completed with the value 1, or
// unsupported with a reason.
func (c *conn) answersTrivial(after string) {
	c.t.Helper()
	res := c.run(trivial())
	switch state(res) {
	case "completed":
		c.checkOne(res, after)
	case "unsupported":
		c.checkUnsupportedAnswer(res, after+": the trivial scenario (observe 1)")
	default:
		c.t.Fatalf("%s: the trivial scenario (observe 1) gave state %q (reason %v), want completed or unsupported", after, state(res), res["reason"])
	}
}

// checkUnsupportedAnswer checks an unsupported result says why: a reason,
// and missing, if present, an array of strings.
func (c *conn) checkUnsupportedAnswer(res map[string]any, what string) {
	c.t.Helper()
	if r, _ := res["reason"].(string); r == "" {
		c.t.Errorf("%s: unsupported without a reason", what)
	}
	if m, ok := res["missing"]; ok && m != nil {
		if xs, ok := m.([]any); !ok || len(strs(m)) != len(xs) {
			c.t.Errorf("%s: missing is %v, want an array of strings", what, m)
		}
	}
}

// checkOne checks a completed result of the trivial scenario.
func (c *conn) checkOne(res map[string]any, after string) {
	c.t.Helper()
	raw, _ := json.Marshal(res["observations"])
	obs, err := scenario.DecodeObservations(raw)
	if err != nil {
		c.t.Fatalf("%s: observations do not decode: %v: %s", after, err, raw)
	}
	if len(obs) != 1 || obs[0].Kind != scenario.ObservedValue || !obs[0].Value.Equal(scenario.V(1)) {
		c.t.Fatalf("%s: the trivial scenario observed %v, want [value 1]", after, obs)
	}
}

func checkHello(t *testing.T, c *conn) {
	h := c.hello
	v, _ := h["protocol"].(json.Number)
	if f, err := v.Float64(); err != nil || (f != 1 && f != 2) {
		t.Errorf("protocol is %v, want the number 2 (or 1, which aiterspec still accepts)", h["protocol"])
	}
	for _, part := range []string{"implementation", "language"} {
		o, ok := h[part].(map[string]any)
		if !ok {
			t.Errorf("%s: want an object with name and version, got %v", part, h[part])
			continue
		}
		for _, f := range []string{"name", "version"} {
			if s, ok := o[f].(string); !ok || s == "" {
				t.Errorf("%s.%s: want a non-empty string, got %v", part, f, o[f])
			}
		}
	}
	known := make([]string, len(scenario.Capabilities))
	for i, c := range scenario.Capabilities {
		known[i] = string(c)
	}
	checkNames(t, h, "capabilities", known, true)
	checkNames(t, h, "options", Options, false)
	t.Logf("hello: %v", h)
}

// checkNames checks an array of names in the hello: strings, each known
// and announced once.
func checkNames(t *testing.T, h map[string]any, field string, known []string, required bool) {
	t.Helper()
	raw, present := h[field]
	if !present && !required {
		return
	}
	xs, ok := raw.([]any)
	if !ok {
		t.Errorf("%s: want an array of strings, got %v", field, raw)
		return
	}
	seen := map[string]bool{}
	for i, x := range xs {
		s, ok := x.(string)
		switch {
		case !ok:
			t.Errorf("%s[%d]: want a string, got %v", field, i, x)
		case !slices.Contains(known, s):
			t.Errorf("%s[%d]: unknown name %q (known: %s)", field, i, s, strings.Join(known, ", "))
		case seen[s]:
			t.Errorf("%s[%d]: %q announced twice", field, i, s)
		}
		seen[s] = true
	}
}

// checkIDs: every request gets one result with its id, whatever the id
// holds (ids are opaque strings).
func checkIDs(t *testing.T, c *conn) {
	c.answersTrivial("first run")
	for _, id := range []string{"17", "x y \"z\" \\ é 🙂", ""} {
		res := c.runWithID(id, trivial())
		if st := state(res); st != "completed" && st != "unsupported" {
			t.Errorf("run with id %q: state %q, want completed or unsupported", id, st)
		}
	}
}

func checkRun(t *testing.T, c *conn) {
	c.checkTrivial("first run")
	c.checkTrivial("second run")
}

// probes are valid scenarios using a range of constructs. A harness must
// answer each completed or unsupported (never error, never crash): this is
// the rule that lets a partial harness run the whole suite.
func probes() []*scenario.Scenario {
	return []*scenario.Scenario{
		{ID: "PT-PROBE-SYNC", Mode: scenario.SyncMode, Module: []scenario.Stmt{
			scenario.Class("Box",
				scenario.Let("size", scenario.Lit(2)),
				scenario.Def("twice", scenario.Return(scenario.BinOp(scenario.Var("n"), "*", scenario.Lit(2)))).WithParams("n")),
		}, Main: []scenario.Stmt{
			scenario.Let("b", scenario.Call("Box")),
			scenario.Observe(scenario.Method(scenario.Var("b"), "twice", scenario.Lit(21))),
			scenario.Observe(scenario.Attr(scenario.Var("b"), "size")),
			scenario.For("i", scenario.Call("range", scenario.Lit(2)), scenario.Emit("i", scenario.Var("i"))).WithElse(scenario.Emit("done")),
			scenario.Try(scenario.Raise(scenario.Exc("KeyError", "k"))).Except("KeyError", "e", scenario.Observe(scenario.TypeName(scenario.Var("e")))).WithFinally(scenario.Emit("finally")),
			scenario.Observe(scenario.Lit(scenario.VDict("a", scenario.VSet(1, 2)))),
			scenario.Del("b"),
		}},
		{ID: "PT-PROBE-AGEN", Needs: []scenario.Capability{scenario.CapAsyncGenerators}, Module: []scenario.Stmt{
			scenario.AsyncDef("gen", scenario.Try(scenario.YieldEach(1, 2, 3)).WithFinally(scenario.Emit("closed"))),
		}, Main: []scenario.Stmt{
			scenario.AsyncFor("x", scenario.Call("gen"), scenario.Observe(scenario.Var("x")), scenario.If(scenario.BinOp(scenario.Var("x"), "==", scenario.Lit(2)), scenario.Break())).WithElse(scenario.Emit("else")),
			scenario.Let("g", scenario.Call("gen")),
			scenario.Observe(scenario.Await(scenario.ANext(scenario.Var("g")))),
			scenario.Observe(scenario.Await(scenario.ANext(scenario.Var("g"), scenario.Lit("default")))),
		}},
		{ID: "PT-PROBE-METHODS", Needs: []scenario.Capability{scenario.CapAsyncGenerators, scenario.CapAsyncGenMethods}, Module: []scenario.Stmt{
			scenario.AsyncDef("echo", scenario.Let("got", scenario.YieldValue(scenario.Lit(0))), scenario.Yield(scenario.Var("got"))),
		}, Main: []scenario.Stmt{
			scenario.Let("g", scenario.Call("echo")),
			scenario.Observe(scenario.Await(scenario.Method(scenario.Var("g"), "asend", scenario.Lit(nil)))),
			scenario.Observe(scenario.Await(scenario.Method(scenario.Var("g"), "asend", scenario.Lit("hi")))),
			scenario.Do(scenario.Await(scenario.Method(scenario.Var("g"), "athrow", scenario.Exc("ValueError", "v")))),
			scenario.Do(scenario.Await(scenario.Method(scenario.Var("g"), "aclose"))),
		}},
		{ID: "PT-PROBE-COMPREHENSION", Needs: []scenario.Capability{scenario.CapAsyncGenerators, scenario.CapAsyncComprehensions}, Module: []scenario.Stmt{
			scenario.AsyncDef("gen", scenario.YieldEach(1, 2)),
		}, Main: []scenario.Stmt{
			scenario.Observe(scenario.Comprehension(scenario.ListForm, scenario.Var("x"), scenario.AsyncClause("x", scenario.Call("gen")))),
		}},
		{ID: "PT-PROBE-COMPILE", Needs: []scenario.Capability{scenario.CapCompile}, Main: []scenario.Stmt{
			scenario.Observe(scenario.Compile(scenario.AsyncFor("x", scenario.Var("y"), scenario.Pass()))),
		}},
		{ID: "PT-PROBE-TASKS", Needs: []scenario.Capability{scenario.CapTasks}, Main: []scenario.Stmt{
			scenario.Observe(scenario.Await(scenario.Call("asyncio.gather", scenario.FutureResult(scenario.Lit(1)), scenario.Sleep(0)))),
		}},
		{ID: "PT-PROBE-SOURCE", Needs: []scenario.Capability{scenario.CapSource}, Mode: scenario.SourceMode,
			Source: "print('hello from source')\nraise ValueError('end')\n"},
	}
}

// checkUnsupported: a scenario needing a capability the hello did not
// announce is unsupported, and missing names it.
func checkUnsupported(t *testing.T, c *conn) {
	announced := 0
	for _, capability := range scenario.Capabilities {
		if slices.Contains(c.caps, string(capability)) {
			announced++
			continue
		}
		s := trivial()
		s.ID = "PT-NEEDS-" + strings.ToUpper(string(capability))
		s.Needs = []scenario.Capability{capability}
		res := c.run(s)
		if state(res) != "unsupported" {
			t.Errorf("a scenario needing %q, which the harness did not announce: state %q (reason %v), want unsupported", capability, state(res), res["reason"])
			continue
		}
		c.checkUnsupportedAnswer(res, "unsupported for lack of "+string(capability))
		if missing, _ := res["missing"].([]any); !slices.Contains(missing, any(string(capability))) {
			t.Errorf("unsupported for lack of %q: missing is %v, want it to name %q", capability, res["missing"], capability)
		}
	}
	if announced == len(scenario.Capabilities) {
		t.Logf("the harness announces every capability: no unannounced capability to check")
	}
	c.answersTrivial("after the unsupported scenarios")
}

// checkProbes: valid scenarios of every kind complete or are unsupported.
func checkProbes(t *testing.T, c *conn) {
	for _, s := range probes() {
		res := c.run(s)
		switch st := state(res); st {
		case "completed":
			if len(s.Missing(capabilities(c.caps))) > 0 {
				t.Errorf("%s needs %v, which the harness lacks, but completed", s.ID, s.Missing(capabilities(c.caps)))
			}
		case "unsupported":
			c.checkUnsupportedAnswer(res, s.ID)
		default:
			t.Errorf("%s (a valid scenario): state %q (reason %v), want completed or unsupported", s.ID, st, res["reason"])
		}
		t.Logf("%s: %s %v", s.ID, state(res), cmpOr(res["reason"], res["observations"]))
	}
	c.checkTrivial("after the probes")
}

// checkCrashIsolated: aiterspec may run a second harness beside the first
// (a spare started ahead) and kills a harness that crashed or hung; one
// harness's end must not disturb another (a shared file, port or lock
// would), and a new one must announce the same hello.
func checkCrashIsolated(t *testing.T, c *conn) {
	c.answersTrivial("the first harness")
	other := start(t, c.cmd)
	other.answersTrivial("a second harness beside the first")
	syscall.Kill(-c.proc.Process.Pid, syscall.SIGKILL)
	if !c.waitExit(2 * time.Second) {
		t.Fatal("the first harness survived SIGKILL to its process group")
	}
	other.answersTrivial("the second harness after the first was killed")
	third := start(t, c.cmd)
	a, _ := json.Marshal(other.hello)
	b, _ := json.Marshal(third.hello)
	if string(a) != string(b) {
		t.Errorf("a restarted harness must announce the same hello:\n  first:  %s\n  second: %s", a, b)
	}
	third.answersTrivial("a third harness")
}

func cmpOr(a, b any) any {
	if a != nil {
		return a
	}
	return b
}

func capabilities(names []string) []scenario.Capability {
	out := make([]scenario.Capability, len(names))
	for i, n := range names {
		out[i] = scenario.Capability(n)
	}
	return out
}

func checkMalformed(t *testing.T, c *conn) {
	if !c.validates() {
		t.Skip("the hello does not have the option \"validates\": aiterspec checks every scenario before sending it, and the harness may trust them")
	}
	for _, tc := range []struct {
		scenario string
		path     string
	}{
		{`{"id":"PT-BAD-KIND","main":[{"kind":"pass"},{"kind":"anxt"}]}`, "main[1].kind"},
		{`{"id":"PT-BAD-FIELD","main":[{"kind":"observe","expr":{"kind":"lit","value":1}},{"kind":"let","name":"x"}]}`, "main[1].expr"},
		{`{"id":"PT-BAD-EXPR","module":[{"kind":"def","name":"f","async":true,"body":[{"kind":"observe","expr":{"kind":"lit","vaule":1}}]}]}`, "module[0].body[0].expr"},
	} {
		res := c.run(json.RawMessage(tc.scenario))
		if state(res) != "error" {
			t.Errorf("malformed scenario %s: state %q, want error", tc.scenario, state(res))
			continue
		}
		if r, _ := res["reason"].(string); !strings.Contains(r, tc.path) {
			t.Errorf("malformed scenario %s: reason %q does not name the JSON path %s", tc.scenario, r, tc.path)
		}
	}
	c.answersTrivial("after malformed scenarios")
}

func checkBadInput(t *testing.T, c *conn) {
	for _, tc := range []struct{ line, mention string }{
		{"this is not JSON", ""},
		{`{"type": "run", "id": "1", `, ""},
		{`[1, 2, 3]`, ""},
		{`"run"`, ""},
		{`{"type": "frobnicate", "id": "1"}`, "frobnicate"},
	} {
		c.send(tc.line)
		res := c.recv(c.cmd.ResponseTimeout, fmt.Sprintf("the answer to %q", tc.line))
		if res["type"] != "error" {
			t.Errorf("line %q: got %v, want {\"type\": \"error\", ...}", tc.line, res)
			continue
		}
		r, _ := res["reason"].(string)
		if r == "" {
			t.Errorf("line %q: error without a reason", tc.line)
		}
		if !strings.Contains(r, tc.mention) {
			t.Errorf("line %q: reason %q does not name %q", tc.line, r, tc.mention)
		}
	}
	c.answersTrivial("after bad input")
}

func checkStrayOutput(t *testing.T, c *conn) {
	if !slices.Contains(c.caps, string(scenario.CapSource)) {
		t.Skip("the harness does not run source mode, the only way a scenario prints")
	}
	s := &scenario.Scenario{
		ID: "PT-STRAY", Mode: scenario.SourceMode, Needs: []scenario.Capability{scenario.CapSource},
		Source: "import os, sys\nprint('printed')\nsys.stdout.flush()\nos.write(1, b'written to fd 1\\n')\nsys.__stdout__.write('to sys.__stdout__\\n')\nsys.__stdout__.flush()\n",
	}
	// run reads the very next line, so any stray output fails it.
	res := c.run(s)
	if state(res) != "completed" {
		t.Fatalf("state %q (reason %v), want completed", state(res), res["reason"])
	}
	raw, _ := json.Marshal(res["observations"])
	obs, err := scenario.DecodeObservations(raw)
	if err != nil {
		t.Fatalf("observations: %v", err)
	}
	found := false
	for _, o := range obs {
		if o.Kind == scenario.ObservedEvent && o.Event == "stdout" && o.Value != nil && o.Value.Equal(scenario.V("printed")) {
			found = true
		}
	}
	if !found {
		t.Errorf("observations %v lack event stdout 'printed'", obs)
	}
	c.checkTrivial("after printing")
	// Anything printed late would be waiting now.
	select {
	case line, ok := <-c.lines:
		if ok {
			t.Errorf("stray line on stdout: %s", quote(line))
		}
	case <-time.After(100 * time.Millisecond):
	}
}

func checkShutdown(t *testing.T, c *conn) {
	c.answersTrivial("before shutdown")
	c.send(`{"type": "shutdown"}`)
	deadline := time.After(2 * time.Second)
wait:
	for {
		select {
		case line, ok := <-c.lines:
			if ok {
				t.Errorf("output after shutdown: %s", quote(line))
				continue
			}
			if !c.waitExit(2 * time.Second) {
				t.Fatalf("closed stdout but did not exit within 2 s of shutdown")
			}
			break wait
		case <-c.exited:
			break wait
		case <-deadline:
			t.Fatalf("did not exit within 2 s of shutdown\n%s", c.stderrTail())
		}
	}
	if c.waitExit(time.Second); c.state.ExitCode() != 0 {
		t.Errorf("exit after shutdown: %s, want exit status 0\n%s", c.state, c.stderrTail())
	}
}

func checkEOF(t *testing.T, c *conn) {
	c.answersTrivial("before EOF")
	c.stdin.Close()
	if !c.waitExit(2 * time.Second) {
		t.Fatalf("did not exit within 2 s of the end of its standard input\n%s", c.stderrTail())
	}
	if c.state.ExitCode() != 0 {
		t.Logf("exit at EOF: %s", c.state)
	}
}
