// Package peertest finds the real implementations that tests drive. On a
// developer's machine a missing one skips the test that needs it; in CI
// (AITERSPEC_REQUIRE_PEERS set, as .ci/run does) it fails it, since there
// every peer the suite claims to support must be installed.
package peertest

import (
	"os"
	"os/exec"
	"testing"
)

// RequireEnv is the environment variable that makes a missing peer fail.
const RequireEnv = "AITERSPEC_REQUIRE_PEERS"

// Find returns the path of the named program on PATH, or skips (fails,
// under RequireEnv) t when there is none.
func Find(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "%s not found on PATH (run make setup)", name)
	}
	return path
}

// Missing skips t with the reason, or fails it under RequireEnv.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv(RequireEnv) != "" {
		t.Fatalf(format+" ("+RequireEnv+" is set: every peer must be installed)", args...)
	}
	t.Skipf(format, args...)
}
