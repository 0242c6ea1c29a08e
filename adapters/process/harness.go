package process

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// harness is one running harness process and the goroutines that watch it.
type harness struct {
	cmdline string
	cmd     *exec.Cmd
	pgid    int

	stdin  *os.File // our write end of its stdin
	stdout *os.File // our read end of its stdout
	stderr *os.File // our read end of its stderr

	// lines delivers stdout lines in order; its last item carries the error
	// that ended reading (io.EOF, a too-long line), then it is closed.
	lines chan lineItem
	// exited is closed once the process has exited and been reaped; state
	// is set before.
	exited chan struct{}
	state  *os.ProcessState
	// tail keeps the end of stderr, drained continuously so that a chatty
	// harness never blocks on a full pipe; stderrDone is closed at its EOF.
	tail       *tailBuffer
	stderrDone chan struct{}

	quit     chan struct{} // closed by stop: the reader goroutine may leave
	stopOnce sync.Once

	// wrote is set by the first byte on stdout or stderr: a harness that
	// printed nothing at all may not be one (see Config.SilentStartTimeout).
	wrote atomic.Bool
	// answered counts the well-formed results this process sent, so that
	// the loss of a harness says truly what it did before.
	answered int
}

// lineItem is one line of harness output (without its newline), or the
// end of the output. size is the line's full length, which exceeds
// len(data) for a line cut at the cap.
type lineItem struct {
	data []byte
	size int
	err  error
}

// lineTooLongError ends reading at a line over [MaxLineBytes].
type lineTooLongError struct{}

func (*lineTooLongError) Error() string {
	return fmt.Sprintf("more than %d bytes without a newline", MaxLineBytes)
}

// launch starts the harness process in a process group of its own, with
// pipes for its three standard streams.
func launch(cfg Config) (*harness, error) {
	h := &harness{
		cmdline:    formatArgv(cfg.Argv),
		lines:      make(chan lineItem),
		exited:     make(chan struct{}),
		tail:       &tailBuffer{},
		stderrDone: make(chan struct{}),
		quit:       make(chan struct{}),
	}
	// Our own pipes rather than cmd.StdoutPipe: exec.Cmd.Wait would close
	// those as soon as the process exits, racing with the reader, and we
	// need Wait to tell us of the exit even while a grandchild keeps the
	// pipes open.
	var ends []*os.File
	pipe := func() (r, w *os.File, err error) {
		r, w, err = os.Pipe()
		if err == nil {
			ends = append(ends, r, w)
		}
		return r, w, err
	}
	closeAll := func() {
		for _, f := range ends {
			f.Close()
		}
	}
	inR, inW, err := pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := pipe()
	if err != nil {
		closeAll()
		return nil, err
	}
	errR, errW, err := pipe()
	if err != nil {
		closeAll()
		return nil, err
	}

	cmd := exec.Command(cfg.Argv[0], cfg.Argv[1:]...)
	cmd.Dir = cfg.Dir
	cmd.Env = cfg.Env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, errW
	cmd.SysProcAttr = &syscall.SysProcAttr{
		// Its own process group, so that one kill reaches every process
		// the harness started.
		Setpgid: true,
		// If aiterspec itself dies hard, the harness goes too (a
		// well-behaved harness would also exit at EOF on stdin, but a hung
		// one would not).
		Pdeathsig: syscall.SIGKILL,
	}
	if err := cmd.Start(); err != nil {
		closeAll()
		msg := fmt.Sprintf("cannot start the harness %s: %v", h.cmdline, err)
		if cfg.Install != "" {
			msg += "; " + cfg.Install
		}
		return nil, errors.New(msg)
	}
	// The child has its copies; ours would keep the pipes open forever.
	inR.Close()
	outW.Close()
	errW.Close()
	h.cmd, h.pgid = cmd, cmd.Process.Pid
	h.stdin, h.stdout, h.stderr = inW, outR, errR

	go func() {
		_ = cmd.Wait()
		h.state = cmd.ProcessState
		close(h.exited)
	}()
	go func() {
		defer close(h.stderrDone)
		_, _ = io.Copy(&noticing{h.tail, &h.wrote}, errR)
	}()
	go h.readLines()
	return h, nil
}

