// Command suitetime shows where the time of the conformance suite against
// a Python interpreter goes, measured outside the suite:
//
//   - the harness's start-up to its hello, through the command given (a
//     launcher such as pyenv's shim, if that is what python3 is) and
//     through the interpreter the hello names, which restarts use;
//   - every spec's scenario run one after another on one harness, as the
//     suite runs them: wall time, the harnesses' CPU time, the crashes
//     that cost a restart, and the slowest scenarios (sleeps show there).
//
// bench/suite-vs-cpython-tests.sh prints it beside the suite's wall time.
//
//	go run ./bench/suitetime [-python python3] [-rounds 5] [-dump requests.jsonl]
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/aiterspec/aiterspec/adapters/process"
	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/scenario/pysource"
	"github.com/aiterspec/aiterspec/spec"
)

func main() {
	python := flag.String("python", "python3", "the interpreter, as the suite's --adapter=cpython:PATH would get it")
	rounds := flag.Int("rounds", 5, "start-ups measured (the median is shown)")
	dump := flag.String("dump", "", "also write the run requests to this file, one per line (to profile the harness on them)")
	flag.Parse()
	if err := run(*python, *rounds, *dump); err != nil {
		fmt.Fprintln(os.Stderr, "suitetime:", err)
		os.Exit(1)
	}
}

func run(python string, rounds int, dump string) error {
	root := process.ModuleRoot()
	if root == "" {
		return fmt.Errorf("run from inside the aiterspec checkout")
	}
	path, err := exec.LookPath(python)
	if err != nil {
		return err
	}
	script := filepath.Join(root, "adapters", "python", "harness.py")
	argv := func(interp string) []string { return []string{interp, "-u", "-I", "-S", script} }

	var hello struct {
		Executable   string   `json:"executable"`
		Capabilities []string `json:"capabilities"`
		Language     struct{ Version string }
	}
	startups := map[string][]time.Duration{}
	for i := 0; i < rounds; i++ {
		for _, interp := range []string{path, hello.Executable} {
			if interp == "" {
				continue
			}
			h, d, err := start(argv(interp))
			if err != nil {
				return err
			}
			if err := json.Unmarshal(h.hello, &hello); err != nil {
				return fmt.Errorf("hello: %v", err)
			}
			h.stop()
			startups[interp] = append(startups[interp], d)
		}
	}
	real := hello.Executable
	if real == "" {
		real = path
	}
	fmt.Printf("where the time goes (Python %s):\n", hello.Language.Version)
	fmt.Printf("  harness start-up, to its hello (median of %d):\n", rounds)
	fmt.Printf("    %-58s %6.1f ms   (the first start)\n", path, ms(median(startups[path])))
	if real != path {
		fmt.Printf("    %-58s %6.1f ms   (restarts, spares)\n", real, ms(median(startups[real])))
	}

	// Every scenario, as the suite sends it, one after another.
	var names []string
	var requests [][]byte
	skipped := 0
	for _, c := range spec.Cases() {
		s := &c.Scenario
		if len(s.Missing(capabilities(hello.Capabilities))) > 0 {
			skipped++
			continue
		}
		encoded, err := scenario.Encode(s)
		if err != nil {
			return fmt.Errorf("%s: %v", s.ID, err)
		}
		program, err := pysource.Program(s)
		if err != nil {
			skipped++
			continue
		}
		line, _ := json.Marshal(map[string]any{"type": "run", "id": s.ID, "scenario": json.RawMessage(encoded), "program": program})
		names = append(names, s.ID+": "+s.Title)
		requests = append(requests, append(line, '\n'))
	}
	if dump != "" {
		if err := os.WriteFile(dump, slices.Concat(requests...), 0o644); err != nil {
			return err
		}
	}
	var before syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &before)
	type timed struct {
		name string
		d    time.Duration
	}
	var each []timed
	var crashes []string
	var restartTime time.Duration
	begin := time.Now()
	h, _, err := start(argv(real))
	if err != nil {
		return err
	}
	for i, req := range requests {
		t0 := time.Now()
		_, werr := h.stdin.Write(req)
		_, rerr := h.out.ReadBytes('\n')
		each = append(each, timed{names[i], time.Since(t0)})
		if werr != nil || rerr != nil {
			crashes = append(crashes, strings.SplitN(names[i], ":", 2)[0])
			h.stop()
			t1 := time.Now()
			if h, _, err = start(argv(real)); err != nil {
				return err
			}
			restartTime += time.Since(t1)
		}
	}
	h.shutdown()
	wall := time.Since(begin)
	var after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &after)
	cpu := tv(after.Utime) + tv(after.Stime) - tv(before.Utime) - tv(before.Stime)
	fmt.Printf("  %d scenarios on one harness (%d more need what this interpreter lacks): %.3f s wall, %.3f s harness CPU (%.2f ms per scenario)\n",
		len(requests), skipped, wall.Seconds(), cpu.Seconds(), ms(cpu)/float64(len(requests)))
	if len(crashes) > 0 {
		fmt.Printf("    %d crashed the interpreter (%s): a restart each, %.1f ms in all here; the suite takes a spare harness started ahead\n",
			len(crashes), strings.Join(crashes, " "), ms(restartTime))
	}
	sort.Slice(each, func(i, j int) bool { return each[i].d > each[j].d })
	fmt.Printf("    the slowest (sleeps and crashes show here):\n")
	for _, e := range each[:min(8, len(each))] {
		fmt.Printf("      %6.1f ms  %s\n", ms(e.d), cut(e.name, 90))
	}
	return nil
}

func capabilities(names []string) []scenario.Capability {
	out := make([]scenario.Capability, len(names))
	for i, n := range names {
		out[i] = scenario.Capability(n)
	}
	return out
}

// harness is a harness process driven directly.
type harness struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *bufio.Reader
	hello []byte
}

// start launches argv and waits for its hello.
func start(argv []string) (*harness, time.Duration, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = io.Discard
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, 0, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, 0, err
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	h := &harness{cmd: cmd, stdin: stdin, out: bufio.NewReaderSize(stdout, 1<<20)}
	line, err := h.out.ReadBytes('\n')
	d := time.Since(t0)
	if err != nil {
		h.stop()
		return nil, 0, fmt.Errorf("%s: no hello: %v", strings.Join(argv, " "), err)
	}
	h.hello = line
	return h, d, nil
}

func (h *harness) stop() {
	syscall.Kill(-h.cmd.Process.Pid, syscall.SIGKILL)
	h.cmd.Wait()
}

func (h *harness) shutdown() {
	h.stdin.Write([]byte("{\"type\":\"shutdown\"}\n"))
	h.stdin.Close()
	h.cmd.Wait()
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func tv(t syscall.Timeval) time.Duration {
	return time.Duration(t.Sec)*time.Second + time.Duration(t.Usec)*time.Microsecond
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}
