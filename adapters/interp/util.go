package interp

import (
	"sort"
	"strings"

	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/scenario/pysource"
)

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// splitLines splits rendered source into its lines, without the final
// newline's empty remainder.
func splitLines(src string) []string {
	return strings.Split(strings.TrimSuffix(src, "\n"), "\n")
}

// moduleText is body rendered as a compile expression renders it
// (pysource.Module), for quoting the line a SyntaxError names. A body
// pysource refuses never gets this far (validate), so its error is moot.
func moduleText(body []scenario.Stmt) string {
	text, _ := pysource.Module(body)
	return text
}
