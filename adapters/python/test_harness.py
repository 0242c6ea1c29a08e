"""Tests of harness.py and runtime.py: the protocol loop as a subprocess,
the runtime in process.

Run from the repository root with any interpreter under test:

    python3 -m unittest adapters/python/test_harness.py

The harness runs on the same interpreter as the tests (sys.executable; set
AITERSPEC_TEST_PYTHON to use another).  aiterspec renders every program in
Go (scenario/pysource); the programs here are written by hand in that form,
with program() below.  What programs observe on real interpreters is the
conformance suite's business (go tool ginkgo ./spec -- --adapter=cpython).
"""

import gc
import json
import os
import platform
import queue
import subprocess
import sys
import textwrap
import threading
import unittest
import unittest.mock

HERE = os.path.dirname(os.path.abspath(__file__))
HARNESS = os.path.join(HERE, "harness.py")
PYTHON = os.environ.get("AITERSPEC_TEST_PYTHON", sys.executable)
sys.path.insert(0, HERE)
import runtime  # noqa: E402

CPYTHON = sys.implementation.name == "cpython"
PYPY = sys.implementation.name == "pypy"
HAS_ANEXT = sys.version_info >= (3, 10)
BREAK_OUTSIDE_LOOP = "'break' not properly in loop" if PYPY else "'break' outside loop"


def program(*main, module=(), sync=False, globals_=()):
    """A program in the form scenario/pysource renders: each top-level
    statement (a string, lines allowed) wrapped so that its exception is
    recorded, main as _aiterspec_main, run by _aiterspec_asyncio.run."""
    def wrapped(stmt, indent):
        pad = "    " * indent
        return (pad + "try:\n" + textwrap.indent(textwrap.dedent(stmt).strip("\n"), pad + "    ") + "\n"
                + pad + "except BaseException as _aiterspec_exc:\n" + pad + "    _aiterspec_raised(_aiterspec_exc)\n")
    src = "".join(wrapped(s, 0) for s in module)
    src += ("" if sync else "async ") + "def _aiterspec_main():\n"
    if globals_:
        src += "    global " + ", ".join(sorted(globals_)) + "\n"
    src += "".join(wrapped(s, 1) for s in main) or "    pass\n"
    src += "try:\n    " + ("_aiterspec_main()" if sync else "_aiterspec_asyncio.run(_aiterspec_main())") + "\n"
    return src + "except BaseException as _aiterspec_exc:\n    _aiterspec_raised(_aiterspec_exc)\n"


def V(value):
    return {"kind": "value", "value": value}


def R(typ, message="", cause=None, line=None):
    d = {"kind": "raised", "type": typ, "message": message}
    if cause:
        d["cause"] = cause
    if line is not None:
        d["line"] = line
    return d


def C(typ, message=""):
    return {"type": typ, "message": message}


def E(event, *value):
    d = {"kind": "event", "event": event}
    if value:
        d["value"] = value[0]
    return d


class Harness(object):
    """One harness process; reads its stdout and stderr on threads."""

    def __init__(self, args=("-u", "-I", "-S")):
        self.proc = subprocess.Popen([PYTHON] + list(args) + [HARNESS],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines, self.stderr, self.ids = queue.Queue(), [], 0
        self.threads = [threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines.put), daemon=True),
                        threading.Thread(target=self._pump, args=(self.proc.stderr, self.stderr.append), daemon=True)]
        for t in self.threads:
            t.start()

    @staticmethod
    def _pump(stream, put):
        for line in iter(stream.readline, b""):
            put(line)
        put(None)

    def raw_line(self, timeout=30):
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("no line from the harness within %ss; stderr:\n%s" % (timeout, self.stderr_text()))

    def receive(self, timeout=30):
        line = self.raw_line(timeout)
        if line is None:
            raise AssertionError("harness exited (%s); stderr:\n%s" % (self.proc.wait(), self.stderr_text()))
        assert line.endswith(b"\n"), line
        msg = json.loads(line.decode("utf-8"))
        assert isinstance(msg, dict), line
        return msg

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, msg):
        self.send_raw(json.dumps(msg).encode("utf-8") + b"\n")

    def run(self, scenario, program, timeout=30):
        self.ids += 1
        rid = "r%d" % self.ids
        self.send({"type": "run", "id": rid, "scenario": scenario, "program": program})
        res = self.receive(timeout)
        assert res.get("type") == "result" and res.get("id") == rid, res
        return res

    def stderr_text(self):
        return b"".join(l for l in self.stderr[-60:] if l).decode("utf-8", "replace")

    def close(self):
        if self.proc.poll() is None:
            try:
                self.send({"type": "shutdown"})
                self.proc.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        for t in self.threads:
            t.join(5)
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            f.close()


