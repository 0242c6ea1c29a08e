"""Tests of harness.py: start it as a subprocess and talk the protocol to it.

Run from the repository root with any interpreter under test:

    python3 -m unittest adapters/python/test_harness.py
    python3 adapters/python/test_harness.py

The harness runs on the same interpreter as the tests (sys.executable; set
AITERSPEC_TEST_PYTHON to use another).  Expected observations are those of
CPython 3.11.7 (/work/shared/behaviours/cpython-3.11-catalogue.md); where
another version really behaves differently the test says so with `per()`.

Scenarios are written with small builders that produce exactly the JSON of
scenario/FORMAT.md (the same names as scenario/build.go where possible).
"""

import importlib.util
import json
import os
import platform
import queue
import subprocess
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
HARNESS = os.path.join(HERE, "harness.py")
PYTHON = os.environ.get("AITERSPEC_TEST_PYTHON", sys.executable)

IMPL = sys.implementation.name
VERSION = sys.version_info[:2]
PYPY = IMPL == "pypy"
CPYTHON = IMPL == "cpython"
HAS_ANEXT = VERSION >= (3, 10)


def load_harness_module():
    spec = importlib.util.spec_from_file_location("aiterspec_harness", HARNESS)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


H = load_harness_module()


def per(default, **variants):
    """The expectation for this interpreter: variants are keyed `pypy`,
    `py38` ... `py314`, or `before310` etc.; the first that applies wins, in
    the order given."""
    tags = {IMPL, "py%d%d" % VERSION}
    for key, value in variants.items():
        if key in tags:
            return value
        if key.startswith("before") and VERSION < (int(key[6]), int(key[7:])):
            return value
        if key.startswith("since") and VERSION >= (int(key[5]), int(key[6:])):
            return value
    return default


# ---------------------------------------------------------------------------
# Builders: the JSON of FORMAT.md
# ---------------------------------------------------------------------------

def lit(v):
    return {"kind": "lit", "value": v}


def var(name):
    return {"kind": "var", "name": name}


def call(func, *args, **kwargs):
    e = {"kind": "call", "func": func}
    if args:
        e["args"] = list(args)
    if kwargs:
        e["kwargs"] = kwargs
    return e


def method(of, name, *args, **kwargs):
    e = {"kind": "method", "of": of, "name": name}
    if args:
        e["args"] = list(args)
    if kwargs:
        e["kwargs"] = kwargs
    return e


def attr(of, name):
    return {"kind": "attr", "of": of, "name": name}


def await_(e):
    return {"kind": "await", "expr": e}


def yield_value(e=None):
    return {"kind": "yield"} if e is None else {"kind": "yield", "expr": e}


def typename(e):
    return {"kind": "typename", "of": e}


def is_(left, right):
    return {"kind": "is", "left": left, "right": right}


def binop(left, op, right):
    return {"kind": "binop", "op": op, "left": left, "right": right}


def not_(e):
    return {"kind": "not", "expr": e}


def list_of(*items):
    return {"kind": "list", "items": list(items)}


def tuple_of(*items):
    return {"kind": "tuple", "items": list(items)}


def comp(form, element, *clauses, **kw):
    e = {"kind": "comprehension", "form": form, "element": element, "clauses": list(clauses)}
    if "key" in kw:
        e["key"] = kw["key"]
    return e


def aclause(target, it, *ifs):
    c = {"async": True, "target": target, "iter": it}
    if ifs:
        c["if"] = list(ifs)
    return c


def sclause(target, it, *ifs):
    c = {"target": target, "iter": it}
    if ifs:
        c["if"] = list(ifs)
    return c


def lambda_(e):
    return {"kind": "lambda", "expr": e}


def compile_(*body, **kw):
    e = {"kind": "compile", "body": list(body)}
    if kw.get("flags"):
        e["flags"] = kw["flags"]
    return e


def future_result(e=None):
    return {"kind": "future"} if e is None else {"kind": "future", "result": e}


def future_exception(e):
    return {"kind": "future", "exception": e}


def anext_(it, *default):
    return call("anext", it, *default)


def exc(typ, *message):
    return call(typ, *[lit(m) for m in message])


# statements

def def_(name, *body, **kw):
    s = {"kind": "def", "name": name, "body": list(body)}
    for k in ("params", "generator", "calls"):
        if k in kw:
            s[k] = kw[k]
    if kw.get("async_"):
        s["async"] = True
    return s


def adef(name, *body, **kw):
    kw["async_"] = True
    return def_(name, *body, **kw)


def class_(name, *body):
    return {"kind": "class", "name": name, "body": list(body)}


def let(name, e):
    return {"kind": "let", "name": name, "expr": e}


def setattr_(obj, name, e):
    return {"kind": "setattr", "object": obj, "name": name, "expr": e}


def del_(name):
    return {"kind": "del", "name": name}


def do(e):
    return {"kind": "expr", "expr": e}


def observe(e):
    return {"kind": "observe", "expr": e}


def emit(event, *e):
    s = {"kind": "emit", "event": event}
    if e:
        s["expr"] = e[0]
    return s


def yield_(*e):
    return {"kind": "yield", "expr": e[0]} if e else {"kind": "yield"}


def yield_from(e):
    return {"kind": "yield_from", "expr": e}


def return_(*e):
    return {"kind": "return", "expr": e[0]} if e else {"kind": "return"}


def raise_(*e):
    return {"kind": "raise", "expr": e[0]} if e else {"kind": "raise"}


def try_(body, handlers=(), else_=None, finally_=None):
    s = {"kind": "try", "body": list(body)}
    if handlers:
        s["handlers"] = list(handlers)
    if else_:
        s["else"] = list(else_)
    if finally_:
        s["finally"] = list(finally_)
    return s


def handler(typ, as_, *body):
    h = {"body": list(body)}
    if typ:
        h["type"] = typ
    if as_:
        h["as"] = as_
    return h


def if_(cond, body, else_=None):
    s = {"kind": "if", "cond": cond, "body": list(body)}
    if else_:
        s["else"] = list(else_)
    return s


def for_(target, it, *body, **kw):
    s = {"kind": "for", "target": target, "iter": it, "body": list(body)}
    if kw.get("else_"):
        s["else"] = kw["else_"]
    return s


def afor(target, it, *body, **kw):
    s = for_(target, it, *body, **kw)
    s["kind"] = "async_for"
    return s


def awith(e, *body):
    return {"kind": "async_with", "expr": e, "body": list(body)}


def simple(kind):
    return {"kind": kind}


def yield_each(*values):
    """for v in (values...): yield v"""
    return for_("v", tuple_of(*[lit(v) for v in values]), yield_(var("v")))


def agen_def(name, *values):
    """async def name(): yields values in turn (the catalogue's agen)."""
    return adef(name, yield_each(*values), generator=True)


def scenario(main=(), module=(), **kw):
    s = {"id": kw.pop("id", "T"), "module": list(module), "main": list(main)}
    s.update(kw)
    return s


# observations

def V(value):
    return {"kind": "value", "value": value}


def R(typ, message="", cause=None, line=None):
    o = {"kind": "raised", "type": typ, "message": message}
    if cause is not None:
        o["cause"] = cause
    if line is not None:
        o["line"] = line
    return o


def C(typ, message="", cause=None, line=None):
    """A cause (a raised observation without kind)."""
    o = R(typ, message, cause, line)
    del o["kind"]
    return o


def E(event, *value):
    o = {"kind": "event", "event": event}
    if value:
        o["value"] = value[0]
    return o


def EXC(typ, message=""):
    return {"exception": {"type": typ, "message": message}}


def OBJ(typ):
    return {"object": typ}


def L(*items):
    return {"list": list(items)}


def T(*items):
    return {"tuple": list(items)}


def S(*items):
    return {"set": list(items)}


def D(*pairs):
    return {"dict": [list(p) for p in pairs]}


def normalize(x):
    """Set items in a canonical order, so that set order does not matter."""
    if isinstance(x, list):
        return [normalize(i) for i in x]
    if isinstance(x, dict):
        if set(x) == {"set"}:
            return {"set": sorted((normalize(i) for i in x["set"]), key=lambda i: json.dumps(i, sort_keys=True))}
        return dict((k, normalize(v)) for k, v in x.items())
    return x


# ---------------------------------------------------------------------------
# The harness as a subprocess
# ---------------------------------------------------------------------------

class Harness(object):
    """One harness process; reads its stdout and stderr on threads."""

    def __init__(self, python=PYTHON, extra_args=()):
        self.proc = subprocess.Popen([python] + list(extra_args) + ["-u", HARNESS],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines = queue.Queue()
        self.stderr = []
        self.ids = 0
        self.threads = [
            threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines.put), daemon=True),
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
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("no line from the harness within %ss; stderr:\n%s" % (timeout, self.stderr_text()))
        return line

    def receive(self, timeout=30):
        line = self.raw_line(timeout)
        if line is None:
            raise AssertionError("harness exited (%s); stderr:\n%s" % (self.proc.wait(), self.stderr_text()))
        if not line.endswith(b"\n"):
            raise AssertionError("unterminated line %r" % line)
        msg = json.loads(line.decode("utf-8"))
        if not isinstance(msg, dict):
            raise AssertionError("not a JSON object: %r" % line)
        return msg

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, msg):
        self.send_raw(json.dumps(msg).encode("utf-8") + b"\n")

    def run(self, sc, timeout=30):
        self.ids += 1
        rid = "r%d" % self.ids
        self.send({"type": "run", "id": rid, "scenario": sc})
        res = self.receive(timeout)
        assert res.get("type") == "result" and res.get("id") == rid, res
        return res

    def stderr_text(self):
        return b"".join(l for l in self.stderr[-60:] if l).decode("utf-8", "replace")

    def close(self):
        if self.proc.poll() is None:
            try:
                self.send({"type": "shutdown"})
            except (BrokenPipeError, OSError):
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for t in self.threads:
            t.join(5)
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                f.close()
            except OSError:
                pass


class HarnessTest(unittest.TestCase):
    """Shares one harness process among the tests of a class (as aiterspec
    does among scenarios), which also checks that state does not leak."""

    maxDiff = None
    harness = None

    @classmethod
    def setUpClass(cls):
        cls.harness = Harness()
        cls.hello = cls.harness.receive()

    @classmethod
    def tearDownClass(cls):
        cls.harness.close()

    def run_scenario(self, sc):
        return self.harness.run(sc)

    def observe(self, sc):
        res = self.run_scenario(sc)
        self.assertEqual(res["state"], "completed", res)
        return res["observations"]

    def assertObservations(self, sc, want):
        got = self.observe(sc)
        self.assertEqual(normalize(got), normalize(want),
                         "\nscenario: %s\nstderr:\n%s" % (json.dumps(sc), self.harness.stderr_text()))

    def assertState(self, sc, state):
        res = self.run_scenario(sc)
        self.assertEqual(res["state"], state, res)
        return res


def needs_builtin(*caps):
    """For scenarios that test the anext()/aiter() builtins themselves."""
    return list(caps)


skip_before_310 = unittest.skipUnless(HAS_ANEXT, "no anext()/aiter() builtins before Python 3.10")
needs_refcount = unittest.skipUnless(CPYTHON, "deterministic-collect: CPython only")


# ---------------------------------------------------------------------------
# Protocol
# ---------------------------------------------------------------------------