// readLines delivers stdout lines until the end of the output or a line
// over the cap, whichever comes first.
func (h *harness) readLines() {
	defer close(h.lines)
	br := bufio.NewReaderSize(&noticing{h.stdout, &h.wrote}, 64<<10)
	for {
		data, size, err := readLine(br, MaxLineBytes)
		select {
		case h.lines <- lineItem{data: data, size: size, err: err}:
		case <-h.quit:
			return
		}
		if err != nil {
			return
		}
	}
}

// noticing passes reads or writes through to rw and notes that bytes came.
type noticing struct {
	rw   any // an io.Reader or an io.Writer
	seen *atomic.Bool
}

func (n *noticing) Read(p []byte) (int, error) {
	k, err := n.rw.(io.Reader).Read(p)
	if k > 0 {
		n.seen.Store(true)
	}
	return k, err
}

func (n *noticing) Write(p []byte) (int, error) {
	if len(p) > 0 {
		n.seen.Store(true)
	}
	return n.rw.(io.Writer).Write(p)
}

// readLine reads one line of at most max bytes (not counting the newline).
// At the end of input it returns the unterminated rest and io.EOF; for a
// longer line it returns the first bytes of the line and a
// *lineTooLongError, having read no further than max+1 bytes.
func readLine(br *bufio.Reader, max int) (line []byte, size int, err error) {
	for {
		frag, err := br.ReadSlice('\n')
		content := len(line) + len(frag)
		if err == nil {
			content-- // the newline
		}
		if content > max {
			line = append(line, frag...)
			return line[:min(len(line), 256)], -1, &lineTooLongError{}
		}
		line = append(line, frag...)
		switch err {
		case nil:
			line = line[:len(line)-1]
			return line, len(line), nil
		case bufio.ErrBufferFull:
			continue
		default:
			return line, len(line), err
		}
	}
}

// stop kills the harness's process group, waits for the process to be
// reaped and for its stderr to be drained, and releases the pipes. It is
// idempotent; every way of losing a harness goes through it.
func (h *harness) stop() {
	h.stopOnce.Do(func() {
		_ = syscall.Kill(-h.pgid, syscall.SIGKILL)
		select {
		case <-h.exited:
		case <-time.After(5 * time.Second):
		}
		// Again, for a child forked while the first signal was delivered.
		_ = syscall.Kill(-h.pgid, syscall.SIGKILL)
		// Every writer of stderr is dead now, so EOF comes at once unless a
		// process escaped the group; then do not wait for it.
		select {
		case <-h.stderrDone:
		case <-time.After(time.Second):
		}
		close(h.quit)
		h.stdin.Close()
		h.stdout.Close()
		h.stderr.Close()
	})
}

// hasExited reports whether the process has exited already.
func (h *harness) hasExited() bool {
	select {
	case <-h.exited:
		return true
	default:
		return false
	}
}

// stderrTail renders the end of stderr for a Reason: a newline, a header,
// and the last lines indented. Call it after stop, when stderr is drained.
func (h *harness) stderrTail() string { return h.tail.render() }

// How an idle silent harness is told from a busy one (see awaitHello).
const (
	idleSample = 100 * time.Millisecond
	idleWindow = 2 * time.Second
)

// groupCPU is the CPU time (user and system, in clock ticks, with that of
// the children they reaped) used so far by the live processes of a
// process group, and whether every thread of every one of them is asleep
// (state S: waiting for input or a timer, not running, runnable or in
// disk I/O; a process's own state is its main thread's only), from /proc;
// ok is false where there is no /proc to read.
func groupCPU(pgid int) (ticks int64, asleep, ok bool) {
	asleep = true
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, false, false
	}
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt
		// majflt cmajflt utime stime ...; comm may hold spaces.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+1:]))
		if len(f) < 15 || f[2] != strconv.Itoa(pgid) {
			continue
		}
		for _, t := range f[11:15] { // utime stime cutime cstime
			n, _ := strconv.ParseInt(t, 10, 64)
			ticks += n
		}
		asleep = asleep && threadsAsleep(e.Name())
		ok = true
	}
	return ticks, asleep, ok
}

