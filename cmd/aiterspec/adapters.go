package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	_ "github.com/aiterspec/aiterspec/adapters/all"
	"github.com/aiterspec/aiterspec/adapters/interp/mutants"
	"github.com/aiterspec/aiterspec/spec"
)

func init() {
	register(&command{
		name:    "adapters",
		args:    "[FORM...]",
		summary: "list every form --adapter accepts and whether each runs on this machine (and why not)",
		doc: `Opens each adapter the way the suite would (starting its harness and reading
its hello) and says what it runs on, or why it cannot run here. Besides the
default interpreters it tries every Python found under pyenv and as
python3.N on PATH, and the example harness for exec:COMMAND. The suite's
self-test mutants (mutant:NAME) are listed too.

With FORMs (aiterspec adapters pypy cpython:/usr/bin/python3.12), only those are
tried.`,
		run: runAdapters,
	})
	// The suite's own test binary knows the mutants (spec/mutants_test.go);
	// so does this listing, so that every form the suite accepts is here.
	mutants.Register()
}

// exampleHarness is the protocol harness that ships with aiterspec, shown
// (and tried) as the example of exec:COMMAND.
const exampleHarness = "node adapters/process/examples/minimal-node/harness.mjs"

func runAdapters(inv *invocation, args []string) int {
	probe := inv.flags.Bool("probe", true, "open each adapter to see whether it runs here; -probe=false lists the forms only")
	timeout := inv.flags.Duration("timeout", 30*time.Second, "how long one adapter may take to open")
	if status, done := inv.parse(args); done {
		return status
	}
	w := inv.stdout
	if inv.flags.NArg() > 0 {
		forms := make([]form, inv.flags.NArg())
		for i, name := range inv.flags.Args() {
			forms[i] = form{form: name, probe: true}
		}
		probeAll(forms, *timeout)
		for _, f := range forms {
			// Asked for by name: the whole reason, harness stderr included.
			printForm(w, f.status, f.form, strings.ReplaceAll(strings.TrimSpace(f.detail), "\n", "\n       "))
		}
		return 0
	}
	regs := adapters.Known()
	// The default first, the self-test's mutants last.
	sort.SliceStable(regs, func(i, j int) bool { return listingRank(regs[i].Name) < listingRank(regs[j].Name) })
	forms := make([][]form, len(regs))
	var all []form
	for i, r := range regs {
		forms[i] = formsOf(r)
		all = append(all, forms[i]...)
	}
	if *probe {
		probeAll(all, *timeout)
	}
	for i := range forms {
		forms[i], all = all[:len(forms[i])], all[len(forms[i]):]
	}
	fmt.Fprintln(w, "Every form of --adapter (go tool ginkgo ./spec -- --adapter=FORM), and whether it runs here:")
	for i, r := range regs {
		fmt.Fprintf(w, "\n%s\n", r.Usage)
		wrap(w, "    ", r.Summary)
		for _, f := range forms[i] {
			detail := f.note
			if f.detail != "" {
				if detail != "" {
					detail += "; "
				}
				detail += f.detail
			}
			printForm(w, f.status, f.form, oneLine(detail))
		}
	}
	if !*probe {
		fmt.Fprintln(w, "\n(not probed: without -probe=false each is opened to see whether it runs here)")
	}
	return 0
}

func listingRank(name string) int {
	switch name {
	case "reference":
		return 0
	case "mutant":
		return 2
	}
	return 1
}

// form is one way of writing --adapter for a registered adapter.
type form struct {
	form  string
	note  string // what it is, when the form alone does not say
	probe bool   // whether opening it tells anything (a placeholder like exec:COMMAND does not)
	// status is "yes" or "no" once probed, and detail what it runs on or
	// why it does not open.
	status, detail string
}

// formsOf lists the forms to show for r: the bare name if it takes no
// argument or an optional one, and for the adapters this command knows,
// the concrete arguments that exist on this machine.
func formsOf(r adapters.Registration) []form {
	argRequired := strings.Contains(r.Usage, ":") && !strings.Contains(r.Usage, "[:")
	var out []form
	if !argRequired {
		out = append(out, form{form: r.Name, probe: true})
	}
	switch r.Name {
	case "cpython", "pypy":
		for _, path := range pythonsOnThisMachine(r.Name) {
			out = append(out, form{form: r.Name + ":" + path, probe: true})
		}
	case "exec":
		out = append(out,
			form{form: r.Usage, note: "COMMAND is your harness's command line"},
			form{form: "exec:" + exampleHarness, note: "the example harness in this repository", probe: true})
	case "mutant":
		// In-process, like the reference: they run wherever it does.
		for _, m := range mutants.All {
			out = append(out, form{form: "mutant:" + m.Name, note: m.Bug, status: "yes"})
		}
	default:
		if argRequired {
			out = append(out, form{form: r.Usage})
		}
	}
	return out
}

// probeAll probes the forms that can be probed, a few at a time.
func probeAll(forms []form, timeout time.Duration) {
	var wg sync.WaitGroup
	slots := make(chan struct{}, 4) // harnesses starting at once
	for i := range forms {
		f := &forms[i]
		if !f.probe {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			f.status, f.detail = probeForm(f.form, timeout)
		}()
	}
	wg.Wait()
}

