"""Loads adapters/python/runtime.py into MicroPython (WebAssembly port).

MicroPython's asyncio on this port has no run(): its scheduler runs one
step per JavaScript timer. run() below drives the same scheduler
(asyncio.core._run_iter, the function the timer calls) synchronously until
the coroutine has finished, then starts a fresh task queue, as asyncio.run
starts a fresh loop.
"""

import asyncio
import io
import json
import sys
import time

import js
from asyncio import core

import runtime

# Every program aiterspec sends is valid Python: one MicroPython's compiler
# rejects is MicroPython's behaviour, observed as its SyntaxError.
runtime.REJECTED_PROGRAM_OBSERVED = True
# MicroPython's compile() has no dont_inherit (nor future flags to inherit).
runtime.compile_exec = lambda source, filename: compile(source, filename, "exec")
# Its json.dumps has no ensure_ascii or allow_nan: UTF-8, which the protocol allows.
runtime.encode = lambda msg: json.dumps(msg, separators=(",", ":"))


def traceback_text(e):
    """MicroPython has no traceback module; sys.print_exception prints one."""
    buf = io.StringIO()
    sys.print_exception(e, buf)
    return buf.getvalue()


runtime.traceback_text = traceback_text


class Deadlock(RuntimeError):
    """What asyncio.run raises when main is suspended and nothing is
    scheduled to resume it: on the JavaScript-driven loop the program would
    wait forever."""


def run(coro):
    box = []

    async def main():
        try:
            box.append((True, await coro))
        except BaseException as e:  # noqa: B036 - everything goes to the caller
            box.append((False, e))

    core.create_task(main())
    try:
        while not box:
            core._run_iter()
            if box:
                break
            head = core._task_queue.peek()
            if head is None:
                raise Deadlock("main is suspended and nothing is scheduled to resume it (seen by aiterspec's driver of asyncio.core)")
            wait = time.ticks_diff(head.ph_key, time.ticks_ms())
            if wait > 0:
                time.sleep_ms(wait)
    finally:
        # Tasks main left behind do not run into the next program.
        asyncio.new_event_loop()
    ok, value = box[0]
    if ok:
        return value
    raise value


asyncio.run = run


class Clock(object):
    """The clock the timing loop of a bench request reads (runtime.time). MicroPython's time has
    no perf_counter, and on this port its ticks_us and time_ns count whole
    milliseconds; JavaScript's performance.now() counts fractions of one.
    There is no CPU clock: the figures are wall time only."""

    def perf_counter(self):
        return js.performance.now() / 1000

    def perf_counter_ns(self):
        return int(js.performance.now() * 1000000)


runtime.time = Clock()
runtime.BENCH = True


def hello():
    return runtime.encode(runtime.hello())


def handle(line):
    return runtime.handle(line)
