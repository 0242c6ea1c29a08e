// Package python registers the adapters "cpython" and "pypy": Python
// interpreters running the scenarios through harness.py, a harness of the
// process protocol (adapters/process/PROTOCOL.md) around runtime.py, which
// executes the programs aiterspec renders (protocol 2's python-source).
//
// Both files are embedded in the binary. At open they are written, once, to
// a directory named after their content in the user's cache directory
// ($XDG_CACHE_HOME/aiterspec, ~/.cache/aiterspec), where every later run
// finds them: no run, finished or interrupted, leaves a file behind
// anywhere else. The harness runs as `INTERPRETER -u -I -S harness.py`:
// unbuffered, so that every protocol line leaves at once; isolated (-I),
// so that PYTHON* variables, the user's site-packages and the current
// directory cannot change what runs; and without the site module (-S),
// since the harness needs only the standard library and .pth files cost
// start-up time at every restart.
//
// A pyenv shim is resolved to the interpreter it would run, by pyenv's own
// rules (pyenvTarget), and that interpreter is started directly: the shim
// costs tens of milliseconds at every start, seconds on a loaded machine.
// For any other launcher, the first harness's hello names the interpreter
// that really runs it (sys.executable) and restarts use that one. A spare
// harness is kept started ahead, so that a crash costs no start-up.
package python

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/process"
)

var (
	//go:embed harness.py
	harnessSource []byte
	//go:embed runtime.py
	runtimeSource []byte
)

// flavour is one registered adapter.
type flavour struct {
	name        string // adapter name: "cpython"
	title       string // "CPython"
	interpreter string // default interpreter on PATH: "python3"
	pkg         string // the Debian package that provides it
}

var (
	cpython = flavour{name: "cpython", title: "CPython", interpreter: "python3", pkg: "python3"}
	pypy    = flavour{name: "pypy", title: "PyPy", interpreter: "pypy3", pkg: "pypy3"}
)

