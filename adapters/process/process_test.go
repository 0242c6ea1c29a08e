package process

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/scenario"
)

// fake describes a fake harness under test and remembers every process
// group it started, so that the test can check none is left.
type fake struct {
	t      *testing.T
	mu     sync.Mutex
	groups []int
	cfg    Config
}

func newFake(t *testing.T, mode string) *fake {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	f := &fake{t: t}
	f.cfg = Config{
		Name: "fake",
		Argv: []string{exe},
		// GORACE: under -race the fake would sleep 1 s at exit.
		Env: append(os.Environ(), fakeEnv+"="+mode, "GORACE=atexit_sleep_ms=0"),
		// Generous limits: a test that is not about a limit must not fail
		// because the machine is loaded; one that is sets its own.
		ScenarioTimeout: 20 * time.Second,
		StartTimeout:    60 * time.Second,
		onStart: func(pgid int) {
			f.mu.Lock()
			f.groups = append(f.groups, pgid)
			f.mu.Unlock()
		},
	}
	t.Cleanup(f.checkGone)
	return f
}

func (f *fake) starts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.groups)
}

// open opens the fake and closes it at the end of the test.
func (f *fake) open() *Client {
	f.t.Helper()
	c, err := Open(f.cfg)
	if err != nil {
		f.t.Fatalf("Open: %v", err)
	}
	f.t.Cleanup(func() { c.Close() })
	return c
}

// checkGone fails the test if a process of any group the fake started is
// still alive.
func (f *fake) checkGone() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, pgid := range f.groups {
		if alive := groupAlive(pgid); len(alive) > 0 {
			f.t.Errorf("process group %d still has live processes: %v", pgid, alive)
		}
	}
}

// groupAlive returns the live (not zombie) processes of a process group,
// waiting up to 20 s (a loaded machine) for them to go. Zombies do not count: whoever inherits
// an orphan reaps it in its own time.
func groupAlive(pgid int) []string {
	var alive []string
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if err := syscall.Kill(-pgid, 0); errors.Is(err, syscall.ESRCH) {
			return nil
		}
		alive = alive[:0]
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			if _, err := strconv.Atoi(e.Name()); err != nil {
				continue
			}
			stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
			if err != nil {
				continue
			}
			// pid (comm) state ppid pgrp ...; comm may hold spaces.
			rest := string(stat[strings.LastIndexByte(string(stat), ')')+2:])
			fields := strings.Fields(rest)
			if len(fields) >= 3 && fields[2] == strconv.Itoa(pgid) && fields[0] != "Z" {
				alive = append(alive, e.Name()+":"+fields[0])
			}
		}
		if len(alive) == 0 || time.Now().After(deadline) {
			return alive
		}
	}
}

func sc(id string) *scenario.Scenario {
	return &scenario.Scenario{ID: id, Main: []scenario.Stmt{scenario.Pass()}}
}

func run(t *testing.T, c *Client, id string) adapters.Result {
	t.Helper()
	return c.Run(context.Background(), sc(id))
}

// wantState checks a result's state and that its Reason holds every
// fragment.
func wantState(t *testing.T, r adapters.Result, state adapters.State, fragments ...string) {
	t.Helper()
	if r.State != state {
		t.Fatalf("state %s, want %s; reason:\n%s", r.State, state, r.Reason)
	}
	for _, f := range fragments {
		if !strings.Contains(r.Reason, f) {
			t.Errorf("reason lacks %q:\n%s", f, r.Reason)
		}
	}
}

// wantOK checks a completed scenario of the fake ("ok" scenarios observe
// "<request id>:<scenario id>").
func wantOK(t *testing.T, c *Client, id string) string {
	t.Helper()
	r := run(t, c, id)
	wantState(t, r, adapters.Completed)
	if len(r.Observations) != 1 || r.Observations[0].Value == nil {
		t.Fatalf("observations %v", r.Observations)
	}
	got := r.Observations[0].Value.Str
	if !strings.HasSuffix(got, ":"+id) {
		t.Fatalf("observed %q, want the scenario id %q", got, id)
	}
	return got
}