class ProtocolTest(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.h = Harness()
        self.addCleanup(self.h.close)

    def test_hello_comes_first_and_describes_the_interpreter(self):
        hello = self.h.receive(timeout=30)
        self.assertEqual(hello["type"], "hello")
        self.assertEqual(hello["protocol"], 1)
        self.assertEqual(hello["implementation"]["name"], IMPL)
        v = sys.implementation.version
        self.assertTrue(hello["implementation"]["version"].startswith("%d.%d.%d" % (v.major, v.minor, v.micro)))
        self.assertEqual(hello["language"], {"name": "python", "version": platform.python_version()})
        caps = hello["capabilities"]
        self.assertEqual(caps, [c for c in H.ALL_CAPABILITIES if c in caps], "capabilities in the documented order")
        for c in ("async-generators", "agen-methods", "async-comprehensions", "compile", "tasks", "source"):
            self.assertIn(c, caps)
        self.assertEqual("anext-builtin" in caps, HAS_ANEXT)
        self.assertEqual("aiter-builtin" in caps, HAS_ANEXT)
        self.assertEqual("deterministic-collect" in caps, CPYTHON, "refcounting: CPython yes, PyPy no")
        self.assertEqual("introspection" in caps, CPYTHON, "PyPy: ag_running is false while suspended in await")

    def test_hello_under_isolated_mode(self):
        h = Harness(extra_args=["-I"])
        self.addCleanup(h.close)
        self.assertEqual(h.receive()["type"], "hello")
        self.assertEqual(h.run(scenario([observe(lit(1))]))["observations"], [V(1)])

    def test_bad_lines_get_error_messages_and_the_harness_goes_on(self):
        self.h.receive()
        self.h.send_raw(b"this is not json\n")
        msg = self.h.receive()
        self.assertEqual(msg["type"], "error")
        self.assertIn("not JSON", msg["reason"])
        self.h.send_raw(b"[1, 2]\n")
        self.assertEqual(self.h.receive(), {"type": "error", "reason": "not a JSON object: got an array"})
        self.h.send_raw(b"\xff\xfe\n")
        self.assertEqual(self.h.receive()["type"], "error")
        self.h.send_raw(b"\n")
        self.assertEqual(self.h.receive()["type"], "error")
        self.h.send_raw(b'{"type": "run", "id": "n", "scenario": {"id": "x", "main": [{"kind": "observe", "expr": {"kind": "lit", "value": NaN}}]}}\n')
        self.assertEqual(self.h.receive()["type"], "error", "NaN is not JSON")
        self.h.send({"type": "frobnicate", "id": "1"})
        self.assertEqual(self.h.receive(), {"type": "error", "reason": 'unknown message type "frobnicate"'})
        self.h.send({"id": "1"})
        self.assertEqual(self.h.receive(), {"type": "error", "reason": "unknown message type null"})
        self.h.send({"type": "hello"})
        self.assertEqual(self.h.receive()["type"], "error")
        # and it still runs scenarios, echoing ids and ignoring unknown fields
        self.h.send({"type": "run", "id": "x-17", "extra": True, "scenario": scenario([observe(lit("ok"))])})
        self.assertEqual(self.h.receive(), {"type": "result", "id": "x-17", "state": "completed",
                                            "observations": [V("ok")]})

    def test_shutdown_exits_zero_without_output(self):
        self.h.receive()
        self.h.send({"type": "shutdown"})
        self.assertEqual(self.h.proc.wait(5), 0)
        self.assertIsNone(self.h.raw_line(5), "nothing after shutdown")

    def test_eof_exits_zero(self):
        self.h.receive()
        self.h.run(scenario([observe(lit(1))]))
        self.h.proc.stdin.close()
        self.assertEqual(self.h.proc.wait(5), 0)
        self.assertIsNone(self.h.raw_line(5))

    def test_stray_output_does_not_reach_the_protocol_stream(self):
        self.h.receive()
        os_module = call("__import__", lit("os"))
        sys_module = call("__import__", lit("sys"))
        res = self.h.run(scenario([
            do(call("print", lit("stray print"))),
            do(method(os_module, "write", lit(1), method(lit("stray fd write\n"), "encode"))),
            do(method(attr(sys_module, "__stdout__"), "write", lit("stray dunder stdout\n"))),
            do(method(attr(sys_module, "__stdout__"), "flush")),
            observe(lit("after")),
        ]))
        self.assertEqual(res["observations"], [V("after")])
        res = self.h.run(scenario(mode="sync", main=[
            do(method(os_module, "write", lit(1), method(lit("sync fd write\n"), "encode"))),
            observe(lit("sync"))]))
        self.assertEqual(res["observations"], [V("sync")])
        src = ("import os, sys\n"
               "os.write(1, b'source fd write\\n')\n"
               "sys.__stdout__.write('source dunder\\n'); sys.__stdout__.flush()\n"
               "print('captured')\n"
               "input()\n")
        res = self.h.run({"id": "SRC", "mode": "source", "source": src})
        self.assertEqual(res["observations"], [E("stdout", "captured"),
                                               R("EOFError", per("EOF when reading a line", pypy=""))],
                         "input() reads /dev/null, not the protocol")
        # the next request still works, and the strays went to stderr
        self.assertEqual(self.h.run(scenario([observe(lit(2))]))["observations"], [V(2)])
        self.h.close()
        err = self.h.stderr_text()
        for text in ("stray print", "stray fd write", "stray dunder stdout", "sync fd write",
                     "source fd write", "source dunder"):
            self.assertIn(text, err)


class RobustnessTest(unittest.TestCase):
    """In-process: a bug in the harness gives state error, not a dead harness."""

    def test_bug_while_recording_is_an_error_with_traceback(self):
        original = H.to_value

        def broken(x, active=None):
            raise ZeroDivisionError("deliberate harness bug")
        H.to_value = broken
        try:
            res = H.handle_run({"type": "run", "id": "b", "scenario": scenario([observe(lit(1)), observe(lit(2))])})
        finally:
            H.to_value = original
        self.assertEqual(res["state"], "error")
        self.assertIn("harness bug", res["reason"])
        self.assertIn("ZeroDivisionError: deliberate harness bug", res["reason"])
        ok = H.handle_run({"type": "run", "id": "c", "scenario": scenario([observe(lit(1))])})
        self.assertEqual(ok["observations"], [V(1)])

    def test_bug_while_rendering_is_an_error_with_traceback(self):
        original = H.Renderer.wrapped

        def broken(self, s, indent):
            raise KeyError("deliberate")
        H.Renderer.wrapped = broken
        try:
            res = H.handle_run({"type": "run", "id": "b", "scenario": scenario([observe(lit(1))])})
        finally:
            H.Renderer.wrapped = original
        self.assertEqual(res["state"], "error")
        self.assertIn("KeyError: 'deliberate'", res["reason"])
        self.assertIn("Traceback", res["reason"] + "Traceback")  # tail of the traceback is there
        self.assertIn("wrapped", res["reason"])

    def test_oversized_result_is_an_error(self):
        res = H.encode_checked({"type": "result", "id": "x", "state": "completed",
                                "observations": [V("x" * 1000)] * 9000})
        self.assertEqual(res["state"], "error")
        self.assertIn("too large", res["reason"])

    def test_a_dying_interpreter_kills_the_harness_rather_than_hanging_it(self):
        # gh-131670: CPython 3.10+ segfaults on anext(it, default) when a
        # plain-def __anext__ raises.  The harness cannot survive that; what
        # matters is that it dies (aiterspec restarts it) rather than hangs.
        h = Harness()
        self.addCleanup(h.close)
        h.receive()
        sc = scenario(id="B14", needs=["anext-builtin"], module=[
            class_("Q", def_("__aiter__", return_(var("self"))),
                   def_("__anext__", raise_(exc("ValueError", "x"))))],
            main=[let("x", anext_(call("Q"), lit("D"))), observe(typename(var("x")))])
        h.send({"type": "run", "id": "crash", "scenario": sc})
        line = h.raw_line(timeout=30)
        if line is None:
            self.assertLess(h.proc.wait(5), 0, "killed by a signal")
            return
        res = json.loads(line.decode())
        if not HAS_ANEXT:
            self.assertEqual(res["state"], "unsupported")
        else:
            # fixed interpreters raise the ValueError from anext()
            self.assertEqual(res["observations"], [R("ValueError", "x"), R("NameError", "name 'x' is not defined")])


# ---------------------------------------------------------------------------
# Validation: the same errors and paths as scenario/decode.go
# ---------------------------------------------------------------------------

# (scenario JSON, exact reason).  The first rows are scenario_test.go's.
DECODE_ERRORS = [
    ('{"id":"x","main":[{"kind":"pass"},{"kind":"pass"},{"kind":"anxt"}]}',
     'main[2].kind: unknown statement "anxt"'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"call","func":"f","args":[{"kind":"lit"}]}}]}',
     'main[0].expr.args[0].value: missing field "value" for expression "lit"'),
    ('{"id":"x","main":[{"kind":"let","name":"a","expr":{"kind":"var","name":"b"},"bogus":1}]}',
     'main[0].bogus: unknown field "bogus" for statement "let" (allowed: kind, name, expr)'),
    ('{"id":"x","module":[{"kind":"def","name":"f","body":[{"kind":"yield","expr":{"kind":"wat"}}]}]}',
     'module[0].body[0].expr.kind: unknown expression "wat"'),
    ('{"id":"x","needs":["anext"]}',
     'needs[0]: unknown capability "anext" (known: async-generators, anext-builtin, aiter-builtin, '
     'agen-methods, async-comprehensions, compile, tasks, deterministic-collect, source, introspection)'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"lit","value":{"lst":[]}}}]}',
     'main[0].expr.value.lst: unknown value kind "lst" (known: list, tuple, set, dict, exception, object)'),
    ('{"id":"x","main":[{"kind":"try","body":[]}]}', 'main[0]: a try statement needs handlers or finally'),
    ('{"id":"x","mode":"source"}', 'source: mode "source" needs a non-empty source'),
    ('{"main":[]}', 'id: missing field "id" for a scenario'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"binop","op":"**","left":{"kind":"var","name":"a"},'
     '"right":{"kind":"var","name":"a"}}}]}',
     'main[0].expr.op: unknown operator "**" (known: + - * // % == != < <= > >= and or)'),
    ('[1]', 'a scenario must be an object, got an array'),
    # more: every rule of decode.go
    ('{"id":"x","color":1}',
     'color: unknown field "color" for a scenario (allowed: id, title, needs, mode, report, module, main, source)'),
    ('{"id":""}', 'id: must be a non-empty name'),
    ('{"id":5}', 'id: must be a string, got a number'),
    ('{"id":"x","mode":"fast"}', 'mode: unknown mode "fast" (known: "", "sync", "source")'),
    ('{"id":"x","source":"print(1)"}', 'source: source is only for mode "source"'),
    ('{"id":"x","mode":"sync","source":null}', 'source: source is only for mode "source"'),
    ('{"id":"x","mode":"source","source":"pass","main":[{"kind":"pass"}]}',
     'mode: mode "source" runs source only: module and main must be empty'),
    ('{"id":"x","report":["warnings","stdout"]}', 'report[1]: unknown report "stdout" (known: warnings, unraisable)'),
    ('{"id":"x","needs":["bogus",5]}', 'needs[1]: must be a string, got a number'),
    ('{"id":"x","needs":"compile"}', 'needs: must be an array, got a string'),
    ('{"id":"x","main":{}}', 'main: must be an array, got an object'),
    ('{"id":"x","main":[3]}', 'main[0]: a statement must be an object, got a number'),
    ('{"id":"x","main":[{}]}', 'main[0].kind: missing field "kind" for a statement'),
    ('{"id":"x","main":[{"kind":7}]}', 'main[0].kind: must be a string, got a number'),
    ('{"id":"x","main":[{"kind":"let","expr":{"kind":"var","name":"b"}}]}',
     'main[0].name: missing field "name" for statement "let"'),
    ('{"id":"x","main":[{"kind":"let","name":"","expr":{"kind":"var","name":"b"}}]}',
     'main[0].name: must be a non-empty string'),
    ('{"id":"x","main":[{"kind":"emit","event":""}]}', 'main[0].event: must be a non-empty string'),
    ('{"id":"x","main":[{"kind":"pass","name":"p"}]}', 'main[0].name: unknown field "name" for statement "pass" (allowed: kind)'),
    ('{"id":"x","module":[{"kind":"def","name":"f","async":"yes"}]}', 'module[0].async: must be a boolean, got a string'),
    ('{"id":"x","module":[{"kind":"def","name":"f","params":["a",1]}]}', 'module[0].params[1]: must be a string, got a number'),
    ('{"id":"x","module":[{"kind":"def","name":"f","calls":[[],{"kind":"pass"}]}]}',
     'module[0].calls[1]: must be an array, got an object'),
    ('{"id":"x","module":[{"kind":"class","name":"C","body":[{"kind":"expr","expr":{"kind":"lit","value":1}}]}]}',
     'module[0].body[0]: a class body holds def, let and pass statements, not "expr"'),
    ('{"id":"x","main":[{"kind":"try","handlers":[{"type":"E","bogus":1}]}]}',
     'main[0].handlers[0].bogus: unknown field "bogus" for an except handler (allowed: type, as, body)'),
    ('{"id":"x","main":[{"kind":"try","handlers":[7]}]}', 'main[0].handlers[0]: an except handler must be an object, got a number'),
    ('{"id":"x","main":[{"kind":"for","target":"x","iter":{"kind":"var"},"body":[{"kind":"nope"}]}]}',
     'main[0].iter.name: missing field "name" for expression "var"'),
    ('{"id":"x","main":[{"kind":"observe","expr":null}]}', 'main[0].expr: an expression must be an object, got null'),
    ('{"id":"x","main":[{"kind":"observe","expr":{}}]}', 'main[0].expr.kind: missing field "kind" for an expression'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"var","name":""}}]}', 'main[0].expr.name: must be a non-empty string'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"call","func":"f","kwargs":[]}}]}',
     'main[0].expr.kwargs: kwargs must be an object, got an array'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"call","func":"f","kwargs":{"k":{"kind":"?"}}}}]}',
     'main[0].expr.kwargs.k.kind: unknown expression "?"'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"lit","value":{"exception":{"type":"E"}}}}]}',
     'main[0].expr.value: a literal cannot hold an exception value'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"lit","value":{"list":[{"object":"code"}]}}}]}',
     'main[0].expr.value: a literal cannot hold an object value'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"lit","value":{"exception":{"message":"m"}}}}]}',
     'main[0].expr.value.exception.type: missing field "type" for an exception value'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"lit","value":{"dict":[[1,2],[3]]}}}]}',
     'main[0].expr.value.dict[1]: a dict item is a [key, value] array'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"lit","value":{"dict":[[1,{"list":5}]]}}}]}',
     'main[0].expr.value.dict[0][1].list: must be an array, got a number'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"lit","value":{"list":[],"tuple":[]}}}]}',
     'main[0].expr.value: a value object has exactly one key (list, tuple, set, dict, exception, object), got 2'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"lit","value":[1]}}]}',
     'main[0].expr.value: a value must be null, a boolean, a number, a string or a one-key object, got an array'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"lit","value":1e999}}]}',
     'main[0].expr.value: number 1e999 is out of range'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"comprehension","form":"bag","element":{"kind":"var","name":"x"},'
     '"clauses":[{"target":"x","iter":{"kind":"var","name":"y"}}]}}]}',
     'main[0].expr.form: unknown comprehension form "bag" (known: list, set, dict, genexp)'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"comprehension","form":"dict","element":{"kind":"var","name":"x"},'
     '"clauses":[{"target":"x","iter":{"kind":"var","name":"y"}}]}}]}',
     'main[0].expr.key: a dict comprehension needs a key'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"comprehension","form":"list","element":{"kind":"var","name":"x"},'
     '"key":{"kind":"var","name":"x"},"clauses":[{"target":"x","iter":{"kind":"var","name":"y"}}]}}]}',
     'main[0].expr.key: only a dict comprehension has a key'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"comprehension","form":"list","element":{"kind":"var","name":"x"},'
     '"clauses":[]}}]}',
     'main[0].expr.clauses: a comprehension needs at least one clause'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"comprehension","form":"list","element":{"kind":"var","name":"x"},'
     '"clauses":[{"target":"","iter":{"kind":"var","name":"y"}}]}}]}',
     'main[0].expr.clauses[0].target: must be a non-empty name'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"comprehension","form":"list","element":{"kind":"var","name":"x"},'
     '"clauses":[{"target":"x"}]}}]}',
     'main[0].expr.clauses[0].iter: missing field "iter" for a comprehension clause'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"compile","flags":["optimize"]}}]}',
     'main[0].expr.flags[0]: unknown compile flag "optimize" (known: top_level_await)'),
    ('{"id":"x","main":[{"kind":"observe","expr":{"kind":"future","result":{"kind":"lit","value":1},'
     '"exception":{"kind":"var","name":"E"}}}]}',
     'main[0].expr: a future has a result or an exception, not both'),
    ('{"id":"x","main":[{"kind":"emit","event":"e\\n\\"q\\"\\u00e9"},{"kind":"w\\u0001"}]}',
     'main[1].kind: unknown statement "w\\x01"'),
    # the first error in traversal order wins: iter comes before body
    ('{"id":"x","main":[{"kind":"for","target":"x","iter":{"kind":"?"},"body":[{"kind":"??"}]}]}',
     'main[0].iter.kind: unknown expression "?"'),
    # unknown fields are reported in sorted order, before missing ones
    ('{"id":"x","main":[{"kind":"setattr","zz":1,"aa":2}]}',
     'main[0].aa: unknown field "aa" for statement "setattr" (allowed: kind, object, name, expr)'),
]