// probeForm opens the adapter as the suite would and closes it again. It
// returns "yes" and what the adapter runs on, or "no" and why not.
func probeForm(name string, timeout time.Duration) (status, detail string) {
	type opened struct {
		a   adapters.Adapter
		err error
	}
	done := make(chan opened, 1)
	go func() {
		a, err := adapters.Open(name, adapters.Options{})
		done <- opened{a, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			return "no", o.err.Error()
		}
		defer o.a.Close()
		return "yes", describeInfo(o.a.Info())
	case <-time.After(timeout):
		// Close it if it ever opens; a harness left behind reads EOF on
		// its standard input when this process exits and ends.
		go func() {
			if o := <-done; o.a != nil {
				o.a.Close()
			}
		}()
		return "no", fmt.Sprintf("it did not open within %s (-timeout)", timeout)
	}
}

// describeInfo says what an adapter runs on: "cpython 3.8.18 (python 3.8.18)",
// with a warning if the language version is outside what the suite covers.
func describeInfo(i adapters.Info) string {
	s := i.Name + " " + i.Version
	if i.Language != "" {
		s += fmt.Sprintf(" (%s %s)", i.Language, i.LanguageVersion)
	}
	if i.Language == "python" {
		if err := spec.CheckPythonVersion(i.LanguageVersion); err != nil {
			s += "; but " + err.Error()
		}
	}
	return s
}

// printForm prints one form as "  yes  FORM  detail".
func printForm(w io.Writer, status, name, detail string) {
	if status == "" {
		status = "-"
	}
	line := fmt.Sprintf("  %-3s  %s", status, name)
	if detail != "" {
		const column = 44
		if len(line) < column {
			line += strings.Repeat(" ", column-len(line))
		} else {
			line += "  "
		}
		line += detail
	}
	fmt.Fprintln(w, line)
}

// oneLine keeps the first line of a multi-line message (a harness's
// stderr tail follows it) and says that more was cut: `aiterspec adapters
// FORM` shows all of it.
func oneLine(s string) string {
	first, rest, cut := strings.Cut(strings.TrimSpace(s), "\n")
	if cut && strings.TrimSpace(rest) != "" {
		return first + " [...]"
	}
	return first
}

// wrap writes text wrapped at 100 columns, each line indented.
func wrap(w io.Writer, indent, text string) {
	line := indent
	for _, word := range strings.Fields(text) {
		if len(line) > len(indent) && len(line)+1+len(word) > 100 {
			fmt.Fprintln(w, line)
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += word
	}
	if len(line) > len(indent) {
		fmt.Fprintln(w, line)
	}
}

// pythonsOnThisMachine finds interpreters of a flavour other than the
// default one on PATH: those pyenv installed, and python3.N (or pypy3.N)
// on PATH. pyenv's shims are left out: they run whichever version pyenv
// selects, not the one their name says.
func pythonsOnThisMachine(flavour string) []string {
	seen := map[string]bool{}
	if def, err := exec.LookPath(map[string]string{"cpython": "python3", "pypy": "pypy3"}[flavour]); err == nil {
		if real, err := filepath.EvalSymlinks(def); err == nil {
			seen[real] = true // the bare form already probes it
		}
	}
	var found []string
	add := func(path string) {
		if strings.Contains(path, string(filepath.Separator)+"shims"+string(filepath.Separator)) {
			return
		}
		real, err := filepath.EvalSymlinks(path)
		if err != nil || seen[real] {
			return
		}
		if st, err := os.Stat(real); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
			return
		}
		seen[real] = true
		found = append(found, path)
	}
	root := os.Getenv("PYENV_ROOT")
	if root == "" {
		if home, err := os.UserHomeDir(); err == nil {
			root = filepath.Join(home, ".pyenv")
		}
	}
	if root != "" {
		dirs, _ := filepath.Glob(filepath.Join(root, "versions", "*"))
		sort.Slice(dirs, func(i, j int) bool { return versionLess(filepath.Base(dirs[i]), filepath.Base(dirs[j])) })
		for _, dir := range dirs {
			isPyPy := strings.HasPrefix(filepath.Base(dir), "pypy")
			if isPyPy == (flavour == "pypy") {
				add(filepath.Join(dir, "bin", map[bool]string{false: "python3", true: "pypy3"}[isPyPy]))
			}
		}
	}
	prefix := map[string]string{"cpython": "python3.", "pypy": "pypy3."}[flavour]
	for minor := 6; minor <= 20; minor++ {
		if path, err := exec.LookPath(fmt.Sprintf("%s%d", prefix, minor)); err == nil {
			add(path)
		}
	}
	return found
}

// versionLess orders "3.9.18" before "3.10.13".
func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		var x, y int
		_, ex := fmt.Sscan(pa[i], &x)
		_, ey := fmt.Sscan(pb[i], &y)
		if ex != nil || ey != nil {
			if pa[i] != pb[i] {
				return pa[i] < pb[i]
			}
			continue
		}
		if x != y {
			return x < y
		}
	}
	return len(pa) < len(pb)
}
