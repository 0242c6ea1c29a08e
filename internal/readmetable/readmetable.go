// Package readmetable keeps a generated section of README.md in step with
// the code it describes: a test renders the section and Check compares it
// with what stands between the section's markers, or rewrites it when
// AITERSPEC_UPDATE_README is set.
package readmetable

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// UpdateEnv is the environment variable that makes Check rewrite the section.
const UpdateEnv = "AITERSPEC_UPDATE_README"

// Check compares want with the text between "<!-- name:start -->\n" and
// "<!-- name:end -->" in the file at path. rerun is the command that
// rewrites it, for the failure message.
func Check(t testing.TB, path, name, want, rerun string) {
	t.Helper()
	start, end := "<!-- "+name+":start -->\n", "<!-- "+name+":end -->"
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok1 := strings.Cut(string(readme), start)
	got, after, ok2 := strings.Cut(rest, end)
	if !ok1 || !ok2 {
		t.Fatalf("%s lacks the %q ... %q markers", path, start, end)
	}
	if os.Getenv(UpdateEnv) != "" {
		if err := os.WriteFile(path, []byte(before+start+want+end+after), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != want {
		t.Errorf("%s's %s table is stale; run %s=1 %s", filepath.Base(path), name, UpdateEnv, rerun)
	}
}