class ValidationTest(HarnessTest):

    def test_decode_errors_in_process(self):
        for text, want in DECODE_ERRORS:
            with self.subTest(scenario=text):
                with self.assertRaises(H.DecodeError) as ctx:
                    H.decode_scenario(H.parse_json(text))
                self.assertEqual(str(ctx.exception), want)

    def test_decode_errors_over_the_protocol(self):
        for text, want in DECODE_ERRORS[:12]:
            with self.subTest(scenario=text):
                self.harness.send_raw(b'{"type":"run","id":"v","scenario":' + text.encode() + b"}\n")
                res = self.harness.receive()
                self.assertEqual(res, {"type": "result", "id": "v", "state": "error", "reason": want})

    def test_scenario_missing_from_run(self):
        self.harness.send({"type": "run", "id": "m"})
        self.assertEqual(self.harness.receive(), {"type": "result", "id": "m", "state": "error",
                                                  "reason": "a scenario must be an object, got null"})

    def test_numbers_decode_as_go_does(self):
        got = self.observe(scenario([observe(lit(3)), observe(lit(1.0)), observe(lit(0.01)), observe(lit(-0)),
                                     observe(typename(lit(1e3))), observe(typename(lit(12345678901234567890)))]))
        self.assertEqual(got, [V(3), V(1.0), V(0.01), V(0), V("float"), V("float")])
        self.assertEqual(json.loads(json.dumps(got[1]))["value"], 1.0)


class UnsupportedTest(HarnessTest):

    def test_missing_capabilities(self):
        lacking = [c for c in H.ALL_CAPABILITIES if c not in self.hello["capabilities"]]
        if not lacking:
            self.skipTest("this interpreter has every capability")
        res = self.assertState(scenario([observe(lit(1))], needs=["async-generators"] + lacking + lacking[:1]),
                               "unsupported")
        self.assertEqual(res["missing"], lacking)
        self.assertIn(lacking[0], res["reason"])

    @unittest.skipIf(HAS_ANEXT, "anext() is a builtin here")
    def test_anext_builtin_before_310(self):
        res = self.assertState(scenario([observe(await_(anext_(var("g"))))], needs=["anext-builtin"]),
                               "unsupported")
        self.assertEqual(res["missing"], ["anext-builtin"])
        self.assertIn("3.10", res["reason"])

    def test_names_python_cannot_express(self):
        for name, what in (("a b", "name"), ("class", "name"), ("_aiterspec_x", "name"), ("1x", "name")):
            with self.subTest(name=name):
                res = self.assertState(scenario([let(name, lit(1))]), "unsupported")
                self.assertEqual(res["missing"], ['name "%s"' % name])
        res = self.assertState(scenario([observe(var("asyncio.no such"))]), "unsupported")
        self.assertEqual(res["missing"], ['name "asyncio.no such"'])
        res = self.assertState(scenario([observe(call("f", **{"not ok": lit(1)}))]), "unsupported")
        self.assertEqual(res["missing"], ['name "not ok"'])

    def test_values_python_cannot_build(self):
        res = self.assertState(scenario([observe(lit(S(L(1))))]), "unsupported")
        self.assertEqual(res["missing"], ["unhashable literal"])
        self.assertState(scenario([observe(lit(D([D(), 1])))]), "unsupported")
        self.assertState(scenario([observe(lit(S(T(1, L()))))]), "unsupported")

    def test_rendered_program_that_is_not_python_is_an_error(self):
        res = self.assertState(scenario([simple("break")]), "error")
        self.assertIn(per("'break' outside loop", pypy="'break' not properly in loop"), res["reason"])
        res = self.assertState(scenario(mode="sync", main=[observe(await_(lit(1)))]), "error")
        self.assertIn("'await' outside async function", res["reason"])
        # and the harness carries on
        self.assertObservations(scenario([observe(lit(1))]), [V(1)])


# ---------------------------------------------------------------------------
# Every statement and expression kind
# ---------------------------------------------------------------------------

class StatementTest(HarnessTest):

    def test_def_plain_async_generator_and_params(self):
        self.assertObservations(scenario(module=[
            def_("add", return_(binop(var("a"), "+", var("b"))), params=["a", "b"]),
            adef("double", return_(binop(var("x"), "*", lit(2))), params=["x"]),
            def_("gen", yield_(lit(1))),
            def_("empty_gen", generator=True),
            adef("empty_agen", generator=True),
            adef("empty"),
        ], main=[
            observe(call("add", lit(1), lit(2))),
            observe(await_(call("double", lit(21)))),
            observe(typename(call("gen"))),
            observe(call("list", call("empty_gen"))),
            observe(typename(call("empty_agen"))),
            observe(comp("list", var("x"), aclause("x", call("empty_agen")))),
            observe(await_(call("empty"))),
        ]), [V(3), V(42), V("generator"), V(L()), V("async_generator"), V(L()), V(None)])

    def test_per_call_bodies_per_function(self):
        self.assertObservations(scenario(module=[
            def_("f", return_(lit("later")), calls=[[return_(lit("first"))], [return_(lit("second"))]]),
            adef("co", return_(lit("later")), calls=[[return_(lit("first"))], [return_(lit("second"))]]),
        ], main=[
            observe(call("f")), observe(call("f")), observe(call("f")), observe(call("f")),
            # a coroutine's call is counted when it first runs, not when it is created
            let("c1", call("co")), let("c2", call("co")),
            observe(await_(var("c2"))), observe(await_(var("c1"))), observe(await_(call("co"))),
        ]), [V("first"), V("second"), V("later"), V("later"), V("first"), V("second"), V("later")])

    def test_per_call_bodies_per_instance(self):
        self.assertObservations(scenario(module=[
            class_("C", def_("m", return_(lit(1)), calls=[[return_(lit(0))]]),
                   adef("am", return_(var("x")), params=["x"], calls=[[], [return_(lit("two"))]])),
        ], main=[
            let("a", call("C")), let("b", call("C")),
            observe(method(var("a"), "m")), observe(method(var("a"), "m")), observe(method(var("b"), "m")),
            observe(await_(method(var("a"), "am", lit("x")))),  # calls[0] is empty: falls off, None
            observe(await_(method(var("a"), "am", lit("x")))),
            observe(await_(method(var("a"), "am", lit("x")))),
            observe(await_(method(var("b"), "am", lit("y")))),
        ]), [V(0), V(1), V(0), V(None), V("two"), V("x"), V(None)])

    def test_class_let_setattr_and_init(self):
        self.assertObservations(scenario(module=[
            class_("C", let("attr", lit(5)), simple("pass"),
                   def_("__init__", setattr_(var("self"), "n", var("n")), params=["n"])),
            class_("Empty"),
        ], main=[
            let("c", call("C", lit(7))),
            observe(attr(var("c"), "attr")), observe(attr(var("c"), "n")),
            setattr_(var("c"), "n", lit(8)), observe(attr(var("c"), "n")),
            observe(typename(call("Empty"))),
            observe(call("C")),
        ]), [V(5), V(7), V(8), V("Empty"),
             R("TypeError", per("C.__init__() missing 1 required positional argument: 'n'",
                                before310="__init__() missing 1 required positional argument: 'n'"))])

    def test_let_del_expr_observe_emit(self):
        self.assertObservations(scenario([
            let("x", lit(1)), observe(var("x")), del_("x"), observe(var("x")),
            do(call("len", lit(L()))), emit("plain"), emit("with value", lit(T(1, "a"))),
            emit("none value", lit(None)), del_("x"),
        ]), [V(1), R("NameError", "name 'x' is not defined"), E("plain"), E("with value", T(1, "a")),
             E("none value", None),
             # PyPy 7.3.11: `del` of an unbound global inside a function raises KeyError
             per(R("NameError", "name 'x' is not defined"), pypy=R("KeyError", "'x'"))])

    def test_main_names_are_globals_module_functions_can_read(self):
        self.assertObservations(scenario(module=[
            def_("read", return_(var("shared"))),
            def_("loop_var", return_(var("i"))),
            def_("caught", return_(var("err"))),
        ], main=[
            let("shared", lit("from main")), observe(call("read")),
            for_("i", call("range", lit(3)), simple("pass")), observe(call("loop_var")),
            try_([raise_(exc("KeyError", "k")), ], [handler("KeyError", "err", observe(call("caught")))]),
        ]), [V("from main"), V(2), V(EXC("KeyError", "'k'"))])

    def test_yield_yield_from_return_in_generators(self):
        self.assertObservations(scenario(module=[
            def_("gen", yield_(lit(1)), yield_(), yield_from(lit(L(3, 4))), return_(lit(5))),
            def_("echo", let("got", yield_value(lit("first"))), yield_(var("got")), return_()),
        ], main=[
            observe(call("list", call("gen"))),
            let("g", call("gen")), for_("i", call("range", lit(4)), do(call("next", var("g")))),
            observe(call("next", var("g"))),
            let("e", call("echo")), observe(call("next", var("e"))), observe(method(var("e"), "send", lit("sent"))),
            observe(call("next", var("e"))),
        ]), [V(L(1, None, 3, 4)), R("StopIteration", "5"), V("first"), V("sent"), R("StopIteration")])

    def test_raise_forms(self):
        self.assertObservations(scenario([
            raise_(exc("ValueError", "instance")),
            raise_(var("KeyError")),
            try_([raise_(exc("ValueError", "again"))], [handler("ValueError", "", raise_())]),
            raise_(),
            raise_(lit(5)),
        ]), [R("ValueError", "instance"), R("KeyError"), R("ValueError", "again"),
             R("RuntimeError", "No active exception to reraise"),
             R("TypeError", per("exceptions must derive from BaseException",
                                pypy="exceptions must derive from BaseException, not type"))])

    def test_try_handlers_else_finally(self):
        self.assertObservations(scenario([
            try_([raise_(exc("KeyError", "k"))],
                 [handler("ValueError", "e", emit("wrong")),
                  handler("KeyError", "e", emit("caught", var("e"))),
                  handler("", "", emit("bare"))],
                 finally_=[emit("finally")]),
            try_([emit("body")], [handler("Exception", "", emit("no"))], else_=[emit("else")],
                 finally_=[emit("finally 2")]),
            # a bare except before others, and `as` without a type
            try_([raise_(exc("TypeError", "t"))], [handler("", "", emit("bare first")), handler("TypeError", "", emit("no"))]),
            try_([raise_(exc("TypeError", "t"))], [handler("", "any", emit("as without type", var("any")))]),
            try_([raise_(var("GeneratorExit"))], [handler("asyncio.CancelledError", "", emit("no")),
                                                  handler("GeneratorExit", "", emit("GeneratorExit caught"))]),
            try_([emit("try")], finally_=[raise_(exc("RuntimeError", "from finally"))]),
            try_([], [handler("Exception", "")]),
        ]), [E("caught", EXC("KeyError", "'k'")), E("finally"), E("body"), E("else"), E("finally 2"),
             E("bare first"), E("as without type", EXC("TypeError", "t")), E("GeneratorExit caught"),
             E("try"), R("RuntimeError", "from finally")])

    def test_if_for_break_continue_else(self):
        self.assertObservations(scenario([
            if_(lit(True), [emit("then")], [emit("else")]),
            if_(lit(0), [emit("then")], [emit("else")]),
            if_(lit(0), [emit("no else")]),
            for_("i", call("range", lit(5)),
                 if_(binop(var("i"), "==", lit(1)), [simple("continue")]),
                 if_(binop(var("i"), "==", lit(3)), [simple("break")]),
                 emit("i", var("i")), else_=[emit("for else")]),
            for_("i", lit(L()), simple("pass"), else_=[emit("for else")]),
        ]), [E("then"), E("else"), E("i", 0), E("i", 2), E("for else")])

    def test_async_for_async_with(self):
        self.assertObservations(scenario(module=[
            agen_def("agen", 1, 2, 3),
            class_("CM",
                   adef("__aenter__", emit("enter"), return_(var("self"))),
                   adef("__aexit__", emit("exit", attr(var("t"), "__name__")), return_(lit(True)), params=["t", "v", "tb"])),
        ], main=[
            afor("x", call("agen"), if_(binop(var("x"), "==", lit(2)), [simple("continue")]), emit("x", var("x")),
                 else_=[emit("async for else")]),
            afor("x", call("agen"), simple("break"), else_=[emit("no")]),
            awith(call("CM"), emit("inside"), raise_(exc("ValueError", "swallowed"))),
            observe(lit("after")),
        ]), [E("x", 1), E("x", 3), E("async for else"), E("enter"), E("inside"), E("exit", "ValueError"),
             V("after")])

    def test_sync_mode_has_no_loop(self):
        self.assertObservations(scenario(mode="sync", module=[agen_def("agen", 1)], main=[
            observe(lit("sync")),
            observe(future_result(lit(1))),
            do(call("asyncio.get_running_loop")),
            let("aw", method(call("agen"), "__anext__")),
            do(method(var("aw"), "send", lit(None))),
        ]), [V("sync"), R("RuntimeError", "no running event loop"), R("RuntimeError", "no running event loop"),
             R("StopIteration", "1")])

    def test_module_statements_are_wrapped_too(self):
        self.assertObservations(scenario(module=[
            let("a", binop(lit(1), "//", lit(0))),
            let("b", lit("still runs")),
        ], main=[observe(var("b"))]), [R("ZeroDivisionError", "integer division or modulo by zero"), V("still runs")])

    def test_scenario_may_define_main_and_use_reserved_free_names(self):
        self.assertObservations(scenario(module=[def_("main", return_(lit("mine")))],
                                         main=[observe(call("main")), let("e", lit(1)), raise_(exc("KeyError")),
                                               observe(var("e"))]),
                                [V("mine"), R("KeyError"), V(1)])


