// Package exec registers the adapter "exec": any harness of the process
// protocol (adapters/process/PROTOCOL.md), given as a command line.
//
// --adapter='exec:COMMAND' runs `/bin/sh -c 'exec COMMAND'` (so COMMAND is
// one simple command, with the shell's quoting and variables) from the
// root of the aiterspec module, found by walking up from the current
// directory. A relative path in COMMAND is therefore relative to the module
// root whether the suite runs from there or, as `go test` does, from spec/.
// Outside the module, the current directory is used.
package exec

import (
	"errors"
	"strings"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/adapters/process"
)

// example is a harness that ships with aiterspec, for messages.
const example = "node adapters/process/examples/minimal-node/harness.mjs"

func init() {
	adapters.Register(adapters.Registration{
		Name:    "exec",
		Usage:   "exec:COMMAND",
		Summary: "any harness speaking adapters/process/PROTOCOL.md, run as /bin/sh -c 'exec COMMAND' from the module root",
		Open:    open,
	})
}

func open(arg string, opts adapters.Options) (adapters.Adapter, error) {
	command := strings.TrimSpace(arg)
	if command == "" {
		return nil, errors.New("no command: give the harness command after the colon, e.g. --adapter='exec:" + example + "'")
	}
	cfg := process.Config{
		Name: "exec",
		// exec: the harness replaces the shell, so its exit status and
		// signals are its own.
		Argv:            []string{"/bin/sh", "-c", "exec " + command},
		Dir:             process.ModuleRoot(),
		ScenarioTimeout: opts.Timeout(),
		StartTimeout:    opts.StartTimeout,
	}
	if opts.StartTimeout == 0 {
		// Any command can be given here, and one that is no harness (cat,
		// sleep 100) says nothing at all: give up on it in seconds. A
		// limit given explicitly is the whole limit.
		cfg.SilentStartTimeout = process.DefaultSilentStartTimeout
	}
	c, err := process.Open(cfg)
	if err != nil {
		return nil, err
	}
	return c, nil
}
