// Package process is the generic client of the harness protocol
// (PROTOCOL.md in this directory): it runs an implementation's harness as a
// long-lived child process and exchanges JSON lines with it over
// stdin/stdout.
//
// [Open] starts the harness and waits for its hello; the returned [Client]
// is an [adapters.Adapter]. A crash, hang or protocol violation errors only
// the scenario in flight: the client kills the harness's whole process
// group, keeps the evidence (exit status or signal, the offending bytes, the
// tail of stderr) in the result's Reason, and starts a new harness for the
// next scenario.
//
// Adapters built on it (exec, cpython, pypy, ...) only decide the command
// line; see [Config].
package process

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/scenario/pysource"
)

// ProtocolVersion is the version of PROTOCOL.md this client speaks.
// Harnesses of OldestProtocolVersion and later are accepted: protocol 2
// only added to what protocol 1 allowed.
const (
	ProtocolVersion       = 2
	OldestProtocolVersion = 1
)

// The protocol options a hello may ask for (protocol 2).
const (
	// OptionPythonSource asks for the rendered program in every run
	// request (field "program"; scenario/pysource renders it).
	OptionPythonSource = "python-source"
	// OptionValidates says the harness checks the scenarios it receives
	// and answers error for malformed ones; protocoltest then checks it.
	OptionValidates = "validates"
	// OptionBench says the harness answers bench requests: it times
	// benchmark workloads inside the implementation (see [Client.Time]).
	OptionBench = "bench"
)

// MaxLineBytes caps one line of harness output (without its newline).
// Reading stops at the cap, so a runaway harness cannot exhaust memory.
const MaxLineBytes = 8 << 20

// Defaults of the [Config] limits.
const (
	DefaultShutdownGrace = 2 * time.Second
	DefaultMaxRestarts   = 5
	// DefaultSilentStartTimeout is the exec adapter's limit for a harness
	// that writes nothing at all at start, not a byte on stdout or stderr,
	// and sits idle (see Config.SilentStartTimeout).
	DefaultSilentStartTimeout = 3 * time.Second
)

// Config says how to run a harness.
type Config struct {
	// Name names the adapter in messages, e.g. "cpython" or "exec".
	Name string
	// Argv is the harness command: the program (looked up on PATH when it
	// has no slash) and its arguments.
	Argv []string
	// Dir is the harness's working directory; "" means this process's.
	Dir string
	// Env is the harness's environment; nil means this process's.
	Env []string
	// Install tells people how to get the implementation, shown when Argv[0]
	// cannot be run, e.g. `install it with "apt-get install -y pypy3"`.
	Install string
	// ScenarioTimeout bounds each Run, from sending the request to reading
	// the result; 0 means [adapters.DefaultScenarioTimeout]. Adapters pass
	// [adapters.Options.Timeout].
	ScenarioTimeout time.Duration
	// StartTimeout bounds the wait for the hello; 0 means
	// [adapters.DefaultStartTimeout]. Adapters pass
	// [adapters.Options.StartTimeout].
	StartTimeout time.Duration
	// SilentStartTimeout, if set (and shorter), gives up sooner on a harness
	// that has written nothing at all by then, not even on stderr, and sits
	// idle (its process group asleep, using no CPU time, for 2 s): a command
	// that is no harness (cat, sleep) then costs seconds, not the start-up
	// limit, while an interpreter starting slowly on a loaded machine keeps
	// the whole limit.
	SilentStartTimeout time.Duration
	// ShutdownGrace is how long Close lets the harness exit on its own after
	// the shutdown message before killing its process group; 0 means
	// [DefaultShutdownGrace].
	ShutdownGrace time.Duration
	// MaxRestarts is how many restarts in a row without a result the client
	// tries before it gives up on the harness; 0 means [DefaultMaxRestarts].
	MaxRestarts int
	// Relaunch, if set, is given the first harness's hello line and Argv,
	// and returns the command for every later harness (restarts, spares),
	// or nil to keep Argv. The Python adapters start the interpreter the
	// hello names rather than a launcher script such as pyenv's shim.
	Relaunch func(hello []byte, argv []string) []string
	// KeepSpare keeps two more harnesses started ahead (the second starts
	// once the first is ready, so that their start-ups do not compete), so
	// that a restart after a crash or a time-out does not wait for a
	// start-up, nor does a second one right after it: crashes come in runs
	// (two specs of one behaviour, say).
	KeepSpare bool
	// Cleanup, if set, runs once after the last harness is gone: when the
	// client is closed, or when Open fails. Adapters remove temporary files
	// with it.
	Cleanup func()

	// onStart, if set, learns each harness's process group as it starts, so
	// that tests can check the group is gone afterwards.
	onStart func(pgid int)
}