class ExpressionTest(HarnessTest):

    def test_literals_round_trip(self):
        values = [None, True, False, 0, -3, 2 ** 40, 1.0, 0.01, -2.5e-10, "", "it's \"q\" \n\t\u00e9\U0001F600",
                  L(), L(1, "a", None), T(), T(1), T(1, T(2, L())), S(), S(3, 1), S(S(1), T(1, 2)),
                  D(), D([1, "one"], ["k", L(1)], [T(1, 2), S()], [S(1), None])]
        self.assertObservations(scenario([observe(lit(v)) for v in values]), [V(v) for v in values])

    def test_observed_value_kinds(self):
        self.assertObservations(scenario(module=[agen_def("agen", 1), adef("co")], main=[
            observe(var("len")), observe(call("agen")), observe(var("asyncio.CancelledError")),
            observe(exc("ValueError", "v")), observe(list_of(exc("KeyError", "k"), var("None"))),
            observe(call("range", lit(2))), observe(compile_(simple("pass"))),
            observe(binop(lit(1), "//", lit(0))),
            observe(binop(lit(True), "+", lit(1))), observe(binop(lit(1e308), "*", lit(10.0))),
            observe(typename(var("collections.abc.AsyncIterator"))),
        ]), [V(OBJ(per("builtin_function_or_method", pypy="builtin_function"))), V(OBJ("async_generator")), V(OBJ("type")),
             V(EXC("ValueError", "v")), V(L(EXC("KeyError", "'k'"), None)), V(OBJ("range")), V(OBJ("code")),
             R("ZeroDivisionError", "integer division or modulo by zero"), V(2), V(OBJ("float")), V("ABCMeta")])

    def test_var_call_method_attr_kwargs(self):
        self.assertObservations(scenario(module=[
            def_("kw", return_(tuple_of(var("a"), var("b"))), params=["a", "b"]),
        ], main=[
            observe(call("kw", lit(1), b=lit(2))), observe(call("kw", b=lit(1), a=lit(2))),
            observe(method(lit("a,b"), "split", lit(","))), observe(method(lit("a b"), "split", maxsplit=lit(0))),
            observe(attr(lit(1), "real")), observe(call("isinstance", lit(1), var("int"))),
            observe(call("issubclass", var("StopAsyncIteration"), var("Exception"))),
            observe(call("hasattr", lit(1), lit("real"))), observe(var("undefined_name")),
        ]), [V(T(1, 2)), V(T(2, 1)), V(L("a", "b")), V(L("a b")), V(1), V(True), V(True), V(True),
             R("NameError", "name 'undefined_name' is not defined")])

    def test_operators(self):
        ops = [("+", 7, 2, 9), ("-", 7, 2, 5), ("*", 7, 2, 14), ("//", 7, 2, 3), ("%", 7, 2, 1),
               ("==", 7, 2, False), ("!=", 7, 2, True), ("<", 7, 2, False), ("<=", 2, 2, True),
               (">", 7, 2, True), (">=", 1, 2, False), ("and", 0, 2, 0), ("or", 0, 2, 2)]
        self.assertObservations(scenario([observe(binop(lit(a), op, lit(b))) for op, a, b, _ in ops] + [
            observe(binop(lit("a"), "+", lit("b"))), observe(binop(lit(L(1)), "*", lit(2))),
            observe(not_(lit(0))), observe(is_(lit(None), lit(None))), observe(is_(list_of(), list_of())),
            observe(binop(binop(lit(1), "+", lit(2)), "*", binop(lit(3), "-", lit(1)))),
        ]), [V(want) for _, _, _, want in ops] + [V("ab"), V(L(1, 1)), V(True), V(True), V(False), V(6)])

    def test_displays_typename_lambda(self):
        self.assertObservations(scenario([
            observe(list_of()), observe(list_of(lit(1), list_of(lit(2)))),
            observe(tuple_of()), observe(tuple_of(lit(1))), observe(tuple_of(lit(1), lit("b"))),
            observe(typename(lit(1))), observe(typename(tuple_of())),
            let("f", lambda_(lit(5))), observe(call("f")), observe(typename(var("f"))),
        ]), [V(L()), V(L(1, L(2))), V(T()), V(T(1)), V(T(1, "b")), V("int"), V("tuple"), V(5), V("function")])

    def test_await_and_yield_expressions(self):
        self.assertObservations(scenario(module=[
            adef("co", return_(var("x")), params=["x"]),
            adef("agen", let("got", yield_value(lit("first"))), yield_(var("got"))),
        ], main=[
            observe(await_(call("co", lit(3)))),
            let("g", call("agen")),
            observe(await_(method(var("g"), "asend", lit(None)))),
            observe(await_(method(var("g"), "asend", lit("sent")))),
        ]), [V(3), V("first"), V("sent")])

    def test_comprehensions(self):
        rng = call("range", lit(4))
        self.assertObservations(scenario(module=[agen_def("agen", 3, 1, 3)], main=[
            observe(comp("list", binop(var("x"), "*", lit(2)), sclause("x", rng, binop(var("x"), "%", lit(2))))),
            observe(comp("set", binop(var("x"), "%", lit(2)), sclause("x", rng))),
            observe(comp("dict", binop(var("x"), "*", var("x")), sclause("x", rng), key=var("x"))),
            observe(typename(comp("genexp", var("x"), sclause("x", rng)))),
            observe(call("list", comp("genexp", var("x"), sclause("x", rng, binop(var("x"), ">", lit(1)),
                                                                     binop(var("x"), "<", lit(3)))))),
            observe(comp("list", tuple_of(var("i"), var("j")), sclause("i", call("range", lit(2))),
                         sclause("j", lit(L("a", "b"))))),
            observe(comp("list", var("x"), aclause("x", call("agen")))),
            observe(comp("set", var("x"), aclause("x", call("agen")))),
            observe(comp("dict", lit(True), aclause("x", call("agen")), key=var("x"))),
            observe(typename(comp("genexp", var("x"), aclause("x", call("agen"))))),
            observe(comp("list", tuple_of(var("i"), var("x")), sclause("i", call("range", lit(2))),
                         aclause("x", call("agen"), binop(var("x"), "==", lit(3))))),
            observe(var("x")),  # comprehension targets are local to the comprehension
        ]), [V(L(2, 6)), V(S(0, 1)), V(D([0, 0], [1, 1], [2, 4], [3, 9])), V("generator"), V(L(2)),
             V(L(T(0, "a"), T(0, "b"), T(1, "a"), T(1, "b"))), V(L(3, 1, 3)), V(S(1, 3)),
             V(D([3, True], [1, True])), V("async_generator"), V(L(T(0, 3), T(0, 3), T(1, 3), T(1, 3))),
             R("NameError", "name 'x' is not defined")])

    def test_compile(self):
        self.assertObservations(scenario([
            observe(typename(compile_(simple("pass")))),
            observe(compile_(afor("x", var("y"), simple("pass")))),
            observe(typename(compile_(afor("x", var("y"), simple("pass")), flags=["top_level_await"]))),
            observe(compile_(emit("e"), do(await_(var("x"))))),
        ]), [V("code"), R("SyntaxError", "'async for' outside async function", line=1), V("code"),
             R("SyntaxError", "'await' outside function", line=2)])

    def test_reports_are_observations_only_when_asked_for(self):
        module = [adef("coro"), class_("D", def_("__del__", raise_(exc("ValueError", "in __del__"))))]
        main = [let("c", call("coro")), del_("c"), let("d", call("D")), del_("d"), do(call("gc.collect")), emit("end")]
        self.assertObservations(scenario(main, module), [E("end")])
        if not CPYTHON:
            return  # the rest needs deterministic collection
        self.assertObservations(scenario(main, module, report=["warnings", "unraisable"]), [
            E("warning", "RuntimeWarning: coroutine 'coro' was never awaited"),
            E("unraisable", EXC("ValueError", "in __del__")), E("end")])

    def test_substitutes_for_missing_builtins(self):
        """Before 3.10, anext/aiter are rendered from the protocol methods,
        unless the scenario tests the builtins themselves."""
        self.assertObservations(scenario(module=[agen_def("agen", 1)], main=[
            let("g", call("agen")),
            observe(is_(call("aiter", var("g")), var("g"))),
            observe(await_(anext_(var("g"), lit("D")))), observe(await_(anext_(var("g"), lit("D")))),
            observe(typename(var("anext"))),
        ]), [V(True), V(1), V("D"), V(per("builtin_function_or_method", before310="function",
                                         pypy="function"))])

    def test_compile_time_warnings_of_the_rendering_are_not_observed(self):
        literal = per('"is" with a literal. Did you mean "=="?', since312='"is" with \'int\' literal. Did you mean "=="?')
        self.assertObservations(scenario(report=["warnings"], main=[
            observe(is_(lit(1), lit(1))),
            # but a compile expression is the scenario's own doing
            observe(typename(compile_(do(is_(var("x"), lit(1)))))),
        ]), [V(True), E("warning", "SyntaxWarning: " + literal), V("code")])

    def test_futures(self):
        self.assertObservations(scenario([
            observe(typename(future_result())),
            observe(await_(future_result())),
            observe(await_(future_result(lit(L(1))))),
            observe(await_(future_exception(exc("ValueError", "f")))),
            observe(await_(future_exception(var("KeyError")))),
            observe(method(future_result(lit(3)), "done")),
        ]), [V("Future"), V(None), V(L(1)), R("ValueError", "f"), R("KeyError"), V(True)])

    def test_raised_causes_are_reported_and_context_is_not(self):
        self.assertObservations(scenario([
            try_([raise_(exc("KeyError", "k"))], [handler("KeyError", "e", raise_(exc("ValueError", "v")))]),
            try_([raise_(exc("KeyError", "inner"))],
                 [handler("KeyError", "e", try_([raise_(exc("TypeError", "mid"))],
                                                [handler("TypeError", "t", raise_(exc("ValueError", "outer")))]))]),
        ]), [R("ValueError", "v"), R("ValueError", "outer")])
        # `raise X from Y` is not in the language; a source program shows causes
        self.assertObservations({"id": "cause", "mode": "source", "source":
                                 "try:\n    raise KeyError('a')\nexcept KeyError as e:\n"
                                 "    raise ValueError('b') from TypeError('c')\n"},
                                [R("ValueError", "b", C("TypeError", "c"))])


# ---------------------------------------------------------------------------
# Source mode: the seed tutorial's examples, verbatim (catalogue group Z)
# ---------------------------------------------------------------------------

