package main

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/interp/mutants"
	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/scenario/pysource"
	"github.com/aiterspec/aiterspec/spec"
)

func TestCheckFailsOnErroredSpecsOnly(t *testing.T) {
	var out, errs bytes.Buffer
	code := run([]string{"check", "--require-ran", "../../reports/testdata/pypy-sample.json"}, &out, &errs)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (the sample has an errored spec)\n%s%s", code, &out, &errs)
	}
	for _, want := range []string{"3 passed", "1 failed", "1 unsupported", "1 errored"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("tally lacks %q:\n%s", want, &out)
		}
	}
	if !strings.Contains(errs.String(), "ERRORED SEED-AGEN-ORDER") || !strings.Contains(errs.String(), "SIGSEGV") {
		t.Errorf("the errored spec and its evidence are not named:\n%s", &errs)
	}
	if strings.Contains(errs.String(), "S08") {
		t.Errorf("a failed (non-conforming) spec was reported as a harness error:\n%s", &errs)
	}
}

func TestUsageErrors(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run([]string{"chek"}, &out, &errs); code != 2 || !strings.Contains(errs.String(), `unknown command "chek"`) {
		t.Errorf("unknown command: exit %d, stderr %q", code, &errs)
	}
	if code := run([]string{"check"}, &out, &errs); code != 2 {
		t.Errorf("check without reports: exit %d, want 2", code)
	}
}

// TestHelpListsEveryCommand covers every way a newcomer asks for help: each
// must name every command in the table with its one-line summary and say
// how the suite itself runs.
func TestHelpListsEveryCommand(t *testing.T) {
	for _, args := range [][]string{nil, {"help"}, {"-h"}, {"--help"}, {"-help"}} {
		var out, errs bytes.Buffer
		code := run(args, &out, &errs)
		text := out.String()
		if args == nil {
			// No command at all is a usage error, but still the full usage.
			if code != 2 || out.Len() != 0 {
				t.Errorf("no arguments: exit %d, stdout %q; want 2 and the usage on stderr", code, &out)
			}
			text = errs.String()
		} else if code != 0 {
			t.Errorf("%q: exit %d, want 0\n%s", args, code, &errs)
		}
		if !strings.Contains(text, "go tool ginkgo ./spec") {
			t.Errorf("%q: the usage does not say the suite runs with go tool ginkgo ./spec:\n%s", args, text)
		}
		for _, c := range sortedCommands() {
			if !strings.Contains(text, c.name+"  ") || !strings.Contains(text, c.summary) {
				t.Errorf("%q: the usage lacks %q with its summary %q:\n%s", args, c.name, c.summary, text)
			}
		}
	}
}

// TestEveryCommandHasHelp runs `aiterspec NAME -h`, `--help` and
// `aiterspec help NAME` for every command in the table, so a command added
// later is held to the same rule.
func TestEveryCommandHasHelp(t *testing.T) {
	if len(commands) < 3 {
		t.Fatalf("the command table has %d commands; the init functions did not run?", len(commands))
	}
	for _, c := range sortedCommands() {
		for _, args := range [][]string{{c.name, "-h"}, {c.name, "--help"}, {"help", c.name}} {
			var out, errs bytes.Buffer
			if code := run(args, &out, &errs); code != 0 {
				t.Errorf("%q: exit %d, want 0\n%s", args, code, &errs)
			}
			if !strings.HasPrefix(out.String(), "usage: aiterspec "+c.name) || !strings.Contains(out.String(), capitalise(c.summary)) {
				t.Errorf("%q: want the usage of %s with its summary on stdout, got:\n%s", args, c.name, &out)
			}
		}
	}
}

func TestBadFlagIsAUsageError(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run([]string{"check", "--no-such-flag", "x.json"}, &out, &errs); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(errs.String(), "no-such-flag") || !strings.Contains(errs.String(), "aiterspec check -h") {
		t.Errorf("the error does not name the flag and where to read more:\n%s", &errs)
	}
}

// TestAdaptersListsEveryForm checks the listing names every registered
// adapter's form, each mutant, and the example harness (without opening
// them: -probe=false).
func TestAdaptersListsEveryForm(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run([]string{"adapters", "-probe=false"}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, &errs)
	}
	want := []string{"reference", "cpython[:PATH]", "pypy[:PATH]", "exec:COMMAND", "mutant:NAME", "exec:" + exampleHarness}
	for _, r := range adapters.Known() {
		want = append(want, r.Usage)
	}
	for _, m := range mutants.All {
		want = append(want, "mutant:"+m.Name)
	}
	for _, w := range want {
		if !strings.Contains(out.String(), w) {
			t.Errorf("the listing lacks %q:\n%s", w, &out)
		}
	}
}

