"""Loads adapters/python/runtime.py into Brython.

What Brython forces:
- Its asyncio module is a stub ("use browser.aio instead"): asyncio.run and
  asyncio.sleep here are browser.aio's run and sleep. The rest of asyncio
  (tasks, futures, gather) does not work, and the runtime's probe reports
  the capability `tasks` missing.
- Its coroutines are JavaScript async functions: nothing can wait for one
  synchronously. browser.aio.run(coro) starts the coroutine and returns; it
  finishes later. So a run request has two steps: begin() executes the
  program (whose asyncio.run only starts main); when every coroutine it
  started has settled, the host calls end() for the result line.
"""

import asyncio
import json
import sys

import javascript
from browser import aio

host = javascript.this()

runtime = type(sys)("runtime")
exec(compile(host.aiterspecRuntimeSource, "runtime.py", "exec"), runtime.__dict__)
sys.modules["runtime"] = runtime
# Brython's json.dumps(ensure_ascii=True) escapes a character outside the
# Basic Multilingual Plane that came from json.loads wrongly (an id "🙂"
# came back as "\u1f642\ude42"); its UTF-8 output is right, and the
# protocol allows UTF-8.
runtime.encode = lambda msg: json.dumps(msg, ensure_ascii=False, separators=(",", ":"))

# Every program aiterspec sends is valid Python: one Brython's compiler
# rejects is Brython's behaviour (it refuses `break` in `async for`, say).
runtime.REJECTED_PROGRAM_OBSERVED = True

# Nothing can block on Brython: a bench request's asyncio.run cannot wait
# for the timed loop, so the hello does not offer "bench" (PROTOCOL.md §4).
runtime.BENCH = False


class Request(object):
    """The run request in progress."""

    def __init__(self, rid, run):
        self.rid, self.run = rid, run
        self.pending = 0  # coroutines started by asyncio.run, not settled yet


current = None


def run(coro):
    """asyncio.run on Brython: browser.aio.run, which starts coro and
    returns at once. What escapes coro is recorded as the run's."""
    request = current
    if request is None or request.run.rec is None:
        coro.close()
        raise RuntimeError("asyncio.run cannot wait for a coroutine on Brython (only inside a scenario)")
    request.pending += 1

    def settled():
        request.pending -= 1
        if request.pending == 0 and request is current:
            host.aiterspecSettled()

    def succeeded(value):
        settled()

    def failed(e):
        request.run.raised(e)
        settled()

    aio.run(coro, succeeded, failed)


asyncio.run = run
asyncio.sleep = aio.sleep


def hello():
    msg = runtime.hello()
    # Brython calls itself "Brython" at version "3.14.3dev0".
    v = sys.implementation.version
    msg["implementation"] = {"name": "brython", "version": "%d.%d.%d" % (v[0], v[1], v[2])}
    return runtime.encode(msg)


def begin(line):
    """The answer line to a request, or "" if the program is still running:
    then the host waits for aiterspecSettled() and calls end()."""
    global current
    try:
        msg = json.loads(line)
    except Exception:
        msg = None
    if not isinstance(msg, dict) or msg.get("type") != "run" or not isinstance(msg.get("scenario"), dict):
        answer = runtime.handle(line)  # errors, shutdown (None), malformed runs
        return "shutdown" if answer is None else answer
    current = Request(msg.get("id"), runtime.Run(msg["scenario"], msg.get("program")))
    fields = runtime.guarded(current.run.start)
    if fields is None and current.pending > 0:
        return ""
    return end(fields)


def end(fields=None):
    """The result line of the run begun last."""
    global current
    request, current = current, None
    if request.run.rec is not None:
        finished = runtime.guarded(request.run.finish)
        if fields is None or finished.get("state") == "error":
            fields = finished
    return runtime.result_line(request.rid, fields)
