package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/scenario/pysource"
	"github.com/aiterspec/aiterspec/spec"
)

func init() {
	register(&command{
		name:    "scenario",
		args:    "ID...",
		summary: "print the scenarios of a behaviour as a harness receives them (JSON and rendered Python), with the answer CPython gives",
		doc: `ID is a behaviour id (SEED-ASYNC-FOR, G05; "aiterspec scenario -list" lists
them). For each of its specs it prints where the spec is written, the run
message a harness reads on its standard input (laid out here; -compact
prints the exact line), the Python program that scenario is (what the
Python harnesses execute), and the result message a conforming harness
answers (CPython 3.11's observations, then those of other versions where
CPython changed). A harness author can see what a failing spec sent
without logging their own stdin.`,
		run: runScenario,
	})
}

func runScenario(inv *invocation, args []string) int {
	compact := inv.flags.Bool("compact", false, "print each message as the one line the protocol sends")
	list := inv.flags.Bool("list", false, "list the behaviour ids with their summaries")
	if status, done := inv.parse(args); done {
		return status
	}
	behaviours := spec.Behaviours()
	if *list {
		for _, b := range behaviours {
			fmt.Fprintf(inv.stdout, "%-16s %s\n", b.ID, b.Summary)
		}
		return 0
	}
	if inv.flags.NArg() == 0 {
		return inv.usageError("name a behaviour id, e.g. SEED-ASYNC-FOR or G05 (-list lists them)")
	}
	byID := map[string]spec.Behaviour{}
	for _, b := range behaviours {
		byID[strings.ToUpper(b.ID)] = b
	}
	status := 0
	for _, id := range inv.flags.Args() {
		b, ok := byID[strings.ToUpper(id)]
		if !ok {
			fmt.Fprintf(inv.stderr, "aiterspec scenario: no behaviour %q%s (aiterspec scenario -list lists them)\n", id, similarIDs(id, behaviours))
			status = 1
			continue
		}
		if err := printBehaviour(inv.stdout, b, *compact); err != nil {
			fmt.Fprintf(inv.stderr, "aiterspec scenario %s: %v\n", b.ID, err)
			status = 1
		}
	}
	return status
}

// similarIDs suggests ids of the same family as id: "; G05, G06 are close".
func similarIDs(id string, behaviours []spec.Behaviour) string {
	id = strings.ToUpper(id)
	var close []string
	for _, b := range behaviours {
		if len(id) > 0 && strings.HasPrefix(b.ID, id[:1]) && (strings.HasPrefix(b.ID, id) || strings.HasPrefix(id, b.Family)) {
			close = append(close, b.ID)
		}
	}
	if len(close) == 0 || len(close) > 40 {
		return ""
	}
	sort.Strings(close)
	return "; the " + close[0][:1] + " family has " + strings.Join(close, ", ")
}

// runMessage and resultMessage are the protocol's messages
// (adapters/process/PROTOCOL.md), as the process adapter writes them.
type runMessage struct {
	Type     string             `json:"type"`
	ID       string             `json:"id"`
	Scenario *scenario.Scenario `json:"scenario"`
}

type resultMessage struct {
	Type         string                 `json:"type"`
	ID           string                 `json:"id"`
	State        string                 `json:"state"`
	Observations []scenario.Observation `json:"observations"`
}

