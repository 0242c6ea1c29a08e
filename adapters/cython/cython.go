// Package cython registers the adapter "cython": every scenario's program
// (as scenario/pysource renders it) compiled by Cython, in Python 3 mode,
// into an extension module for a CPython interpreter, which imports it and
// runs it with the Python adapters' runtime (adapters/python/runtime.py):
// the same namespace, recorder and rules as the cpython adapter, with the
// program running inside the compiled module. The async generators,
// coroutines and `async for` loops under test are Cython's own, C that
// Cython generates; what that C calls in CPython (asyncio, builtins such as
// anext) is what users of Cython-compiled code get too.
//
// Builds are cached by content (see build.go) and made ahead: the suite
// hands the adapter every scenario it may run (adapters.Preparer), and
// NumCPU workers compile them while the first specs run.
//
// What is Cython's own, and how the adapter answers otherwise:
//   - A program Cython will not translate: in source mode (a verbatim
//     program, run as a script) the SyntaxError is an observation, as a
//     script's is, with Cython's message and line; otherwise the scenario
//     is unsupported, with Cython's message.
//   - C that gcc rejects (Cython accepted the program and wrote wrong C, a
//     Cython bug) is unsupported, with gcc's errors.
//   - compile(source, ...) is given Cython's meaning: Cython translates the
//     source (at build time, every compile() of a string literal the
//     program holds); if it reports an error, compile raises SyntaxError
//     with Cython's first message and line; if not, it returns a code
//     object of an empty module (Cython makes no code objects: the value
//     says only "it compiles"). Flags (ast.PyCF_ALLOW_TOP_LEVEL_AWAIT) have
//     no Cython meaning: such scenarios are unsupported.
package cython

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/process"
	"github.com/aiterspec/aiterspec/adapters/python"
	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/scenario/pysource"
)

var (
	//go:embed harness.py
	harnessSource []byte
	//go:embed build.py
	buildSource []byte
)

// install is how to get what the adapter needs.
const install = `install Cython and the headers with "apt-get install -y cython3 python3-dev gcc" (or run "make setup")`

func init() {
	adapters.Register(adapters.Registration{
		Name:  "cython",
		Usage: "cython[:PYTHON]",
		Summary: "Cython (cython3): each program compiled into an extension module for PYTHON (or --python; " +
			"default python3 on PATH) and run there with adapters/python/runtime.py",
		Open:        open,
		TakesPython: true,
	})
}

// Adapter runs scenarios as Cython-compiled modules.
type Adapter struct {
	client  *process.Client
	builder *builder
	info    adapters.Info
}

var (
	_ adapters.Adapter  = (*Adapter)(nil)
	_ adapters.Preparer = (*Adapter)(nil)
)

func open(arg string, opts adapters.Options) (adapters.Adapter, error) {
	interp, named := "python3", ""
	switch {
	case arg != "" && opts.Python != "" && arg != opts.Python:
		return nil, fmt.Errorf("two interpreters named: cython:%s and --python=%s; give one", arg, opts.Python)
	case arg != "":
		interp, named = arg, "--adapter=cython:"+arg
	case opts.Python != "":
		interp, named = opts.Python, "--python="+opts.Python
	}
	host, err := exec.LookPath(interp)
	if err != nil {
		if named != "" {
			return nil, fmt.Errorf("no interpreter %s (named by %s): %v", interp, named, err)
		}
		return nil, fmt.Errorf("python3 not found on PATH: install it (make setup), or name an interpreter with --adapter=cython:PATH")
	}
	tc, err := findToolchain(host)
	if err != nil {
		return nil, err
	}
	b := newBuilder(tc)
	a, err := start(tc, b, opts)
	if err != nil {
		b.close()
		return nil, err
	}
	return a, nil
}

// start builds the capability probes and starts the harness.
func start(tc toolchain, b *builder, opts adapters.Options) (*Adapter, error) {
	runtimeDir, err := python.HarnessDir()
	if err != nil {
		return nil, err
	}
	probes, err := probePrograms(tc, runtimeDir)
	if err != nil {
		return nil, err
	}
	// A probe Cython cannot compile says no to its capability: only a
	// failure to build at all stops the adapter.
	b.prepare(probes)
	var cErrors []string
	for _, p := range probes {
		res, err := b.get(p)
		if err != nil {
			return nil, fmt.Errorf("cannot build the capability probes: %w", err)
		}
		if res.CErrors != "" {
			cErrors = append(cErrors, res.CErrors)
		}
	}
	// C that gcc rejects is a Cython bug in one program; in every program
	// it is a Cython that does not support this interpreter's C API.
	if len(cErrors) == len(probes) {
		return nil, fmt.Errorf("this Cython (%s) cannot build modules for %s (Python %s): gcc rejects the C of every probe program, e.g.\n%s\n"+
			"use a CPython this Cython supports (Cython 0.29 supports up to 3.11) with --adapter=cython:PATH, or a newer Cython",
			tc.cythonVersion, tc.host.Executable, tc.host.LanguageVer, strings.SplitN(cErrors[0], "\n", 2)[0])
	}
	c, err := process.Open(process.Config{
		Name: "cython",
		Argv: []string{tc.host.Executable, "-u", "-I", "-S", filepath.Join(filepath.Dir(tc.buildScript), "harness.py"),
			"--runtime=" + runtimeDir, "--modules=" + tc.dir, "--cython=" + tc.cythonVersion},
		Install:         install,
		ScenarioTimeout: opts.Timeout(),
		StartTimeout:    opts.StartTimeout,
		KeepSpare:       true,
	})
	if err != nil {
		return nil, err
	}
	return &Adapter{client: c, builder: b, info: c.Info()}, nil
}