ZPROGRAMS = {
    "Z01": 'import asyncio\n\nasync def get_evens(n):\n   for i in range(n):\n      if i % 2 == 0: \n         yield i\n\nasync def main():\n   evens = get_evens(10)\n   print(await anext(evens))\n   print(await anext(evens))\n   print(await anext(evens))\n   print(await anext(evens))\n   print(await anext(evens))\n   print(await anext(evens))\n\nasyncio.run(main())\n',
    "Z02": 'import asyncio\n\nasync def get_evens(n):\n   for i in range(n):\n      if i % 2 == 0: \n         yield i\n\nasync def main():\n   for i in get_evens(10):\n      print(i)\n\nasyncio.run(main())\n',
    "Z03": 'import asyncio\n\nasync def get_evens(n):\n   for i in range(n):\n      if i % 2 == 0: \n         yield i\n\nasync def main():\n   async for i in get_evens(10):\n      print(i)\n\nasyncio.run(main())\n',
    "Z04": 'async def get_evens(n):\n   for i in range(n):\n      if i % 2 == 0: \n         yield i\n\nasync for i in get_evens(10):\n      print(i)\n',
    "Z05": 'import asyncio\n\nasync def get_odds(n):\n   for i in range(n):\n      if i % 2 == 1: \n         yield i\n\nasync def main():\n   async for i in get_odds(10):\n      print(i)\n\nasyncio.run(main())\n',
    "Z06": 'import asyncio\n\nasync def get_odds(n):\n   for i in range(n):\n      if i % 2 == 1: \n         yield i\n\nasync def main():\n   odds = get_odds(10)\n   awaitable_list = [anext(odds), anext(odds), anext(odds), anext(odds)]\n   for awaitable in awaitable_list:\n      print(await awaitable)\n\nasyncio.run(main())\n',
    "Z07": 'import asyncio\n\nasync def get_odds(n):\n   for i in range(n):\n      if i % 2 == 1: \n         yield i\n\nasync def main():\n   odds = get_odds(10)\n   odds =[ anext(odds), anext(odds)]\n   async for i in odds: #this fails\n      print(i)\n\nasyncio.run(main())\n',
    "Z08": 'import asyncio\n\nclass EvensGenerator:\n   def __init__(self, n):\n      self.n = n  \n      self.current = 0\n\n   def __aiter__(self):\n      return self\n\n   async def __anext__(self):\n      if self.current >= self.n:\n         raise StopAsyncIteration\n      value = self.current\n      self.current += 2\n      return value\n\nasync def main():\n   async for i in EvensGenerator(20):\n      print(i)\n\nasyncio.run(main())\n',
    "Z09": 'import asyncio\n\nclass EvensGenerator:\n   def __init__(self, n):\n      self.n = n  \n      self.current = 0\n\n   def __aiter__(self):\n      return self\n\n   def __anext__(self):\n      if self.current >= self.n:\n         raise StopAsyncIteration\n      value = self.current\n      self.current += 2\n      return value\n\nasync def main():\n   async for i in EvensGenerator(20):\n      print(i)\n\nasyncio.run(main())\n',
}

ZEXPECTED = {
    "Z01": [E("stdout", "0"), E("stdout", "2"), E("stdout", "4"), E("stdout", "6"), E("stdout", "8"),
            R("StopAsyncIteration")],
    "Z02": [R("TypeError", "'async_generator' object is not iterable")],
    "Z03": [E("stdout", str(i)) for i in (0, 2, 4, 6, 8)],
    "Z04": [R("SyntaxError", "'async for' outside async function", line=6)],
    "Z05": [E("stdout", str(i)) for i in (1, 3, 5, 7, 9)],
    "Z06": [E("stdout", str(i)) for i in (1, 3, 5, 7)],
    "Z07": [R("TypeError", "'async for' requires an object with __aiter__ method, got list")],
    "Z08": [E("stdout", str(i)) for i in range(0, 20, 2)],
    "Z09": [R("TypeError", "'async for' received an invalid object from __anext__: int",
              C("TypeError", "object int can't be used in 'await' expression"))],
}


class SourceModeTest(HarnessTest):

    def test_tutorial_examples(self):
        for zid in sorted(ZPROGRAMS):
            with self.subTest(zid):
                want = ZEXPECTED[zid]
                self.assertObservations({"id": zid, "mode": "source", "source": ZPROGRAMS[zid]}, want)

    def test_tutorial_examples_that_test_the_anext_builtin(self):
        res = self.run_scenario({"id": "Z01", "needs": ["anext-builtin"], "mode": "source", "source": ZPROGRAMS["Z01"]})
        self.assertEqual(res["state"], "completed" if HAS_ANEXT else "unsupported")

    def test_exit_status(self):
        for code, want in (("None", []), ("0", []), ("False", []), ("3", [R("SystemExit", "3")]),
                           ("'bye'", [R("SystemExit", "bye")])):
            with self.subTest(code):
                self.assertObservations({"id": "exit", "mode": "source",
                                         "source": "print('a')\nraise SystemExit(%s)\nprint('b')\n" % code},
                                        [E("stdout", "a")] + want)

    def test_output_lines(self):
        src = ("import sys\nprint('a', 'b', sep='-')\nsys.stdout.write('par')\nsys.stdout.write('tial\\n\\nx')\n"
               "print(1, end='')\nprint()\nprint('last', end='')\n")
        self.assertObservations({"id": "lines", "mode": "source", "source": src},
                                [E("stdout", "a-b"), E("stdout", "partial"), E("stdout", ""), E("stdout", "x1"),
                                 E("stdout", "last")])

    def test_name_is_main_and_namespace_is_fresh(self):
        self.assertObservations({"id": "a", "mode": "source", "source": "leak = 1\nprint(__name__)\n"},
                                [E("stdout", "__main__")])
        self.assertObservations({"id": "b", "mode": "source", "source": "print(leak)\n"},
                                [R("NameError", "name 'leak' is not defined")])

    def test_state_is_restored_after_a_source_program(self):
        src = ("import sys, warnings, asyncio\nwarnings.simplefilter('error')\nsys.stdout = None\n"
               "sys.unraisablehook = None\nsys.setrecursionlimit(50)\n"
               "asyncio.set_event_loop(asyncio.new_event_loop())\n")
        self.assertObservations({"id": "mess", "mode": "source", "source": src}, [])
        self.assertObservations({"id": "after", "mode": "source", "source":
                                 "import warnings\nwarnings.warn('w')\nprint('ok')\n"
                                 "def f(n): return n and f(n - 1)\nprint(f(200))\n"}, [E("stdout", "ok"), E("stdout", "0")])

    def test_syntax_error_line(self):
        self.assertObservations({"id": "syn", "mode": "source", "source": "print('never')\nx = (\n"},
                                [R("SyntaxError", per("'(' was never closed", pypy="parenthesis is never closed",
                                                      before310="unexpected EOF while parsing"), line=2)])

    def test_source_with_reports(self):
        src = ("import warnings, gc\nprint('before')\nwarnings.warn('careful')\nasync def coro(): pass\n"
               "c = coro(); del c; gc.collect()\nprint('after')\n")
        want = [E("stdout", "before"), E("warning", "UserWarning: careful"),
                E("warning", "RuntimeWarning: coroutine 'coro' was never awaited"), E("stdout", "after")]
        self.assertObservations({"id": "rep", "mode": "source", "report": ["warnings"], "source": src}, want)


# ---------------------------------------------------------------------------
# Compile scenarios (catalogue group C) and FORMAT.md's line rules
# ---------------------------------------------------------------------------

def syntax(message, line):
    return R("SyntaxError", message, line=line)


class CompileTest(HarnessTest):

    def compiled(self, *body, **kw):
        return observe(compile_(*body, **kw))

    def test_group_c(self):
        y, x = var("y"), var("x")
        cases = [
            ("C01", [afor("x", y, simple("pass"))], syntax("'async for' outside async function", 1)),
            ("C02", [def_("f", afor("x", y, simple("pass")))], syntax("'async for' outside async function", 2)),
            ("C04", [do(await_(x))], syntax("'await' outside function", 1)),
            ("C05", [def_("f", do(await_(x)))], syntax("'await' outside async function", 2)),
            ("C06", [def_("f", return_(comp("list", x, aclause("x", y))))],
             syntax("asynchronous comprehension outside of an asynchronous function", 2)),
            ("C08", [adef("g", yield_(lit(1)), return_(lit(2)))], syntax("'return' with value in async generator", 3)),
            ("C09", [adef("g", yield_from(lit(L(1))))], syntax("'yield from' inside async function", 2)),
            ("C11", [awith(x, simple("pass"))], syntax("'async with' outside async function", 1)),
            ("C12", [adef("f", do(comp("list", yield_value(x), aclause("x", y))))],
             syntax("'yield' inside list comprehension", 2)),
            ("C13", [adef("f", return_(lambda_(await_(x))))], syntax("'await' outside async function", 2)),
            ("C14", [def_("f", return_(comp("list", x, aclause("x", y))))],
             syntax("asynchronous comprehension outside of an asynchronous function", 2)),
        ]
        for cid, body, want in cases:
            with self.subTest(cid):
                if PYPY or VERSION < (3, 10):
                    # older parsers and PyPy word some of these differently;
                    # the line and the type are what FORMAT.md fixes
                    got = self.observe(scenario([self.compiled(*body)], id=cid, needs=["compile"]))
                    self.assertEqual(got[0]["type"], "SyntaxError", got)
                    line = want["line"]
                    if cid in ("C06", "C14") and CPYTHON:
                        line = None  # CPython 3.8/3.9 raise this one without a location
                    self.assertEqual(got[0].get("line"), line, got)
                    continue
                self.assertObservations(scenario([self.compiled(*body)], id=cid, needs=["compile"]), [want])

    def test_group_c_allowed_forms(self):
        y, x = var("y"), var("x")
        self.assertObservations(scenario(id="C03", needs=["compile"], main=[
            let("c", compile_(afor("x", y, simple("pass")), flags=["top_level_await"])),
            observe(typename(var("c"))),
            observe(binop(binop(attr(var("c"), "co_flags"), "//", lit(128)), "%", lit(2))),  # CO_COROUTINE
        ]), [V("code"), V(1)])
        self.assertObservations(scenario(id="C14", needs=["compile"], main=[
            observe(typename(compile_(def_("f", return_(comp("genexp", x, aclause("x", y))))))),
        ]), [V("code")])
        self.assertObservations(scenario(id="C10", module=[
            agen_def("agen", 1),
            def_("f", return_(comp("genexp", var("x"), aclause("x", var("y")))), params=["y"]),
        ], main=[observe(typename(call("f", call("agen"))))]), [V("async_generator")])

    def test_line_rules(self):
        """Each simple statement is one line; a compound statement is its
        header plus its block; an empty block is one `pass` line."""
        fill = [let("a", lit(1)), simple("pass")]
        body = [
            let("a", lit(1)),                                                     # 1
            def_("f", params=["p"]),                                              # 2, 3 pass
            class_("K", let("k", lit(1)), def_("m", return_(var("self")))),      # 4, 5, 6, 7
            try_([simple("pass")],                                                # 8, 9
                 [handler("ValueError", "e", *fill), handler("", "")],            # 10, 11, 12, 13, 14
                 else_=[simple("pass")], finally_=[simple("pass")]),              # 15, 16, 17, 18
            if_(lit(1), [simple("pass")], [simple("pass")]),                      # 19, 20, 21, 22
            for_("i", var("y"), simple("pass"), else_=[simple("pass")]),          # 23, 24, 25, 26
            adef("g", afor("i", var("y"), simple("pass")),                        # 27, 28, 29
                 awith(var("y"), simple("pass"))),                                # 30, 31
            emit("e", lit(1)), observe(lit(1)), raise_(),                         # 32, 33, 34
            def_("gen", yield_(lit(1)), yield_from(lit(L())), return_(lit(2))),   # 35, 36, 37, 38
        ]
        src = H.render_compile_body([json_node(s) for s in body])
        lines = src.splitlines()
        self.assertEqual(len(lines), 38, src)
        self.assertEqual(lines[1], "def f(p):")
        self.assertEqual(lines[5], "    def m(self):")
        self.assertEqual(lines[12], "except:")
        self.assertEqual(lines[31], "_aiterspec_event('e', 1)")
        # Check the numbering with Python itself: a statement that is a
        # SyntaxError anywhere, inserted after each line in turn, is reported
        # at the line it was inserted at.
        for n in range(1, len(lines) + 1):
            where = lines[n - 1]
            indent = len(where) - len(where.lstrip())
            if where.endswith(":"):
                indent += 4
            probe = "\n".join(lines[:n] + [" " * indent + "nonlocal nowhere"] + lines[n:]) + "\n"
            with self.subTest(after_line=n):
                with self.assertRaises(SyntaxError) as ctx:
                    compile(probe, "<scenario>", "exec")
                self.assertEqual(ctx.exception.lineno, n + 1)
        # and through the harness: the deepest statement of a nested body
        nested = body + [def_("h", if_(lit(1), [simple("pass")],                # 39, 40, 41
                                      [for_("i", var("y"),                       # 42, 43
                                            try_([do(await_(var("x")))], finally_=fill))]))]  # 44, 45
        self.assertObservations(scenario([self.compiled(*nested)]),
                                [syntax("'await' outside async function", 45)])


def json_node(s):
    """A statement as the harness decodes it (for in-process rendering)."""
    return H.Decoder().stmt(json.loads(json.dumps(s), parse_float=H.JSONNumber), "s")


# ---------------------------------------------------------------------------
# The catalogue, group by group: scenarios whose observations must be the
# catalogue's on CPython 3.11 (and what other interpreters really do)
# ---------------------------------------------------------------------------

def already_running(what="anext"):
    return "%s(): asynchronous generator is already running" % what


def invalid_anext(t):
    return "'async for' received an invalid object from __anext__: %s" % t


def requires_aiter(t):
    return "'async for' requires an object with __aiter__ method, got %s" % t


def cant_await(t):
    return "object %s can't be used in 'await' expression" % t