func printBehaviour(w io.Writer, b spec.Behaviour, compact bool) error {
	fmt.Fprintf(w, "# %s: %s\n", b.ID, b.Summary)
	for i, c := range b.Specs {
		fmt.Fprintf(w, "\n## spec %d of %d: %s\n", i+1, len(b.Specs), c.Scenario.Title)
		fmt.Fprintf(w, "written at %s\n", relativeToModule(c.Location.String()))
		if len(c.Scenario.Needs) > 0 {
			needs := make([]string, len(c.Scenario.Needs))
			for i, n := range c.Scenario.Needs {
				needs[i] = string(n)
			}
			fmt.Fprintf(w, "needs: %s (a harness that does not announce these is reported unsupported without being sent the scenario)\n", strings.Join(needs, " "))
		}
		for _, v := range c.PythonVersions {
			fmt.Fprintf(w, "exists only in Python %s\n", v)
		}
		id := fmt.Sprint(i + 1)
		run, err := encodeMessage(runMessage{Type: "run", ID: id, Scenario: &c.Scenario}, compact)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\n### the run message (aiterspec -> harness; one that announced the python-source option also gets \"program\": the Python below)\n%s\n", run)
		program, err := pysource.Program(&c.Scenario)
		if err != nil {
			program = "# not expressible in Python (a Python harness answers unsupported): " + err.Error()
		}
		how := "rendered by scenario/pysource"
		if c.Scenario.Mode == scenario.SourceMode {
			how = "source mode: the program verbatim, run as a script"
		}
		fmt.Fprintf(w, "\n### the program a Python harness runs (%s)\n%s\n", how, strings.TrimRight(program, "\n"))
		answer, err := encodeMessage(resultMessage{Type: "result", ID: id, State: "completed", Observations: nonNil(c.Expect)}, compact)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\n### the result CPython 3.11 gives (harness -> aiterspec)\n%s\n", answer)
		for _, ve := range c.Versions {
			answer, err := encodeMessage(resultMessage{Type: "result", ID: id, State: "completed", Observations: nonNil(ve.Expect)}, compact)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "\n### the result on Python %s (%s)\n%s\n", ve.Constraint, ve.Note, answer)
		}
	}
	return nil
}

func nonNil(obs []scenario.Observation) []scenario.Observation {
	if obs == nil {
		return []scenario.Observation{}
	}
	return obs
}

// encodeMessage is m as the protocol's one line, or laid out for reading.
func encodeMessage(m any, compact bool) (string, error) {
	line, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	if compact {
		return string(line), nil
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber() // 1.0 stays 1.0: a float, as the harness reads it
	tree, err := readOrdered(dec)
	if err != nil {
		return "", err
	}
	var out strings.Builder
	layout(&out, tree, "")
	return out.String(), nil
}

// layoutWidth is how wide a JSON value may be to stay on one line.
const layoutWidth = 100

// layout writes v as indented JSON, keeping each object or array that fits
// in layoutWidth on one line: the scenario trees are deep, and a statement
// reads best whole.
func layout(w *strings.Builder, v any, indent string) {
	flat := flatJSON(v)
	if len(indent)+len(flat) <= layoutWidth {
		w.WriteString(flat)
		return
	}
	inner := indent + "  "
	switch v := v.(type) {
	case object:
		w.WriteString("{")
		for i, k := range v.keys {
			if i > 0 {
				w.WriteString(",")
			}
			key, _ := json.Marshal(k)
			fmt.Fprintf(w, "\n%s%s: ", inner, key)
			layout(w, v.values[i], inner)
		}
		fmt.Fprintf(w, "\n%s}", indent)
	case []any:
		w.WriteString("[")
		for i, x := range v {
			if i > 0 {
				w.WriteString(",")
			}
			fmt.Fprintf(w, "\n%s", inner)
			layout(w, x, inner)
		}
		fmt.Fprintf(w, "\n%s]", indent)
	default:
		w.WriteString(flat)
	}
}

// flatJSON is v on one line, with a space after each colon and comma.
func flatJSON(v any) string {
	switch v := v.(type) {
	case object:
		parts := make([]string, len(v.keys))
		for i, k := range v.keys {
			key, _ := json.Marshal(k)
			parts[i] = string(key) + ": " + flatJSON(v.values[i])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = flatJSON(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// object is a JSON object with its keys in the order they were written
// (the order of the Go struct fields: module before main, target before
// body), which a map would lose.
type object struct {
	keys   []string
	values []any
}

// readOrdered reads one JSON value from dec, objects as object.
func readOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		var o object
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := readOrdered(dec)
			if err != nil {
				return nil, err
			}
			o.keys = append(o.keys, key.(string))
			o.values = append(o.values, v)
		}
		_, err := dec.Token() // }
		return o, err
	case json.Delim('['):
		a := []any{}
		for dec.More() {
			v, err := readOrdered(dec)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := dec.Token() // ]
		return a, err
	}
	return tok, nil
}

// relativeToModule shortens an absolute location in this module to
// "spec/catalogue_g.go:97".
func relativeToModule(loc string) string {
	if i := strings.LastIndex(loc, "/spec/"); i >= 0 {
		return loc[i+1:]
	}
	return loc
}
