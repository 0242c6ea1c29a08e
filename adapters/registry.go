package adapters

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Factory opens an adapter. arg is what followed "name:" in the adapter
// name given by the user ("" if nothing did).
type Factory func(arg string, opts Options) (Adapter, error)

// Registration is one registered adapter.
type Registration struct {
	// Name is what --adapter selects, e.g. "cpython".
	Name string
	// Usage shows how to select it, e.g. "cpython[:PATH]".
	Usage string
	// Summary says in one line what the adapter runs.
	Summary string
	// Open constructs the adapter.
	Open Factory
	// TakesPython says the adapter runs a Python interpreter that
	// Options.Python (--python) chooses. Open rejects Options.Python for
	// any other adapter, which would ignore it silently.
	TakesPython bool
}

var (
	mu       sync.Mutex
	registry = map[string]Registration{}
)

// Register makes an adapter available under r.Name. It panics if the name
// is taken or empty, since that is a programming error.
func Register(r Registration) {
	mu.Lock()
	defer mu.Unlock()
	if r.Name == "" || strings.Contains(r.Name, ":") {
		panic(fmt.Sprintf("adapters.Register: bad name %q", r.Name))
	}
	if _, dup := registry[r.Name]; dup {
		panic(fmt.Sprintf("adapters.Register: %q registered twice", r.Name))
	}
	if r.Usage == "" {
		r.Usage = r.Name
	}
	registry[r.Name] = r
}

// Known returns the registered adapters sorted by name.
func Known() []Registration {
	mu.Lock()
	defer mu.Unlock()
	out := make([]Registration, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// UnknownAdapterError is returned by Open for a name nobody registered.
type UnknownAdapterError struct{ Name string }

// Error names the unknown adapter and lists the known ones.
func (e *UnknownAdapterError) Error() string {
	var usages []string
	for _, r := range Known() {
		usages = append(usages, r.Usage)
	}
	return fmt.Sprintf("unknown adapter %q; known adapters: %s (choose one with --adapter=NAME or AITERSPEC_ADAPTER)",
		e.Name, strings.Join(usages, ", "))
}

// Open opens the adapter selected by spec: a registered name, optionally
// followed by ":" and an argument ("cpython:/usr/bin/python3.12",
// "exec:./my-harness").
func Open(spec string, opts Options) (Adapter, error) {
	name, arg, _ := strings.Cut(spec, ":")
	mu.Lock()
	r, ok := registry[name]
	mu.Unlock()
	if !ok {
		return nil, &UnknownAdapterError{Name: spec}
	}
	if opts.Python != "" && !r.TakesPython {
		return nil, fmt.Errorf("--python=%s: adapter %q runs no Python interpreter that --python could choose; leave --python out, or use it with %s",
			opts.Python, spec, strings.Join(takingPython(), " or "))
	}
	a, err := r.Open(arg, opts)
	if err != nil {
		return nil, fmt.Errorf("adapter %q: %w", spec, err)
	}
	return a, nil
}

// takingPython lists the adapters that take --python.
func takingPython() []string {
	var names []string
	for _, r := range Known() {
		if r.TakesPython {
			names = append(names, "--adapter="+r.Name)
		}
	}
	if len(names) == 0 {
		return []string{"an adapter that runs Python"}
	}
	return names
}

// Check reports whether spec names a registered adapter, without opening
// it: the error is the one Open would give for an unknown name.
func Check(spec string) error {
	name, _, _ := strings.Cut(spec, ":")
	mu.Lock()
	_, ok := registry[name]
	mu.Unlock()
	if !ok {
		return &UnknownAdapterError{Name: spec}
	}
	return nil
}