func (cfg *Config) setDefaults() {
	if cfg.Name == "" {
		cfg.Name = "process"
	}
	if cfg.ScenarioTimeout <= 0 {
		cfg.ScenarioTimeout = adapters.DefaultScenarioTimeout
	}
	if cfg.StartTimeout <= 0 {
		cfg.StartTimeout = adapters.DefaultStartTimeout
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = DefaultShutdownGrace
	}
	if cfg.MaxRestarts <= 0 {
		cfg.MaxRestarts = DefaultMaxRestarts
	}
}

// Client runs scenarios on one harness process at a time. It implements
// [adapters.Adapter]. Run calls are serialised; Close may be called while a
// Run is in progress (the Run then returns Errored).
type Client struct {
	cfg   Config
	hello hello // the first harness's
	info  adapters.Info

	closing   chan struct{} // closed when Close begins, to cut a Run short
	closeOnce sync.Once

	prepared sync.Map // *scenario.Scenario -> *preparing, for the scenarios given to Prepare

	argv []string // the command of restarts (see Config.Relaunch)

	mu             sync.Mutex // serialises Run and Close; guards what follows
	h              *harness   // the running harness; nil after a failure
	spares         []*spare   // harnesses starting or started ahead, oldest first, if Config.KeepSpare
	closed         bool
	nextID         uint64
	restartsInRow  int    // restarts since the last result
	lastFailure    string // the Reason of the last failure that lost a harness
	pendingFailure string // a failure seen after a result, for the next Run
	answer         object // the result message of the request in flight, once read
}

// Open starts the harness described by cfg and waits for its hello. It
// fails, with the evidence, if the command cannot run, exits or stays
// silent before its hello, or speaks another protocol version.
//
// Open returns a *Client rather than an adapters.Adapter; callers that
// return it as an Adapter must return a literal nil on error, not the nil
// *Client.
func Open(cfg Config) (*Client, error) {
	cfg.setDefaults()
	if len(cfg.Argv) == 0 || cfg.Argv[0] == "" {
		if cfg.Cleanup != nil {
			cfg.Cleanup()
		}
		return nil, fmt.Errorf("%s: no harness command", cfg.Name)
	}
	c := &Client{cfg: cfg, closing: make(chan struct{})}
	h, hi, err := c.start(cfg.Argv)
	if err != nil {
		if cfg.Cleanup != nil {
			cfg.Cleanup()
		}
		return nil, err
	}
	c.h, c.hello, c.info, c.argv = h, hi, hi.info, cfg.Argv
	if cfg.Relaunch != nil {
		if argv := cfg.Relaunch(hi.raw, cfg.Argv); len(argv) > 0 {
			c.argv = argv
		}
	}
	c.startSpares()
	return c, nil
}

// Info describes the implementation as the harness's hello did.
func (c *Client) Info() adapters.Info {
	info := c.info
	info.Capabilities = slices.Clone(info.Capabilities)
	return info
}

// describe names the implementation for messages: "pypy 7.3.11 (python 3.9.16)".
func (c *Client) describe() string {
	return fmt.Sprintf("%s %s (%s %s)", c.info.Name, c.info.Version, c.info.Language, c.info.LanguageVersion)
}