class ProtocolTest(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.h = Harness()
        self.addCleanup(self.h.close)

    def test_hello_comes_first_and_describes_the_interpreter(self):
        hello = self.h.receive()
        self.assertEqual((hello["type"], hello["protocol"], hello["options"]), ("hello", 2, ["python-source", "bench"]))
        self.assertEqual(hello["implementation"]["name"], sys.implementation.name)
        v = sys.implementation.version
        self.assertTrue(hello["implementation"]["version"].startswith("%d.%d.%d" % (v.major, v.minor, v.micro)))
        self.assertEqual(hello["language"], {"name": "python", "version": platform.python_version()})
        self.assertTrue(os.path.isabs(hello["executable"]), hello)
        caps = hello["capabilities"]
        self.assertEqual(caps, [c for c in runtime.ALL_CAPABILITIES if c in caps], "in the documented order")
        for c in ("async-generators", "agen-methods", "async-comprehensions", "compile", "tasks", "source"):
            self.assertIn(c, caps)
        self.assertEqual("anext-builtin" in caps, HAS_ANEXT)
        self.assertEqual("aiter-builtin" in caps, HAS_ANEXT)
        self.assertEqual("deterministic-collect" in caps, CPYTHON, "refcounting: CPython yes, PyPy no")
        self.assertEqual("introspection" in caps, CPYTHON, "PyPy: ag_running is false while suspended in await")

    def test_bad_lines_get_error_messages_and_the_harness_goes_on(self):
        self.h.receive()
        for line, reason in ((b"this is not json\n", "not JSON"), (b"[1, 2]\n", "not a JSON object: got list"),
                             (b"\xff\xfe\n", "not JSON"), (b"\n", "not JSON"), (b"NaN\n", "not a JSON object"),
                             (b'{"type": "frobnicate", "id": "1"}\n', 'unknown message type "frobnicate"'),
                             (b'{"id": "1"}\n', "unknown message type null"),
                             (b'{"type": "hello"}\n', 'unknown message type "hello"')):
            self.h.send_raw(line)
            msg = self.h.receive()
            self.assertEqual(msg["type"], "error", line)
            self.assertIn(reason, msg["reason"], line)
        # and it still runs programs, echoing ids and ignoring unknown fields
        self.h.send({"type": "run", "id": "x-17", "extra": True, "scenario": {"id": "X", "future": 1},
                     "program": program("_aiterspec_value('ok')")})
        self.assertEqual(self.h.receive(), {"type": "result", "id": "x-17", "state": "completed",
                                            "observations": [V("ok")]})

    def test_a_run_without_a_program_or_scenario_is_an_error(self):
        self.h.receive()
        self.h.send({"type": "run", "id": "p", "scenario": {"id": "X"}})
        res = self.h.receive()
        self.assertEqual((res["id"], res["state"]), ("p", "error"))
        self.assertIn("python-source", res["reason"])
        self.h.send({"type": "run", "id": "s"})
        self.assertEqual(self.h.receive(), {"type": "result", "id": "s", "state": "error",
                                            "reason": "the run request has no scenario object"})

    def test_shutdown_exits_zero_without_output(self):
        self.h.receive()
        self.h.send({"type": "shutdown"})
        self.assertEqual(self.h.proc.wait(5), 0)
        self.assertIsNone(self.h.raw_line(5), "nothing after shutdown")

    def test_eof_exits_zero(self):
        self.h.receive()
        self.h.run({"id": "X"}, program("_aiterspec_value(1)"))
        self.h.proc.stdin.close()
        self.assertEqual(self.h.proc.wait(5), 0)
        self.assertIsNone(self.h.raw_line(5))

    def test_stray_output_does_not_reach_the_protocol_stream(self):
        self.h.receive()
        strays = ["import os, sys", "print('stray print')", "os.write(1, b'stray fd write\\n')",
                  "sys.__stdout__.write('stray dunder stdout\\n'); sys.__stdout__.flush()"]
        res = self.h.run({"id": "X"}, program(*strays + ["_aiterspec_value('after')"], globals_=["os", "sys"]))
        self.assertEqual(res["observations"], [V("after")])
        res = self.h.run({"id": "X", "mode": "sync"},
                         program("import os", "os.write(1, b'sync fd write\\n')", "_aiterspec_value('sync')",
                                 sync=True, globals_=["os"]))
        self.assertEqual(res["observations"], [V("sync")])
        src = ("import os, sys\nos.write(1, b'source fd write\\n')\n"
               "sys.__stdout__.write('source dunder\\n'); sys.__stdout__.flush()\nprint('captured')\ninput()\n")
        res = self.h.run({"id": "SRC", "mode": "source"}, src)
        self.assertEqual(res["observations"], [E("stdout", "captured"),
                                               R("EOFError", "" if PYPY else "EOF when reading a line")],
                         "input() reads /dev/null, not the protocol")
        self.assertEqual(self.h.run({"id": "X"}, program("_aiterspec_value(2)"))["observations"], [V(2)])
        self.h.close()
        for text in ("stray print", "stray fd write", "stray dunder stdout", "sync fd write", "source fd write",
                     "source dunder"):
            self.assertIn(text, self.h.stderr_text())

    def test_a_dying_interpreter_kills_the_harness_rather_than_hanging_it(self):
        # gh-131670: CPython 3.10-3.12.9 and 3.13.0-3.13.2 segfault on
        # anext(it, default) when a plain-def __anext__ raises.  The harness
        # cannot survive that; what matters is that it dies (aiterspec
        # restarts it) rather than hangs, and says where on stderr.
        self.h.receive()
        prog = program("x = anext(Q(), 'D')", "_aiterspec_value(type(x).__name__)", globals_=["x"], module=[
            "class Q:\n    def __aiter__(self):\n        return self\n    def __anext__(self):\n        raise ValueError('x')"])
        self.h.send({"type": "run", "id": "crash", "scenario": {"id": "B14", "needs": ["anext-builtin"]}, "program": prog})
        line = self.h.raw_line()
        if line is None:
            self.assertLess(self.h.proc.wait(5), 0, "killed by a signal")
            self.assertIn("Fatal Python error", self.h.stderr_text())
            return
        res = json.loads(line.decode())
        if not HAS_ANEXT:
            self.assertEqual(res["state"], "unsupported")
        else:  # fixed interpreters raise the ValueError from anext()
            self.assertEqual(res["observations"], [R("ValueError", "x"), R("NameError", "name 'x' is not defined")])


class RuntimeTest(unittest.TestCase):
    """The runtime in process, as another host would load it."""
    maxDiff = None

    def observe(self, prog, **scenario):
        scenario.setdefault("id", "T")
        res = runtime.run(scenario, prog)
        self.assertEqual(res["state"], "completed", res)
        return res["observations"]

    def test_observations_in_order_and_each_statement_wrapped(self):
        self.assertEqual(self.observe(program(
            "_aiterspec_value(1)", "raise KeyError('k')", "_aiterspec_event('e')", "_aiterspec_event('e', [1, (2,)])",
            "_aiterspec_value(undefined)", "_aiterspec_value(top)", module=["top = 'module'", "1 / 0"])), [
            R("ZeroDivisionError", "division by zero"), V(1), R("KeyError", "'k'"), E("e"), E("e", {"list": [1, {"tuple": [2]}]}),
            R("NameError", "name 'undefined' is not defined"), V("module")])

    def test_main_names_are_globals_and_main_may_be_a_scenario_name(self):
        self.assertEqual(self.observe(program(
            "x = 5", "def main():\n    return 'mine'", "_aiterspec_value(read())", "_aiterspec_value(main())",
            module=["def read():\n    return x"], globals_=["main", "x"])), [V(5), V("mine")])

    def test_sync_mode_has_no_running_loop(self):
        self.assertEqual(self.observe(program("asyncio.get_running_loop()", sync=True), mode="sync"),
                         [R("RuntimeError", "no running event loop")])

    def test_values(self):
        class Odd(object):
            def __str__(self):
                raise ValueError("no str")
        loop = [1]
        loop.append(loop)
        cases = [(None, None), (True, True), (3, 3), (2.5, 2.5), (1.0, 1.0), ("é", "é"), ([1, (2,)], {"list": [1, {"tuple": [2]}]}),
                 ({1: {2}}, {"dict": [[1, {"set": [2]}]]}), (frozenset(), {"set": []}), (float("inf"), {"object": "float"}),
                 (float("nan"), {"object": "float"}), (KeyError("k"), {"exception": {"type": "KeyError", "message": "'k'"}}),
                 (compile("", "", "exec"), {"object": "code"}), (loop, {"list": [1, {"object": "list"}]}),
                 (Exception(Odd()), {"exception": {"type": "Exception", "message": "<str() raised ValueError>"}})]
        for x, want in cases:
            self.assertEqual(runtime.to_value(x), want, x)
        self.assertIs(type(runtime.to_value(True)), bool)
        self.assertIs(type(runtime.to_value(1.0)), float)

    def test_raised_causes_and_syntax_errors(self):
        try:
            try:
                raise KeyError("a")
            except KeyError:
                raise ValueError("b") from TypeError("c")
        except ValueError as e:
            self.assertEqual(runtime.describe_exception(e), {"type": "ValueError", "message": "b",
                                                             "cause": {"type": "TypeError", "message": "c"}})
        obs = self.observe(program("_aiterspec_value(type(compile('break', '<scenario>', 'exec')).__name__)"))
        self.assertEqual(obs, [R("SyntaxError", BREAK_OUTSIDE_LOOP, line=1)])

    def test_per_call_bodies(self):
        f = "def f():\n    _aiterspec_k = _aiterspec_call(None, 1)\n    return _aiterspec_k"
        m = "class C:\n    def m(self):\n        return _aiterspec_call(self, 2)\n    __hash__ = None"
        self.assertEqual(self.observe(program(
            "_aiterspec_value([f(), f(), f()])", "a, b = C(), C()", "_aiterspec_value([a.m(), a.m(), b.m()])",
            module=[f, m], globals_=["a", "b"])), [V({"list": [0, 1, 2]}), V({"list": [0, 1, 0]})])

    def test_per_call_bodies_count_equal_instances_apart(self):
        # Equal tuples hash alike, and weakref cannot hold a tuple: the
        # count is per instance, by identity, even when a dead instance's
        # id is reused.
        t = "class T(tuple):\n    def m(self):\n        return _aiterspec_call(self, 3)"
        self.assertEqual(self.observe(program(
            "a, b = T((1,)), T((1,))", "_aiterspec_value([a.m(), b.m(), a.m()])",
            "_aiterspec_value([T((1,)).m() for _ in range(3)])",
            module=[t], globals_=["a", "b"])), [V({"list": [0, 0, 1]}), V({"list": [0, 0, 0]})])

    def test_futures_and_top_level_await_flag(self):
        self.assertEqual(self.observe(program(
            "_aiterspec_value(await _aiterspec_future_result())", "_aiterspec_value(await _aiterspec_future_result(3))",
            "_aiterspec_value(await _aiterspec_future_exception(KeyError('f')))",
            "_aiterspec_value(type(compile('await x', '<s>', 'exec', flags=_aiterspec_TOP_LEVEL_AWAIT)).__name__)")),
            [V(None), V(3), R("KeyError", "'f'"), V("code")])

    def test_recording_ends_when_main_returns(self):
        fin = "class F:\n    def __del__(self):\n        _aiterspec_event('finalised')"
        self.assertEqual(self.observe(program("kept = F()", "_aiterspec_value('done')", module=[fin], globals_=["kept"])),
                         [V("done")])

    def test_asyncio_run_finalises_async_generators_after_main(self):
        gen = "async def g():\n    try:\n        yield 1\n    finally:\n        _aiterspec_event('closed')"
        self.assertEqual(self.observe(program("it = g()", "_aiterspec_value(await it.__anext__())", module=[gen],
                                              globals_=["it"])), [V(1), E("closed")])

    def test_reports(self):
        prog = program("import warnings", "warnings.warn('careful')", "async def c(): pass", "x = c(); del x; gc.collect()",
                       "_aiterspec_value('end')", globals_=["warnings", "c", "x"])
        self.assertEqual(self.observe(prog), [V("end")])
        self.assertEqual(self.observe(prog, report=["warnings"]), [
            E("warning", "UserWarning: careful"), E("warning", "RuntimeWarning: coroutine 'c' was never awaited"), V("end")])
        if hasattr(sys, "unraisablehook"):
            bad = "class B:\n    def __del__(self):\n        raise KeyError('u')"
            self.assertEqual(self.observe(program("b = B(); del b; gc.collect()", module=[bad], globals_=["b"]),
                                          report=["unraisable"]),
                             [E("unraisable", {"exception": {"type": "KeyError", "message": "'u'"}})])

    def test_compile_time_warnings_of_the_rendering_are_not_observed(self):
        self.assertEqual(self.observe(program("_aiterspec_value(1 is 1)"), report=["warnings"]), [V(True)])

    def test_substitutes_for_missing_builtins(self):
        gen = "async def g():\n    yield 1"
        prog = program("it = g()", "_aiterspec_value(await anext(it))", "_aiterspec_value(await anext(it, 'D'))",
                       "_aiterspec_value(aiter(it) is it)", module=[gen], globals_=["it"])
        self.assertEqual(self.observe(prog), [V(1), V("D"), V(True)])
        res = runtime.run({"id": "T", "needs": ["anext-builtin", "anext-builtin"]}, prog)
        if HAS_ANEXT:
            self.assertEqual(res["state"], "completed")
        else:
            self.assertEqual((res["state"], res["missing"]), ("unsupported", ["anext-builtin"]))
            self.assertIn("lacks anext-builtin", res["reason"])

    def test_a_host_may_execute_the_program_its_own_way(self):
        calls = []

        def execute(program, ns):
            calls.append(program)
            exec(compile(program, "<host>", "exec"), ns)
        prog = program("_aiterspec_value(1)", "raise ValueError('v')")
        res = runtime.run({"id": "T"}, prog, execute)
        self.assertEqual((res["state"], res["observations"], calls), ("completed", [V(1), R("ValueError", "v")], [prog]))
        # The rendering is still compiled here first: not Python is an error.
        res = runtime.run({"id": "T"}, program("break"), execute)
        self.assertEqual((res["state"], len(calls)), ("error", 1))
        # In source mode what execute raises, a SyntaxError too, is the program's.
        res = runtime.run({"id": "S", "mode": "source"}, "print('hi')\n", execute)
        self.assertEqual((res["observations"], calls[-1]), ([E("stdout", "hi")], "print('hi')\n"))
        res = runtime.run({"id": "S", "mode": "source"}, "x = (\n", execute)
        self.assertEqual(res["observations"][0]["type"], "SyntaxError")
        line = runtime.handle(json.dumps({"type": "run", "id": "7", "scenario": {"id": "T"}, "program": prog}), execute)
        self.assertEqual((json.loads(line)["observations"], len(calls)), ([V(1), R("ValueError", "v")], 4))

    def test_a_program_that_is_not_python_is_an_error(self):
        res = runtime.run({"id": "T"}, program("break"))
        self.assertEqual(res["state"], "error")
        self.assertIn("the rendered program is not valid Python: SyntaxError: %s at line 3: break" % BREAK_OUTSIDE_LOOP,
                      res["reason"])

    def test_bug_while_recording_is_an_error_with_traceback(self):
        original = runtime.to_value

        def broken(x, active=None):
            raise ZeroDivisionError("deliberate harness bug")
        runtime.to_value = broken
        try:
            res = json.loads(runtime.handle(json.dumps({"type": "run", "id": "b", "scenario": {"id": "T"},
                                                        "program": program("_aiterspec_value(1)")})))
        finally:
            runtime.to_value = original
        self.assertEqual((res["id"], res["state"]), ("b", "error"))
        self.assertIn("harness bug while recording", res["reason"])
        self.assertIn("ZeroDivisionError: deliberate harness bug", res["reason"])
        self.assertEqual(self.observe(program("_aiterspec_value(1)")), [V(1)])

    def test_oversized_result_is_an_error(self):
        res = json.loads(runtime.handle(json.dumps({"type": "run", "id": "big", "scenario": {"id": "T"},
                                                    "program": program("_aiterspec_value('x' * (9 << 20))")})))
        self.assertEqual((res["id"], res["state"]), ("big", "error"))
        self.assertIn("too large", res["reason"])

    def test_state_is_restored(self):
        src = ("import sys, warnings, asyncio, os\nwarnings.simplefilter('error')\nsys.stdout = None\n"
               "sys.unraisablehook = None\nsys.setrecursionlimit(50)\nos.chdir('/')\n"
               "asyncio.set_event_loop(asyncio.new_event_loop())\n")
        before = (sys.stdout, getattr(sys, "unraisablehook", None), sys.getrecursionlimit(), os.getcwd())
        self.assertEqual(self.observe(src, mode="source"), [])
        self.assertEqual(before, (sys.stdout, getattr(sys, "unraisablehook", None), sys.getrecursionlimit(), os.getcwd()))
        gc.collect()


class SourceModeTest(unittest.TestCase):
    maxDiff = None

    def observe(self, source, **scenario):
        scenario.update(id="S", mode="source")
        res = runtime.run(scenario, source)
        self.assertEqual(res["state"], "completed", res)
        return res["observations"]

    def test_exit_status(self):
        for code, want in (("None", []), ("0", []), ("False", []), ("3", [R("SystemExit", "3")]),
                           ("'bye'", [R("SystemExit", "bye")])):
            self.assertEqual(self.observe("print('a')\nraise SystemExit(%s)\nprint('b')\n" % code), [E("stdout", "a")] + want)

    def test_output_lines(self):
        src = ("import sys\nprint('a', 'b', sep='-')\nsys.stdout.write('par')\nsys.stdout.write('tial\\n\\nx')\n"
               "print(1, end='')\nprint()\nprint('last', end='')\n")
        self.assertEqual(self.observe(src), [E("stdout", "a-b"), E("stdout", "partial"), E("stdout", ""),
                                             E("stdout", "x1"), E("stdout", "last")])

    def test_name_is_main_and_namespace_is_fresh(self):
        self.assertEqual(self.observe("leak = 1\nprint(__name__)\n"), [E("stdout", "__main__")])
        self.assertEqual(self.observe("print(leak)\n"), [R("NameError", "name 'leak' is not defined")])

    def test_syntax_error_and_cause(self):
        obs = self.observe("print('never')\nx = (\n")
        self.assertEqual((obs[0]["type"], obs[0]["line"], len(obs)), ("SyntaxError", 2, 1))
        self.assertEqual(self.observe("raise ValueError('b') from TypeError('c')\n"), [R("ValueError", "b", C("TypeError", "c"))])

    def test_source_with_reports(self):
        src = "import warnings\nprint('before')\nwarnings.warn('careful')\nprint('after')\n"
        self.assertEqual(self.observe(src, report=["warnings"]),
                         [E("stdout", "before"), E("warning", "UserWarning: careful"), E("stdout", "after")])



def timing_loop():
    """scenario/pysource.TimingLoop, which aiterspec appends to the program
    of a bench request, read from its Go source."""
    with open(os.path.join(HERE, "..", "..", "scenario", "pysource", "timing.go")) as f:
        return f.read().split("const TimingLoop = `", 1)[1].split("`", 1)[0]


class BenchTest(unittest.TestCase):
    """bench requests (PROTOCOL.md, "bench"): the module runs, then aiterspec's
    timing loop times run(n) in process; what the figures mean is tested in
    Go (bench/)."""

    DRAIN = program(module=["async def gen(n):\n    for i in range(n):\n        yield i",
                            "async def run(n):\n    x = -1\n    async for x in gen(n):\n        pass\n    return x"])

    def bench(self, prog, loop=True, **spec):
        spec.setdefault("entry", "run")
        line = runtime.handle(json.dumps({"type": "bench", "id": "b", "scenario": {"id": "BENCH-T"},
                                          "program": prog + (timing_loop() if loop else ""), "bench": spec}))
        res = json.loads(line)
        self.assertEqual((res["type"], res["id"]), ("result", "b"))
        return res

    def test_calibrates_warms_up_and_times_run_and_the_empty_loop(self):
        res = self.bench(self.DRAIN, ops=0, target_ns=2000000, warmup_ns=1000000)
        self.assertEqual(res["state"], "completed", res)
        b = res["bench"]
        self.assertGreater(b["ops"], 1)
        self.assertEqual(b["result"], b["ops"] - 1)  # run(n) returns its last item
        self.assertGreaterEqual(b["warmup_runs"], 1)
        self.assertGreater(b["elapsed_ns"], b["empty_ns"])
        self.assertGreater(b["empty_ns"], 0)
        self.assertEqual(b["clock"], "time.perf_counter_ns")
        self.assertIn("cpu_ns", b)
        again = self.bench(self.DRAIN, ops=500, target_ns=2000000, warmup_ns=0)["bench"]
        self.assertEqual((again["ops"], again["result"], again["warmup_runs"]), (500, 499, 0))

    def test_no_cpu_figure_without_a_cpu_clock(self):
        # A host without a CPU clock (Pyodide: Emscripten's process_time is wall time) sends no cpu_ns.
        with unittest.mock.patch.object(runtime, "CPU_CLOCK", None):
            b = self.bench(self.DRAIN, ops=100, target_ns=1000000, warmup_ns=0)["bench"]
        self.assertNotIn("cpu_ns", b)
        self.assertNotIn("empty_cpu_ns", b)
        self.assertGreater(b["elapsed_ns"], 0)

    def test_errors(self):
        self.assertIn("defines no 'nope'", self.bench(self.DRAIN, entry="nope", ops=1)["reason"])
        broken = program(module=["async def run(n):\n    raise KeyError('boom')"])
        self.assertIn("raised KeyError", self.bench(broken, ops=1)["reason"])
        noisy = program(module=["1 / 0", "async def run(n):\n    return n"])
        self.assertIn("did not run cleanly", self.bench(noisy, ops=1)["reason"])
        self.assertEqual(self.bench("this is not python", ops=1)["state"], "error")
        self.assertIn("no timing loop", self.bench(self.DRAIN, loop=False, ops=1)["reason"])


if __name__ == "__main__":
    unittest.main()
