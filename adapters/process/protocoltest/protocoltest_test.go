package protocoltest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/aiterspec/aiterspec/adapters/process"
	"github.com/aiterspec/aiterspec/adapters/process/protocoltest"
	"github.com/aiterspec/aiterspec/internal/peertest"
)

// TestEnvHarness checks the harness command in AITERSPEC_HARNESS, run like
// the exec adapter runs it: /bin/sh -c 'exec COMMAND' from the module root.
func TestEnvHarness(t *testing.T) {
	command := os.Getenv("AITERSPEC_HARNESS")
	if command == "" {
		t.Skip("AITERSPEC_HARNESS is not set; to check your harness run AITERSPEC_HARNESS='node my-harness.mjs' go test ./adapters/process/protocoltest/")
	}
	protocoltest.Check(t, []string{"/bin/sh", "-c", "exec " + command})
}

// harnessFile is a file of the module, by its path from the root.
func harnessFile(t *testing.T, rel string) string {
	t.Helper()
	root := process.ModuleRoot()
	if root == "" {
		t.Fatal("not inside the aiterspec module")
	}
	return filepath.Join(root, rel)
}

func interpreter(t *testing.T, name string) string {
	t.Helper()
	return peertest.Find(t, name)
}

// The Python harness, on each interpreter it supports here: the
// capabilities differ (PyPy 3.9 has no anext builtin), so do the checks.
func TestPythonHarnessCPython(t *testing.T) {
	protocoltest.Check(t, []string{interpreter(t, "python3"), "-u", "-I", harnessFile(t, "adapters/python/harness.py")})
}

func TestPythonHarnessPyPy(t *testing.T) {
	protocoltest.Check(t, []string{interpreter(t, "pypy3"), "-u", "-I", harnessFile(t, "adapters/python/harness.py")})
}

// The minimal harness written from the documents alone.
func TestMinimalNodeHarness(t *testing.T) {
	protocoltest.Check(t, []string{interpreter(t, "node"), harnessFile(t, "adapters/process/examples/minimal-node/harness.mjs")})
}