// runRequest is the run message.
type runRequest struct {
	Type     string          `json:"type"`
	ID       string          `json:"id"`
	Scenario json.RawMessage `json:"scenario"`
	// Program is the rendered program, for a harness that asked for
	// OptionPythonSource.
	Program *string `json:"program,omitempty"`
	// Bench is what to time, in a bench request.
	Bench *adapters.TimingRequest `json:"bench,omitempty"`
}

// Run sends s to the harness and waits for its result; see
// [adapters.Adapter.Run]. What can be decided without the harness is, in
// this order: a malformed scenario (one scenario.Validate rejects) is
// Errored, so that a harness may trust what it receives; a scenario
// needing a capability the hello did not announce is Unsupported; and for a harness
// that asked for the rendered program, a scenario Python cannot express
// (pysource refuses it) is Unsupported.
func (c *Client) Run(ctx context.Context, s *scenario.Scenario) adapters.Result {
	res, _ := c.request(ctx, s, runRequest{Type: "run"}, c.cfg.ScenarioTimeout)
	return res
}

var _ adapters.Preparer = (*Client)(nil)

// rendered is what a run request carries for one scenario besides its id,
// or why it cannot be sent.
// preparing is a run request being rendered ahead: once by whichever of
// Prepare's goroutine and Run gets to it first.
type preparing struct {
	once sync.Once
	r    atomic.Pointer[rendered]
}

type rendered struct {
	encoded   json.RawMessage
	program   *string
	malformed *adapters.Result // the result of a scenario that does not validate
	failed    *adapters.Result // the result of one Python cannot express
}

// Prepare implements [adapters.Preparer]: it renders the run requests of
// scenarios (each scenario encoded and validated, and its program for a
// harness that asked for one) in the background, so that Run only sends
// them: the rendering then happens on the other processor while the
// harness runs the scenarios before. The scenarios must not change
// afterwards.
func (c *Client) Prepare(scenarios []*scenario.Scenario) {
	entries := make([]*preparing, len(scenarios))
	for i, s := range scenarios {
		p, _ := c.prepared.LoadOrStore(s, &preparing{})
		entries[i] = p.(*preparing)
	}
	go func() {
		for i, p := range entries {
			select {
			case <-c.closing:
				return
			default:
			}
			p.once.Do(func() { p.r.Store(c.render(scenarios[i], pysource.Program)) })
		}
	}()
}

// render encodes s for a request, with the program render gives for a
// harness that asked for OptionPythonSource.
func (c *Client) render(s *scenario.Scenario, render func(*scenario.Scenario) (string, error)) *rendered {
	encoded, err := scenario.Encode(s)
	if err != nil {
		r := errored("not run: the scenario is malformed (a bug in the spec, not in the implementation): " + err.Error())
		return &rendered{malformed: &r}
	}
	out := &rendered{encoded: encoded}
	if c.hello.wants(OptionPythonSource) {
		program, err := render(s)
		var cannot *pysource.Error
		if errors.As(err, &cannot) {
			return &rendered{failed: &adapters.Result{State: adapters.Unsupported,
				Reason: cannot.Reason + " (missing: " + strings.Join(cannot.Missing, ", ") + ")"}}
		}
		if err != nil {
			r := errored("not run: cannot render the scenario as Python: " + err.Error())
			return &rendered{failed: &r}
		}
		out.program = &program
	}
	return out
}

