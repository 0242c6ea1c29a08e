package process

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"strconv"
	"syscall"
	"unicode/utf8"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/scenario"
)

// object is a decoded protocol message, its fields still raw so that
// observations reach scenario.DecodeObservations byte for byte (1.0 stays
// a float).
type object map[string]json.RawMessage

// parseObject decodes one line as a JSON object, insisting on UTF-8: Go's
// decoder would otherwise replace bad bytes silently.
func parseObject(line []byte) (object, error) {
	if !utf8.Valid(line) {
		return nil, errors.New("the line is not valid UTF-8")
	}
	trimmed := bytes.TrimSpace(line)
	if !json.Valid(trimmed) {
		var err error
		var probe any
		if err = json.Unmarshal(trimmed, &probe); err == nil {
			err = errors.New("invalid")
		}
		return nil, fmt.Errorf("the line is not JSON (%v)", err)
	}
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, errors.New("the line is JSON but not an object")
	}
	var m object
	if err := json.Unmarshal(trimmed, &m); err != nil {
		return nil, fmt.Errorf("the line is not a JSON object (%v)", err)
	}
	return m, nil
}

// str decodes the string field name into dst; an absent or null field is "".
func (o object) str(name string, dst *string) error {
	raw, ok := o[name]
	if !ok || string(raw) == "null" {
		*dst = ""
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("field %q must be a string, got %s", name, raw)
	}
	return nil
}

// obj decodes the object field name; absent or null is an empty object.
func (o object) obj(name string) (object, error) {
	raw, ok := o[name]
	if !ok || string(raw) == "null" {
		return object{}, nil
	}
	var m object
	if len(bytes.TrimSpace(raw)) == 0 || bytes.TrimSpace(raw)[0] != '{' || json.Unmarshal(raw, &m) != nil {
		return nil, fmt.Errorf("field %q must be an object, got %s", name, raw)
	}
	return m, nil
}

// protocolMismatchError is a hello for another protocol version.
type protocolMismatchError struct{ got string }

func (e *protocolMismatchError) Error() string {
	return fmt.Sprintf("harness speaks protocol %s; this aiterspec speaks protocol %d (and accepts %d)", e.got, ProtocolVersion, OldestProtocolVersion)
}

// hello is what a harness's hello says.
type hello struct {
	info adapters.Info
	// protocol is the version the harness speaks.
	protocol int
	// options are the protocol options it asked for, known or not.
	options []string
	// raw is the hello line itself.
	raw []byte
}

// same reports whether two hellos announce the same harness.
func (h *hello) same(o hello) bool {
	return h.protocol == o.protocol && slices.Equal(h.options, o.options) &&
		reflect.DeepEqual(h.info, o.info)
}

// wants reports whether the hello asked for option.
func (h *hello) wants(option string) bool { return slices.Contains(h.options, option) }

// protocolVersion reads the protocol field: a JSON number equal to a
// supported version. 1.0 is 1: Python's json.dumps writes floats so.
func protocolVersion(raw json.RawMessage) (int, bool) {
	f, err := strconv.ParseFloat(string(bytes.TrimSpace(raw)), 64)
	if err != nil || f != math.Trunc(f) || f < OldestProtocolVersion || f > ProtocolVersion {
		return 0, false
	}
	return int(f), true
}

