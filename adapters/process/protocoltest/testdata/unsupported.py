"""The smallest aiterspec harness, written from PROTOCOL.md alone: it runs
nothing yet and answers unsupported to every scenario, which passes
protocoltest's core tier.  A start for a harness of your own."""
import json
import sys


def send(msg):
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


send({"type": "hello", "protocol": 2,
      "implementation": {"name": "nothing-yet", "version": "0.1"},
      "language": {"name": "python", "version": "3.11"},
      "capabilities": []})
for line in sys.stdin:
    try:
        msg = json.loads(line)
    except ValueError as e:
        send({"type": "error", "reason": "not JSON: %s" % e})
        continue
    if not isinstance(msg, dict):
        send({"type": "error", "reason": "not a JSON object"})
    elif msg.get("type") == "shutdown":
        break
    elif msg.get("type") == "run":
        needs = msg["scenario"].get("needs") or ["everything"]
        send({"type": "result", "id": msg["id"], "state": "unsupported",
              "missing": needs, "reason": "this harness runs nothing yet"})
    else:
        send({"type": "error", "reason": "unknown message type %s" % json.dumps(msg.get("type"))})
