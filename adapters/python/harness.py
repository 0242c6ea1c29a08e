"""aiterspec harness for Python implementations (CPython 3.8+, PyPy 3.9+):
the protocol loop of adapters/process/PROTOCOL.md on stdin/stdout around
runtime.py, which runs the programs aiterspec renders.  Standard library only.
"""

import faulthandler
import gc
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # not there under -I
import runtime  # noqa: E402


def main(hello=None, handle=None):
    """The protocol loop: hello() is the hello message (a dict), handle(line)
    the answer to a request line, None for shutdown; runtime's by default
    (the Cython harness passes its own)."""
    hello, handle = hello or runtime.hello, handle or runtime.handle
    # An interpreter crash (CPython's gh-131670 segfault, say) then leaves
    # the Python stack on stderr, which aiterspec shows with the scenario.
    faulthandler.enable()
    # aiterspec stops a harness by killing its process group, never by SIGINT:
    # without Python's handler, asyncio.run does not swap handlers each time.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    # The protocol gets private copies of fd 0 and 1; fd 1 then points at
    # stderr and fd 0 at /dev/null, so that nothing a scenario (or the
    # interpreter) prints or reads can touch the protocol stream.
    sys.stdout.flush()
    out, inp = os.fdopen(os.dup(1), "wb"), os.fdopen(os.dup(0), "rb")
    os.dup2(2, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.stdout, sys.stdin = sys.stderr, open(os.devnull, "r")
    try:
        out.write(runtime.encode(hello()).encode("ascii") + b"\n")
        out.flush()
        for name in ("linecache", "tracemalloc"):  # what printing a warning imports, imported before the freeze
            runtime._optional(name)
        # Everything alive now lives as long as the process: out of the
        # collector's sight, the gc.collect() around each scenario only
        # scans what the scenario made.
        if hasattr(gc, "freeze"):
            gc.freeze()
        for line in inp:
            answer = handle(line.rstrip(b"\r\n"))
            if answer is None:
                break  # shutdown
            out.write(answer.encode("ascii") + b"\n")
            out.flush()
    except BrokenPipeError:
        pass  # aiterspec went away
    # Exit at once, without the interpreter's finalisation: it would run
    # leftover scenario objects' finalisers, which have nothing to report to.
    os._exit(0)


if __name__ == "__main__":
    main()