func TestHandshakeAndRun(t *testing.T) {
	f := newFake(t, "ok")
	c := f.open()
	info := c.Info()
	if info.Name != "fake" || info.Version != "1" || info.Language != "python" || info.LanguageVersion != "3.11.0" ||
		len(info.Capabilities) != 1 || info.Capabilities[0] != scenario.CapAsyncGenerators {
		t.Fatalf("info %+v", info)
	}
	seen := map[string]bool{}
	for range 3 {
		got := wantOK(t, c, "ok")
		reqID, _, _ := strings.Cut(got, ":")
		if seen[reqID] {
			t.Errorf("request id %s used twice", reqID)
		}
		seen[reqID] = true
	}
	if f.starts() != 1 {
		t.Errorf("%d harnesses started for 3 scenarios, want 1", f.starts())
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	wantState(t, run(t, c, "ok"), adapters.Errored, "closed")
}

func TestUnsupportedCapabilityIsNotSent(t *testing.T) {
	f := newFake(t, "ok")
	c := f.open()
	s := sc("ok")
	s.Needs = []scenario.Capability{scenario.CapAsyncGenerators, scenario.CapANextBuiltin, scenario.CapCompile}
	// The fake answers state error to any scenario with needs: Unsupported
	// here shows it never got it.
	wantState(t, c.Run(context.Background(), s), adapters.Unsupported, "fake 1 (python 3.11.0) does not announce capabilities the scenario needs (missing: anext-builtin, compile)")
	wantOK(t, c, "ok")
}

func TestHarnessAnswers(t *testing.T) {
	f := newFake(t, "ok")
	c := f.open()
	wantState(t, run(t, c, "unsupported"), adapters.Unsupported, "no frobs here (missing: frobs)")
	wantState(t, run(t, c, "harness-error"), adapters.Errored, `main[2].kind: unknown statement "anxt"`)
	wantState(t, run(t, c, "badobs"), adapters.Errored, "observations[1].kind", `unknown observation "vaule"`)
	wantOK(t, c, "ok")
	if f.starts() != 1 {
		t.Errorf("the harness was restarted (%d starts); answers that keep the protocol must not restart it", f.starts())
	}
}

func TestCrashExitStatus(t *testing.T) {
	f := newFake(t, "ok")
	c := f.open()
	wantOK(t, c, "ok")
	wantState(t, run(t, c, "exit:3"), adapters.Errored, "exited with status 3 after its result to the previous request, without answering this scenario", "fake: exiting with status 3")
	wantOK(t, c, "ok")
	if f.starts() != 2 {
		t.Errorf("%d starts, want 2", f.starts())
	}
}

func TestCrashSignal(t *testing.T) {
	f := newFake(t, "ok")
	c := f.open()
	r := run(t, c, "segv")
	wantState(t, r, adapters.Errored, "killed by signal 11 (SIGSEGV)", "Fatal Python error: Segmentation fault (pretend)")
	t.Logf("reason:\n%s", r.Reason)
	wantOK(t, c, "ok")
}

func TestHang(t *testing.T) {
	f := newFake(t, "ok")
	f.cfg.ScenarioTimeout = 2 * time.Second // short, yet ample for the answers that follow
	c := f.open()
	start := time.Now()
	wantState(t, run(t, c, "hang"), adapters.Errored, "timed out after 2s", "fake: hanging")
	// Reported at the limit, not after some other wait (the shutdown
	// grace, say); bounded loosely for a loaded machine.
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("the hang took %s to report", d)
	}
	if alive := groupAlive(f.groups[0]); len(alive) > 0 {
		t.Errorf("the hung harness's group survives: %v", alive)
	}
	wantOK(t, c, "ok")
	wantOK(t, c, "slow:200") // under the limit
}

var childPid = regexp.MustCompile(`child pid (\d+)`)

func TestHangWithChild(t *testing.T) {
	f := newFake(t, "ok")
	f.cfg.ScenarioTimeout = 2 * time.Second
	c := f.open()
	r := run(t, c, "hang-child")
	wantState(t, r, adapters.Errored, "timed out")
	m := childPid.FindStringSubmatch(r.Reason)
	if m == nil {
		t.Fatalf("no child pid in the stderr tail:\n%s", r.Reason)
	}
	if alive := groupAlive(f.groups[0]); len(alive) > 0 {
		t.Errorf("the harness's child (pid %s) survives: %v", m[1], alive)
	}
	wantOK(t, c, "ok")
}

func TestExitLeavingChild(t *testing.T) {
	// The child keeps stdout open, so no EOF comes: the exit alone must be
	// noticed, and the child killed with the group.
	f := newFake(t, "ok")
	c := f.open()
	start := time.Now()
	wantState(t, run(t, c, "exit-child"), adapters.Errored, "exited with status 5", "child pid")
	// Not at the scenario limit (20 s): bounded loosely for a loaded machine.
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the crash took %s to report", d)
	}
	if alive := groupAlive(f.groups[0]); len(alive) > 0 {
		t.Errorf("the harness's child survives: %v", alive)
	}
	wantOK(t, c, "ok")
}

