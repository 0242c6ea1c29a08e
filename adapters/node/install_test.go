package node

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A checkout without node_modules, or with other versions than the pins,
// fails with an error naming make setup before node starts.
func TestCheckInstalled(t *testing.T) {
	dir := t.TempDir()
	manifest := `{"dependencies": {"pyodide": "314.0.7"}}`
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	pyodide := Engine{Name: "pyodide", Package: "pyodide"}
	err := pyodide.checkInstalled(dir)
	if err == nil || !strings.Contains(err.Error(), "not installed") || !strings.Contains(err.Error(), "make setup") {
		t.Errorf("no node_modules: %v", err)
	}

	installed := filepath.Join(dir, "node_modules", "pyodide")
	if err := os.MkdirAll(installed, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(installed, "package.json"), []byte(`{"version": "0.26.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	err = pyodide.checkInstalled(dir)
	if err == nil || !strings.Contains(err.Error(), "0.26.0 is installed but package.json pins 314.0.7") || !strings.Contains(err.Error(), "make setup") {
		t.Errorf("wrong version: %v", err)
	}

	if err := os.WriteFile(filepath.Join(installed, "package.json"), []byte(`{"version": "314.0.7"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := pyodide.checkInstalled(dir); err != nil {
		t.Errorf("pinned version installed: %v", err)
	}
}

// The pins in package.json are the versions the engines' hellos report.
func TestEnginesArePinned(t *testing.T) {
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range Engines {
		if v, err := pinned(dir, e.Package); err != nil || v == "" || strings.ContainsAny(v, "^~<>=* ") {
			t.Errorf("%s: package.json must pin an exact version of %s: %q %v", e.Name, e.Package, v, err)
		}
	}
}
