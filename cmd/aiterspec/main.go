// Command aiterspec is the toolbox around the aiterspec conformance suite:
// it lists the adapters, shows the scenarios a harness receives, and gates
// CI on the suite's reports. The suite itself is a Ginkgo suite and runs
// with `go tool ginkgo ./spec`.
//
// `aiterspec help` lists the commands; `aiterspec COMMAND -h` describes one.
//
// Each command lives in its own file and adds itself to the command table
// from an init function (see [command]); nothing else needs to change to
// add one.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one entry of the command table.
type command struct {
	// name selects it: `aiterspec NAME`.
	name string
	// args is the synopsis after the name and the flags, e.g. "REPORT.json...".
	args string
	// summary says in one line what it does (shown by `aiterspec help`).
	summary string
	// doc, if set, says more in `aiterspec NAME -h`: a few lines, wrapped.
	doc string
	// run runs the command. It defines its flags on inv.flags, calls
	// inv.parse, and returns the exit status: 0 success, 1 the check it
	// performs failed, 2 bad usage.
	run func(inv *invocation, args []string) int
}

// commands is the command table, filled by each command file's init.
var commands = map[string]*command{}

// register adds c to the command table. A command's file calls it from init:
//
//	func init() {
//		register(&command{name: "bench", args: "...", summary: "...", run: runBench})
//	}
func register(c *command) {
	if c.name == "" || c.summary == "" || c.run == nil {
		panic(fmt.Sprintf("aiterspec: command %q needs a name, a summary and run", c.name))
	}
	if _, dup := commands[c.name]; dup {
		panic(fmt.Sprintf("aiterspec: command %q registered twice", c.name))
	}
	commands[c.name] = c
}

// sortedCommands returns the table in name order.
func sortedCommands() []*command {
	out := make([]*command, 0, len(commands))
	for _, c := range commands {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// invocation is what a command runs with: where to write, and its flag set,
// named after it and printing its usage on -h.
type invocation struct {
	cmd            *command
	stdout, stderr io.Writer
	flags          *flag.FlagSet
}

// parse parses args with inv.flags. It returns done=true when the command
// must stop at once with the returned status: after -h or --help (status
// 0, usage on stdout) or a bad flag (status 2, the error and usage on
// stderr).
func (inv *invocation) parse(args []string) (status int, done bool) {
	inv.flags.SetOutput(io.Discard)
	err := inv.flags.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		inv.usage(inv.stdout)
		return 0, true
	case err != nil:
		return inv.usageError("%v", err), true
	}
	return 0, false
}

// synopsis is the command's one-line usage: "aiterspec check [flags] REPORT.json...".
func (inv *invocation) synopsis() string {
	s := "aiterspec " + inv.cmd.name
	if inv.hasFlags() {
		s += " [flags]"
	}
	if inv.cmd.args != "" {
		s += " " + inv.cmd.args
	}
	return s
}

func (inv *invocation) hasFlags() bool {
	has := false
	inv.flags.VisitAll(func(*flag.Flag) { has = true })
	return has
}

// usage prints the command's synopsis, description and flags.
func (inv *invocation) usage(w io.Writer) {
	c := inv.cmd
	fmt.Fprintf(w, "usage: %s\n\n%s\n", inv.synopsis(), capitalise(c.summary))
	if c.doc != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.doc))
	}
	if inv.hasFlags() {
		fmt.Fprintln(w, "\nflags:")
		inv.flags.SetOutput(w)
		inv.flags.PrintDefaults()
		inv.flags.SetOutput(io.Discard)
	}
}

// usageError reports a mistake in the command line, with the synopsis and
// where to read more, and returns the status for bad usage.
func (inv *invocation) usageError(format string, a ...any) int {
	fmt.Fprintf(inv.stderr, "aiterspec %s: %s\nusage: %s\n(\"aiterspec %s -h\" describes it)\n",
		inv.cmd.name, fmt.Sprintf(format, a...), inv.synopsis(), inv.cmd.name)
	return 2
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command line args and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printUsage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help":
		printUsage(stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "aiterspec: unknown command %q (known: %s); run `aiterspec help`\n",
			args[0], strings.Join(commandNames(), ", "))
		return 2
	}
	return c.invoke(args[1:], stdout, stderr)
}

// invoke runs c with args (what followed its name).
func (c *command) invoke(args []string, stdout, stderr io.Writer) int {
	inv := &invocation{cmd: c, stdout: stdout, stderr: stderr,
		flags: flag.NewFlagSet("aiterspec "+c.name, flag.ContinueOnError)}
	return c.run(inv, args)
}

func commandNames() []string {
	var names []string
	for _, c := range sortedCommands() {
		names = append(names, c.name)
	}
	return names
}

// printUsage lists every command with its one-line summary.
func printUsage(w io.Writer) {
	fmt.Fprint(w, `aiterspec: tools around the aiterspec conformance suite for Python's async
iteration protocol.

The suite itself is a Ginkgo suite; run it with
    go tool ginkgo ./spec                              (the built-in reference)
    go tool ginkgo ./spec -- --adapter=cpython         (any adapter: see "aiterspec adapters")

usage: aiterspec COMMAND [flags] [arguments]
       (from a checkout: go run ./cmd/aiterspec COMMAND ...)

commands:
`)
	width := 0
	for _, c := range sortedCommands() {
		width = max(width, len(c.name))
	}
	for _, c := range sortedCommands() {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun \"aiterspec COMMAND -h\" (or \"aiterspec help COMMAND\") for a command's flags and arguments.\n")
}