func TestProtocolViolations(t *testing.T) {
	f := newFake(t, "ok")
	c := f.open()
	for _, tc := range []struct {
		id        string
		fragments []string
	}{
		{"garbage", []string{"protocol violation", "not JSON", `"Traceback (most recent call last): oops"`}},
		{"garbage-long", []string{"protocol violation", `"` + strings.Repeat("x", 200) + `" (cut to 200 of 1000 bytes)`}},
		{"nonobject", []string{"not an object", `"[1, 2, 3]"`}},
		{"wrongtype", []string{`expected a result, got a message of type "hello"`}},
		{"wrongid", []string{`id "999"`}},
		{"badstate", []string{`unknown result state "exploded"`}},
		{"nonutf8", []string{"not valid UTF-8", `caf\xe9\xff`}},
		{"unterminated-exit", []string{"exited with status 2", `unterminated line "{\"type\":\"result\"`}},
	} {
		t.Run(tc.id, func(t *testing.T) {
			r := run(t, c, tc.id)
			wantState(t, r, adapters.Errored, tc.fragments...)
			if strings.Contains(r.Reason, strings.Repeat("x", 201)) {
				t.Errorf("the quote is not cut to 200 bytes")
			}
			wantOK(t, c, "ok")
		})
	}
}

func TestLongLines(t *testing.T) {
	f := newFake(t, "ok")
	f.cfg.ScenarioTimeout = 20 * time.Second // moving 15 MiB is slow on a loaded machine; the point is the limit
	c := f.open()
	r := run(t, c, "long-under")
	wantState(t, r, adapters.Completed)
	if len(r.Observations) != 1 || len(r.Observations[0].Value.Str) != 6<<20 {
		t.Fatalf("the 6 MiB value did not arrive whole")
	}
	r = run(t, c, "long-over")
	wantState(t, r, adapters.Errored, "longer than the 8388608-byte limit", `"{\"type\":\"result\"`)
	if len(r.Reason) > 2000 {
		t.Errorf("reason of %d bytes: the quote is not cut", len(r.Reason))
	}
	wantOK(t, c, "ok")
}

func TestStderrFlood(t *testing.T) {
	f := newFake(t, "ok")
	f.cfg.ScenarioTimeout = 20 * time.Second // the point is not blocking, not speed (-race is slow)
	c := f.open()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	// 40 MiB of stderr before the result: with a pipe left undrained the
	// harness would block after 64 KiB and time out.
	wantOK(t, c, "flood")
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
		t.Errorf("reading 40 MiB of stderr allocated %d MiB", grew>>20)
	}
	r := run(t, c, "flood-exit")
	wantState(t, r, adapters.Errored, "exited with status 1", "fake: the last words", "the last one", "fake: flood line", "MiB):")
	if len(r.Reason) > 5<<10 {
		t.Errorf("reason of %d bytes; the stderr tail must be capped", len(r.Reason))
	}
	if n := strings.Count(r.Reason, "\n  | "); n > tailLines {
		t.Errorf("%d stderr lines shown, want at most %d", n, tailLines)
	}
	t.Logf("reason:\n%s", r.Reason)
	wantOK(t, c, "ok")
}

func TestFloodBeforeHello(t *testing.T) {
	f := newFake(t, "flood-start")
	c := f.open()
	wantOK(t, c, "ok")
}