// Info describes Cython as the harness announced it: implementation
// "cython" with Cython's version, language "python" with the host
// interpreter's version (the suite's version profile follows it).
func (a *Adapter) Info() adapters.Info { return a.client.Info() }

// Prepare queues the programs of scenarios for building ahead.
func (a *Adapter) Prepare(scenarios []*scenario.Scenario) {
	var programs []string
	caps := a.info.Capabilities
	for _, s := range scenarios {
		if len(s.Missing(caps)) > 0 {
			continue
		}
		if p, err := programOf(s); err == nil {
			programs = append(programs, p)
		}
	}
	a.builder.prepare(programs)
}

// Run builds s's program (unless the ahead-of-time workers have, or an
// earlier run has) and runs it in the harness.
func (a *Adapter) Run(ctx context.Context, s *scenario.Scenario) adapters.Result {
	program, err := programOf(s)
	if err != nil || len(s.Missing(a.info.Capabilities)) > 0 {
		return a.client.Run(ctx, s) // it says why not
	}
	if _, err := scenario.Encode(s); err != nil {
		return a.client.Run(ctx, s)
	}
	// Building does not count against the scenario's time limit: a
	// baseline's short limit for an expected hang starts when the module
	// does.
	deadline, hasDeadline := ctx.Deadline()
	budget := time.Until(deadline)
	res, err := a.builder.get(program)
	if err != nil {
		return adapters.Result{State: adapters.Errored, Reason: "cannot build the program with Cython: " + err.Error()}
	}
	if r, ok := a.unsupported(s, res); !ok {
		return r
	}
	if hasDeadline {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), budget)
		defer cancel()
	}
	return a.client.Run(ctx, s)
}

// programOf is the program the harness receives for s.
func programOf(s *scenario.Scenario) (string, error) { return pysource.Program(s) }

// unsupported answers for what cannot run as Cython's: ok is true when the
// program goes to the harness.
func (a *Adapter) unsupported(s *scenario.Scenario, res *result) (adapters.Result, bool) {
	version := "Cython " + a.info.Version
	for _, c := range res.Compiles {
		if c.Flags != nil {
			return adapters.Result{State: adapters.Unsupported, Reason: fmt.Sprintf(
				"compile(..., flags=%s): %s has no such mode (compile() here means: does Cython translate the source)", *c.Flags, version)}, false
		}
	}
	switch {
	case len(res.CythonErrors) > 0 && s.Mode != scenario.SourceMode:
		return adapters.Result{State: adapters.Unsupported, Reason: fmt.Sprintf(
			"%s does not compile the program: %s", version, describeErrors(res.CythonErrors))}, false
	case res.CErrors != "":
		return adapters.Result{State: adapters.Unsupported, Reason: fmt.Sprintf(
			"%s translates the program into C that gcc rejects (a Cython bug): %s", version, res.CErrors)}, false
	}
	return adapters.Result{}, true
}

func describeErrors(errs []cythonError) string {
	s := errs[0].String()
	if len(errs) > 1 {
		s += fmt.Sprintf(" (and %d more)", len(errs)-1)
	}
	return s
}

// Close stops the builds and the harness.
func (a *Adapter) Close() error {
	a.builder.close()
	return a.client.Close()
}