// request sends req, a run or bench request, for s and waits for its
// result until timeout, as Run describes; it fills in the scenario, the
// program and the id. It also returns the result message when one came.
func (c *Client) request(ctx context.Context, s *scenario.Scenario, req runRequest, timeout time.Duration) (adapters.Result, object) {
	var r *rendered
	if req.Bench != nil {
		r = c.render(s, pysource.Bench) // the workload and the timing loop
	} else if p, ok := c.prepared.Load(s); ok {
		p := p.(*preparing)
		p.once.Do(func() { p.r.Store(c.render(s, pysource.Program)) })
		r = p.r.Load()
	} else {
		r = c.render(s, pysource.Program)
	}
	if r.malformed != nil {
		return *r.malformed, nil
	}
	if missing := s.Missing(c.info.Capabilities); len(missing) > 0 {
		names := make([]string, len(missing))
		for i, m := range missing {
			names[i] = string(m)
		}
		return adapters.Result{State: adapters.Unsupported, Reason: fmt.Sprintf(
			"%s does not announce %s the scenario needs (missing: %s)",
			c.describe(), plural(len(names), "a capability", "capabilities"), strings.Join(names, ", "))}, nil
	}
	if r.failed != nil {
		return *r.failed, nil
	}
	req.Scenario, req.Program = r.encoded, r.program

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return errored("not run: the adapter is closed"), nil
	}
	if err := ctx.Err(); err != nil {
		return errored("not run: " + err.Error()), nil
	}
	if c.pendingFailure != "" {
		r := errored(c.pendingFailure)
		c.pendingFailure = ""
		return r, nil
	}
	c.nextID++
	req.ID = strconv.FormatUint(c.nextID, 10)
	payload, err := json.Marshal(req)
	if err != nil {
		return errored("cannot encode the " + req.Type + " request: " + err.Error()), nil
	}
	payload = append(payload, '\n')

	if c.h != nil {
		if r, bad := c.checkIdle(c.h); bad {
			return r, nil
		}
	}
	if c.h == nil {
		if r, ok := c.restart(); !ok {
			return r, nil
		}
	}
	c.answer = nil
	res := c.exchange(ctx, c.h, req.ID, payload, timeout)
	answer := c.answer
	c.answer = nil
	return res, answer
}

// checkIdle looks at a harness between scenarios. A harness that wrote
// something while no request was in flight, or exited, broke the protocol;
// the scenario about to run takes the blame, since nothing else can carry
// it. (A harness may exit just before or just after this check; the
// report reads the same either way, see gone.)
func (c *Client) checkIdle(h *harness) (adapters.Result, bool) {
	select {
	case item, ok := <-h.lines:
		if ok && item.err == nil {
			return c.fail(h, "protocol violation: the harness wrote a line while no request was in flight ("+h.since()+"): "+quote(item.data, item.size)), true
		}
		select {
		case <-h.exited:
			return c.fail(h, h.gone(describeExit(h.state), item)), true
		case <-time.After(time.Second):
			return c.fail(h, h.gone("closed its standard output (and kept running)", item)), true
		}
	case <-h.exited:
		return c.crashed(h, ""), true
	default:
	}
	return adapters.Result{}, false
}

// since says what the harness last did: "after its hello" or "after its
// result to the previous request".
func (h *harness) since() string {
	if h.answered == 0 {
		return "after its hello"
	}
	return "after its result to the previous request"
}

// gone describes a harness that ended (how: "exited with status 0", "was
// killed by signal 11 (SIGSEGV)") without answering the scenario at hand,
// whether that was seen before its request was sent or after: the two
// cannot be told apart reliably, so they read the same. item may hold an
// unterminated last line.
func (h *harness) gone(how string, item lineItem) string {
	what := "the harness " + how + " " + h.since() + ", without answering this scenario"
	if h.answered == 0 {
		what = "the harness " + how + " after its hello, without answering any request"
	}
	if len(item.data) > 0 {
		what += "; it had written an unterminated line " + quote(item.data, item.size)
	}
	if h.state != nil && h.state.Success() || strings.HasPrefix(how, "closed") {
		what += " (a harness may exit only on shutdown or at the end of its input)"
	}
	return what
}

// spare is a harness started ahead; done is closed when its start ended.
type spare struct {
	done chan struct{}
	h    *harness
	hi   hello
	err  error
}

// keptSpares is how many harnesses Config.KeepSpare keeps started ahead.
const keptSpares = 2