func TestOpenErrors(t *testing.T) {
	for _, tc := range []struct {
		mode      string
		fragments []string
	}{
		{"proto3", []string{"harness speaks protocol 3; this aiterspec speaks protocol 2 (and accepts 1)"}},
		{"exit-early", []string{"exited with status 4 before its hello", "cannot start: missing libfoo.so.1"}},
		{"no-hello", []string{"sent no hello within", "fake: thinking..."}},
		{"banner", []string{"did not start with a hello", `"Welcome to FakePython 1.0!"`}},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			f := newFake(t, tc.mode)
			cleaned := false
			f.cfg.Cleanup = func() { cleaned = true }
			var err error
			if tc.mode != "no-hello" {
				_, err = Open(f.cfg)
			}
			// no-hello never sends one: it meets the start-up limit, which
			// is short, and longer only when the fake had not even written
			// its stderr line by then (a loaded machine).
			for limit := 500 * time.Millisecond; tc.mode == "no-hello" && limit <= 32*time.Second; limit *= 4 {
				f.cfg.StartTimeout = limit
				_, err = Open(f.cfg)
				if err == nil || strings.Contains(err.Error(), "fake: thinking...") {
					break
				}
				t.Logf("within %s: %v", limit, err)
			}
			if err == nil {
				t.Fatal("Open succeeded")
			}
			for _, frag := range tc.fragments {
				if !strings.Contains(err.Error(), frag) {
					t.Errorf("error lacks %q:\n%v", frag, err)
				}
			}
			if !cleaned {
				t.Error("Cleanup did not run")
			}
		})
	}
	t.Run("not-found", func(t *testing.T) {
		_, err := Open(Config{Name: "nope", Argv: []string{"aiterspec-no-such-interpreter"}, Install: `install it with "apt-get install -y nope"`})
		if err == nil || !strings.Contains(err.Error(), "cannot start the harness aiterspec-no-such-interpreter") ||
			!strings.Contains(err.Error(), `install it with "apt-get install -y nope"`) {
			t.Fatalf("error: %v", err)
		}
	})
	t.Run("shell-not-found", func(t *testing.T) {
		_, err := Open(Config{Name: "exec", Argv: []string{"/bin/sh", "-c", "exec aiterspec-no-such-command"}})
		if err == nil || !strings.Contains(err.Error(), "status 127: the shell did not find the command") {
			t.Fatalf("error: %v", err)
		}
	})
}

func TestSlowStart(t *testing.T) {
	f := newFake(t, "slow-start")
	c := f.open()
	wantOK(t, c, "ok")
}

func TestRestartPolicy(t *testing.T) {
	t.Run("crash every time", func(t *testing.T) {
		f := newFake(t, "ok")
		c := f.open()
		for range 3 {
			wantState(t, run(t, c, "segv"), adapters.Errored, "SIGSEGV")
		}
		wantOK(t, c, "ok") // a result resets the count
		// One crash on the harness that answered, then five restarts that
		// crash too.
		for range 6 {
			wantState(t, run(t, c, "segv"), adapters.Errored, "SIGSEGV")
		}
		starts := f.starts()
		wantState(t, run(t, c, "ok"), adapters.Errored, "gave up on the harness after 5 restarts in a row", "SIGSEGV")
		wantState(t, run(t, c, "ok"), adapters.Errored, "gave up")
		if f.starts() != starts {
			t.Errorf("started again after giving up")
		}
	})
	t.Run("cannot restart", func(t *testing.T) {
		f := newFake(t, "restart-fails")
		count := filepath.Join(t.TempDir(), "count")
		f.cfg.Env = append(f.cfg.Env, fakeCountEnv+"="+count)
		c := f.open()
		wantState(t, run(t, c, "exit:1"), adapters.Errored, "exited with status 1")
		for i := 1; i <= 5; i++ {
			wantState(t, run(t, c, "ok"), adapters.Errored, "could not restart the harness (restart "+strconv.Itoa(i)+" of 5)", "cannot start again")
		}
		wantState(t, run(t, c, "ok"), adapters.Errored, "gave up", "cannot start again")
		if f.starts() != 6 {
			t.Errorf("%d starts, want 6 (the first and 5 restarts)", f.starts())
		}
	})
	t.Run("identity change", func(t *testing.T) {
		f := newFake(t, "identity")
		f.cfg.Env = append(f.cfg.Env, fakeCountEnv+"="+filepath.Join(t.TempDir(), "count"))
		c := f.open()
		wantState(t, run(t, c, "exit:1"), adapters.Errored, "exited with status 1")
		wantState(t, run(t, c, "ok"), adapters.Errored, "the restarted harness announced fake 2")
	})
}

func TestExitAfterResult(t *testing.T) {
	f := newFake(t, "ok")
	c := f.open()
	wantOK(t, c, "result-exit")
	// Whether the exit is seen before or after the next request is sent,
	// the next scenario is errored, and the one after runs.
	wantState(t, run(t, c, "ok"), adapters.Errored, "exited with status 0")
	wantOK(t, c, "ok")
	if f.starts() != 2 {
		t.Errorf("%d starts, want 2", f.starts())
	}
}

func TestStrayLineBetweenScenarios(t *testing.T) {
	f := newFake(t, "ok")
	c := f.open()
	wantOK(t, c, "stray-after")
	wantState(t, run(t, c, "ok"), adapters.Errored, `"stray output"`)
	wantOK(t, c, "ok")
}

