package spec

import (
	"fmt"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/aiterspec/aiterspec/scenario"
)

// Behaviour is one behaviour the suite checks: its id (the Ginkgo label of
// its specs), its family, a one-line summary, and its specs.
type Behaviour struct {
	ID      string
	Family  string
	Summary string
	// Specs are the behaviour's cases, in declaration order.
	Specs []*Case
	// Location is where the behaviour is declared.
	Location types.CodeLocation
}

// Family is a group of behaviours: the seed tutorial's, or a group of the
// CPython 3.11 catalogue.
type Family struct {
	Prefix string
	Title  string
}

// Families lists the families in report order. A behaviour's family is the
// prefix of its id: "SEED" in SEED-ASYNC-FOR, "G" in G05.
var Families = []Family{
	{"SEED", "The seed tutorial"},
	{"G", "Async generators: ordering, exhaustion, anext() and its default"},
	{"S", "async for and sync iteration over the wrong kinds of object"},
	{"N", "What __anext__ may return"},
	{"C", "Compile-time rules (SyntaxError)"},
	{"B", "The builtins aiter() and anext() on wrong types"},
	{"R", "Concurrency and re-entrancy"},
	{"E", "Exceptions raised in the generator body"},
	{"L", "aclose(), finalisation, break-and-resume"},
	{"T", "athrow()"},
	{"D", "asend()"},
	{"O", "Awaitable objects: creation order and reuse"},
	{"W", "await of non-awaitables"},
	{"Q", "Async comprehensions"},
	{"X", "Miscellaneous"},
	{"Z", "The seed tutorial's nine programs, run verbatim"},
}

// Behaviours returns every behaviour of the suite in report order: by
// family (as Families lists them), catalogue ids in number order, the
// seed's in declaration order. It needs no Ginkgo run: the declarations
// are read when the package is initialised.
func Behaviours() []Behaviour { return slices.Clone(declared.behaviours) }

// Cases returns every case of the suite, in the order of Behaviours.
func Cases() []*Case { return slices.Clone(declared.cases) }

// How a spec is declared, in a family file (catalogue_g.go):
//
//	var _ = family("G", func() {
//		behaviour("G05", "anext(it, default) on an exhausted iterator returns default",
//			spec("anext(g, 'D') three times on a one-value generator gives 1 D D").
//				Needs(CapAsyncGenerators, CapANextBuiltin).
//				Module(agen("agen", 1)).
//				Main(...).
//				Observes(Got(VTuple(1, "D", "D"))),
//		)
//	})
//
// The id and the one-line summary are written once, in behaviour(); the
// Ginkgo table title ("G05: anext(it, default) ..."), the README's
// behaviour table, Behaviours and each spec's label follow from them.
//
// A family body is run twice: once when the package is initialised, to
// collect the declarations (Behaviours, Cases: no Ginkgo needed), and
// once by Ginkgo when it builds its spec tree, where behaviour() makes a
// DescribeTable. So a family body holds only behaviour() calls and the
// plain values they share, never other Ginkgo nodes.

// declared holds what the family bodies declare, collected once in init
// and never changed after.
var declared struct {
	bodies     []familyBody
	behaviours []Behaviour
	cases      []*Case
}

// built holds the cases of Ginkgo's tree, appended while Ginkgo builds it:
// the family bodies run again then and make new Case values, and these,
// not Cases()'s, are the ones check receives (and an adapters.Preparer
// may recognise).
var built []*Case

type familyBody struct {
	prefix string
	body   func()
	at     types.CodeLocation
}

// collecting is the family being collected while init runs the family
// bodies, nil at any other time (when Ginkgo builds the tree).
var collecting *collection

type collection struct {
	prefix     string
	behaviours []Behaviour
}

// family declares the behaviours of the family with prefix: body calls
// behaviour() for each. It is used as `var _ = family(...)`.
func family(prefix string, body func()) bool {
	at := callerLocation(1)
	if familyTitle(prefix) == "" {
		panic(fmt.Sprintf("%s: family %q is not in spec.Families", at, prefix))
	}
	declared.bodies = append(declared.bodies, familyBody{prefix, body, at})
	Describe(prefix+": "+familyTitle(prefix), at, body)
	return true
}

