package process

import (
	"encoding/json"
	"fmt"
	"testing"
	"unicode/utf8"

	"github.com/aiterspec/aiterspec/adapters"
	"github.com/aiterspec/aiterspec/scenario"
	"github.com/aiterspec/aiterspec/spec"
)

// FuzzProtocolMessages feeds one harness line to both decoders the client
// has: the hello (the first line) and a result (every later one), seeded
// with hellos of every protocol version and option, and with a result
// carrying the expected observations of every spec of the suite. Whatever
// the line, the client must neither panic nor quote more than a bounded
// part of it, and what it accepts must be usable.
func FuzzProtocolMessages(f *testing.F) {
	for _, h := range []string{
		`{"type":"hello","protocol":2,"implementation":{"name":"cpython","version":"3.11.7"},"language":{"name":"python","version":"3.11.7"},"capabilities":["async-generators","anext-builtin"],"options":["python-source"]}`,
		`{"type":"hello","protocol":1,"implementation":{"name":"fake","version":"1"},"language":{"name":"python","version":"3.9.0"},"capabilities":[]}`,
		`{"type":"hello","protocol":1.0,"implementation":{"name":"fake","version":"1"},"language":{"name":"python","version":"3.11.0"}}`,
		`{"type":"hello","protocol":3,"implementation":{"name":"fake"}}`,
		`{"type":"hello","protocol":2,"implementation":{"name":""},"language":{"name":"python"},"options":["validates","x"]}`,
		`{"type":"hello"}`, `{}`, `[]`, `"hello"`, "\xff{}",
	} {
		f.Add([]byte(h))
	}
	for _, c := range spec.Cases() {
		obs, err := json.Marshal(c.Expect)
		if err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(fmt.Sprintf(`{"type":"result","id":"1","state":"completed","observations":%s}`, obs)))
	}
	for _, r := range []string{
		`{"type":"result","id":"1","state":"unsupported","missing":["tasks"],"reason":"no loop"}`,
		`{"type":"result","id":"1","state":"error","reason":"SyntaxError at line 3"}`,
		`{"type":"result","id":"2","state":"completed","observations":[]}`,
		`{"type":"result","id":"1","state":"done"}`,
		`{"type":"result","id":"1","state":"completed","observations":[{"kind":"vaule"}]}`,
	} {
		f.Add([]byte(r))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		item := lineItem{data: line, size: len(line)}
		h, err := parseHello(item)
		switch {
		case err != nil:
			checkQuoted(t, "hello", err.Error(), line)
		case !utf8.Valid(line) || h.info.Name == "" || h.info.Language == "":
			t.Fatalf("accepted a hello without implementation or language name, or not UTF-8: %q", line)
		case h.protocol < OldestProtocolVersion || h.protocol > ProtocolVersion:
			t.Fatalf("accepted a hello of protocol %d: %q", h.protocol, line)
		case h.protocol < 2 && len(h.options) > 0:
			t.Fatalf("a protocol %d hello asked for options %v: %q", h.protocol, h.options, line)
		}

		var c Client
		res, _, violation := c.parseResult("1", item)
		if violation != "" {
			checkQuoted(t, "result", violation, line)
			return
		}
		switch res.State {
		case adapters.Completed:
			// The observations the suite will judge encode and decode again.
			enc, err := json.Marshal(res.Observations)
			if err != nil {
				t.Fatalf("accepted observations that do not encode: %v", err)
			}
			if _, err := scenario.DecodeObservations(enc); err != nil {
				t.Fatalf("accepted observations that do not decode again: %v\n%s", err, enc)
			}
		case adapters.Unsupported, adapters.Errored:
			if res.Reason == "" {
				t.Fatalf("a %s result without a reason from %q", res.State, line)
			}
			checkQuoted(t, "result reason", res.Reason, line)
		default:
			t.Fatalf("a result in state %q from %q", res.State, line)
		}
	})
}

// checkQuoted insists that a message about harness output quotes a bounded
// part of it, however long the line.
func checkQuoted(t *testing.T, what, msg string, line []byte) {
	t.Helper()
	if !utf8.ValidString(msg) {
		t.Fatalf("the %s message is not UTF-8: %q", what, msg)
	}
	if limit := 8*quoteLimit + 600; len(msg) > limit && len(msg) > 2*len(line)+600 {
		t.Fatalf("the %s message is %d bytes for a %d-byte line", what, len(msg), len(line))
	}
}
