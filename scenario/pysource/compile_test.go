package pysource_test

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/internal/peertest"
	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/scenario/pysource"
)

// compiler compiles each program (JSON lines on stdin) as a harness does,
// and prints one line per program: "ok", or the SyntaxError and its line.
const compiler = `
import json, sys
for line in sys.stdin:
    job = json.loads(line)
    try:
        compile(job["program"], job["filename"], "exec", dont_inherit=True)
        print("ok")
    except SyntaxError as e:
        print("%s: %s at line %s: %r" % (type(e).__name__, e.msg, e.lineno, (e.text or "").strip()))
`

// TestEveryProgramCompiles renders the scenario of every spec and compiles
// the program with python3: a spec whose program Python rejects could only
// ever error. The compile bodies inside are strings here; the suite's
// compile specs check what they raise.
func TestEveryProgramCompiles(t *testing.T) {
	python := peertest.Find(t, "python3")
	scenarios := suite(t)
	var in bytes.Buffer
	for _, s := range scenarios {
		program, err := pysource.Program(s)
		if err != nil {
			t.Errorf("%s %q: not rendered: %v", s.ID, s.Title, err)
			program = ""
		}
		filename := "<scenario>"
		if s.Mode == scenario.SourceMode {
			filename = "<source>"
		}
		line, _ := json.Marshal(map[string]string{"program": program, "filename": filename})
		in.Write(append(line, '\n'))
	}
	cmd := exec.Command(python, "-I", "-c", compiler)
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.String())
	}
	answers := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(answers) != len(scenarios) {
		t.Fatalf("%d answers for %d programs", len(answers), len(scenarios))
	}
	compiled := 0
	for i, s := range scenarios {
		if answers[i] == "ok" {
			compiled++
			continue
		}
		// Source-mode programs are verbatim; some are SyntaxErrors on purpose.
		if s.Mode == scenario.SourceMode {
			continue
		}
		t.Errorf("%s %q: the rendered program does not compile: %s", s.ID, s.Title, answers[i])
	}
	t.Logf("%d programs, %d compile", len(scenarios), compiled)
}
