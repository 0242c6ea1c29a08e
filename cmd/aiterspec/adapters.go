package main

import (
	"fmt"

	"github.com/aiterspec/aiterspec/adapters"
	_ "github.com/aiterspec/aiterspec/adapters/all"
)

func init() {
	register(&command{
		name:    "adapters",
		summary: "list the implementations --adapter accepts",
		run:     runAdapters,
	})
}

func runAdapters(inv *invocation, args []string) int {
	if status, done := inv.parse(args); done {
		return status
	}
	if inv.flags.NArg() > 0 {
		return inv.usageError("takes no arguments")
	}
	for _, r := range adapters.Known() {
		fmt.Fprintf(inv.stdout, "%-22s %s\n", r.Usage, r.Summary)
	}
	return 0
}