// behaviour declares behaviour id, described in one line by summary, and
// its specs. Inside Ginkgo's tree it is a DescribeTable titled
// "ID: summary" with one entry per spec, labelled with the id.
func behaviour(id, summary string, specs ...*Case) {
	at := callerLocation(1)
	for _, c := range specs {
		c.Scenario.ID = id
	}
	if collecting != nil {
		collecting.behaviours = append(collecting.behaviours, Behaviour{
			ID: id, Family: collecting.prefix, Summary: summary, Specs: specs, Location: at,
		})
		return
	}
	built = append(built, specs...)
	entries := make([]TableEntry, len(specs))
	for i, c := range specs {
		// The explicit location makes Ginkgo report the spec where it is
		// written, not where the table is built.
		entries[i] = Entry(id+": "+c.Scenario.Title, append(c.decorations(), c)...)
	}
	DescribeTable(id+": "+summary, at, check, entries)
}

// spec starts a case of the enclosing behaviour: a scenario titled title.
// The case remembers where it is written, and failures point there.
func spec(title string) *Case {
	return &Case{Scenario: scenario.Scenario{Title: title}, Location: callerLocation(1)}
}

func callerLocation(skip int) types.CodeLocation {
	_, file, line, _ := runtime.Caller(skip + 1)
	return types.CodeLocation{FileName: file, LineNumber: line}
}

func familyTitle(prefix string) string {
	for _, f := range Families {
		if f.Prefix == prefix {
			return f.Title
		}
	}
	return ""
}

var (
	catalogueID = regexp.MustCompile(`^[A-Z]+[0-9]+$`)
	seedID      = regexp.MustCompile(`^SEED(-[A-Z0-9]+)+$`)
)

// familyOf returns the family prefix an id must belong to.
func familyOf(id string) string {
	if seedID.MatchString(id) {
		return "SEED"
	}
	if catalogueID.MatchString(id) {
		return strings.TrimRight(id, "0123456789")
	}
	return ""
}

// init collects the declarations of every family body (all package-level
// variables, and so every family() call, are initialised before init
// runs) and checks them: a malformed declaration stops every test binary
// at once, naming the file and line to fix.
func init() {
	var all []Behaviour
	where := map[string]types.CodeLocation{}
	for _, fb := range declared.bodies {
		collecting = &collection{prefix: fb.prefix}
		fb.body()
		for _, b := range collecting.behaviours {
			switch {
			case familyOf(b.ID) != fb.prefix:
				panic(fmt.Sprintf("%s: behaviour %q does not belong to family %s (ids look like %s)", b.Location, b.ID, fb.prefix, example(fb.prefix)))
			case where[b.ID] != (types.CodeLocation{}):
				panic(fmt.Sprintf("%s: behaviour %s is already declared at %s; add the spec there", b.Location, b.ID, where[b.ID]))
			case strings.TrimSpace(b.Summary) == "" || strings.Contains(b.Summary, "\n"):
				panic(fmt.Sprintf("%s: behaviour %s needs a one-line summary", b.Location, b.ID))
			case len(b.Specs) == 0:
				panic(fmt.Sprintf("%s: behaviour %s has no spec", b.Location, b.ID))
			}
			where[b.ID] = b.Location
			all = append(all, b)
		}
		collecting = nil
	}
	order := map[string]int{}
	for i, f := range Families {
		order[f.Prefix] = i
	}
	slices.SortStableFunc(all, func(a, b Behaviour) int {
		if d := order[a.Family] - order[b.Family]; d != 0 {
			return d
		}
		if a.Family == "SEED" {
			return 0 // the seed's behaviours read as a story: keep their order
		}
		return strings.Compare(a.ID, b.ID)
	})
	declared.behaviours = all
	for _, b := range all {
		declared.cases = append(declared.cases, b.Specs...)
	}
}

func example(prefix string) string {
	if prefix == "SEED" {
		return "SEED-ASYNC-FOR"
	}
	return prefix + "01"
}

// relativeLocation is l with the file name from the spec folder on
// ("spec/catalogue_g.go:97"), for messages that read the same on every
// machine.
func relativeLocation(l types.CodeLocation) string {
	if i := strings.LastIndex(l.FileName, "/spec/"); i >= 0 {
		return fmt.Sprintf("%s:%d", filepath.ToSlash(l.FileName[i+1:]), l.LineNumber)
	}
	return l.String()
}

// A family body that made Ginkgo nodes of its own (an It, a BeforeEach)
// would run them outside the declarations; this catches it.
var _ = ReportAfterSuite("every spec Ginkgo built is a declared case", func(r Report) {
	if run := running.Load(); run != nil && run.setupErr != nil {
		return // the BeforeSuite failed, and Ginkgo reports no spec then
	}
	n := 0
	for _, sr := range r.SpecReports {
		if sr.LeafNodeType == types.NodeTypeIt {
			n++
		}
	}
	if n != len(declared.cases) {
		Fail(fmt.Sprintf("Ginkgo built %d specs but the families declare %d cases: a family body must hold only behaviour() calls", n, len(declared.cases)))
	}
})