// startSpares starts harnesses in the background until the client has
// keptSpares, if it keeps them; each one starts once the one before it
// has.
func (c *Client) startSpares() {
	for c.cfg.KeepSpare && len(c.spares) < keptSpares {
		var after <-chan struct{}
		if n := len(c.spares); n > 0 {
			after = c.spares[n-1].done
		}
		s := &spare{done: make(chan struct{})}
		c.spares = append(c.spares, s)
		go func() {
			defer close(s.done)
			if after != nil {
				select {
				case <-after:
				case <-c.closing:
					s.err = errors.New("the client closed before this spare harness started")
					return
				}
			}
			s.h, s.hi, s.err = c.start(c.argv)
		}()
	}
}

// restart starts a new harness, or takes the spare, unless the restart
// budget is spent.
func (c *Client) restart() (adapters.Result, bool) {
	if c.restartsInRow >= c.cfg.MaxRestarts {
		return errored(fmt.Sprintf("not run: gave up on the harness after %d restarts in a row without a result; last failure: %s",
			c.restartsInRow, c.lastFailure)), false
	}
	c.restartsInRow++
	var h *harness
	var hi hello
	var err error
	if len(c.spares) > 0 {
		s := c.spares[0]
		c.spares = c.spares[1:]
		<-s.done
		h, hi, err = s.h, s.hi, s.err
		if err == nil && h.hasExited() {
			h.stop() // it died waiting: start another one now
			h, hi, err = c.start(c.argv)
		}
	} else {
		h, hi, err = c.start(c.argv)
	}
	if err != nil {
		c.lastFailure = fmt.Sprintf("could not restart the harness (restart %d of %d): %v", c.restartsInRow, c.cfg.MaxRestarts, err)
		return errored(c.lastFailure), false
	}
	if !hi.same(c.hello) {
		h.stop()
		c.lastFailure = fmt.Sprintf("the restarted harness announced %s with capabilities %v and options %v, but the first one announced %s with %v and %v",
			infoString(hi.info), hi.info.Capabilities, hi.options, c.describe(), c.info.Capabilities, c.hello.options)
		return errored(c.lastFailure), false
	}
	c.h = h
	c.startSpares()
	return adapters.Result{}, true
}

// exchange sends one request and waits for its result until timeout.
func (c *Client) exchange(ctx context.Context, h *harness, id string, payload []byte, timeout time.Duration) adapters.Result {
	deadline := time.Now().Add(timeout)
	timedOut := fmt.Sprintf("timed out after %s without a result; killed the harness's process group", timeout)

	// The write has the scenario's deadline too: a harness that stops
	// reading its stdin fills the pipe and would block us forever.
	_ = h.stdin.SetWriteDeadline(deadline)
	if _, err := h.stdin.Write(payload); err != nil {
		if os.IsTimeout(err) {
			return c.fail(h, timedOut+" (it did not read the request)")
		}
		// EPIPE: the harness is gone or going; its exit status says why.
		select {
		case <-h.exited:
			return c.crashed(h, id)
		case <-time.After(time.Second):
			return c.fail(h, "protocol violation: cannot send the request: "+err.Error())
		}
	}

	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case item, ok := <-h.lines:
		if !ok || item.err != nil {
			return c.stdoutEnded(h, id, item)
		}
		return c.handleLine(h, id, item)
	case <-h.exited:
		return c.crashed(h, id)
	case <-timer.C:
		return c.fail(h, timedOut)
	case <-ctx.Done():
		return c.fail(h, "cancelled while the scenario ran ("+ctx.Err().Error()+"); killed the harness's process group")
	case <-c.closing:
		return c.fail(h, "the adapter was closed while the scenario ran")
	}
}

