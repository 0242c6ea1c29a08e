// Package python registers the adapters "cpython" and "pypy": Python
// interpreters running the scenarios through harness.py, a harness of the
// process protocol (adapters/process/PROTOCOL.md) written in Python.
//
// The harness is embedded in the binary, written to a temporary file when
// the adapter opens and removed when it closes, and run as
// `INTERPRETER -u -I -S FILE`: unbuffered (-u), so that every protocol line
// leaves at once; isolated (-I), so that PYTHON* variables, the user's
// site-packages and the current directory cannot change what runs; and
// without the site module (-S), so that no site-packages or .pth file runs
// either (the harness needs only the standard library).
package python

import (
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/process"
)

//go:embed harness.py
var harnessSource []byte

// flavour is one registered adapter.
type flavour struct {
	name        string // adapter name: "cpython"
	interpreter string // default interpreter on PATH: "python3"
	pkg         string // the Debian package that provides it
}

var (
	cpython = flavour{name: "cpython", interpreter: "python3", pkg: "python3"}
	pypy    = flavour{name: "pypy", interpreter: "pypy3", pkg: "pypy3"}
)

func init() {
	for _, f := range []flavour{cpython, pypy} {
		adapters.Register(adapters.Registration{
			Name:  f.name,
			Usage: f.name + "[:PATH]",
			Summary: fmt.Sprintf("%s through adapters/python/harness.py; PATH (or --python) names the interpreter, default %s on PATH",
				map[string]string{"cpython": "CPython", "pypy": "PyPy"}[f.name], f.interpreter),
			Open: func(arg string, opts adapters.Options) (adapters.Adapter, error) {
				return f.open(arg, opts)
			},
			TakesPython: true,
		})
	}
}

// open finds the interpreter and starts the harness with it.
//
// The interpreter is arg (from "cpython:PATH"), else opts.Python (--python),
// else the flavour's default on PATH. Naming two different interpreters is
// an error rather than a silent choice. The adapter reports what the harness
// says it runs on: "cpython:/usr/bin/pypy3" works, and its Info says pypy.
func (f flavour) open(arg string, opts adapters.Options) (adapters.Adapter, error) {
	interp := f.interpreter
	switch {
	case arg != "" && opts.Python != "" && arg != opts.Python:
		return nil, fmt.Errorf("two interpreters named: %s:%s and --python=%s; give one", f.name, arg, opts.Python)
	case arg != "":
		interp = arg
	case opts.Python != "":
		interp = opts.Python
	}
	path, err := exec.LookPath(interp)
	if err != nil {
		return nil, f.notFound(interp, err)
	}

	file, err := os.CreateTemp("", "aiterspec-harness-*.py")
	if err != nil {
		return nil, fmt.Errorf("cannot write the Python harness: %w", err)
	}
	_, err = file.Write(harnessSource)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(file.Name())
		return nil, fmt.Errorf("cannot write the Python harness: %w", err)
	}

	c, err := process.Open(process.Config{
		Name: f.name,
		// -I: ignore PYTHON* variables and the user's site; -S: no
		// site-packages either (the harness needs only the standard
		// library, and .pth files cost start-up time at every restart).
		Argv:            []string{path, "-u", "-I", "-S", file.Name()},
		Install:         f.installHint(),
		ScenarioTimeout: opts.Timeout(),
		// process.Open runs Cleanup if it fails, Close otherwise.
		Cleanup: func() { os.Remove(file.Name()) },
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// notFound explains a missing interpreter and how to get one.
func (f flavour) notFound(interp string, err error) error {
	where := "on PATH"
	if strings.ContainsRune(interp, os.PathSeparator) {
		where = "(" + strings.TrimPrefix(err.Error(), "exec: ") + ")"
	}
	return fmt.Errorf("%s not found %s: %s", interp, where, f.installHint())
}

func (f flavour) installHint() string {
	hint := fmt.Sprintf(`install it with "apt-get install -y %s" (or run "make setup"), or point --adapter=%s:/path/to/%s`,
		f.pkg, f.name, f.interpreter)
	if f.name == cpython.name {
		hint += " or --python=/path/to/" + f.interpreter
	}
	return hint
}
