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
        fresh_scheduler()
    ok, value = box[0]
    if ok:
        return value
    raise value


asyncio.run = run


def fresh_scheduler():
    """Start a fresh task queue, with no JavaScript timer pending, as
    asyncio.run starts a fresh loop: nothing a program scheduled runs after
    it. A program driven by hand (sync mode) reaches the scheduler too:
    asyncio.sleep() pushes the current task, which outside any task is the
    port's top-level task, and pushing sets a JavaScript timer to step the
    queue. Left alone, that timer fires between two requests; with the
    top-level task pushed three times the queue looped, the timer stepped it
    forever, and the engine never answered the next request
    (TestSyncSleepLeavesNothingScheduled)."""
    if core.asyncio_timer is not None:
        js.clearTimeout(core.asyncio_timer)
        core.asyncio_timer = None
    asyncio.new_event_loop()
    core.cur_task = core._top_level_task


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
    try:
        return runtime.handle(line)
    finally:
        fresh_scheduler()
