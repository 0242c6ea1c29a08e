"""Loads adapters/python/runtime.py into Pyodide.

Nothing to adapt in how programs run: Pyodide is CPython, and asyncio.run
works (the host calls handle() with JavaScript Promise integration, so that
asyncio.run can block on Pyodide's event loop). Only the hello changes:
sys.implementation says cpython, while the implementation under test is
Pyodide, at its own version.
"""

import gc

import runtime

# Emscripten's process_time is clock(), which counts wall time there (116.424
# ms "CPU" for 116.429 ms wall at load 10): no CPU figure rather than a wrong
# one (PROTOCOL.md, "bench").
runtime.CPU_CLOCK = None


def hello(version):
    msg = runtime.hello()
    msg["implementation"] = {"name": "pyodide", "version": version}
    return runtime.encode(msg)


def ready():
    """Called once after the hello, as harness.py does: what a warning
    printed to stderr imports is imported now, then everything alive (the
    standard library, the runtime) is moved out of the collector's sight,
    so that the gc.collect() around each program scans only what the
    program made (four times faster per program here)."""
    import linecache, tracemalloc  # noqa: E401,F401
    gc.freeze()


def handle(line):
    return runtime.handle(line)


def idle():
    """Whether Pyodide's loop (a WebLoop) has no task in progress."""
    import asyncio
    return getattr(asyncio.get_event_loop(), "_in_progress", 0) == 0
