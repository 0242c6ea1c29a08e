package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// DecodeError is a malformed scenario or observation: Path is the JSON path
// of the offending element, e.g. `main[2].kind`.
type DecodeError struct {
	Path string
	Msg  string
}

// Error is "path: message", e.g. `main[2].kind: unknown statement "anxt"`.
func (e *DecodeError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Decode parses one scenario from its JSON encoding. It rejects unknown
// statement, expression and value kinds, unknown or missing fields, and
// fields a kind does not allow, with a [*DecodeError] naming the path,
// then checks the tree as [Validate] does.
func Decode(data []byte) (*Scenario, error) {
	t, err := parseTree(data)
	if err != nil {
		return nil, err
	}
	d := decoder{}
	s := d.scenario(t, "")
	if d.err == nil {
		d.checkScenario(&s)
	}
	if d.err != nil {
		return nil, d.err
	}
	return &s, nil
}

// Encode returns the JSON encoding of s, having checked it with
// [Validate], so that a harness never receives a malformed scenario.
func Encode(s *Scenario) ([]byte, error) {
	if err := Validate(s); err != nil {
		return nil, err
	}
	data, err := json.Marshal(s)
	if err != nil {
		return nil, &DecodeError{Msg: "cannot encode the scenario: " + err.Error()}
	}
	return data, nil
}

// UnmarshalJSON decodes s strictly, like [Decode].
func (s *Scenario) UnmarshalJSON(data []byte) error {
	got, err := Decode(data)
	if err != nil {
		return err
	}
	*s = *got
	return nil
}

// parseTree reads exactly one JSON value, keeping numbers exact.
func parseTree(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var t any
	if err := dec.Decode(&t); err != nil {
		return nil, &DecodeError{Msg: "not JSON: " + err.Error()}
	}
	if dec.More() {
		return nil, &DecodeError{Msg: "not JSON: more than one value"}
	}
	return t, nil
}

// decoder walks a parsed JSON tree, keeping the first error. After an error
// every method still returns a zero value, so callers need not check each
// step. It checks the JSON's shape (types, kinds, fields present); what
// the values must be is checked on the Go tree (validate.go), for
// scenarios decoded and built in Go alike.
type decoder struct {
	err error
	at  []segment // where the checks of validate.go are
}

func (d *decoder) fail(path, format string, args ...any) {
	if d.err == nil {
		d.err = &DecodeError{Path: path, Msg: fmt.Sprintf(format, args...)}
	}
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func jsonType(t any) string {
	switch t.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", t)
}

func (d *decoder) object(t any, path, what string) map[string]any {
	m, ok := t.(map[string]any)
	if !ok {
		d.fail(path, "%s must be an object, got %s", what, jsonType(t))
	}
	return m
}

// fields checks m's keys against the allowed and required ones.
func (d *decoder) fields(m map[string]any, path, what string, allowed, required []string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			d.fail(join(path, k), "unknown field %q for %s (allowed: %s)", k, what, strings.Join(allowed, ", "))
		}
	}
	for _, k := range required {
		if _, ok := m[k]; !ok {
			d.fail(join(path, k), "missing field %q for %s", k, what)
		}
	}
}

func (d *decoder) str(t any, path string) string {
	s, ok := t.(string)
	if !ok && t != nil {
		d.fail(path, "must be a string, got %s", jsonType(t))
	}
	return s
}

func (d *decoder) name(t any, path string) string {
	s := d.str(t, path)
	if s == "" && d.err == nil {
		d.fail(path, "must be a non-empty name")
	}
	return s
}

func (d *decoder) boolean(t any, path string) bool {
	b, ok := t.(bool)
	if !ok && t != nil {
		d.fail(path, "must be a boolean, got %s", jsonType(t))
	}
	return b
}

func (d *decoder) integer(t any, path string) int {
	n, ok := t.(json.Number)
	i, err := n.Int64()
	if !ok || err != nil {
		d.fail(path, "must be an integer, got %s", jsonType(t))
	}
	return int(i)
}

func (d *decoder) strings(t any, path string) []string {
	return decodeList(d, t, path, d.str)
}

// decodeList decodes a JSON array (null and absent mean empty) element by
// element.
func decodeList[T any](d *decoder, t any, path string, elem func(any, string) T) []T {
	if t == nil {
		return nil
	}
	a, ok := t.([]any)
	if !ok {
		d.fail(path, "must be an array, got %s", jsonType(t))
		return nil
	}
	if len(a) == 0 {
		return nil
	}
	out := make([]T, len(a))
	for i, x := range a {
		out[i] = elem(x, index(path, i))
	}
	return out
}

