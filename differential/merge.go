package differential

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	. "github.com/aiterspec/aiterspec/scenario"
)

// mergeByShape merges classes whose shrunk programs are the same program
// up to the choice of exception classes, literals and event names, with
// signatures that differ only in exception types: "raised KeyError ≠
// value" and "raised SystemExit ≠ value" from athrow(KeyError) and
// athrow(SystemExit) on a finished generator are one difference. The
// merged class keeps the lowest-numbered program's signature and shrunk
// program, and lists the others' signatures in Also.
func mergeByShape(classes []*Divergence) []*Divergence {
	var out []*Divergence
	byKey := map[string]*Divergence{}
	for _, cl := range classes {
		if cl.Shrunk == nil || cl.Flaky {
			out = append(out, cl)
			continue
		}
		key := coarseSignature(cl.Signature) + "\n" + shapeOf(&cl.Shrunk.Scenario)
		into := byKey[key]
		if into == nil {
			byKey[key] = cl
			out = append(out, cl)
			continue
		}
		into.Count += cl.Count
		into.Also = append(into.Also, cl.Signature)
		into.Also = append(into.Also, cl.Also...)
		into.ShrinkSteps += cl.ShrinkSteps
	}
	slices.SortStableFunc(out, func(x, y *Divergence) int {
		switch {
		case x.First.Program < y.First.Program:
			return -1
		case x.First.Program > y.First.Program:
			return 1
		}
		return 0
	})
	return out
}

var exceptionType = regexp.MustCompile(`\b(raised|exception) [A-Za-z_.]+`)

// coarseSignature is a signature without exception types and details.
func coarseSignature(sig string) string {
	if i := strings.Index(sig, " ("); i >= 0 && strings.HasSuffix(sig, ")") && !strings.HasPrefix(sig, "errored") {
		sig = sig[:i]
	}
	return exceptionType.ReplaceAllString(sig, "$1 E")
}

// shapeOf is a scenario's encoding with exception class names, literals
// and event names blanked.
func shapeOf(sc *Scenario) string {
	c := clone(sc)
	c.Title = ""
	cs := collect(c)
	for _, st := range cs.stmts {
		if st.Kind == EmitStmt {
			st.Event = "event"
		}
		for i := range st.Handlers {
			if exceptionNames[st.Handlers[i].Type] {
				st.Handlers[i].Type = "E"
			}
		}
	}
	for _, e := range cs.exprs {
		switch e.Kind {
		case LitExpr:
			v := V("L")
			e.Value = &v
		case VarExpr:
			if exceptionNames[e.Name] {
				e.Name = "E"
			}
		case CallExpr:
			if exceptionNames[e.Func] {
				*e = *Var("E") // E, E() and E('m') alike
			}
		}
	}
	data, _ := json.Marshal(c)
	return string(data)
}
