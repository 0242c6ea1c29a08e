package process

// A fake harness for the fault tests: the test binary re-executes itself
// with AITERSPEC_FAKE_HARNESS set, so no interpreter is needed. The
// variable's value picks the start-up behaviour; the id of each scenario
// picks what the fake does with it ("exit:3", "segv", "hang", ...).

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	fakeEnv      = "AITERSPEC_FAKE_HARNESS"
	fakeCountEnv = "AITERSPEC_FAKE_COUNT" // a file counting starts, for modes that change on restart
)

func TestMain(m *testing.M) {
	if mode, ok := os.LookupEnv(fakeEnv); ok {
		fakeMain(mode)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func say(line string) { os.Stdout.WriteString(line + "\n") }

func complain(format string, args ...any) { fmt.Fprintf(os.Stderr, "fake: "+format+"\n", args...) }

func sayHello(version string) {
	say(`{"type":"hello","protocol":1,"implementation":{"name":"fake","version":"` + version +
		`"},"language":{"name":"python","version":"3.11.0"},"capabilities":["async-generators"],"future-field":1}`)
}

// startCount bumps and returns the number of starts recorded in the count
// file (1 for the first start).
func startCount() int {
	path := os.Getenv(fakeCountEnv)
	if path == "" {
		return 1
	}
	data, _ := os.ReadFile(path)
	n, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	n++
	os.WriteFile(path, []byte(strconv.Itoa(n)), 0o644)
	return n
}

// flood writes about total bytes of numbered lines to stderr, then a last
// line, in big writes so that it is fast even under -race.
func flood(total int) {
	var block []byte
	for i := 0; len(block) < 64<<10; i++ {
		block = fmt.Appendf(block, "fake: flood line %d of a long stream of diagnostics\n", i)
	}
	for n := 0; n < total; n += len(block) {
		os.Stderr.Write(block)
	}
	complain("flood line %d, the last one", total)
}

func fakeMain(mode string) {
	n := startCount()
	switch mode {
	case "sleeper":
		time.Sleep(time.Hour)
		return
	case "proto3":
		say(`{"type":"hello","protocol":3,"implementation":{"name":"fake","version":"3"},"language":{"name":"python","version":"3.11.0"},"capabilities":[]}`)
	case "proto1.0":
		// Python's json.dumps(1.0) writes a protocol version so.
		say(`{"type":"hello","protocol":1.0,"implementation":{"name":"fake","version":"1"},"language":{"name":"python","version":"3.11.0"},"capabilities":["async-generators"]}`)
	case "python-source":
		say(`{"type":"hello","protocol":2,"implementation":{"name":"fake","version":"1"},"language":{"name":"python","version":"3.11.0"},"capabilities":["async-generators"],"options":["python-source","some-future-option"]}`)
	case "bench":
		say(`{"type":"hello","protocol":2,"implementation":{"name":"fake","version":"1"},"language":{"name":"python","version":"3.11.0"},"capabilities":["async-generators"],"options":["bench"]}`)
	case "hello-exit":
		sayHello("1")
		os.Exit(0)
	case "exit-early":
		complain("cannot start: missing libfoo.so.1")
		os.Exit(4)
	case "no-hello":
		complain("thinking...")
		time.Sleep(time.Hour)
	case "banner":
		say("Welcome to FakePython 1.0!")
	case "busy-start":
		// Silent but working, as an interpreter starting on a loaded machine.
		for deadline := time.Now().Add(1500 * time.Millisecond); time.Now().Before(deadline); {
		}
		sayHello("1")
	case "slow-start":
		time.Sleep(1500 * time.Millisecond)
		sayHello("1")
	case "restart-fails":
		if n > 1 {
			complain("start %d: cannot start again", n)
			os.Exit(1)
		}
		sayHello("1")
	case "identity":
		sayHello(strconv.Itoa(n))
	case "flood-start":
		flood(20 << 20)
		sayHello("1")
	default:
		sayHello("1")
	}

	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	for in.Scan() {
		var msg struct {
			Type    string  `json:"type"`
			ID      string  `json:"id"`
			Program *string `json:"program"`
			Bench   struct {
				Entry    string `json:"entry"`
				Ops      int    `json:"ops"`
				WarmupNS int64  `json:"warmup_ns"`
			} `json:"bench"`
			Scenario struct {
				ID    string   `json:"id"`
				Needs []string `json:"needs"`
			} `json:"scenario"`
		}
		if err := json.Unmarshal(in.Bytes(), &msg); err != nil {
			say(`{"type":"error","reason":"not JSON"}`)
			continue
		}
		switch msg.Type {
		case "shutdown":
			if mode == "ignore-shutdown" {
				time.Sleep(time.Hour)
			}
			os.Exit(0)
		case "run", "bench":
		default:
			say(`{"type":"error","reason":"unknown message type"}`)
			continue
		}
		id, sid := msg.ID, msg.Scenario.ID
		result := func(rest string) { say(`{"type":"result","id":"` + id + `",` + rest + `}`) }
		ok := func() {
			result(`"state":"completed","observations":[{"kind":"value","value":"` + id + ":" + sid + `"}]`)
		}
		if len(msg.Scenario.Needs) > 0 {
			result(`"state":"error","reason":"aiterspec sent a scenario needing a capability I did not announce"`)
			continue
		}
		behaviour, arg, _ := strings.Cut(sid, ":")
		if msg.Type == "bench" {
			// A bench request answers with a timing echoing the request:
			// 1000 operations when asked to calibrate, and as many
			// warm-up runs as milliseconds of warm-up.
			ops := msg.Bench.Ops
			if ops == 0 {
				ops = 1000
			}
			timing := fmt.Sprintf(`{"ops":%d,"elapsed_ns":%d,"empty_ns":50,"result":%d,"clock":"fake-%s","resolution_ns":1,"warmup_runs":%d,"cpu_ns":900,"empty_cpu_ns":40}`,
				ops, 60*ops+50, ops-1, msg.Bench.Entry, msg.Bench.WarmupNS/1e6)
			switch behaviour {
			case "ok":
				result(`"state":"completed","bench":` + timing)
				continue
			case "nobench":
				result(`"state":"completed"`)
				continue
			case "badbench":
				result(`"state":"completed","bench":{"ops":"many","elapsed_ns":1,"empty_ns":1,"result":1}`)
				continue
			case "halfcpu":
				result(`"state":"completed","bench":{"ops":1,"elapsed_ns":1,"empty_ns":1,"result":1,"cpu_ns":3}`)
				continue
			case "slow":
				ms, _ := strconv.Atoi(arg)
				time.Sleep(time.Duration(ms) * time.Millisecond)
				result(`"state":"completed","bench":` + timing)
				continue
			}
		}
		switch behaviour {
		case "ok":
			ok()
		case "argv":
			result(`"state":"completed","observations":[{"kind":"value","value":"` + strings.Join(os.Args[1:], " ") + `"}]`)
		case "program":
			program, _ := json.Marshal(msg.Program)
			result(`"state":"completed","observations":[{"kind":"value","value":` + string(program) + `}]`)
		case "exit":
			code, _ := strconv.Atoi(arg)
			complain("exiting with status %d", code)
			os.Exit(code)
		case "segv":
			complain("Fatal Python error: Segmentation fault (pretend)")
			// Replace this process by a shell that kills itself: the Go
			// runtime would turn a SIGSEGV into a panic and exit status 2.
			syscall.Exec("/bin/sh", []string{"sh", "-c", "kill -SEGV $$"}, os.Environ())
		case "hang":
			complain("hanging")
			time.Sleep(time.Hour)
		case "hang-child", "exit-child":
			exe, _ := os.Executable()
			child := exec.Command(exe)
			child.Env = append(os.Environ(), fakeEnv+"=sleeper")
			// The child inherits stdout and stderr: a crash of the harness
			// alone does not end them.
			child.Stdout, child.Stderr = os.Stdout, os.Stderr
			if err := child.Start(); err != nil {
				complain("cannot start child: %v", err)
				os.Exit(9)
			}
			complain("child pid %d", child.Process.Pid)
			if behaviour == "exit-child" {
				os.Exit(5)
			}
			time.Sleep(time.Hour)
		case "garbage":
			say("Traceback (most recent call last): oops")
		case "garbage-long":
			say(strings.Repeat("x", 1000))
		case "nonobject":
			say(`[1, 2, 3]`)
		case "wrongtype":
			say(`{"type":"hello","protocol":1}`)
		case "wrongid":
			say(`{"type":"result","id":"999","state":"completed","observations":[]}`)
		case "badstate":
			result(`"state":"exploded"`)
		case "harness-error":
			result(`"state":"error","reason":"main[2].kind: unknown statement \"anxt\""`)
		case "unsupported":
			result(`"state":"unsupported","missing":["frobs"],"reason":"no frobs here"`)
		case "badobs":
			result(`"state":"completed","observations":[{"kind":"value","value":1},{"kind":"vaule"}]`)
		case "long-over":
			result(`"state":"completed","observations":[{"kind":"value","value":"` + strings.Repeat("a", 9<<20) + `"}]`)
		case "long-under":
			result(`"state":"completed","observations":[{"kind":"value","value":"` + strings.Repeat("a", 6<<20) + `"}]`)
		case "nonutf8":
			result(`"state":"completed","observations":[{"kind":"value","value":"caf` + "\xe9\xff" + `"}]`)
		case "flood":
			flood(40 << 20)
			ok()
		case "flood-exit":
			flood(40 << 20)
			complain("the last words")
			os.Exit(1)
		case "result-exit":
			ok()
			os.Exit(0)
		case "stray-after":
			ok()
			say("stray output")
		case "unterminated-exit":
			os.Stdout.WriteString(`{"type":"result","id":"` + id + `","sta`)
			os.Exit(2)
		case "no-read":
			ok()
			time.Sleep(time.Hour)
		case "slow":
			ms, _ := strconv.Atoi(arg)
			time.Sleep(time.Duration(ms) * time.Millisecond)
			ok()
		default:
			result(`"state":"error","reason":"the fake does not know behaviour ` + behaviour + `"`)
		}
	}
	if mode == "ignore-shutdown" {
		time.Sleep(time.Hour)
	}
}