func (d *decoder) scenario(t any, path string) Scenario {
	m := d.object(t, path, "a scenario")
	d.fields(m, path, "a scenario",
		[]string{"id", "title", "needs", "mode", "report", "module", "main", "after", "source"}, []string{"id"})
	s := Scenario{
		ID:     d.str(m["id"], join(path, "id")),
		Title:  d.str(m["title"], join(path, "title")),
		Mode:   Mode(d.str(m["mode"], join(path, "mode"))),
		Module: d.stmts(m["module"], join(path, "module")),
		Main:   d.stmts(m["main"], join(path, "main")),
		After:  d.stmts(m["after"], join(path, "after")),
		Source: d.str(m["source"], join(path, "source")),
	}
	for _, c := range d.strings(m["needs"], join(path, "needs")) {
		s.Needs = append(s.Needs, Capability(c))
	}
	s.Report = d.strings(m["report"], join(path, "report"))
	if _, ok := m["source"]; ok && s.Source == "" && s.Mode != SourceMode {
		// Present but empty: the Go tree cannot tell it from absent.
		d.fail(join(path, "source"), "source is only for mode %q", SourceMode)
	}
	return s
}

func capabilityList() string {
	names := make([]string, len(Capabilities))
	for i, c := range Capabilities {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

func (d *decoder) stmts(t any, path string) []Stmt { return decodeList(d, t, path, d.stmt) }

func (d *decoder) stmt(t any, path string) Stmt {
	m := d.object(t, path, "a statement")
	kind := StmtKind(d.str(m["kind"], join(path, "kind")))
	rule, ok := stmtFields[kind]
	if !ok {
		if _, present := m["kind"]; !present && m != nil {
			d.fail(join(path, "kind"), "missing field \"kind\" for a statement")
		}
		d.fail(join(path, "kind"), "unknown statement %q", kind)
		return Stmt{}
	}
	what := fmt.Sprintf("statement %q", kind)
	d.fields(m, path, what, append([]string{"kind"}, rule.allowed...), rule.required)
	s := Stmt{
		Kind:      kind,
		Name:      d.str(m["name"], join(path, "name")),
		Async:     d.boolean(m["async"], join(path, "async")),
		Generator: d.boolean(m["generator"], join(path, "generator")),
		Params:    d.strings(m["params"], join(path, "params")),
		Bases:     d.strings(m["bases"], join(path, "bases")),
		Object:    d.optExpr(m, "object", path),
		Expr:      d.optExpr(m, "expr", path),
		Iter:      d.optExpr(m, "iter", path),
		Cond:      d.optExpr(m, "cond", path),
		Event:     d.str(m["event"], join(path, "event")),
		Body:      d.stmts(m["body"], join(path, "body")),
		Calls:     decodeList(d, m["calls"], join(path, "calls"), d.stmts),
		Handlers:  decodeList(d, m["handlers"], join(path, "handlers"), d.handler),
		Else:      d.stmts(m["else"], join(path, "else")),
		Finally:   d.stmts(m["finally"], join(path, "finally")),
	}
	if t, ok := m["target"]; ok {
		s.Target, s.TargetExpr = d.target(t, join(path, "target"))
	}
	return s
}

func (d *decoder) handler(t any, path string) Handler {
	m := d.object(t, path, "an except handler")
	d.fields(m, path, "an except handler", []string{"type", "as", "body"}, nil)
	return Handler{
		Type: d.str(m["type"], join(path, "type")),
		As:   d.str(m["as"], join(path, "as")),
		Body: d.stmts(m["body"], join(path, "body")),
	}
}

func (d *decoder) optExpr(m map[string]any, field, path string) *Expr {
	t, ok := m[field]
	if !ok {
		return nil
	}
	e := d.expr(t, join(path, field))
	return &e
}

func (d *decoder) exprs(t any, path string) []Expr { return decodeList(d, t, path, d.expr) }

func (d *decoder) expr(t any, path string) Expr {
	m := d.object(t, path, "an expression")
	kind := ExprKind(d.str(m["kind"], join(path, "kind")))
	rule, ok := exprFields[kind]
	if !ok {
		if _, present := m["kind"]; !present && m != nil {
			d.fail(join(path, "kind"), "missing field \"kind\" for an expression")
		}
		d.fail(join(path, "kind"), "unknown expression %q", kind)
		return Expr{}
	}
	what := fmt.Sprintf("expression %q", kind)
	d.fields(m, path, what, append([]string{"kind"}, rule.allowed...), rule.required)
	e := Expr{
		Kind:      kind,
		Name:      d.str(m["name"], join(path, "name")),
		Func:      d.str(m["func"], join(path, "func")),
		Of:        d.optExpr(m, "of", path),
		Expr:      d.optExpr(m, "expr", path),
		Args:      d.exprs(m["args"], join(path, "args")),
		Op:        d.str(m["op"], join(path, "op")),
		Left:      d.optExpr(m, "left", path),
		Right:     d.optExpr(m, "right", path),
		Items:     d.exprs(m["items"], join(path, "items")),
		Form:      d.str(m["form"], join(path, "form")),
		Element:   d.optExpr(m, "element", path),
		Key:       d.optExpr(m, "key", path),
		Clauses:   decodeList(d, m["clauses"], join(path, "clauses"), d.clause),
		Body:      d.stmts(m["body"], join(path, "body")),
		Flags:     d.strings(m["flags"], join(path, "flags")),
		Result:    d.optExpr(m, "result", path),
		Exception: d.optExpr(m, "exception", path),
		Index:     d.optExpr(m, "index", path),
	}
	if v, ok := m["value"]; ok {
		val := d.value(v, join(path, "value"))
		e.Value = &val
	}
	if kw, ok := m["kwargs"]; ok {
		km := d.object(kw, join(path, "kwargs"), "kwargs")
		e.Kwargs = make(map[string]Expr, len(km))
		for k, x := range km {
			e.Kwargs[k] = d.expr(x, join(join(path, "kwargs"), k))
		}
	}
	return e
}

func (d *decoder) clause(t any, path string) Clause {
	m := d.object(t, path, "a comprehension clause")
	d.fields(m, path, "a comprehension clause", []string{"async", "target", "iter", "if"}, []string{"target", "iter"})
	c := Clause{
		Async: d.boolean(m["async"], join(path, "async")),
		Iter:  d.optExpr(m, "iter", path),
		If:    d.exprs(m["if"], join(path, "if")),
	}
	c.Target, c.TargetExpr = d.target(m["target"], join(path, "target"))
	return c
}

// target decodes an assignment target: a name (a string), or an
// expression (checkTarget says which can be assigned to).
func (d *decoder) target(t any, path string) (string, *Expr) {
	if _, isObject := t.(map[string]any); !isObject {
		return d.str(t, path), nil
	}
	e := d.expr(t, path)
	return "", &e
}

func (d *decoder) value(t any, path string) Value {
	switch t := t.(type) {
	case nil:
		return None
	case bool:
		return Value{Kind: BoolKind, Bool: t}
	case string:
		return Value{Kind: StrKind, Str: t}
	case json.Number:
		if i, err := t.Int64(); err == nil && !strings.ContainsAny(t.String(), ".eE") {
			return Value{Kind: IntKind, Int: i}
		}
		f, err := t.Float64()
		if err != nil || math.IsInf(f, 0) {
			d.fail(path, "number %s is out of range", t)
		}
		return Value{Kind: FloatKind, Float: f}
	case map[string]any:
		if len(t) != 1 {
			d.fail(path, "a value object has exactly one key (list, tuple, set, dict, exception, object), got %d", len(t))
			return None
		}
		for k, x := range t {
			p := join(path, k)
			switch k {
			case "list", "tuple", "set":
				items := decodeList(d, x, p, d.value)
				if x != nil && items == nil {
					items = []Value{}
				}
				if k == "set" {
					return normalSet(items)
				}
				return Value{Kind: map[string]ValueKind{"list": ListKind, "tuple": TupleKind}[k], Items: items}
			case "dict":
				pairs := decodeList(d, x, p, func(pt any, pp string) [2]Value {
					a, ok := pt.([]any)
					if !ok || len(a) != 2 {
						d.fail(pp, "a dict item is a [key, value] array")
						return [2]Value{}
					}
					return [2]Value{d.value(a[0], index(pp, 0)), d.value(a[1], index(pp, 1))}
				})
				return Value{Kind: DictKind, Pairs: pairs}
			case "exception":
				em := d.object(x, p, "an exception value")
				d.fields(em, p, "an exception value", []string{"type", "message"}, []string{"type"})
				return VException(d.name(em["type"], join(p, "type")), d.str(em["message"], join(p, "message")))
			case "object":
				return VObject(d.name(x, p))
			default:
				d.fail(p, "unknown value kind %q (known: list, tuple, set, dict, exception, object)", k)
			}
		}
	}
	d.fail(path, "a value must be null, a boolean, a number, a string or a one-key object, got %s", jsonType(t))
	return None
}

func (d *decoder) observation(t any, path string) Observation {
	m := d.object(t, path, "an observation")
	kind := ObservationKind(d.str(m["kind"], join(path, "kind")))
	switch kind {
	case ObservedValue:
		d.fields(m, path, "a value observation", []string{"kind", "value"}, []string{"value"})
		v := d.value(m["value"], join(path, "value"))
		return Observation{Kind: kind, Value: &v}
	case ObservedRaise:
		r := d.raised(m, path, "a raised observation", "kind")
		return Observation{Kind: kind, Raised: &r}
	case ObservedEvent:
		d.fields(m, path, "an event observation", []string{"kind", "event", "value"}, []string{"event"})
		o := Observation{Kind: kind, Event: d.name(m["event"], join(path, "event"))}
		if x, ok := m["value"]; ok {
			v := d.value(x, join(path, "value"))
			o.Value = &v
		}
		return o
	}
	d.fail(join(path, "kind"), "unknown observation %q (known: value, raised, event)", kind)
	return Observation{}
}

func (d *decoder) raised(m map[string]any, path, what string, extra ...string) Raised {
	d.fields(m, path, what, append([]string{"type", "message", "cause", "line"}, extra...), []string{"type"})
	r := Raised{
		Type:    d.name(m["type"], join(path, "type")),
		Message: d.str(m["message"], join(path, "message")),
	}
	if x, ok := m["line"]; ok {
		r.Line = d.integer(x, join(path, "line"))
	}
	if x, ok := m["cause"]; ok && x != nil {
		cm := d.object(x, join(path, "cause"), "a cause")
		c := d.raised(cm, join(path, "cause"), "a cause")
		r.Cause = &c
	}
	return r
}
