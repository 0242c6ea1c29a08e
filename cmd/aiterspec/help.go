package main

func init() {
	register(&command{
		name:    "help",
		args:    "[COMMAND]",
		summary: "list the commands, or describe one",
		run:     runHelp,
	})
}

func runHelp(inv *invocation, args []string) int {
	if status, done := inv.parse(args); done {
		return status
	}
	switch inv.flags.NArg() {
	case 0:
		printUsage(inv.stdout)
		return 0
	case 1:
		c, ok := commands[inv.flags.Arg(0)]
		if !ok {
			return inv.usageError("unknown command %q", inv.flags.Arg(0))
		}
		return c.invoke([]string{"-h"}, inv.stdout, inv.stderr)
	}
	return inv.usageError("name at most one command")
}