// findToolchain finds Cython, gcc and the host interpreter's headers, and
// names the cache folder of their builds.
func findToolchain(host string) (toolchain, error) {
	var tc toolchain
	info, err := describeHost(host)
	if err != nil {
		return tc, err
	}
	tc.host = info
	cython, err := exec.LookPath("cython3")
	if err != nil {
		return tc, fmt.Errorf("cython3 not found on PATH: %s", install)
	}
	if tc.cythonPython, err = shebang(cython); err != nil {
		return tc, err
	}
	if tc.cc, err = exec.LookPath("gcc"); err != nil {
		return tc, fmt.Errorf("gcc not found on PATH (Cython's C is compiled with it): %s", install)
	}
	ccVersion, err := exec.Command(tc.cc, "-dumpfullversion", "-dumpversion").Output()
	if err != nil {
		return tc, fmt.Errorf("%s -dumpfullversion: %v", tc.cc, err)
	}
	files, err := writeFiles()
	if err != nil {
		return tc, err
	}
	tc.buildScript = filepath.Join(files, "build.py")
	// Cython's version without importing its compiler (which only builds
	// need, in the compile servers).
	version, err := exec.Command(tc.cythonPython, "-I", "-c", "import Cython; print(Cython.__version__)").Output()
	if err != nil {
		return tc, fmt.Errorf("%s (the interpreter of %s) cannot import Cython: %v; %s", tc.cythonPython, cython, err, install)
	}
	tc.cythonVersion = strings.TrimSpace(string(version))

	sum := sha256.New()
	json.NewEncoder(sum).Encode([]any{tc.cythonVersion, tc.cythonPython, buildSource, strings.TrimSpace(string(ccVersion)), cflags, tc.host})
	base, err := cacheDir()
	if err != nil {
		return tc, err
	}
	tc.dir = filepath.Join(base, "cython", hex.EncodeToString(sum.Sum(nil))[:16])
	if err := os.MkdirAll(tc.dir, 0o755); err != nil {
		return tc, fmt.Errorf("cannot create the cache of Cython modules: %w", err)
	}
	return tc, nil
}

// describeHost asks the interpreter what a module for it needs.
func describeHost(host string) (hostInfo, error) {
	const script = `import json, sys, sysconfig
p = sysconfig.get_paths()
print(json.dumps({"executable": sys.executable, "version": sys.version, "implementation": sys.implementation.name,
    "version_info": "%d.%d.%d" % sys.version_info[:3], "ext_suffix": sysconfig.get_config_var("EXT_SUFFIX"),
    "include": sorted(set([p["include"], p["platinclude"]]))}))`
	var info hostInfo
	var stderr bytes.Buffer
	cmd := exec.Command(host, "-I", "-S", "-c", script)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err == nil {
		err = json.Unmarshal(out, &info)
	}
	if err != nil {
		return info, fmt.Errorf("%s does not describe itself as a CPython interpreter: %v %s", host, err, lastLines(stderr.String(), 4))
	}
	if info.Implementation != "cpython" {
		return info, fmt.Errorf("%s is %s, not CPython: Cython's modules are built for CPython's C API; name a CPython interpreter with --adapter=cython:PATH", host, info.Implementation)
	}
	if info.ExtSuffix == "" || len(info.Include) == 0 {
		return info, fmt.Errorf("%s has no EXT_SUFFIX or include folder: extension modules cannot be built for it", host)
	}
	for _, dir := range info.Include {
		if _, err := os.Stat(filepath.Join(dir, "Python.h")); err == nil {
			return info, nil
		}
	}
	return info, fmt.Errorf("no Python.h for %s (Python %s) in %s: Cython's modules are compiled against it; %s, or name an interpreter that has its headers with --adapter=cython:PATH",
		host, info.LanguageVer, strings.Join(info.Include, ", "), install)
}

// shebang returns the interpreter a script such as cython3 runs on.
func shebang(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	fields := strings.Fields(strings.TrimPrefix(line, "#!"))
	if !strings.HasPrefix(line, "#!") || len(fields) == 0 {
		return "", fmt.Errorf("%s is not a Python script (no #! line): cannot tell which interpreter has Cython; %s", path, install)
	}
	if filepath.Base(fields[0]) == "env" && len(fields) > 1 {
		return exec.LookPath(fields[1])
	}
	return fields[0], nil
}

func cacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		base = filepath.Join(os.TempDir(), fmt.Sprintf("aiterspec-cache-%d", os.Getuid()))
	}
	return filepath.Join(base, "aiterspec"), nil
}

// writeFiles puts harness.py and build.py in the user's cache directory.
func writeFiles() (string, error) {
	return python.WriteFiles("cython-harness", map[string][]byte{"harness.py": harnessSource, "build.py": buildSource})
}

// probePrograms are the capability probes of runtime.py as programs (the
// harness's --probes): they are built like scenarios, so that the harness
// can announce what Cython's code can do, not what CPython's can.
func probePrograms(tc toolchain, runtimeDir string) ([]string, error) {
	cmd := exec.Command(tc.host.Executable, "-I", "-S", filepath.Join(filepath.Dir(tc.buildScript), "harness.py"),
		"--runtime="+runtimeDir, "--probes")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var programs []string
	if err == nil {
		err = json.Unmarshal(out, &programs)
	}
	if err != nil {
		return nil, fmt.Errorf("the harness does not list its capability probes (%s --probes): %v %s", cmd.Path, err, lastLines(stderr.String(), 6))
	}
	return programs, nil
}