// handleLine judges the harness's answer to request id.
func (c *Client) handleLine(h *harness, id string, item lineItem) adapters.Result {
	res, msg, violation := c.parseResult(id, item)
	if violation != "" {
		return c.fail(h, "protocol violation: "+violation)
	}
	c.answer = msg
	// Any well-formed result shows the harness works: the restart budget
	// is for harnesses that cannot get that far.
	c.restartsInRow = 0
	h.answered++
	return res
}

// parseResult decodes a line that should be the result of request id,
// and returns the message too. It returns a non-empty violation (quoting the line) if the line breaks the
// protocol; a result that is well framed but says something unusable (bad
// observations) is an Errored result instead, and the harness is kept.
func (c *Client) parseResult(id string, item lineItem) (adapters.Result, object, string) {
	msg, err := parseObject(item.data)
	if err != nil {
		return adapters.Result{}, nil, err.Error() + ": " + quote(item.data, item.size)
	}
	var typ string
	if err := msg.str("type", &typ); err != nil {
		return adapters.Result{}, nil, err.Error() + ": " + quote(item.data, item.size)
	}
	if typ != "result" {
		return adapters.Result{}, nil, fmt.Sprintf("expected a result, got a message of type %q: %s", typ, quote(item.data, item.size))
	}
	var gotID, state, reason string
	for _, f := range []struct {
		name string
		dst  *string
	}{{"id", &gotID}, {"state", &state}, {"reason", &reason}} {
		if err := msg.str(f.name, f.dst); err != nil {
			return adapters.Result{}, nil, err.Error() + ": " + quote(item.data, item.size)
		}
	}
	if gotID != id {
		return adapters.Result{}, nil, fmt.Sprintf("the result has id %q, the request had id %q: %s", gotID, id, quote(item.data, item.size))
	}
	switch state {
	case "completed":
		raw, ok := msg["observations"]
		if !ok || string(raw) == "null" {
			return adapters.Result{State: adapters.Completed}, msg, ""
		}
		obs, err := scenario.DecodeObservations(raw)
		if err != nil {
			return errored("the harness sent observations that do not decode: observations" + pathSuffix(err.Error()) + ": " + quote(item.data, item.size)), msg, ""
		}
		return adapters.Result{State: adapters.Completed, Observations: obs}, msg, ""
	case "unsupported":
		var missing []string
		if raw, ok := msg["missing"]; ok && string(raw) != "null" {
			if err := json.Unmarshal(raw, &missing); err != nil {
				return adapters.Result{}, nil, "field \"missing\" must be an array of strings: " + quote(item.data, item.size)
			}
		}
		if reason == "" {
			reason = "the harness cannot express the scenario"
		}
		if len(missing) > 0 {
			reason += " (missing: " + strings.Join(missing, ", ") + ")"
		}
		return adapters.Result{State: adapters.Unsupported, Reason: reason}, msg, ""
	case "error":
		if reason == "" {
			reason = "(no reason given)"
		}
		return errored("the harness could not run the scenario: " + reason), msg, ""
	}
	return adapters.Result{}, nil, fmt.Sprintf("unknown result state %q (known: completed, unsupported, error): %s", state, quote(item.data, item.size))
}

// pathSuffix turns a DecodeObservations error ("[3].kind: ...") into the
// rest of a path under "observations".
func pathSuffix(msg string) string {
	if strings.HasPrefix(msg, "[") {
		return msg
	}
	return ": " + msg
}

// stdoutEnded handles the end of the harness's stdout during a scenario:
// usually the harness is exiting, and its exit status is the evidence.
func (c *Client) stdoutEnded(h *harness, id string, item lineItem) adapters.Result {
	if tooLong, ok := item.err.(*lineTooLongError); ok {
		return c.fail(h, fmt.Sprintf("protocol violation: the harness wrote a line longer than the %d-byte limit (%s): %s",
			MaxLineBytes, tooLong.Error(), quote(item.data, item.size)))
	}
	select {
	case <-h.exited:
		return c.fail(h, h.gone(describeExit(h.state), item))
	case <-time.After(time.Second):
	}
	if item.err != nil && !errors.Is(item.err, io.EOF) {
		return c.fail(h, "cannot read the harness's standard output: "+item.err.Error())
	}
	return c.fail(h, "protocol violation: "+h.gone("closed its standard output (and kept running)", item))
}

