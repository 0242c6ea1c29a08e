package scenario

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// FORMAT.md's tables of statements and expressions list each kind's
// fields, optional ones marked `?`: the same as the decoder's rules, so
// that a harness author reading the document alone knows which fields are
// required.
func TestFormatTablesListTheDecodersFields(t *testing.T) {
	data, err := os.ReadFile("FORMAT.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	section := func(from, to string) string {
		i, j := strings.Index(doc, from), strings.Index(doc, to)
		if i < 0 || j < i {
			t.Fatalf("FORMAT.md lacks the sections %q ... %q", from, to)
		}
		return doc[i:j]
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z_]+)`(?:, `[a-z_]+`)* \\| ([^|]*) \\|")
	field := regexp.MustCompile("`([a-z_]+)`(\\?)?")
	check := func(what, text string, rules map[string]fieldRule) {
		seen := map[string]bool{}
		for _, m := range row.FindAllStringSubmatch(text, -1) {
			rule, ok := rules[m[1]]
			if !ok {
				continue
			}
			seen[m[1]] = true
			var allowed, required []string
			for _, f := range field.FindAllStringSubmatch(m[2], -1) {
				allowed = append(allowed, f[1])
				if f[2] == "" {
					required = append(required, f[1])
				}
			}
			if !slices.Equal(allowed, rule.allowed) || !slices.Equal(required, rule.required) {
				t.Errorf("%s %s: FORMAT.md lists fields %v (required %v), the decoder allows %v (required %v)",
					what, m[1], allowed, required, rule.allowed, rule.required)
			}
		}
		for kind := range rules {
			if !seen[kind] && len(rules[kind].allowed) > 0 {
				t.Errorf("%s %s: not in FORMAT.md's table", what, kind)
			}
		}
	}
	stmts := map[string]fieldRule{}
	for k, r := range stmtFields {
		stmts[string(k)] = r
	}
	exprs := map[string]fieldRule{}
	for k, r := range exprFields {
		exprs[string(k)] = r
	}
	check("statement", section("## Statements", "## Expressions"), stmts)
	check("expression", section("## Expressions", "### Names"), exprs)
}
