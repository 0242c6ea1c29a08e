package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/process"
	"github.com/aiterspec/aiterspec/internal/speclock"
	"github.com/aiterspec/aiterspec/reports"
)

// suiteRun is one run of the conformance suite through Ginkgo's own CLI
// (`go tool ginkgo`), against one adapter, read back from Ginkgo's JSON
// report. aiterspec does not run specs itself: Ginkgo's flags (-p,
// --label-filter, --focus, ...) work as they do on the command line.
type suiteRun struct {
	// Root is the aiterspec module the suite is run from.
	Root string
	// Adapter is the --adapter value.
	Adapter string
	// Suite is what to run: "./spec", or a test binary built by buildSuite.
	Suite string
	// GinkgoFlags go before the suite, SuiteFlags after "--".
	GinkgoFlags, SuiteFlags []string
	// Baseline, if set, is passed to the suite for its expected hangs' time
	// limits.
	Baseline string
	// JSONReport is where Ginkgo writes its report.
	JSONReport string
	// Log receives Ginkgo's own output.
	Log io.Writer
}

// errNoModule explains that check and report need a checkout.
var errNoModule = errors.New("run this from a checkout of aiterspec (git clone, then cd into it): it runs the suite there with `go tool ginkgo ./spec`")

// checkoutRoot finds the aiterspec checkout around the current directory.
func checkoutRoot() (string, error) {
	root := process.ModuleRoot()
	if root == "" {
		return "", errNoModule
	}
	return root, nil
}

// describe opens the adapter to read what it announces (and to fail early,
// with the adapter's own explanation, when it cannot start).
func describe(adapter string) (adapters.Info, error) {
	if err := adapters.Check(adapter); err != nil {
		return adapters.Info{}, err
	}
	a, err := adapters.Open(adapter, adapters.Options{})
	if err != nil {
		return adapters.Info{}, err
	}
	info := a.Info()
	if err := a.Close(); err != nil {
		return info, err
	}
	return info, nil
}

// run runs the suite; it returns the suites of Ginkgo's JSON report. An
// error means the report could not be read (Ginkgo failed to build or
// start the suite); Ginkgo's own exit status is not an error, since a
// failed spec is a result to gate.
func (r suiteRun) run(ctx context.Context) ([]reports.Suite, error) {
	// The folder goes in --output-dir and the name in --json-report: Ginkgo's
	// CLI joins a --json-report path, absolute or not, to the suite's folder
	// and leaves the folders it made there (onsi/ginkgo#1001).
	args := []string{"tool", "ginkgo", "--no-color", "--output-dir=" + filepath.Dir(r.JSONReport), "--json-report=" + filepath.Base(r.JSONReport)}
	args = append(args, r.GinkgoFlags...)
	args = append(args, r.Suite, "--", "--adapter="+r.Adapter)
	if r.Baseline != "" {
		args = append(args, "--baseline="+r.Baseline)
	}
	args = append(args, r.SuiteFlags...)
	cmd := exec.CommandContext(ctx, goCommand(), args...)
	cmd.Dir = r.Root
	cmd.Stdout, cmd.Stderr = r.Log, r.Log
	_ = os.Remove(r.JSONReport)
	if r.Suite == "./spec" {
		// Ginkgo compiles ./spec to spec/spec.test: one run at a time.
		unlock, err := speclock.Lock(filepath.Join(r.Root, "spec"))
		if err != nil {
			return nil, err
		}
		defer unlock()
	}
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	suites, err := reports.Load(r.JSONReport)
	if err != nil {
		if runErr != nil {
			return nil, fmt.Errorf("go %s: %v, and it wrote no report", strings.Join(args, " "), runErr)
		}
		return nil, err
	}
	return suites, nil
}

// goCommand is the go tool that runs Ginkgo: $GO, else go on PATH.
func goCommand() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}

// buildSuite compiles the suite once (for runs against several adapters)
// into a test binary inside spec/, where it must run from; the returned
// cleanup removes it.
func buildSuite(ctx context.Context, root string, log io.Writer) (string, func(), error) {
	name := fmt.Sprintf("aiterspec-%d.test", os.Getpid())
	out := filepath.Join(root, "spec", name)
	cmd := exec.CommandContext(ctx, goCommand(), "tool", "ginkgo", "build", "-o", out, "./spec")
	cmd.Dir = root
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.MultiWriter(&buf, log), io.MultiWriter(&buf, log)
	if err := cmd.Run(); err != nil {
		os.Remove(out)
		return "", nil, fmt.Errorf("building the suite: %v\n%s", err, tail(buf.String(), 20))
	}
	return "./spec/" + name, func() { os.Remove(out) }, nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// splitArgs separates a command line into the command's own flags (those
// defined in own), the rest before "--" (Ginkgo's flags, or report paths)
// and what follows "--" (the suite's own flags). A flag of ours given as
// "-name value" takes the next argument as its value.
func splitArgs(args []string, own map[string]bool) (mine, rest, suite []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return mine, rest, args[i+1:]
		}
		name, hasValue := flagName(a)
		isBool, ok := own[name]
		if !ok {
			rest = append(rest, a)
			continue
		}
		mine = append(mine, a)
		if !isBool && !hasValue && i+1 < len(args) {
			i++
			mine = append(mine, args[i])
		}
	}
	return mine, rest, nil
}

// flagName returns the name of a flag argument ("--adapter=x" → "adapter")
// and whether it carries its value; "" for a non-flag.
func flagName(a string) (string, bool) {
	if !strings.HasPrefix(a, "-") || a == "-" {
		return "", false
	}
	a = strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
	name, _, hasValue := strings.Cut(a, "=")
	return name, hasValue
}

// commit is the suite's git commit, with "-dirty" when the tree has
// uncommitted changes ("unknown" outside git).
func commit(root string) string {
	out, err := exec.Command("git", "-C", root, "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(bytes.TrimSpace(st)) > 0 {
		c += "-dirty"
	}
	return c
}

// now is the clock; tests fix it.
var now = time.Now
