package interp

import (
	"sort"
	"strings"
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
