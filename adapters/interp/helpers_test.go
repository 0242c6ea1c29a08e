package interp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/interp"
	_ "github.com/aiterspec/aiterspec/adapters/python"
	. "github.com/aiterspec/aiterspec/scenario"
)

// A case is a scenario and what running it must observe (want), or the
// state and reason it must end with instead.
type tcase struct {
	name  string
	sc    Scenario
	want  []Observation
	state adapters.State // Completed when empty
	// notCPython skips the CPython cross-check: the expectation is the
	// reference's deliberate behaviour (documented where the case is).
	notCPython bool
}

func (c tcase) wantState() adapters.State {
	if c.state == "" {
		return adapters.Completed
	}
	return c.state
}

// run runs every case on the reference adapter and checks what it
// observes; the same expectations are then checked on CPython (through
// the Python harness) when python3 is available, so that every
// expectation here is CPython 3.11's, not just the reference's.
func run(t *testing.T, cases []tcase) {
	t.Helper()
	// The limit only stops a hang: runaway recursion to the depth limit
	// takes seconds on a loaded machine, so it is generous.
	ref := interp.New(interp.DefaultOps(), adapters.Options{ScenarioTimeout: 30 * time.Second})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := ref.Run(context.Background(), &c.sc)
			check(t, "reference", c, res)
		})
	}
	py := cpython(t)
	if py == nil {
		return
	}
	for _, c := range cases {
		if c.notCPython {
			continue
		}
		t.Run("cpython/"+c.name, func(t *testing.T) {
			res := py.Run(context.Background(), &c.sc)
			check(t, "cpython", c, res)
		})
	}
}

func check(t *testing.T, who string, c tcase, res adapters.Result) {
	t.Helper()
	if res.State != c.wantState() {
		t.Fatalf("%s: state %s (%s), want %s\nobserved: %v", who, res.State, res.Reason, c.wantState(), res.Observations)
	}
	if res.State != adapters.Completed {
		return
	}
	if !Matches(c.want, res.Observations, ExactMessages) {
		data, _ := json.Marshal(&c.sc)
		t.Errorf("%s: observations differ:\n%s\nscenario: %s", who, SideBySide(c.want, res.Observations, ExactMessages), data)
	}
}

var (
	pyOnce gosync.Once
	pyAd   adapters.Adapter
	pyErr  error
)

// TestMain closes the cpython adapter the tests shared, if they opened it,
// and fails if any process this test binary started is still alive then:
// a harness must not outlive the tests (issue 14 §7).
func TestMain(m *testing.M) {
	code := m.Run()
	if pyAd != nil {
		if err := pyAd.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "closing the cpython adapter:", err)
			code = 1
		}
	}
	if left := liveChildren(); len(left) > 0 {
		fmt.Fprintln(os.Stderr, "processes the tests started are still alive:", strings.Join(left, ", "))
		code = 1
	}
	os.Exit(code)
}

// liveChildren lists this process's children that are alive (not zombies)
// after a moment's grace (up to 20 s: a loaded machine), from /proc.
func liveChildren() []string {
	var left []string
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		left = left[:0]
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
			if err != nil {
				continue
			}
			i := strings.LastIndexByte(string(stat), ')')
			f := strings.Fields(string(stat[i+1:]))
			if len(f) > 1 && f[1] == strconv.Itoa(os.Getpid()) && f[0] != "Z" {
				left = append(left, e.Name()+" "+string(stat[:i+1]))
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
	}
}

// cpython opens the cpython adapter once per test binary (TestMain closes
// it), or returns nil (and logs why) when python3 is missing or is not
// 3.11.
func cpython(t *testing.T) adapters.Adapter {
	t.Helper()
	pyOnce.Do(func() {
		if _, err := exec.LookPath("python3"); err != nil {
			pyErr = err
			return
		}
		pyAd, pyErr = adapters.Open("cpython", adapters.Options{ScenarioTimeout: 20 * time.Second})
		if pyErr == nil && !strings.HasPrefix(pyAd.Info().LanguageVersion, "3.11.") {
			pyErr = errVersion(pyAd.Info().LanguageVersion)
			pyAd.Close()
			pyAd = nil
		}
	})
	if pyAd == nil {
		t.Logf("not cross-checked on CPython: %v", pyErr)
	}
	return pyAd
}

type errVersion string

func (e errVersion) Error() string {
	return "python3 is " + string(e) + ", the expectations are 3.11's"
}

// Builders for test scenarios.

func async(module []Stmt, main ...Stmt) Scenario {
	return Scenario{ID: "T", Module: module, Main: main}
}

func sync(module []Stmt, main ...Stmt) Scenario {
	return Scenario{ID: "T", Mode: SyncMode, Module: module, Main: main}
}

func mod(stmts ...Stmt) []Stmt { return stmts }

func obs(o ...Observation) []Observation { return o }

func withReport(s Scenario, what ...string) Scenario { s.Report = what; return s }