// TestAdaptersSaysWhyNot opens named forms and checks each gets a verdict
// with its reason.
func TestAdaptersSaysWhyNot(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run([]string{"adapters", "reference", "no-such-adapter", "exec:false", "cpython:/nonexistent/python3"}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, &errs)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	verdict := map[string]string{}
	for _, l := range lines {
		if f := strings.Fields(l); len(f) >= 3 && (f[0] == "yes" || f[0] == "no") {
			verdict[f[1]] = l
		}
	}
	for form, want := range map[string][]string{
		"reference":                    {"yes", "reference"},
		"no-such-adapter":              {"no", "unknown adapter"},
		"exec:false":                   {"no", "exited with status 1 before its hello"},
		"cpython:/nonexistent/python3": {"no", "/nonexistent/python3"},
	} {
		l, ok := verdict[form]
		if !ok {
			t.Errorf("no verdict for %s:\n%s", form, &out)
			continue
		}
		for _, w := range want {
			if !strings.Contains(l, w) {
				t.Errorf("%s: %q lacks %q", form, l, w)
			}
		}
	}
}

// TestScenarioPrintsWhatTheHarnessReceives checks every spec of a
// behaviour is printed, and that each compact run message is exactly the
// scenario the suite sends: it decodes (with the strict decoder harness
// authors' input goes through) to the spec's own scenario.
func TestScenarioPrintsWhatTheHarnessReceives(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run([]string{"scenario", "-compact", "SEED-ASYNC-FOR"}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, &errs)
	}
	var want []*spec.Case
	for _, c := range spec.Cases() {
		if c.Scenario.ID == "SEED-ASYNC-FOR" {
			want = append(want, c)
		}
	}
	var got []string
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, `{"type":"run"`) {
			got = append(got, line)
		}
	}
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("%d run messages for %d specs:\n%s", len(got), len(want), &out)
	}
	for i, line := range got {
		var msg struct {
			Type     string          `json:"type"`
			Scenario json.RawMessage `json:"scenario"`
		}
		if err := json.Unmarshal([]byte(line), &msg); err != nil {
			t.Fatalf("run message %d is not JSON: %v", i+1, err)
		}
		sc, err := scenario.Decode(msg.Scenario)
		if err != nil {
			t.Fatalf("run message %d does not decode: %v", i+1, err)
		}
		if !reflect.DeepEqual(sc, &want[i].Scenario) {
			t.Errorf("run message %d decodes to another scenario than %q", i+1, want[i].Scenario.Title)
		}
	}
	if !strings.Contains(out.String(), `{"type":"result","id":"1","state":"completed","observations":[{"kind":"value","value":0}`) {
		t.Errorf("the expected result is missing:\n%s", &out)
	}
	for _, c := range want {
		program, err := pysource.Program(&c.Scenario)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), strings.TrimRight(program, "\n")) {
			t.Errorf("the rendered Python of %q is missing:\n%s", c.Scenario.Title, program)
		}
	}
}

func TestScenarioLaidOutAndUnknownIDs(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run([]string{"scenario", "g05"}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, &errs)
	}
	for _, w := range []string{"# G05: ", "spec/catalogue_g.go:", "the run message", `"type": "run"`, "the program a Python harness runs", "async def _aiterspec_main():", "the result CPython 3.11 gives"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("the output lacks %q:\n%s", w, &out)
		}
	}
	out.Reset()
	if code := run([]string{"scenario", "G99"}, &out, &errs); code != 1 || !strings.Contains(errs.String(), `no behaviour "G99"`) || !strings.Contains(errs.String(), "G05") {
		t.Errorf("unknown id: exit %d, stderr %q", code, &errs)
	}
}

// TestCheckFailsRunsThatDidNotRun: a report of a run that could not start
// (testdata/cannot-start.json: --adapter=nope) or in which no spec ran
// (testdata/nothing-ran.json: --label-filter=NOPE, cut to three specs)
// fails the check with the suite's own reason, also without --require-ran.
func TestCheckFailsRunsThatDidNotRun(t *testing.T) {
	for report, want := range map[string]string{
		"testdata/cannot-start.json": `the suite cannot run: unknown adapter "nope"`,
		"testdata/nothing-ran.json":  `no spec ran: the suite has 300 specs and none was selected by --label-filter="NOPE"`,
	} {
		var out, errs bytes.Buffer
		if code := run([]string{"check", report}, &out, &errs); code != 1 {
			t.Errorf("%s: exit %d, want 1\n%s%s", report, code, &out, &errs)
		}
		if !strings.Contains(errs.String(), "the run failed: "+want) {
			t.Errorf("%s: stderr lacks %q:\n%s", report, want, &errs)
		}
	}
}
