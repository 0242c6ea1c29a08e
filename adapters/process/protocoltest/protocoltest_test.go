package protocoltest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiterspec/aiterspec/adapters/process"
	"github.com/aiterspec/aiterspec/adapters/process/protocoltest"
	"github.com/aiterspec/aiterspec/internal/peertest"
)

// harnessEnv names the harness command TestEnvHarness checks.
const harnessEnv = "AITERSPEC_HARNESS"

// TestEnvHarness checks the harness command in AITERSPEC_HARNESS, run like
// the exec adapter runs it: /bin/sh -c 'exec COMMAND' from the module root.
// -run /core runs the core tier alone.
func TestEnvHarness(t *testing.T) {
	command := os.Getenv(harnessEnv)
	if command == "" {
		t.Skip(harnessEnv + " is not set; to check your harness run " + harnessEnv + "='node my-harness.mjs' go test ./adapters/process/protocoltest/")
	}
	protocoltest.Check(t, []string{"/bin/sh", "-c", "exec " + command})
}

// ownTest skips the package's own tests when a harness is under test, so
// that the README's invocation runs that harness alone.
func ownTest(t *testing.T) {
	if os.Getenv(harnessEnv) != "" {
		t.Skip("checking the harness in " + harnessEnv + " only")
	}
}

const smallest = "adapters/process/protocoltest/testdata/unsupported.py"

// The smallest harness PROTOCOL.md allows, one that answers unsupported to
// every scenario (testdata/unsupported.py, 32 lines written from the
// document alone), passes the core tier.
func TestSmallestHarnessPassesTheCoreTier(t *testing.T) {
	ownTest(t)
	python := peertest.Find(t, "python3")
	protocoltest.CheckCommand(t, protocoltest.Command{Argv: []string{python, smallest}, CoreOnly: true})
}

// The tiers can fail: the smallest harness fails the strict tier, saying
// why, and a copy that does not echo ids fails the core tier. They run as
// a child test process, whose failures are this test's evidence.
func TestTiersCanFail(t *testing.T) {
	ownTest(t)
	python := peertest.Find(t, "python3")
	checkWith := func(command, run string) (string, bool) {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run="+run, "-test.v")
		cmd.Env = append(os.Environ(), harnessEnv+"="+command)
		out, err := cmd.CombinedOutput()
		return string(out), err == nil
	}
	out, passed := checkWith(python+" "+smallest, "^TestEnvHarness$/^strict$/^run$")
	if passed || !strings.Contains(out, "a harness that runs no scenario yet passes the core tier only") {
		t.Errorf("the smallest harness on the strict tier: passed %v, output:\n%s", passed, out)
	}
	src, err := os.ReadFile(filepath.Join(process.ModuleRoot(), smallest))
	if err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(t.TempDir(), "wrong-id.py")
	if err := os.WriteFile(broken, []byte(strings.Replace(string(src), `msg["id"]`, `"wrong"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, passed = checkWith(python+" "+broken, "^TestEnvHarness$/^core$/^ids$")
	if passed || !strings.Contains(out, "the id must be echoed as the same string") {
		t.Errorf("a harness that does not echo ids on the core tier: passed %v, output:\n%s", passed, out)
	}
}