func init() {
	for _, f := range []flavour{cpython, pypy} {
		adapters.Register(adapters.Registration{
			Name:  f.name,
			Usage: f.name + "[:PATH]",
			Summary: fmt.Sprintf("%s through adapters/python/harness.py; PATH (or --python) names the interpreter, default %s on PATH",
				f.title, f.interpreter),
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
	interp, named := f.interpreter, ""
	switch {
	case arg != "" && opts.Python != "" && arg != opts.Python:
		return nil, fmt.Errorf("two interpreters named: %s:%s and --python=%s; give one", f.name, arg, opts.Python)
	case arg != "":
		interp, named = arg, "--adapter="+f.name+":"+arg
	case opts.Python != "":
		interp, named = opts.Python, "--python="+opts.Python
	}
	path, err := exec.LookPath(interp)
	if err != nil {
		return nil, f.notFound(interp, named, err)
	}
	if real := pyenvTarget(path); real != "" {
		path = real // skip the shim: tens of milliseconds at every start, seconds on a loaded machine
	}
	dir, err := harnessDir()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.name, err)
	}
	install := f.installHint()
	if named != "" {
		install = "check the interpreter named by " + named
	}
	c, err := process.Open(process.Config{
		Name:            f.name,
		Argv:            []string{path, "-u", "-I", "-S", filepath.Join(dir, "harness.py")},
		Install:         install,
		ScenarioTimeout: opts.Timeout(),
		StartTimeout:    opts.StartTimeout,
		Relaunch:        relaunch,
		KeepSpare:       true,
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// relaunch starts later harnesses with the interpreter the first one ran
// on (its hello's "executable", sys.executable), when that is a file: a
// launcher script such as pyenv's shim costs tens of milliseconds at every
// start.
func relaunch(hello []byte, argv []string) []string {
	var h struct {
		Executable string `json:"executable"`
	}
	if json.Unmarshal(hello, &h) != nil || !filepath.IsAbs(h.Executable) || h.Executable == argv[0] {
		return nil
	}
	if st, err := os.Stat(h.Executable); err != nil || !st.Mode().IsRegular() {
		return nil
	}
	return append([]string{h.Executable}, argv[1:]...)
}

// pyenvTarget returns the interpreter a pyenv shim at path would run, or
// "" when path is no pyenv shim or the answer is not plain. It follows
// pyenv's own rules, conservatively: the version is PYENV_VERSION, else the
// first .python-version file from the current directory up, else
// $PYENV_ROOT/version; each version named must be installed under
// $PYENV_ROOT/versions, and the first that has the program is the answer.
// "system", a version that is not installed or anything unusual leaves
// the shim to decide.
func pyenvTarget(path string) string {
	data, err := os.ReadFile(path)
	if err != nil || len(data) > 4096 || !bytes.HasPrefix(data, []byte("#!")) || !bytes.Contains(data, []byte("pyenv")) {
		return ""
	}
	root := ""
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "export PYENV_ROOT="); ok {
			root = strings.Trim(v, `"'`)
		}
	}
	if root == "" || filepath.Dir(path) != filepath.Join(root, "shims") {
		return ""
	}
	versions := strings.Split(os.Getenv("PYENV_VERSION"), ":")
	if os.Getenv("PYENV_VERSION") == "" {
		versions = nil
		file := filepath.Join(root, "version")
		dir := os.Getenv("PYENV_DIR")
		if dir == "" {
			dir, _ = os.Getwd()
		}
		for dir != "" {
			if _, err := os.Stat(filepath.Join(dir, ".python-version")); err == nil {
				file = filepath.Join(dir, ".python-version")
				break
			}
			if dir == filepath.Dir(dir) {
				break
			}
			dir = filepath.Dir(dir)
		}
		content, err := os.ReadFile(file)
		if err != nil {
			return ""
		}
		for _, line := range strings.Split(string(content), "\n") {
			if f := strings.Fields(line); len(f) > 0 && !strings.HasPrefix(f[0], "#") {
				versions = append(versions, f[0])
			}
		}
	}
	program := filepath.Base(path)
	for _, v := range versions {
		if v == "" || v == "system" || strings.Contains(v, "/") || strings.HasPrefix(v, ".") {
			return ""
		}
		if st, err := os.Stat(filepath.Join(root, "versions", v)); err != nil || !st.IsDir() {
			return "" // not installed: pyenv would say so
		}
	}
	for _, v := range versions {
		exe := filepath.Join(root, "versions", v, "bin", program)
		if st, err := os.Stat(exe); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return exe
		}
	}
	return ""
}

// HarnessDir returns the folder holding harness.py and runtime.py as
// embedded (see WriteFiles). Other adapters load the runtime from there
// (the cython adapter's harness does).
func HarnessDir() (string, error) {
	return WriteFiles("python-harness", map[string][]byte{"harness.py": harnessSource, "runtime.py": runtimeSource})
}

// harnessDir is HarnessDir.
func harnessDir() (string, error) { return HarnessDir() }

// WriteFiles returns a folder of the user's cache directory
// ($XDG_CACHE_HOME/aiterspec/PREFIX-HASH) holding files exactly, writing
// them there first if no earlier run has. The folder is named after their
// content, so a new version never meets an old copy, and is written under
// a temporary name and renamed into place, so that a run interrupted while
// writing leaves nothing another run would use.
func WriteFiles(prefix string, files map[string][]byte) (string, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	sum := sha256.New()
	for _, name := range names {
		fmt.Fprintf(sum, "%s %d\n", name, len(files[name]))
		sum.Write(files[name])
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = filepath.Join(os.TempDir(), fmt.Sprintf("aiterspec-cache-%d", os.Getuid()))
	}
	parent := filepath.Join(base, "aiterspec")
	dir := filepath.Join(parent, prefix+"-"+hex.EncodeToString(sum.Sum(nil))[:16])
	if sameFiles(dir, files) {
		return dir, nil
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("cannot write the harness files: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, ".tmp-"+prefix+"-")
	if err != nil {
		return "", fmt.Errorf("cannot write the harness files: %w", err)
	}
	defer os.RemoveAll(tmp) // gone once renamed; removed if anything failed
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return "", fmt.Errorf("cannot write the harness files: %w", err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", fmt.Errorf("cannot write the harness files: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another run may have put it there first; a damaged copy is
		// moved aside and replaced.
		if sameFiles(dir, files) {
			return dir, nil
		}
		if aside := dir + ".damaged"; os.RemoveAll(aside) == nil && os.Rename(dir, aside) == nil {
			os.RemoveAll(aside)
			if err = os.Rename(tmp, dir); err == nil {
				return dir, nil
			}
		}
		return "", fmt.Errorf("cannot write the harness files: %w", err)
	}
	return dir, nil
}

// sameFiles reports whether dir holds files exactly.
func sameFiles(dir string, files map[string][]byte) bool {
	for name, data := range files {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, data) {
			return false
		}
	}
	return true
}

// notFound explains a missing interpreter: for a name looked up on PATH,
// how to install it; for one the user named by path, that path.
func (f flavour) notFound(interp, named string, err error) error {
	if strings.ContainsRune(interp, os.PathSeparator) {
		why := "does not exist"
		var pe *fs.PathError
		if st, serr := os.Stat(interp); serr == nil {
			why = "is not an executable file"
			if st.IsDir() {
				why = "is a directory"
			}
		} else if errors.As(serr, &pe) && !errors.Is(serr, fs.ErrNotExist) {
			why = "cannot be read: " + pe.Err.Error()
		}
		return fmt.Errorf("no %s interpreter at %s: the path %s (named by %s)", f.title, interp, why, named)
	}
	where := "on PATH"
	if named != "" {
		where += " (named by " + named + ")"
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
