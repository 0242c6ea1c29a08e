package process

import (
	"bytes"
	"os"
	"path/filepath"
)

// modulePath is aiterspec's module path, as go.mod declares it.
const modulePath = "github.com/aiterspec/aiterspec"

// ModuleRoot returns the root directory of the aiterspec module (the
// directory of its go.mod), found by walking up from the current directory,
// or "" when there is none (a binary run elsewhere).
//
// Harness commands given on the command line run from there, so that one
// relative path (adapters/process/examples/...) works both from the module
// root and from spec/, where `go test` runs the suite.
func ModuleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && isAiterspecGoMod(data) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// isAiterspecGoMod reports whether a go.mod declares aiterspec's module;
// another module's go.mod on the way up (a harness written in Go, say) does
// not count.
func isAiterspecGoMod(data []byte) bool {
	for _, line := range bytes.Split(data, []byte("\n")) {
		fields := bytes.Fields(line)
		if len(fields) >= 2 && string(fields[0]) == "module" {
			return string(bytes.Trim(fields[1], `"`)) == modulePath
		}
	}
	return false
}
