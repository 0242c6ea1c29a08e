package cython

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

// A build turns one program into an extension module: Cython translates it
// to C (in a compile server, build.py, running on the cython3 command's
// interpreter), gcc compiles the C against the host interpreter's headers.
// Each result, a module or the errors that stopped it, is kept in the
// content cache:
//
//	$XDG_CACHE_HOME/aiterspec/cython/<toolchain id>/<key>/result.json
//	                                              /<key>/<module><EXT_SUFFIX>
//	                                              /<key>/<module>.py
//
// The toolchain id hashes everything else a module depends on: the Cython
// version and build.py, gcc's version and flags, the host interpreter
// (executable, sys.version, EXT_SUFFIX, headers). The key hashes the
// program; the harness finds the module of the program it receives by the
// same hash (programKey).

// programKey names the cache entry of program. harness.py computes the
// same: the first 32 hex digits of the SHA-256 of its UTF-8 bytes.
func programKey(program string) string {
	sum := sha256.Sum256([]byte(program))
	return hex.EncodeToString(sum[:16])
}

// moduleName is the name of the extension module built from the program
// with this key (Cython names the module's init function after it).
func moduleName(key string) string { return "aiterspec_" + key }

// cflags are gcc's flags for every module. -O0: compiling the generated C
// dominates a cold run (about 0.4 s of CPU a module at -O0, 1 s at -O1
// here), and the optimisation level does not change what the C means;
// -fwrapv and -DNDEBUG as CPython's own build uses them.
var cflags = []string{"-shared", "-fPIC", "-O0", "-fwrapv", "-DNDEBUG", "-w"}

// buildTimeout bounds one build (Cython and gcc), far above the seconds a
// module takes on a loaded machine: a compiler that hangs is killed.
const buildTimeout = 5 * time.Minute

// result is a build's outcome, as result.json holds it.
type result struct {
	// Module and File name the extension module when it was built.
	Module string `json:"module,omitempty"`
	File   string `json:"file,omitempty"`
	// CythonErrors are the errors Cython reported translating the program
	// (then nothing was built).
	CythonErrors []cythonError `json:"cython_errors,omitempty"`
	// CErrors is what gcc said when it rejected the C Cython wrote (a Cython
	// bug: Cython accepted the program).
	CErrors string `json:"c_errors,omitempty"`
	// Compiles are the compile(<string literal>, ...) calls of the program,
	// each as Cython translates the source on its own.
	Compiles []compileCall `json:"compiles,omitempty"`
}