func TestHarnessNotReadingStdin(t *testing.T) {
	f := newFake(t, "ok")
	f.cfg.ScenarioTimeout = 2 * time.Second
	c := f.open()
	wantOK(t, c, "no-read")
	big := sc("ok")
	big.Title = strings.Repeat("t", 1<<20) // more than a pipe holds
	start := time.Now()
	wantState(t, c.Run(context.Background(), big), adapters.Errored, "timed out after 2s", "did not read the request")
	if d := time.Since(start); d > 15*time.Second { // not blocked on the write
		t.Errorf("took %s", d)
	}
	wantOK(t, c, "ok")
}

func TestClose(t *testing.T) {
	t.Run("clean", func(t *testing.T) {
		f := newFake(t, "ok")
		f.cfg.ShutdownGrace = time.Minute // an error would mean the harness was killed
		c := f.open()
		wantOK(t, c, "ok")
		start := time.Now()
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 15*time.Second { // it exits on shutdown: Close does not wait out the grace
			t.Errorf("Close took %s", d)
		}
	})
	t.Run("ignores shutdown", func(t *testing.T) {
		f := newFake(t, "ignore-shutdown")
		f.cfg.ShutdownGrace = 300 * time.Millisecond
		cleaned := false
		f.cfg.Cleanup = func() { cleaned = true }
		c := f.open()
		err := c.Close()
		if err == nil || !strings.Contains(err.Error(), "did not exit within 300ms of shutdown") {
			t.Fatalf("Close: %v", err)
		}
		if !cleaned {
			t.Error("Cleanup did not run")
		}
	})
	t.Run("during a run", func(t *testing.T) {
		f := newFake(t, "ok")
		f.cfg.ScenarioTimeout = time.Minute
		c := f.open()
		done := make(chan adapters.Result)
		go func() { done <- run(t, c, "hang") }()
		time.Sleep(200 * time.Millisecond)
		c.Close()
		select {
		case r := <-done:
			wantState(t, r, adapters.Errored, "closed")
		case <-time.After(30 * time.Second): // well before the scenario limit
			t.Fatal("Run did not return after Close")
		}
	})
}

func TestContextCancel(t *testing.T) {
	f := newFake(t, "ok")
	f.cfg.ScenarioTimeout = 10 * time.Second
	c := f.open()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	wantState(t, c.Run(ctx, sc("hang")), adapters.Errored, "cancelled", "deadline exceeded")
	wantState(t, c.Run(ctx, sc("ok")), adapters.Errored, "not run")
	wantOK(t, c, "ok")
}

func TestReadLine(t *testing.T) {
	// A tiny cap exercises the same code as the real one.
	for _, tc := range []struct {
		in       string
		max      int
		want     []string
		tooLong  bool
		trailing string
	}{
		{in: "ab\ncd\n", max: 2, want: []string{"ab", "cd"}},
		{in: "abc\n", max: 2, tooLong: true},
		{in: "ab\nc", max: 2, want: []string{"ab"}, trailing: "c"},
	} {
		br := newReader(tc.in)
		var got []string
		for {
			line, _, err := readLine(br, tc.max)
			if err != nil {
				var tl *lineTooLongError
				if errors.As(err, &tl) != tc.tooLong {
					t.Errorf("%q: err %v", tc.in, err)
				}
				if !tc.tooLong && string(line) != tc.trailing {
					t.Errorf("%q: trailing %q", tc.in, line)
				}
				break
			}
			got = append(got, string(line))
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%q: lines %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTailBuffer(t *testing.T) {
	var tb tailBuffer
	if got := tb.render(); got != "\nstderr: (empty)" {
		t.Errorf("empty: %q", got)
	}
	tb.Write([]byte("one\ntwo\n"))
	if got := tb.render(); got != "\nstderr:\n  | one\n  | two" {
		t.Errorf("short: %q", got)
	}
	for i := range 100000 {
		tb.Write([]byte("line " + strconv.Itoa(i) + "\n"))
	}
	got := tb.render()
	if len(tb.buf) > tailKeep || !strings.HasSuffix(got, "\n  | line 99999") || strings.Count(got, "\n  | ") != tailLines {
		t.Errorf("long: %d bytes kept, rendered %q", len(tb.buf), got)
	}
	tb.Write([]byte(strings.Repeat("z", 100000) + "\xff"))
	if got := tb.render(); len(got) > tailBytes+200 || !strings.Contains(got, "\uFFFD") {
		t.Errorf("one huge line: %d bytes rendered", len(got))
	}
}

func TestFormatArgv(t *testing.T) {
	got := formatArgv([]string{"/bin/sh", "-c", "exec node it's.mjs", ""})
	if want := `/bin/sh -c 'exec node it'\''s.mjs' ''`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func newReader(s string) *bufio.Reader { return bufio.NewReaderSize(strings.NewReader(s), 16) }