// threadsAsleep says whether every thread of process pid is asleep or a
// zombie (state S or Z in /proc/PID/task/TID/stat).
func threadsAsleep(pid string) bool {
	tasks, err := os.ReadDir("/proc/" + pid + "/task")
	if err != nil {
		return false // gone, or no /proc: not known to be idle
	}
	for _, t := range tasks {
		stat, err := os.ReadFile("/proc/" + pid + "/task/" + t.Name() + "/stat")
		if err != nil {
			continue // the thread has exited
		}
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 || i+2 >= len(stat) {
			return false
		}
		if state := stat[i+2]; state != 'S' && state != 'Z' {
			return false
		}
	}
	return true
}

// start launches a harness and waits for a valid hello.
func (c *Client) start(argv []string) (*harness, hello, error) {
	cfg := c.cfg
	cfg.Argv = argv
	h, err := launch(cfg)
	if err != nil {
		return nil, hello{}, err
	}
	if c.cfg.onStart != nil {
		c.cfg.onStart(h.pgid)
	}
	hi, err := c.awaitHello(h)
	if err != nil {
		h.stop()
		return nil, hello{}, fmt.Errorf("%w%s", err, h.stderrTail())
	}
	return h, hi, nil
}

// awaitHello reads the hello, within the start-up limits. A hello the
// harness wrote just before exiting is still its hello: that the harness
// is gone is for the next scenario to report, whichever of the two the
// reader notices first.
func (c *Client) awaitHello(h *harness) (hello, error) {
	timer := time.NewTimer(c.cfg.StartTimeout)
	defer timer.Stop()
	// A harness that has printed nothing at all by the silent limit, and is
	// idle (its processes all asleep and using no CPU time for a while:
	// waiting for input, as cat does, or for nothing, as sleep does), is no
	// harness, or one that breaks the rule to send its hello at once: give
	// up on it. One that is busy (an interpreter starting on a loaded
	// machine, running or waiting for the CPU or the disk) gets the whole
	// limit.
	var silent <-chan time.Time
	if d := c.cfg.SilentStartTimeout; d > 0 && d < c.cfg.StartTimeout {
		t := time.NewTimer(d)
		defer t.Stop()
		silent = t.C
	}
	var idle *time.Ticker
	lastCPU, idleSince := int64(-1), time.Time{}
	defer func() {
		if idle != nil {
			idle.Stop()
		}
	}()
	var idleC <-chan time.Time
	for {
		select {
		case item, ok := <-h.lines:
			return c.helloFrom(h, item, ok)
		case <-h.exited:
			// Once the process is gone its stdout ends, unless a process it
			// started still holds it: wait for what it wrote, not forever.
			select {
			case item, ok := <-h.lines:
				return c.helloFrom(h, item, ok)
			case <-time.After(2 * time.Second):
				return hello{}, h.exitedBeforeHello(lineItem{})
			}
		case <-silent:
			silent = nil
			idle = time.NewTicker(idleSample)
			idleC = idle.C
			continue
		case now := <-idleC:
			if h.wrote.Load() {
				idle.Stop()
				idleC = nil // it is alive and saying something: give it the whole limit
				continue
			}
			cpu, asleep, ok := groupCPU(h.pgid)
			if !ok || !asleep || cpu != lastCPU {
				lastCPU, idleSince = cpu, now
				continue
			}
			if now.Sub(idleSince) < idleWindow {
				continue
			}
			return hello{}, fmt.Errorf("the harness %s printed nothing at all within %s, neither a hello nor anything on stderr, and sits idle (asleep, no CPU time used, for %s); killed its process group. "+
				"A harness sends its hello at once, without waiting for input (PROTOCOL.md); if yours is only slow to start, give it longer with --start-timeout",
				h.cmdline, c.cfg.SilentStartTimeout, idleWindow)
		case <-timer.C:
			return hello{}, fmt.Errorf("the harness %s sent no hello within %s (it must send one at start, without waiting for input; --start-timeout sets the limit); killed its process group",
				h.cmdline, c.cfg.StartTimeout)
		case <-c.closing:
			return hello{}, fmt.Errorf("the adapter was closed while the harness %s started", h.cmdline)
		}
	}
}