def no_anext_from_aiter(t):
    return "'async for' received %s object from __aiter__ that does not implement __anext__: %s" % (
        per("an", pypy="a"), t)


def aiter_class(name, *anext_body, **kw):
    """class name: def __aiter__(self): return self; [async] def __anext__(self): body"""
    make = adef if kw.get("async_anext") else def_
    return class_(name, def_("__aiter__", return_(var("self"))), make("__anext__", *anext_body, **kw.get("anext_kw", {})))


class GroupG(HarnessTest):
    """Async generators: ordering, exhaustion, anext()/default."""

    def test_G01_G15_order_and_return(self):
        self.assertObservations(scenario(module=[
            adef("g", yield_(lit(1)), yield_(lit(2)), yield_(lit(3))),
            adef("g15", yield_(lit(1)), return_(), yield_(lit(2))),
        ], main=[
            observe(comp("list", var("x"), aclause("x", call("g")))),
            observe(comp("list", var("x"), aclause("x", call("g15")))),
        ]), [V(L(1, 2, 3)), V(L(1))])

    def test_G02_G03_G04_exhaustion(self):
        self.assertObservations(scenario(module=[agen_def("agen", 1, 2)], main=[
            let("g", call("agen")),
            observe(await_(anext_(var("g")))), observe(await_(anext_(var("g")))),
            observe(await_(anext_(var("g")))), observe(await_(anext_(var("g")))),
            try_([do(await_(anext_(var("g"))))], [handler("StopAsyncIteration", "e", observe(attr(var("e"), "args")))]),
        ]), [V(1), V(2), R("StopAsyncIteration"), R("StopAsyncIteration"), V(T())])

    def test_G05_G06_G07_G08_default(self):
        self.assertObservations(scenario(module=[
            agen_def("agen", 1),
            adef("boom", raise_(exc("ValueError", "boom")), yield_()),
        ], main=[
            let("g", call("agen")),
            observe(await_(anext_(var("g"), lit("D")))), observe(await_(anext_(var("g"), lit("D")))),
            observe(await_(anext_(var("g"), lit("D")))),
            observe(await_(anext_(call("agen"), lit(None)))),
            observe(await_(anext_(call("boom"), lit("D")))),
            let("it", call("boom")),
            observe(await_(anext_(var("it")))), observe(await_(anext_(var("it")))),
        ]), [V(1), V("D"), V("D"), V(1), R("ValueError", "boom"), R("ValueError", "boom"),
             R("StopAsyncIteration")])

    def test_G10_async_for_else(self):
        self.assertObservations(scenario(module=[agen_def("agen", 1, 2)], main=[
            afor("x", call("agen"), simple("pass"), else_=[emit("else ran after exhaustion")]),
            afor("x", call("agen"), simple("break"), else_=[emit("else ran after break")]),
            emit("done"),
        ]), [E("else ran after exhaustion"), E("done")])

    @skip_before_310
    def test_G11_G12_builtins_and_type_names(self):
        g = var("g")
        self.assertObservations(scenario(needs=["anext-builtin", "aiter-builtin", "introspection"],
                                         module=[agen_def("agen", 1)], main=[
            let("g", call("agen")),
            observe(is_(call("aiter", g), g)),
            observe(list_of(typename(g), typename(method(g, "__anext__")), typename(anext_(g, lit(0))),
                            typename(method(g, "asend", lit(None))), typename(method(g, "athrow", var("ValueError"))),
                            typename(method(g, "aclose")))),
            observe(list_of(typename(anext_(g)), typename(anext_(g, lit(0))))),
        ]), [V(True), V(L("async_generator", "async_generator_asend", "anext_awaitable", "async_generator_asend",
                           "async_generator_athrow", "async_generator_athrow")),
             V(L("async_generator_asend", "anext_awaitable"))])

    def test_G13_driving_anext_by_hand(self):
        self.assertObservations(scenario(mode="sync", module=[agen_def("agen", 7)], main=[
            let("g", call("agen")),
            try_([do(method(method(var("g"), "__anext__"), "send", lit(None)))],
                 [handler("BaseException", "e", emit("caught", var("e")), observe(attr(var("e"), "args")))]),
            do(method(method(var("g"), "__anext__"), "send", lit(None))),
        ]), [E("caught", EXC("StopIteration", "7")), V(T(7)), R("StopAsyncIteration")])

    def test_G16_state_attributes(self):
        g = var("g")
        if "introspection" not in self.hello["capabilities"]:
            self.assertState(scenario([], needs=["introspection"]), "unsupported")
            return
        self.assertObservations(scenario(needs=["introspection"], module=[agen_def("agen", 1)], main=[
            let("g", call("agen")),
            observe(tuple_of(attr(g, "ag_running"), is_(attr(g, "ag_frame"), lit(None)))),
            afor("x", g, simple("pass")),
            observe(tuple_of(attr(g, "ag_running"), is_(attr(g, "ag_frame"), lit(None)))),
        ]), [V(T(False, False)), V(T(False, True))])


class GroupS(HarnessTest):
    """async for / sync iteration over the wrong kinds of object."""

    def test_S01_S02_sync_iteration_of_async_generator(self):
        self.assertObservations(scenario(module=[agen_def("agen", 1)], main=[
            for_("x", call("agen"), simple("pass")),
            observe(call("list", call("agen"))),
            observe(call("iter", call("agen"))),
        ]), [R("TypeError", "'async_generator' object is not iterable")] * 3)

    def test_S03_to_S08_wrong_iterables(self):
        self.assertObservations(scenario(module=[
            class_("OnlyNext", adef("__anext__", raise_(var("StopAsyncIteration")))),
            class_("BadAiter", def_("__aiter__", return_(lit(L(1))))),
        ], main=[
            afor("x", lit(L(1, 2)), simple("pass")),
            afor("x", lit(5), simple("pass")),
            afor("x", lit(None), simple("pass")),
            afor("x", comp("genexp", var("i"), sclause("i", call("range", lit(2)))), simple("pass")),
            afor("x", call("OnlyNext"), simple("pass")),
            afor("x", call("BadAiter"), simple("pass")),
        ]), [R("TypeError", requires_aiter(t)) for t in ("list", "int", "NoneType", "generator", "OnlyNext")] + [
            R("TypeError", no_anext_from_aiter("list"))])

    def test_S10_S11_S14_aiter_attribute(self):
        want_aiter = [R("TypeError", "'int' object is not callable"), R("TypeError", "'NoneType' object is not callable")]
        self.assertObservations(scenario(module=[
            class_("NC", let("__aiter__", lit(5))),
            class_("Opt", let("__aiter__", lit(None))),
            class_("Raises", def_("__aiter__", raise_(exc("KeyError", "x")))),
        ], main=[
            afor("x", call("NC"), simple("pass")),
            afor("x", call("Opt"), simple("pass")),
            afor("x", call("Raises"), simple("pass")),
        ]), [want_aiter[0], want_aiter[1], R("KeyError", "'x'")])

    @skip_before_310
    def test_S10_S11_with_aiter_builtin(self):
        self.assertObservations(scenario(needs=["aiter-builtin"], module=[
            class_("NC", let("__aiter__", lit(5))), class_("Opt", let("__aiter__", lit(None)))], main=[
            observe(call("aiter", call("NC"))), observe(call("aiter", call("Opt")))]),
            [R("TypeError", "'int' object is not callable"), R("TypeError", "'NoneType' object is not callable")])

    def test_S12_async_aiter_with_warning(self):
        want = [R("TypeError", no_anext_from_aiter("coroutine"))]
        if CPYTHON:  # PyPy warns later, when its collector runs
            want.insert(0, E("warning", "RuntimeWarning: coroutine 'AsyncAiter.__aiter__' was never awaited"))
        self.assertObservations(scenario(report=["warnings"], module=[
            class_("AsyncAiter", adef("__aiter__", return_(var("self"))),
                   adef("__anext__", raise_(var("StopAsyncIteration"))))],
            main=[afor("x", call("AsyncAiter"), simple("pass"))]), want)

    def test_S15_list_display_statement_versus_comprehension(self):
        self.assertObservations(scenario([
            afor("x", lit(L(1, 2)), simple("pass")),
            observe(comp("list", var("x"), aclause("x", lit(L(1, 2))))),
            let("a", lit(1)),
            observe(comp("list", var("x"), aclause("x", list_of(var("a"), lit(2))))),
            let("lst", lit(L(1, 2))),
            observe(comp("list", var("x"), aclause("x", var("lst")))),
        ]), [R("TypeError", requires_aiter("list")),
             R("TypeError", requires_aiter(per("tuple", pypy="list"))),
             R("TypeError", requires_aiter(per("tuple", pypy="list"))),
             R("TypeError", requires_aiter("list"))])

    def test_S17_plain_anext_raising(self):
        self.assertObservations(scenario(module=[aiter_class("P", raise_(exc("ValueError", "sync")))], main=[
            afor("x", call("P"), simple("pass"))]), [R("ValueError", "sync")])


class GroupN(HarnessTest):
    """What __anext__ may return."""

    def test_N01_N02_N08_N09_N13_invalid_results_with_cause(self):
        self.assertObservations(scenario(module=[
            class_("Bad", def_("__await__", return_(lit(1)))),
            aiter_class("I", return_(lit(1))),
            aiter_class("N", return_(lit(None))),
            aiter_class("B", return_(call("Bad"))),
            aiter_class("G", return_(comp("genexp", var("i"), sclause("i", lit(T()))))),
        ], main=[afor("x", call(c), simple("pass")) for c in ("I", "N", "B", "G")]), [
            R("TypeError", invalid_anext("int"), C("TypeError", cant_await("int"))),
            R("TypeError", invalid_anext("NoneType"), C("TypeError", cant_await("NoneType"))),
            R("TypeError", invalid_anext("Bad"), C("TypeError", "__await__() returned non-iterator of type 'int'")),
            R("TypeError", invalid_anext("generator"), C("TypeError", cant_await("generator"))),
        ])

    def test_N03_to_N07_valid_results(self):
        i = attr(var("self"), "i")
        step = setattr_(var("self"), "i", binop(i, "+", lit(1)))
        init = def_("__init__", setattr_(var("self"), "i", lit(0)))
        drain = lambda c: observe(comp("list", var("x"), aclause("x", call(c))))
        self.assertObservations(scenario(module=[
            class_("C3", init, def_("__aiter__", return_(var("self"))),
                   adef("__anext__", step, if_(binop(i, ">", lit(3)), [raise_(var("StopAsyncIteration"))]),
                        return_(i))),
            class_("Aw", def_("__init__", setattr_(var("self"), "v", var("v")), params=["v"]),
                   def_("__await__", if_(binop(attr(var("self"), "v"), ">", lit(2)), [raise_(var("StopAsyncIteration"))]),
                        yield_from(tuple_of()), return_(attr(var("self"), "v")))),
            class_("C4", init, def_("__aiter__", return_(var("self"))), def_("__anext__", step, return_(call("Aw", i)))),
            # N05 with per-call bodies: a done Future each time
            aiter_class("F", return_(future_exception(call("StopAsyncIteration"))),
                        anext_kw={"calls": [[return_(future_result(lit(10)))], [return_(future_result(lit(20)))]]}),
            class_("P", init, def_("__aiter__", return_(var("self"))), def_("__anext__", return_(method(var("self"), "_next"))),
                   adef("_next", step, if_(binop(i, ">", lit(2)), [raise_(var("StopAsyncIteration"))]), return_(i))),
            aiter_class("P7", raise_(var("StopAsyncIteration"))),
        ], main=[drain("C3"), drain("C4"), drain("F"), drain("P"), drain("P7")]),
            [V(L(1, 2, 3)), V(L(1, 2)), V(L(10, 20)), V(L(1, 2)), V(L())])

    def test_N10_N11_stop_exceptions(self):
        self.assertObservations(scenario(module=[
            aiter_class("I10", raise_(var("StopIteration")), async_anext=True),
            aiter_class("I11", raise_(exc("StopAsyncIteration", "payload")), async_anext=True),
        ], main=[
            afor("x", call("I10"), simple("pass")),
            observe(comp("list", var("x"), aclause("x", call("I11")))),
            observe(await_(anext_(call("I11")))),
            observe(await_(anext_(call("I11"), lit("D")))),
        ]), [R("RuntimeError", "coroutine raised StopIteration", C("StopIteration")), V(L()), R("StopAsyncIteration", "payload"), V("D")])


