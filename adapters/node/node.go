// Package node registers the adapters "micropython", "pyodide" and
// "brython": Pythons that run on Node.js, driven by harness.mjs in this
// directory, a harness of the process protocol (adapters/process/PROTOCOL.md)
// that loads one engine per process and runs every program with
// adapters/python/runtime.py, the runtime the CPython harness uses.
//
// The engines come from npm, pinned by package.json and package-lock.json
// here; `make setup` installs them (npm ci). The harness runs from this
// directory of the aiterspec checkout, next to its node_modules.
package node

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/process"
)

// Engine is one Python engine hosted by harness.mjs.
type Engine struct {
	// Name is the adapter name and harness.mjs's engine argument.
	Name string
	// Package is the npm package the engine comes from.
	Package string
	// Summary says in one line what runs.
	Summary string
	// NodeFlags are the options node needs for this engine.
	NodeFlags []string
	// StartTimeout bounds loading the engine (until the hello) unless
	// --start-timeout says otherwise; engines that compile megabytes of
	// WebAssembly or JavaScript need more than the default on a busy
	// machine.
	StartTimeout time.Duration
}

// Engines are the registered engines.
var Engines = []Engine{
	{
		Name:         "micropython",
		Package:      "@micropython/micropython-webassembly-pyscript",
		Summary:      "MicroPython (WebAssembly port) on Node.js through adapters/node/harness.mjs",
		StartTimeout: adapters.DefaultStartTimeout,
	},
	{
		Name:    "pyodide",
		Package: "pyodide",
		Summary: "Pyodide (CPython in WebAssembly) on Node.js through adapters/node/harness.mjs",
		// asyncio.run blocks on Pyodide's event loop through JavaScript
		// Promise integration, experimental in Node 20.
		NodeFlags:    []string{"--experimental-wasm-stack-switching"},
		StartTimeout: 2 * time.Minute,
	},
	{
		Name:         "brython",
		Package:      "brython",
		Summary:      "Brython (Python compiled to JavaScript) on Node.js through adapters/node/harness.mjs",
		StartTimeout: 2 * time.Minute,
	},
}

func init() {
	for _, e := range Engines {
		adapters.Register(adapters.Registration{
			Name:    e.Name,
			Usage:   e.Name + "[:NODE]",
			Summary: e.Summary + "; NODE is the node executable, default node on PATH",
			Open: func(arg string, opts adapters.Options) (adapters.Adapter, error) {
				return e.open(arg, opts)
			},
		})
	}
}

// setupHint is how to get what is missing.
const setupHint = `run "make setup" in the aiterspec checkout (it runs npm ci in adapters/node)`

func (e Engine) open(arg string, opts adapters.Options) (adapters.Adapter, error) {
	node := "node"
	if arg != "" {
		node = arg
	}
	nodePath, err := exec.LookPath(node)
	if err != nil {
		return nil, fmt.Errorf("%s needs Node.js 20 or later, and %s was not found (%v): install it (apt-get install -y nodejs) and %s",
			e.Name, node, errors.Unwrap(err), setupHint)
	}
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	if err := e.checkInstalled(dir); err != nil {
		return nil, err
	}
	start := e.StartTimeout
	if opts.StartTimeout > 0 {
		start = opts.StartTimeout
	}
	argv := append([]string{nodePath}, e.NodeFlags...)
	argv = append(argv, filepath.Join(dir, "harness.mjs"), e.Name)
	return process.Open(process.Config{
		Name:            e.Name,
		Argv:            argv,
		Dir:             dir,
		Install:         setupHint,
		ScenarioTimeout: opts.Timeout(),
		StartTimeout:    start,
	})
}

// Dir returns the directory of harness.mjs: this package's source
// directory, found from where it was compiled, else adapters/node under the
// module root (for binaries built with -trimpath).
func Dir() (string, error) {
	var candidates []string
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		candidates = append(candidates, filepath.Dir(file))
	}
	if root := process.ModuleRoot(); root != "" {
		candidates = append(candidates, filepath.Join(root, "adapters", "node"))
	}
	for _, dir := range candidates {
		if _, err := os.Stat(filepath.Join(dir, "harness.mjs")); err == nil {
			return dir, nil
		}
	}
	return "", fmt.Errorf("adapters/node/harness.mjs not found (looked in %s): the Node-hosted adapters run from an aiterspec checkout",
		strings.Join(candidates, ", "))
}

// checkInstalled tells a missing or outdated npm install from a broken
// engine, before node starts: the version installed must be the one
// package.json pins.
func (e Engine) checkInstalled(dir string) error {
	want, err := pinned(dir, e.Package)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(dir, "node_modules", filepath.FromSlash(e.Package), "package.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: the npm package %s is not installed in %s: %s", e.Name, e.Package, dir, setupHint)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", e.Name, err)
	}
	var pkg struct{ Version string }
	if err := json.Unmarshal(data, &pkg); err != nil {
		return fmt.Errorf("%s: reading the installed %s: %w", e.Name, e.Package, err)
	}
	if pkg.Version != want {
		return fmt.Errorf("%s: %s %s is installed but package.json pins %s: %s", e.Name, e.Package, pkg.Version, want, setupHint)
	}
	return nil
}

// pinned returns the version of pkg that dir/package.json pins.
func pinned(dir, pkg string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return "", err
	}
	var manifest struct{ Dependencies map[string]string }
	if err := json.Unmarshal(data, &manifest); err != nil {
		return "", fmt.Errorf("%s: %w", filepath.Join(dir, "package.json"), err)
	}
	v, ok := manifest.Dependencies[pkg]
	if !ok {
		return "", fmt.Errorf("%s does not pin %s", filepath.Join(dir, "package.json"), pkg)
	}
	return v, nil
}