// parseHello checks the first line of a harness. Errors read after "the
// harness CMD ".
func parseHello(item lineItem) (hello, error) {
	h := hello{raw: bytes.Clone(item.data)}
	info := &h.info
	q := quote(item.data, item.size)
	msg, err := parseObject(item.data)
	if err != nil {
		return h, fmt.Errorf("did not start with a hello: %v: %s", err, q)
	}
	var typ string
	if err := msg.str("type", &typ); err != nil || typ != "hello" {
		return h, fmt.Errorf("did not start with a hello (a JSON object with \"type\": \"hello\"): %s", q)
	}
	raw, ok := msg["protocol"]
	if !ok {
		return h, fmt.Errorf("sent a hello without a protocol version: %s", q)
	}
	if h.protocol, ok = protocolVersion(raw); !ok {
		return h, &protocolMismatchError{got: string(raw)}
	}
	for _, part := range []struct {
		field         string
		name, version *string
	}{
		{"implementation", &info.Name, &info.Version},
		{"language", &info.Language, &info.LanguageVersion},
	} {
		o, err := msg.obj(part.field)
		if err == nil {
			err = o.str("name", part.name)
		}
		if err == nil {
			err = o.str("version", part.version)
		}
		if err != nil {
			return h, fmt.Errorf("sent a malformed hello: %s: %v: %s", part.field, err, q)
		}
		if *part.name == "" {
			return h, fmt.Errorf("sent a hello without %s.name: %s", part.field, q)
		}
	}
	if raw, ok := msg["capabilities"]; ok && string(raw) != "null" {
		var caps []string
		if err := json.Unmarshal(raw, &caps); err != nil {
			return h, fmt.Errorf("sent a hello whose capabilities are not an array of strings: %s", q)
		}
		// Names this version does not know are kept: no scenario can need
		// them, and a newer harness must still work (protocoltest flags them).
		for _, c := range caps {
			info.Capabilities = append(info.Capabilities, scenario.Capability(c))
		}
	}
	// Options came with protocol 2; a protocol 1 harness asks for none.
	if raw, ok := msg["options"]; ok && string(raw) != "null" && h.protocol >= 2 {
		if err := json.Unmarshal(raw, &h.options); err != nil {
			return h, fmt.Errorf("sent a hello whose options are not an array of strings: %s", q)
		}
	}
	return h, nil
}

// quoteLimit is how many bytes of offending output a Reason quotes.
const quoteLimit = 200

// quote shows harness output in a Reason: Go-quoted (so control and
// non-UTF-8 bytes are visible), cut to quoteLimit bytes. size is the full
// length, or negative if unknown (a line over the cap).
func quote(data []byte, size int) string {
	cut := data
	if len(cut) > quoteLimit {
		cut = cut[:quoteLimit]
	}
	s := strconv.Quote(string(cut))
	switch {
	case size < 0:
		s += fmt.Sprintf(" (the first %d bytes)", len(cut))
	case size > len(cut):
		s += fmt.Sprintf(" (cut to %d of %d bytes)", len(cut), size)
	}
	return s
}

// describeExit says how a process ended: "exited with status 3", "killed by
// signal 11 (SIGSEGV)".
func describeExit(ps *os.ProcessState) string {
	if ps == nil {
		return "ended"
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		sig := ws.Signal()
		s := fmt.Sprintf("was killed by signal %d (%s)", int(sig), signalName(sig))
		if ws.CoreDump() {
			s += ", core dumped"
		}
		return s
	}
	return fmt.Sprintf("exited with status %d", ps.ExitCode())
}

var signalNames = map[syscall.Signal]string{
	syscall.SIGHUP: "SIGHUP", syscall.SIGINT: "SIGINT", syscall.SIGQUIT: "SIGQUIT",
	syscall.SIGILL: "SIGILL", syscall.SIGTRAP: "SIGTRAP", syscall.SIGABRT: "SIGABRT",
	syscall.SIGBUS: "SIGBUS", syscall.SIGFPE: "SIGFPE", syscall.SIGKILL: "SIGKILL",
	syscall.SIGUSR1: "SIGUSR1", syscall.SIGSEGV: "SIGSEGV", syscall.SIGUSR2: "SIGUSR2",
	syscall.SIGPIPE: "SIGPIPE", syscall.SIGALRM: "SIGALRM", syscall.SIGTERM: "SIGTERM",
	syscall.SIGXCPU: "SIGXCPU", syscall.SIGXFSZ: "SIGXFSZ", syscall.SIGSYS: "SIGSYS",
}

// signalName is the C name of sig ("SIGSEGV"), which people search for,
// rather than Go's description ("segmentation fault").
func signalName(sig syscall.Signal) string {
	if n, ok := signalNames[sig]; ok {
		return n
	}
	return sig.String()
}