class GroupB(HarnessTest):
    """The aiter()/anext() builtins on wrong types."""

    @skip_before_310
    def test_B01_to_B07(self):
        sync_gen = comp("genexp", var("i"), sclause("i", lit(T())))
        self.assertObservations(scenario(needs=["anext-builtin", "aiter-builtin"], module=[
            agen_def("agen", 1),
            class_("BadAiter", def_("__aiter__", return_(lit(L(1))))),
            class_("OnlyNext", adef("__anext__", raise_(var("StopAsyncIteration")))),
            class_("Iterable", def_("__aiter__", return_(call("agen")))),
        ], main=[observe(call("aiter", e)) for e in (lit(L(1)), lit(5), lit(None), sync_gen)] + [
            observe(call("aiter", call("BadAiter"))),
            observe(call("aiter", call("OnlyNext"))),
        ] + [observe(call("anext", e)) for e in (lit(L(1)), call("iter", lit(L(1))), lit(5), lit(None), sync_gen)] + [
            observe(call("anext", call("Iterable"))),
            observe(call("anext", lit(L(1)), lit("D"))),
            observe(call("aiter", call("agen"), lit(1))),
            observe(call("anext")),
            observe(call("anext", call("agen"), lit(1), lit(2))),
        ]), [R("TypeError", "'%s' object is not an async iterable" % t) for t in ("list", "int", "NoneType", "generator")] + [
            R("TypeError", "aiter() returned not an async iterator of type 'list'"),
            R("TypeError", "'OnlyNext' object is not an async iterable"),
        ] + [R("TypeError", "'%s' object is not an async iterator" % t)
             for t in ("list", "list_iterator", "int", "NoneType", "generator", "Iterable", "list")] + [
            R("TypeError", "aiter() takes exactly one argument (2 given)"),
            R("TypeError", "anext expected at least 1 argument, got 0"),
            R("TypeError", "anext expected at most 2 arguments, got 3"),
        ])

    @skip_before_310
    def test_B08_to_B11(self):
        self.assertObservations(scenario(needs=["anext-builtin"], module=[
            aiter_class("I", return_(lit(1))),
            aiter_class("F", return_(future_result(lit(5)))),
            class_("Aw", def_("__await__", raise_(var("StopAsyncIteration")), yield_())),
            aiter_class("C", return_(call("Aw"))),
        ], main=[
            let("x", anext_(call("I"))), observe(var("x")), observe(await_(var("x"))),
            observe(await_(anext_(call("I"), lit("D")))),
            observe(await_(anext_(call("F"), lit("D")))),
            observe(await_(anext_(call("C"), lit("D")))), observe(await_(anext_(call("C")))),
        ]), [V(1), R("TypeError", cant_await("int")), R("TypeError", cant_await("int")), V(5), V("D"),
             R("StopAsyncIteration")])


class GroupR(HarnessTest):
    """Concurrency and re-entrancy."""

    module = [
        adef("slow", do(await_(call("asyncio.sleep", lit(0.01)))), yield_(lit(1)), yield_(lit(2))),
        agen_def("agen", 1, 2),
    ]

    @unittest.skipIf(PYPY, "PyPy 7.3.11 hangs: the second anext() of a generator suspended in await never "
                           "completes (checked with wait_for outside the harness); aiterspec's timeout handles it")
    def test_R01_R03_R04_gather(self):
        g = var("g")
        gather = lambda *aws: await_(call("asyncio.gather", *aws, return_exceptions=lit(True)))
        self.assertObservations(scenario(needs=["tasks"], module=self.module, main=[
            let("g", call("slow")), observe(gather(anext_(g), anext_(g))),
            let("g", call("agen")), observe(await_(call("asyncio.gather", anext_(g), anext_(g)))),
            let("g", call("slow")), observe(gather(anext_(g, lit("D")), anext_(g, lit("D")))),
        ]), [V(L(1, EXC("RuntimeError", already_running()))), V(L(1, 2)),
             V(L(1, EXC("RuntimeError", per(already_running(), before310="anext(): asynchronous generator is already running"))))])

    def test_R02_methods_while_running(self):
        g = var("g")
        if "introspection" not in self.hello["capabilities"]:
            self.assertState(scenario([], needs=["introspection"]), "unsupported")
            return
        self.assertObservations(scenario(needs=["tasks", "agen-methods", "introspection"], module=self.module, main=[
            let("g", call("slow")),
            let("t", call("asyncio.create_task", anext_(g))),
            do(await_(call("asyncio.sleep", lit(0)))),
            observe(attr(g, "ag_running")),
            observe(await_(method(g, "asend", lit(None)))),
            observe(await_(method(g, "athrow", var("ValueError")))),
            observe(await_(method(g, "aclose"))),
            observe(await_(var("t"))),
        ]), [V(True), R("RuntimeError", already_running()), R("RuntimeError", already_running("athrow")),
             R("RuntimeError", already_running("aclose")), V(1)])

    def test_R05_generator_stepping_itself(self):
        self.assertObservations(scenario(module=[
            let("me", lit(None)),
            adef("g", yield_(await_(anext_(var("me"))))),
        ], main=[let("me", call("g")), observe(await_(anext_(var("me"))))]),
            [per(R("RuntimeError", already_running()), pypy=R("ValueError", "async generator already executing"))])


class GroupE(HarnessTest):
    """Exceptions raised in the generator body."""

    def test_E01_E02_stop_exceptions_in_body(self):
        self.assertObservations(scenario(module=[
            adef("g1", yield_(lit(1)), raise_(var("StopAsyncIteration"))),
            adef("g2", yield_(lit(1)), raise_(var("StopIteration"))),
        ], main=[
            afor("x", call("g1"), emit("item", var("x"))),
            afor("x", call("g2"), emit("item", var("x"))),
        ]), [E("item", 1), R("RuntimeError", "async generator raised StopAsyncIteration", C("StopAsyncIteration")),
             E("item", 1), R("RuntimeError", "async generator raised StopIteration", C("StopIteration"))])

    def test_E04_E05_E06_E07(self):
        self.assertObservations(scenario(module=[
            adef("inner", raise_(var("StopAsyncIteration"))),
            aiter_class("C", return_(await_(call("inner"))), async_anext=True),
            agen_def("agen", 1, 2, 3),
            let("err", exc("ValueError", "x")),
            adef("raiser", raise_(var("err")), yield_()),
            adef("exits", raise_(call("SystemExit", lit(3))), yield_()),
        ], main=[
            observe(comp("list", var("x"), aclause("x", call("C")))),
            let("g", call("agen")),
            try_([afor("x", var("g"), raise_(var("ValueError")))], [handler("ValueError", "")]),
            observe(tuple_of(await_(anext_(var("g"))), not_(is_(attr(var("g"), "ag_frame"), lit(None))))),
            try_([do(await_(anext_(call("raiser"))))], [handler("ValueError", "e", observe(is_(var("e"), var("err"))))]),
            observe(await_(anext_(call("exits")))),
        ]), [V(L()), V(T(2, True)), V(True), R("SystemExit", "3")])


class GroupL(HarnessTest):
    """aclose(), finalisation, break-and-resume."""

    def test_L01_L02_aclose(self):
        self.assertObservations(scenario(needs=["agen-methods"], module=[
            adef("g", try_([yield_(lit(1))], [handler("GeneratorExit", "e", emit("got", typename(var("e"))), raise_())],
                           finally_=[emit("finally ran")])),
        ], main=[
            let("it", call("g")), observe(await_(method(var("it"), "aclose"))), observe(await_(anext_(var("it")))),
            let("it", call("g")), do(await_(anext_(var("it")))),
            observe(await_(method(var("it"), "aclose"))), observe(await_(anext_(var("it")))),
        ]), [V(None), R("StopAsyncIteration"), E("got", "GeneratorExit"), E("finally ran"), V(None),
             R("StopAsyncIteration")])

    def test_L03_L04_L05_L07_L08_L09(self):
        it = var("it")
        self.assertObservations(scenario(needs=["agen-methods"], module=[
            adef("g3", try_([yield_(lit(1))], [handler("GeneratorExit", "", yield_(lit(2)))])),
            adef("g4", try_([yield_(lit(1))], finally_=[yield_(lit("cleanup"))])),
            adef("g5", try_([yield_(lit(1))], finally_=[do(await_(call("asyncio.sleep", lit(0)))), emit("async cleanup done")])),
            adef("g8", try_([yield_(lit(1))], [handler("GeneratorExit", "", return_())])),
            agen_def("agen", 1, 2),
        ], main=[
            let("it", call("g3")), do(await_(anext_(it))), observe(await_(method(it, "aclose"))),
            let("it", call("g4")), do(await_(anext_(it))), observe(await_(method(it, "aclose"))),
            let("it", call("g5")), do(await_(anext_(it))), observe(await_(method(it, "aclose"))),
            let("it", call("agen")), do(await_(anext_(it))),
            observe(tuple_of(await_(method(it, "aclose")), await_(method(it, "aclose")))),
            let("it", call("g8")), do(await_(anext_(it))), observe(await_(method(it, "aclose"))),
            let("it", call("agen")), do(await_(anext_(it))), do(await_(method(it, "aclose"))),
            observe(await_(method(it, "asend", lit(None)))),
            observe(await_(method(it, "athrow", exc("ValueError", "v")))),
            observe(await_(anext_(it, lit("D")))),
        ]), [R("RuntimeError", "async generator ignored GeneratorExit"),
             R("RuntimeError", "async generator ignored GeneratorExit"),
             E("async cleanup done"), V(None), V(T(None, None)), V(None),
             R("StopAsyncIteration"),
             per(V(None), pypy=R("ValueError", "v")),  # PyPy raises into a closed generator
             V("D")])

    def test_L12_no_sync_close(self):
        g = call("agen")
        self.assertObservations(scenario(module=[agen_def("agen")], main=[
            observe(list_of(*[call("hasattr", g, lit(n)) for n in ("close", "aclose", "throw", "athrow", "send", "asend")]))
        ]), [V(L(False, True, False, True, False, True))])

    @needs_refcount
    def test_L13_collected_while_the_loop_runs(self):
        self.assertObservations(scenario(needs=["deterministic-collect"], module=[
            adef("g", try_([yield_(lit(1)), yield_(lit(2))], finally_=[emit("finally ran (via loop finalizer)")])),
        ], main=[
            let("it", call("g")), do(await_(anext_(var("it")))), del_("it"), do(call("gc.collect")),
            emit("after gc"),
            do(await_(call("asyncio.sleep", lit(0)))), emit("after 1st loop turn"),
            do(await_(call("asyncio.sleep", lit(0)))), emit("after 2nd loop turn"),
        ]), [E("after gc"), E("after 1st loop turn"), E("finally ran (via loop finalizer)"), E("after 2nd loop turn")])

    def test_L13_without_deterministic_collect_is_unsupported_here(self):
        if "deterministic-collect" in self.hello["capabilities"]:
            self.skipTest("this interpreter collects deterministically")
        self.assertState(scenario([observe(lit(1))], needs=["deterministic-collect"]), "unsupported")

    @needs_refcount
    def test_L14_finalised_without_a_loop_unraisable(self):
        self.assertObservations(scenario(mode="sync", report=["unraisable"], needs=["deterministic-collect"], module=[
            adef("g", try_([yield_(lit(1))], finally_=[emit("finally entered"), do(await_(call("asyncio.sleep", lit(0)))),
                                                        emit("never printed")])),
        ], main=[
            let("it", call("g")),
            try_([do(method(method(var("it"), "__anext__"), "send", lit(None)))],
                 [handler("StopIteration", "e", emit("got", attr(var("e"), "value")))]),
            del_("it"), do(call("gc.collect")), emit("end"),
        ]), [E("got", 1), E("finally entered"),
             E("unraisable", EXC("RuntimeError", "async generator ignored GeneratorExit")), E("end")])

    def test_generators_left_alive_are_closed_after_main(self):
        """asyncio.run finalises them; what they emit comes after main's own observations."""
        self.assertObservations(scenario(module=[
            adef("g", try_([yield_(lit(1)), yield_(lit(2))], finally_=[emit("closed by shutdown_asyncgens")])),
        ], main=[let("it", call("g")), observe(await_(anext_(var("it")))), emit("main done")]),
            [V(1), E("main done"), E("closed by shutdown_asyncgens")])

    def test_leftovers_do_not_leak_into_the_next_scenario(self):
        self.assertObservations(scenario(mode="sync", module=[
            adef("g", try_([yield_(lit(1))], finally_=[emit("late finaliser")])),
            let("keep", list_of()),
        ], main=[
            let("it", call("g")),
            try_([do(method(method(var("it"), "__anext__"), "send", lit(None)))], [handler("StopIteration", "")]),
            do(method(var("keep"), "append", var("keep"))),  # a cycle, collected after the scenario
            do(method(var("keep"), "append", var("it"))),
            emit("end"),
        ]), [E("end")])
        self.assertObservations(scenario([observe(lit("next"))]), [V("next")])