// helloFrom judges the first item of a harness's stdout.
func (c *Client) helloFrom(h *harness, item lineItem, ok bool) (hello, error) {
	if ok && item.err == nil {
		hi, err := parseHello(item)
		var mismatch *protocolMismatchError
		if errors.As(err, &mismatch) {
			return hi, fmt.Errorf("%w (the harness %s)", err, h.cmdline)
		}
		if err != nil {
			return hi, fmt.Errorf("the harness %s %w", h.cmdline, err)
		}
		return hi, nil
	}
	if _, tooLong := item.err.(*lineTooLongError); tooLong {
		return hello{}, fmt.Errorf("the harness %s started with a line longer than %d bytes: %s",
			h.cmdline, MaxLineBytes, quote(item.data, item.size))
	}
	select {
	case <-h.exited:
		return hello{}, h.exitedBeforeHello(item)
	case <-time.After(time.Second):
		return hello{}, fmt.Errorf("the harness %s closed its standard output before its hello", h.cmdline)
	}
}

func (h *harness) exitedBeforeHello(item lineItem) error {
	msg := fmt.Sprintf("the harness %s %s before its hello", h.cmdline, describeExit(h.state))
	if len(item.data) > 0 {
		msg += ", after writing an unterminated line " + quote(item.data, item.size)
	}
	if ws, ok := h.state.Sys().(syscall.WaitStatus); ok && ws.Exited() {
		switch ws.ExitStatus() {
		case 126:
			msg += " (status 126: the shell found the command but could not run it)"
		case 127:
			msg += " (status 127: the shell did not find the command)"
		}
	}
	return errors.New(msg)
}

// tailBuffer keeps the last bytes written to it: the end of a harness's
// stderr, however much the harness writes.
type tailBuffer struct {
	mu    sync.Mutex
	buf   []byte
	total int64
}

const (
	tailKeep  = 16 << 10 // bytes kept, enough for tailLines of ordinary length
	tailLines = 20       // lines shown
	tailBytes = 4 << 10  // bytes shown at most
)

// Write keeps the last tailKeep bytes of everything written.
func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.total += int64(len(p))
	if len(p) >= tailKeep {
		t.buf = append(t.buf[:0], p[len(p)-tailKeep:]...)
		return len(p), nil
	}
	if over := len(t.buf) + len(p) - tailKeep; over > 0 {
		t.buf = t.buf[:copy(t.buf, t.buf[over:])]
	}
	t.buf = append(t.buf, p...)
	return len(p), nil
}

// render formats the tail for a Reason (see harness.stderrTail).
func (t *tailBuffer) render() string {
	t.mu.Lock()
	s, total := string(t.buf), t.total
	t.mu.Unlock()
	cut := total > int64(len(s)) // the start of stderr was dropped
	s = strings.TrimRight(s, "\r\n")
	if s == "" {
		if total == 0 {
			return "\nstderr: (empty)"
		}
		return "\nstderr: (blank lines only)"
	}
	lines := strings.Split(s, "\n")
	if cut && len(lines) > 1 {
		lines = lines[1:] // probably the end of a longer line
	}
	if len(lines) > tailLines {
		lines, cut = lines[len(lines)-tailLines:], true
	}
	out := strings.Join(lines, "\n")
	if len(out) > tailBytes {
		out, cut = "…"+out[len(out)-tailBytes:], true
	}
	out = strings.ToValidUTF8(out, "\uFFFD")
	lines = strings.Split(out, "\n")
	var b strings.Builder
	if cut {
		fmt.Fprintf(&b, "\nstderr (the last %d %s of %s):", len(lines), plural(len(lines), "line", "lines"), byteSize(total))
	} else {
		b.WriteString("\nstderr:")
	}
	for _, l := range lines {
		b.WriteString("\n  | ")
		b.WriteString(l)
	}
	return b.String()
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// formatArgv shows a command as a shell would take it.
func formatArgv(argv []string) string {
	parts := make([]string, len(argv))
	for i, a := range argv {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") == "" {
			parts[i] = a
		} else {
			parts[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(parts, " ")
}