type cythonError struct {
	Message string `json:"message"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
}

func (e cythonError) String() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d:%d: %s", e.Line, e.Column, e.Message)
	}
	return e.Message
}

type compileCall struct {
	Source string        `json:"source"`
	Flags  *string       `json:"flags"`
	Errors []cythonError `json:"errors"`
}

// toolchain is what builds need, found when the adapter opens.
type toolchain struct {
	cythonPython  string // the interpreter of the cython3 command
	cythonVersion string
	buildScript   string // build.py
	cc            string // gcc
	host          hostInfo
	dir           string // this toolchain's folder of the cache
}

// hostInfo describes the interpreter the modules are built for.
type hostInfo struct {
	Executable     string   `json:"executable"`
	Version        string   `json:"version"`      // sys.version
	LanguageVer    string   `json:"version_info"` // "3.11.7"
	Implementation string   `json:"implementation"`
	ExtSuffix      string   `json:"ext_suffix"`
	Include        []string `json:"include"`
}

// builder builds programs on up to NumCPU workers, ahead of time
// (prepare) and on demand (get), never the same program twice at once,
// also across processes (a lock file per key: parallel Ginkgo processes
// share the work).
type builder struct {
	tc      toolchain
	workers int

	ctx    context.Context // cancelled by close: kills compilers at work
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	jobs    map[string]*job
	queue   []*job
	active  int       // background workers at work
	servers []*server // idle compile servers
	closed  bool
}

type jobState int

const (
	queued   jobState = iota // waiting for a worker (or for get)
	building                 // a worker or get is building it
	done                     // res and err are final
)

type job struct {
	key, program string
	state        jobState
	done         chan struct{} // closed when state becomes done
	res          *result
	err          error // the build could not be made (not a program's error)
}

func newBuilder(tc toolchain) *builder {
	ctx, cancel := context.WithCancel(context.Background())
	return &builder{tc: tc, workers: runtime.NumCPU(), ctx: ctx, cancel: cancel, jobs: map[string]*job{}}
}

// prepare queues programs for the background workers.
func (b *builder) prepare(programs []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range programs {
		key := programKey(p)
		if b.jobs[key] == nil {
			j := &job{key: key, program: p, done: make(chan struct{})}
			b.jobs[key] = j
			b.queue = append(b.queue, j)
		}
	}
	b.dispatch()
}

// dispatch starts background workers for queued jobs, up to the limit.
// b.mu is held.
func (b *builder) dispatch() {
	for !b.closed && b.active < b.workers && len(b.queue) > 0 {
		j := b.queue[0]
		b.queue = b.queue[1:]
		if j.state != queued {
			continue
		}
		j.state = building
		b.active++
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			res, err, skipped := b.build(j, false)
			b.mu.Lock()
			defer b.mu.Unlock()
			b.active--
			if skipped {
				j.state = queued // another process builds it; get waits for that
			} else {
				b.finish(j, res, err)
			}
			b.dispatch()
		}()
	}
}

// finish records a job's outcome. b.mu is held.
func (b *builder) finish(j *job, res *result, err error) {
	j.res, j.err, j.state = res, err, done
	close(j.done)
}

// get returns the build of program, building it now if no worker has
// started it: a scenario about to run never waits behind the queue.
func (b *builder) get(program string) (*result, error) {
	key := programKey(program)
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil, errors.New("the adapter is closed")
	}
	j := b.jobs[key]
	if j == nil {
		j = &job{key: key, program: program, done: make(chan struct{})}
		b.jobs[key] = j
	}
	if j.state == queued {
		j.state = building
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			res, err, _ := b.build(j, true)
			b.mu.Lock()
			defer b.mu.Unlock()
			b.finish(j, res, err)
		}()
	}
	b.mu.Unlock()
	select {
	case <-j.done:
		return j.res, j.err
	case <-b.ctx.Done():
		return nil, errors.New("the adapter is closed")
	}
}

// forget drops what the builder knows of finished builds, so that get
// reads the cache again (for tests).
func (b *builder) forget() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for k, j := range b.jobs {
		if j.state == done {
			delete(b.jobs, k)
		}
	}
}

// close stops the workers and the compile servers, and waits for them.
func (b *builder) close() {
	b.mu.Lock()
	b.closed = true
	b.queue = nil
	servers := b.servers
	b.servers = nil
	b.mu.Unlock()
	b.cancel()
	for _, s := range servers {
		s.stop()
	}
	b.wg.Wait()
}

// build makes the cache entry of j (or finds it made). With wait false it
// gives up (skipped) if another process holds the key's lock.
func (b *builder) build(j *job, wait bool) (res *result, err error, skipped bool) {
	entry := filepath.Join(b.tc.dir, j.key)
	if res, err := readResult(entry); err == nil {
		return res, nil, false
	}
	unlock, ok, err := b.lock(j.key, wait)
	if err != nil || !ok {
		return nil, err, !ok && err == nil
	}
	defer unlock()
	if res, err := readResult(entry); err == nil {
		return res, nil, false // built by another process meanwhile
	}
	res, err = b.make(j, entry)
	return res, err, false
}

// lock takes the lock file of key: blocking (polling, so that close can
// stop the wait) if wait, else once.
func (b *builder) lock(key string, wait bool) (unlock func(), ok bool, err error) {
	dir := filepath.Join(b.tc.dir, ".locks")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(filepath.Join(dir, key), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, false, err
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, true, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, false, fmt.Errorf("cannot lock %s: %w", f.Name(), err)
		}
		if !wait {
			f.Close()
			return nil, false, nil
		}
		select {
		case <-b.ctx.Done():
			f.Close()
			return nil, false, errors.New("the adapter is closed")
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func readResult(entry string) (*result, error) {
	data, err := os.ReadFile(filepath.Join(entry, "result.json"))
	if err != nil {
		return nil, err
	}
	var r result
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// make builds program into a new folder and renames it into place as
// entry. A result (a module, or the errors that stopped it) is cached; a
// failure to build at all (no gcc, a compiler killed) is returned as an
// error and leaves nothing behind.
func (b *builder) make(j *job, entry string) (*result, error) {
	ctx, cancel := context.WithTimeout(b.ctx, buildTimeout)
	defer cancel()
	tmp, err := os.MkdirTemp(b.tc.dir, ".tmp-"+j.key+"-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp) // gone once renamed
	module := moduleName(j.key)

	ans, err := b.translate(ctx, j.program, module, tmp)
	if err != nil {
		return nil, err
	}
	res := &result{CythonErrors: ans.Errors, Compiles: ans.Compiles}
	if len(ans.Errors) == 0 {
		file := module + b.tc.host.ExtSuffix
		args := append(append([]string{}, cflags...), "-o", filepath.Join(tmp, file), filepath.Join(tmp, module+".c"))
		for _, inc := range b.tc.host.Include {
			args = append(args, "-I"+inc)
		}
		cmd := exec.CommandContext(ctx, b.tc.cc, args...)
		var stderr bytes.Buffer
		cmd.Stderr, cmd.Stdout = &stderr, &stderr
		if err := cmd.Run(); err != nil {
			var exit *exec.ExitError
			if ctx.Err() != nil || !errors.As(err, &exit) || exit.ExitCode() != 1 {
				return nil, fmt.Errorf("%s failed: %v: %s", b.tc.cc, err, lastLines(stderr.String(), 6))
			}
			res.CErrors = cErrors(stderr.String())
		} else {
			res.Module, res.File = module, file
		}
	}
	// Keep the module and its program; the C (300 kB a module) and the
	// compile() sources' translations go.
	entries, _ := os.ReadDir(tmp)
	for _, e := range entries {
		if n := e.Name(); n != res.File && n != module+".py" {
			os.RemoveAll(filepath.Join(tmp, n))
		}
	}
	data, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, "result.json"), append(data, '\n'), 0o644); err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, entry); err != nil {
		// A damaged entry (no result.json: the lock kept others out, so
		// nothing is writing it) is replaced.
		if r, rerr := readResult(entry); rerr == nil {
			return r, nil
		}
		if rerr := os.RemoveAll(entry); rerr != nil {
			return nil, err
		}
		if err := os.Rename(tmp, entry); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// cErrors keeps gcc's error lines, without the paths of the cache.
func cErrors(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "error:") {
			if i := strings.Index(l, ".c:"); i >= 0 {
				l = l[i+1:] // "c:4050:27: error: ..."
			}
			keep = append(keep, strings.TrimSpace(l))
		}
	}
	if len(keep) == 0 {
		return lastLines(out, 6)
	}
	if len(keep) > 4 {
		keep = append(keep[:4], fmt.Sprintf("(and %d more)", len(keep)-4))
	}
	return strings.Join(keep, "\n")
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// translation is build.py's answer.
type translation struct {
	Errors   []cythonError `json:"errors"`
	Compiles []compileCall `json:"compiles"`
	Fatal    string        `json:"fatal"`
}

// translate has a compile server translate program to dir/module.c.
func (b *builder) translate(ctx context.Context, program, module, dir string) (*translation, error) {
	s, err := b.server()
	if err != nil {
		return nil, err
	}
	req, err := json.Marshal(map[string]string{"program": program, "module": module, "dir": dir})
	if err != nil {
		s.stop()
		return nil, err
	}
	var ans translation
	if err := s.call(ctx, req, &ans); err != nil {
		s.stop()
		return nil, err
	}
	b.release(s)
	if ans.Fatal != "" {
		return nil, errors.New("the Cython compile server failed: " + ans.Fatal)
	}
	return &ans, nil
}

// server is a running build.py.
type server struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr *bytes.Buffer
	exited chan struct{}
}

// server returns an idle compile server, starting one if none is.
func (b *builder) server() (*server, error) {
	b.mu.Lock()
	if n := len(b.servers); n > 0 {
		s := b.servers[n-1]
		b.servers = b.servers[:n-1]
		b.mu.Unlock()
		return s, nil
	}
	b.mu.Unlock()
	s, version, err := startServer(b.ctx, b.tc.cythonPython, b.tc.buildScript)
	if err != nil {
		return nil, err
	}
	if version != b.tc.cythonVersion {
		s.stop()
		return nil, fmt.Errorf("the installed Cython changed while running: %s, was %s", version, b.tc.cythonVersion)
	}
	return s, nil
}

func (b *builder) release(s *server) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		s.stop()
		return
	}
	b.servers = append(b.servers, s)
}

// startServer starts build.py with python and reads its hello, the
// Cython version.
func startServer(ctx context.Context, python, script string) (*server, string, error) {
	cmd := exec.Command(python, "-I", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, "", err
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	s := &server{cmd: cmd, in: in, out: bufio.NewReaderSize(outPipe, 1<<16), stderr: &bytes.Buffer{}, exited: make(chan struct{})}
	cmd.Stderr = &limitedWriter{w: s.stderr, n: 64 << 10}
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("cannot start Cython (%s %s): %w", python, script, err)
	}
	go func() { cmd.Wait(); close(s.exited) }()
	var hello struct {
		Cython string `json:"cython"`
	}
	callCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := s.read(callCtx, &hello); err != nil || hello.Cython == "" {
		s.stop()
		if err == nil {
			err = errors.New("no version in its first line")
		}
		return nil, "", fmt.Errorf("the Cython compile server does not start (%s -I %s): %v", python, script, err)
	}
	return s, hello.Cython, nil
}

func (s *server) call(ctx context.Context, req []byte, ans any) error {
	if _, err := s.in.Write(append(req, '\n')); err != nil {
		return fmt.Errorf("the Cython compile server is gone: %v%s", err, s.stderrTail())
	}
	return s.read(ctx, ans)
}

// read reads one answer line into ans; the server is killed if ctx ends
// first.
func (s *server) read(ctx context.Context, ans any) error {
	type line struct {
		data []byte
		err  error
	}
	got := make(chan line, 1)
	go func() {
		data, err := s.out.ReadBytes('\n')
		got <- line{data, err}
	}()
	select {
	case l := <-got:
		if l.err != nil {
			<-s.exited
			return fmt.Errorf("the Cython compile server ended (%v)%s", s.cmd.ProcessState, s.stderrTail())
		}
		if err := json.Unmarshal(l.data, ans); err != nil {
			return fmt.Errorf("the Cython compile server wrote %q: %v", bytes.TrimSpace(l.data), err)
		}
		return nil
	case <-ctx.Done():
		s.stop()
		<-got
		return fmt.Errorf("the Cython compile server: %w", ctx.Err())
	}
}

func (s *server) stderrTail() string {
	<-s.exited
	if t := strings.TrimSpace(s.stderr.String()); t != "" {
		return ": " + lastLines(t, 8)
	}
	return ""
}

// stop kills the server's process group and waits for it.
func (s *server) stop() {
	if s.cmd.Process != nil {
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	}
	s.in.Close()
	<-s.exited
}

// limitedWriter keeps the first n bytes written to it.
type limitedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
	n  int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if room := l.n - l.w.Len(); room > 0 {
		l.w.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