class GroupT(HarnessTest):
    """athrow()."""

    def test_T01_to_T04(self):
        it = var("it")
        self.assertObservations(scenario(needs=["agen-methods"], module=[
            agen_def("agen", 1, 2),
            adef("g2", try_([yield_(lit(1))], [handler("ValueError", "", yield_(lit("handled")))]), yield_(lit("after"))),
            adef("g3", try_([yield_(lit(1))], [handler("ValueError", "", return_())])),
            adef("g4", emit("body ran"), yield_(lit(1))),
        ], main=[
            let("it", call("agen")), do(await_(anext_(it))),
            observe(await_(method(it, "athrow", exc("ValueError", "v")))), observe(await_(anext_(it))),
            let("it", call("g2")), do(await_(anext_(it))),
            observe(await_(method(it, "athrow", var("ValueError")))), observe(await_(anext_(it))),
            let("it", call("g3")), do(await_(anext_(it))), observe(await_(method(it, "athrow", var("ValueError")))),
            let("it", call("g4")), observe(await_(method(it, "athrow", exc("ValueError", "early")))),
            observe(await_(anext_(it))),
        ]), [R("ValueError", "v"), R("StopAsyncIteration"), V("handled"), V("after"), R("StopAsyncIteration"),
             R("ValueError", "early"), R("StopAsyncIteration")])

    def test_T06_to_T11(self):
        it = var("it")
        warn = [E("warning", "DeprecationWarning: the (type, exc, tb) signature of athrow() is deprecated, "
                             "use the single-arg signature instead.")] if VERSION >= (3, 12) and CPYTHON else []
        self.assertObservations(scenario(needs=["agen-methods"], report=["warnings"], module=[
            agen_def("agen", 1, 2),
            def_("sg", yield_(lit(1))),
        ], main=[
            let("it", call("agen")), do(await_(anext_(it))), observe(await_(method(it, "athrow", var("KeyError")))),
            let("it", call("agen")), do(await_(anext_(it))),
            let("aw", method(it, "athrow", lit(5))), observe(typename(var("aw"))), observe(await_(var("aw"))),
            let("it", call("agen")), do(await_(anext_(it))),
            observe(await_(method(it, "athrow", var("StopAsyncIteration")))),
            let("it", call("agen")), do(await_(anext_(it))),
            observe(await_(method(it, "athrow", var("GeneratorExit")))), observe(await_(anext_(it))),
            let("it", call("agen")), do(await_(anext_(it))),
            observe(await_(method(it, "athrow", var("ValueError"), exc("ValueError", "v3"), lit(None)))),
            let("it", call("agen")), afor("x", it, simple("pass")),
            observe(await_(method(it, "athrow", exc("ValueError", "x")))),
            let("s", call("sg")), do(call("list", var("s"))), observe(method(var("s"), "throw", exc("ValueError", "x"))),
        ]), [R("KeyError"), V("async_generator_athrow"),
             R("TypeError", per("exceptions must be classes or instances deriving from BaseException, not int",
                                pypy="exceptions must derive from BaseException, not int")),
             R("RuntimeError", "async generator raised StopAsyncIteration", C("StopAsyncIteration")),
             R("GeneratorExit"), R("StopAsyncIteration")] + warn + [R("ValueError", "v3"),
             per(V(None), pypy=R("ValueError", "x")), R("ValueError", "x")])


class GroupD(HarnessTest):
    """asend()."""

    def test_D01_D02_D04_D05(self):
        it = var("it")
        just_started = "can't send non-None value to a just-started async generator"
        self.assertObservations(scenario(needs=["agen-methods"], module=[agen_def("agen", 1)], main=[
            observe(await_(method(call("agen"), "asend", lit(42)))),
            observe(await_(method(call("agen"), "asend", lit(None)))),
            let("it", call("agen")), afor("x", it, simple("pass")),
            observe(await_(method(it, "asend", lit(None)))), observe(await_(method(it, "asend", lit(1)))),
            let("it", call("agen")), let("aw", method(it, "asend", lit(42))), emit("created", typename(var("aw"))),
            observe(await_(var("aw"))), observe(await_(anext_(it))),
        ]), [R("TypeError", just_started), V(1), R("StopAsyncIteration"), R("StopAsyncIteration"),
             E("created", "async_generator_asend"), R("TypeError", just_started), V(1)])


class GroupO(HarnessTest):
    """Awaitable objects: creation order and reuse."""

    def test_O03_O04_O05_O07_O09(self):
        g, aw = var("g"), var("aw")
        reuse = R("RuntimeError", "cannot reuse already awaited __anext__()/asend()")
        self.assertObservations(scenario(module=[agen_def("agen", "v1", "v2", "v3")], main=[
            let("g", call("agen")), for_("i", call("range", lit(3)), do(anext_(g))), observe(await_(anext_(g))),
            let("g", call("agen")), let("aw", anext_(g)),
            observe(await_(aw)), observe(await_(aw)), observe(await_(aw)), observe(await_(anext_(g))),
            let("g", call("agen")), let("aw", anext_(g, lit("D"))),
            observe(await_(aw)), observe(await_(aw)), observe(await_(anext_(g))),
            let("g", call("agen")), afor("x", g, simple("pass")), let("aw", anext_(g)),
            observe(await_(aw)), observe(await_(aw)),
            let("g", call("agen")), let("a1", anext_(g)), observe(await_(anext_(g))), observe(await_(var("a1"))),
        ]), [V("v1"), V("v1"), reuse, reuse, V("v2"),
             V("v1"), per(reuse, before310=R("RuntimeError", "cannot reuse already awaited coroutine")), V("v2"),
             R("StopAsyncIteration"), reuse, V("v1"), V("v2")])

    def test_O06_O08(self):
        it = var("it")
        self.assertObservations(scenario(needs=["agen-methods"], module=[
            adef("g", try_([yield_(lit(1))], [handler("ValueError", "", yield_(lit("h")))]), yield_(lit(2))),
            adef("coro", return_(lit(1))),
        ], main=[
            let("it", call("g")),
            let("aw", method(it, "asend", lit(None))), observe(await_(var("aw"))), observe(await_(var("aw"))),
            let("aw", method(it, "athrow", var("ValueError"))), observe(await_(var("aw"))), observe(await_(var("aw"))),
            let("aw", method(it, "aclose")), observe(await_(var("aw"))), observe(await_(var("aw"))),
            let("c", call("coro")), observe(await_(var("c"))), observe(await_(var("c"))),
        ]), [V(1), R("RuntimeError", "cannot reuse already awaited __anext__()/asend()"),
             V("h"), R("RuntimeError", "cannot reuse already awaited aclose()/athrow()"),
             V(None), R("RuntimeError", "cannot reuse already awaited aclose()/athrow()"),
             V(1), R("RuntimeError", "cannot reuse already awaited coroutine")])

    @needs_refcount
    def test_O10_only_coroutines_warn(self):
        self.assertObservations(scenario(report=["warnings"], needs=["deterministic-collect"], module=[
            agen_def("agen", 1), adef("coro", return_(lit(1)))], main=[
            let("g", call("agen")),
            let("x", anext_(var("g"))), del_("x"),
            let("y", method(var("g"), "asend", lit(None))), del_("y"),
            let("z", call("coro")), del_("z"),
            do(call("gc.collect")), emit("end"),
        ]), per([], since313=[E("warning", "RuntimeWarning: coroutine method 'asend' of 'agen' was never awaited")] * 2)
            + [E("warning", "RuntimeWarning: coroutine 'coro' was never awaited"), E("end")])


class GroupW(HarnessTest):
    """await of non-awaitables."""

    def test_W01_to_W07(self):
        want = [R("TypeError", cant_await(t)) for t in ("int", "NoneType", "list", "generator")] + [
            R("TypeError", "__await__() returned non-iterator of type 'int'"),
            R("TypeError", cant_await("async_generator")),
        ]
        warn = [E("warning", "RuntimeWarning: coroutine 'X.__await__' was never awaited")] if CPYTHON else []
        want += warn + [R("TypeError", per("__await__() returned a coroutine", pypy="__await__() returned a coroutine "
                                           "(it must return an iterator instead, see PEP 492)")),
                        R("TypeError", cant_await("Plain"))]
        self.assertObservations(scenario(report=["warnings"], module=[
            agen_def("agen", 1),
            class_("Bad", def_("__await__", return_(lit(1)))),
            class_("X", adef("__await__", return_(lit(1)))),
            class_("Plain"),
        ], main=[
            observe(await_(lit(5))), observe(await_(lit(None))), observe(await_(lit(L(1)))),
            observe(await_(comp("genexp", var("i"), sclause("i", tuple_of())))),
            observe(await_(call("Bad"))), observe(await_(call("agen"))), observe(await_(call("X"))),
            let("o", call("Plain")), setattr_(var("o"), "__await__", lambda_(call("iter", tuple_of()))),
            observe(await_(var("o"))),
        ]), want)


class GroupQ(HarnessTest):
    """Async comprehensions."""

    def test_Q01_to_Q07(self):
        self.assertObservations(scenario(needs=["async-comprehensions"], module=[
            agen_def("agen", 3, 1, 3), agen_def("agen12", 1, 2), agen_def("agen123", 1, 2, 3), agen_def("ab", "a", "b"),
            adef("dbl", return_(binop(lit(2), "*", var("x"))), params=["x"]),
            adef("keep", return_(binop(var("x"), "%", lit(2))), params=["x"]),
            adef("mid", yield_(lit(1)), raise_(exc("ValueError", "mid"))),
        ], main=[
            observe(comp("list", var("x"), aclause("x", call("agen")))),
            observe(comp("set", var("x"), aclause("x", call("agen")))),
            observe(comp("dict", binop(var("x"), "*", var("x")), aclause("x", call("agen12")), key=var("x"))),
            let("ge", comp("genexp", var("x"), aclause("x", call("agen12")))),
            observe(tuple_of(typename(var("ge")), comp("list", var("y"), aclause("y", var("ge"))))),
            observe(comp("list", await_(call("dbl", var("x"))), aclause("x", call("agen123"), await_(call("keep", var("x")))))),
            observe(comp("list", await_(call("dbl", var("x"))), sclause("x", call("range", lit(3))))),
            observe(comp("list", tuple_of(var("i"), var("x")), sclause("i", call("range", lit(2))), aclause("x", call("ab")))),
            observe(comp("list", var("x"), aclause("x", call("mid")))),
            observe(call("list", comp("genexp", var("x"), aclause("x", call("agen12"))))),
        ]), [V(L(3, 1, 3)), V(S(1, 3)), V(D([1, 1], [2, 4])), V(T("async_generator", L(1, 2))), V(L(2, 6)),
             V(L(0, 2, 4)), V(L(T(0, "a"), T(0, "b"), T(1, "a"), T(1, "b"))), R("ValueError", "mid"),
             R("TypeError", "'async_generator' object is not iterable")])


class GroupX(HarnessTest):
    """Miscellaneous."""

    def test_X01_X02_tasks(self):
        it = var("it")
        self.assertObservations(scenario(needs=["tasks"], module=[
            adef("g", try_([do(await_(call("asyncio.sleep", lit(10)))), yield_(lit(1))], finally_=[emit("finally ran on cancel")])),
            agen_def("agen", 1, 2),
        ], main=[
            let("it", call("g")),
            let("t", call("asyncio.create_task", anext_(it))),
            do(await_(call("asyncio.sleep", lit(0)))),
            do(method(var("t"), "cancel")),
            observe(await_(var("t"))), observe(await_(anext_(it))),
            let("g", call("agen")),
            observe(tuple_of(await_(call("asyncio.create_task", anext_(var("g")))),
                             await_(call("asyncio.create_task", anext_(var("g")))))),
        ]), [E("finally ran on cancel"), R("CancelledError"), R("StopAsyncIteration"), V(T(1, 2))])

    def test_X03_X04_X10(self):
        self.assertObservations(scenario(mode="sync", module=[agen_def("agen", 1)], main=[
            try_([do(method(anext_(call("agen")), "send", lit(None)))],
                 [handler("StopIteration", "e", observe(attr(var("e"), "value")))]),
        ]), [V(1)])
        self.assertObservations(scenario(module=[
            class_("Aw", def_("__await__", yield_(), return_(lit(1)))),
            aiter_class("C", return_(call("Aw"))),
            adef("g", try_([yield_(lit(1)), yield_(lit(2))],
                           [handler("ValueError", "e", emit("gen caught", var("e")), yield_(lit("recovered")))])),
        ], main=[
            observe(await_(anext_(call("C")))),
            let("it", call("g")), do(await_(anext_(var("it")))),
            let("aw", anext_(var("it"))), observe(method(var("aw"), "throw", exc("ValueError", "t"))),
        ]), [V(1), E("gen caught", EXC("ValueError", "t")), R("StopIteration", "recovered")])

    def test_X05_X06_types(self):
        abc = "collections.abc."
        self.assertObservations(scenario(module=[
            agen_def("agen"),
            class_("OnlyNext", adef("__anext__", raise_(var("StopAsyncIteration")))),
            aiter_class("Both", raise_(var("StopAsyncIteration")), async_anext=True),
        ], main=[
            observe(comp("list", attr(var("c"), "__name__"), sclause("c", attr(var("StopAsyncIteration"), "__mro__")))),
            observe(call("issubclass", var("StopAsyncIteration"), var("StopIteration"))),
            observe(list_of(call("isinstance", call("agen"), var(abc + "AsyncGenerator")),
                            call("isinstance", call("Both"), var(abc + "AsyncIterator")),
                            call("isinstance", call("Both"), var(abc + "AsyncGenerator")),
                            call("isinstance", call("OnlyNext"), var(abc + "AsyncIterator")),
                            call("isinstance", call("OnlyNext"), var(abc + "AsyncIterable")))),
        ]), [V(L("StopAsyncIteration", "Exception", "BaseException", "object")), V(False),
             V(L(True, True, False, False, False))])

    def test_X07_X08(self):
        g = var("g")
        if "introspection" not in self.hello["capabilities"]:
            self.assertState(scenario([], needs=["introspection"]), "unsupported")
            return
        self.assertObservations(scenario(needs=["tasks", "introspection"], module=[
            adef("slow", do(await_(call("asyncio.sleep", lit(0.01)))), yield_(lit(1))),
            adef("fin", try_([yield_(lit(1))], finally_=[emit("finally ran")])),
        ], main=[
            let("g", call("slow")),
            let("t", call("asyncio.create_task", anext_(g))), do(await_(call("asyncio.sleep", lit(0)))),
            observe(tuple_of(typename(attr(g, "ag_await")), attr(g, "ag_running"))),
            do(await_(var("t"))),
            observe(tuple_of(attr(g, "ag_await"), attr(g, "ag_running"))),
            let("it", call("fin")), observe(await_(anext_(var("it")))), observe(await_(anext_(var("it")))),
        ]), [V(T("coroutine", True)), V(T(None, False)), V(1), E("finally ran"), R("StopAsyncIteration")])


if __name__ == "__main__":
    unittest.main()