// crashed reports a harness that exited while a scenario waited for it
// (id is "" when its request was not sent yet). A harness may write its
// result and exit at once; a result already written still counts.
func (c *Client) crashed(h *harness, id string) adapters.Result {
	grace := time.NewTimer(200 * time.Millisecond)
	defer grace.Stop()
	select {
	case item, ok := <-h.lines:
		if ok && item.err == nil {
			if id == "" {
				return c.fail(h, "protocol violation: the harness wrote a line while no request was in flight ("+h.since()+"), then "+describeExit(h.state)+": "+quote(item.data, item.size))
			}
			if res, msg, violation := c.parseResult(id, item); violation == "" {
				c.answer = msg
				// The exit still breaks the protocol; the next scenario
				// takes the blame, as it would had checkIdle seen the exit.
				c.restartsInRow = 0
				h.answered++
				c.fail(h, h.gone(describeExit(h.state), lineItem{}))
				c.pendingFailure = c.lastFailure
				return res
			}
			return c.fail(h, "the harness "+describeExit(h.state)+" "+h.since()+", having written "+quote(item.data, item.size)+" instead of a result")
		}
		return c.fail(h, h.gone(describeExit(h.state), item))
	case <-grace.C:
		return c.fail(h, h.gone(describeExit(h.state), lineItem{}))
	}
}

// fail kills h's process group and returns an Errored result whose Reason
// is what plus the tail of h's stderr. The next Run starts a new harness.
func (c *Client) fail(h *harness, what string) adapters.Result {
	h.stop()
	reason := what + h.stderrTail()
	if c.h == h {
		c.h = nil
	}
	c.lastFailure = reason
	return errored(reason)
}

// Close sends shutdown, lets the harness exit for up to the shutdown grace,
// then kills its process group whatever happened, and runs Config.Cleanup.
// It reports a harness that did not exit, or exited with a non-zero status,
// after shutdown: the protocol asks for status 0.
func (c *Client) Close() error {
	c.closeOnce.Do(func() { close(c.closing) })
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	var err error
	if c.h != nil {
		err = c.shutdown(c.h)
		c.h = nil
	}
	for _, s := range c.spares {
		<-s.done // cut short by c.closing if it was still starting
		if s.h != nil {
			s.h.stop() // it never ran anything: no shutdown to wait for
		}
	}
	c.spares = nil
	if c.cfg.Cleanup != nil {
		c.cfg.Cleanup()
	}
	return err
}

func (c *Client) shutdown(h *harness) error {
	grace := c.cfg.ShutdownGrace
	_ = h.stdin.SetWriteDeadline(time.Now().Add(grace))
	_, _ = h.stdin.Write([]byte("{\"type\":\"shutdown\"}\n"))
	// EOF as well, for a harness that missed the message.
	_ = h.stdin.Close()
	exited := false
	select {
	case <-h.exited:
		exited = true
	case <-time.After(grace):
	}
	// Kill the group even after a clean exit: children the harness left
	// behind must not outlive it.
	h.stop()
	switch {
	case !exited:
		return fmt.Errorf("%s: the harness did not exit within %s of shutdown; killed its process group%s", c.cfg.Name, grace, h.stderrTail())
	case !h.state.Success():
		return fmt.Errorf("%s: the harness %s after shutdown (the protocol asks for status 0)%s", c.cfg.Name, describeExit(h.state), h.stderrTail())
	}
	return nil
}

func errored(reason string) adapters.Result {
	return adapters.Result{State: adapters.Errored, Reason: reason}
}

func infoString(i adapters.Info) string {
	return fmt.Sprintf("%s %s (%s %s)", i.Name, i.Version, i.Language, i.LanguageVersion)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
