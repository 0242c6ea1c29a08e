"""aiterspec harness for Python implementations (CPython 3.8+, PyPy 3.9+).

Speaks the JSON-lines protocol of adapters/process/PROTOCOL.md on stdin/stdout
and runs the scenarios of scenario/FORMAT.md as real Python programs. Standard
library only; one file, so that the Go adapter can embed it.

Structure, in the order a request flows through it:

1. Protocol I/O (``ProtocolStreams``).  At start-up the real stdin/stdout are
   duplicated onto private file descriptors; fd 1 is then pointed at stderr
   and fd 0 at /dev/null, so nothing a scenario (or the interpreter) prints or
   reads can touch the protocol stream.  ``hello`` is sent at once.
2. Decode / validate (``Decoder``).  A line-by-line port of
   scenario/decode.go: same traversal order, same messages, same JSON paths,
   stopping at the first error exactly like the Go decoder reports its first.
   Produces plain ``Node`` objects.
3. Capability check.  ``needs`` the interpreter lacks -> ``unsupported``.
4. Render (``Renderer``).  The tree becomes Python source text: real
   ``async def``/``yield``, real classes, literal displays.  Module statements
   and main's top-level statements are each wrapped in
   ``try/except BaseException`` that records the exception.  Names the
   renderer cannot express (not identifiers, keywords, the harness's reserved
   ``_aiterspec`` prefix) and literals Python cannot build (a list in a set)
   raise ``Unsupported``.
5. Execute (``run_scenario``).  The program is compiled (a program Python
   rejects is an ``error``) and exec'd in a fresh namespace; main runs under
   ``asyncio.run`` (async mode) or plainly (sync mode); source mode execs the
   verbatim program with sys.stdout captured line by line.  Before 3.10,
   ``anext``/``aiter`` substitutes are put into the namespace unless the
   scenario needs the builtins.  Process-wide state (sys.stdout, hooks,
   warnings filters, asyncgen hooks, ...) is saved before and restored after
   every scenario, and leftovers are collected with nobody recording.
6. Observe (``Recorder``).  The rendered program calls back into the
   recorder (``_aiterspec_value``, ``_aiterspec_event``,
   ``_aiterspec_raised``); values are converted to the JSON encoding at the
   moment they are recorded, so the recorder keeps no reference to scenario
   objects.  A bug inside these helpers is noted and turns the result into
   ``state: "error"`` instead of being mistaken for scenario behaviour.

Set AITERSPEC_HARNESS_DEBUG=1 to get each rendered program on stderr.
"""

import ast
import builtins
import collections
import collections.abc
import faulthandler
import gc
import io
import json
import keyword
import math
import os
import platform
import sys
import traceback
import warnings
import weakref

import asyncio

PROTOCOL_VERSION = 1

# Lines are capped at 8 MiB by aiterspec; stay clearly below it.
MAX_LINE_BYTES = 8 * 1024 * 1024 - 1024

# Names the renderer introduces into scenario programs all start with this
# prefix (one underscore: two would be name-mangled inside class bodies).
RESERVED = "_aiterspec"

DEBUG = os.environ.get("AITERSPEC_HARNESS_DEBUG", "") not in ("", "0")


# ---------------------------------------------------------------------------
# Capabilities
# ---------------------------------------------------------------------------

# In the order of scenario.Capabilities (Go), which the decoder's messages list.
ALL_CAPABILITIES = [
    "async-generators", "anext-builtin", "aiter-builtin", "agen-methods",
    "async-comprehensions", "compile", "tasks", "deterministic-collect",
    "source", "introspection",
]


def _probe_deterministic_collect():
    """True if `del x; gc.collect()` finalises x and everything only x kept
    alive, at once.  Refcounting (CPython) does; PyPy's collector finalises
    one level of a chain of finalizable objects per collection."""
    log = []

    class Finalizable(object):
        def __init__(self, name, other=None):
            self.name, self.other = name, other

        def __del__(self):
            log.append(self.name)

    x = Finalizable("a", Finalizable("b", Finalizable("c")))
    del x
    gc.collect()
    return sorted(log) == ["a", "b", "c"]


class _Suspend(object):
    def __await__(self):
        yield


def _probe_introspection():
    """True if async generators have ag_running/ag_frame/ag_await as CPython
    has them (ag_running is true while the generator is suspended in an
    await; PyPy says false) and the awaitables carry CPython's type names."""
    async def agen():
        await _Suspend()
        yield 1

    async def coro():
        pass

    g = agen()
    c = coro()
    try:
        names = [type(g).__name__, type(g.__anext__()).__name__,
                 type(g.asend(None)).__name__, type(g.athrow(ValueError)).__name__,
                 type(g.aclose()).__name__, type(c).__name__]
        want = ["async_generator", "async_generator_asend", "async_generator_asend",
                "async_generator_athrow", "async_generator_athrow", "coroutine"]
        if hasattr(builtins, "anext"):
            names.append(type(builtins.anext(g, 0)).__name__)
            want.append("anext_awaitable")
        if names != want or not all(hasattr(g, a) for a in ("ag_running", "ag_frame", "ag_await")):
            return False
        step = g.__anext__()
        step.send(None)  # now suspended in `await _Suspend()`
        running = g.ag_running is True and g.ag_await is not None and g.ag_frame is not None
        step.close()
        return running
    finally:
        c.close()  # no "never awaited" warning at start-up


def probe_capabilities():
    # 3.13+ warns about the probes' unawaited asend()/athrow() objects
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _probe_capabilities()


def _probe_capabilities():
    have = {
        "async-generators": True,
        "anext-builtin": hasattr(builtins, "anext"),
        "aiter-builtin": hasattr(builtins, "aiter"),
        "agen-methods": True,
        "async-comprehensions": True,
        "compile": True,
        "tasks": True,
        "deterministic-collect": _probe_deterministic_collect(),
        "source": True,
        "introspection": _probe_introspection(),
    }
    return [c for c in ALL_CAPABILITIES if have[c]]


def implementation_version():
    v = sys.implementation.version
    s = "%d.%d.%d" % (v.major, v.minor, v.micro)
    if v.releaselevel != "final":
        s += {"alpha": "a", "beta": "b", "candidate": "rc"}.get(v.releaselevel, v.releaselevel) + str(v.serial)
    return s


CAPABILITIES = None  # probed once, on first use


def capabilities():
    global CAPABILITIES
    if CAPABILITIES is None:
        CAPABILITIES = probe_capabilities()
    return CAPABILITIES

# Why a capability can be missing, for the `reason` of unsupported answers.
MISSING_WHY = {
    "anext-builtin": "no anext() builtin before Python 3.10",
    "aiter-builtin": "no aiter() builtin before Python 3.10",
    "deterministic-collect": "no reference counting: `del x; gc.collect()` does not finalise a chain of objects at once",
    "introspection": "async generator attributes or awaitable type names differ from CPython's",
}


# ---------------------------------------------------------------------------
# Decoding and validation: a port of scenario/decode.go
# ---------------------------------------------------------------------------

class DecodeError(Exception):
    """A malformed scenario; str() is `path: message` as in Go."""

    def __init__(self, path, msg):
        Exception.__init__(self, path, msg)
        self.path, self.msg = path, msg

    def __str__(self):
        return self.msg if self.path == "" else self.path + ": " + self.msg


class JSONNumber(float):
    """A JSON number that Go would decode as a float: keeps its text so that
    'number 1e999 is out of range' quotes it as Go does."""

    def __new__(cls, text):
        self = float.__new__(cls, text)
        self.text = text
        return self


def _parse_int(text):
    v = int(text)
    if -(1 << 63) <= v < (1 << 63):
        return v
    return JSONNumber(text)  # json.Number.Int64 fails; Go falls back to Float64


def _reject_constant(name):
    raise ValueError("invalid JSON constant %s" % name)


def parse_json(line):
    return json.loads(line, parse_float=JSONNumber, parse_int=_parse_int,
                      parse_constant=_reject_constant)


def goquote(s):
    """Go's %q of a string (strconv.Quote), closely enough for messages."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch in "\a\b\f\n\r\t\v":
            out.append({"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n",
                        "\r": "\\r", "\t": "\\t", "\v": "\\v"}[ch])
        elif 0xD800 <= o <= 0xDFFF:
            out.append("\ufffd")  # Go's JSON decoder replaces lone surrogates
        elif ch.isprintable():
            out.append(ch)
        elif o < 0x80:
            out.append("\\x%02x" % o)
        elif o < 0x10000:
            out.append("\\u%04x" % o)
        else:
            out.append("\\U%08x" % o)
    out.append('"')
    return "".join(out)


def json_type(t):
    if t is None:
        return "null"
    if isinstance(t, bool):
        return "a boolean"
    if isinstance(t, (int, float)):
        return "a number"
    if isinstance(t, str):
        return "a string"
    if isinstance(t, list):
        return "an array"
    if isinstance(t, dict):
        return "an object"
    return type(t).__name__


def join(path, field):
    return field if path == "" else path + "." + field


def index(path, i):
    return "%s[%d]" % (path, i)


class Node(object):
    """A decoded statement, expression, clause or handler: plain attributes
    named after the JSON fields (`async_`, `else_`, `finally_`, `if_` avoid
    keywords).  Absent fields hold the Go zero value."""

    def __init__(self, **fields):
        self.__dict__.update(fields)

    def __repr__(self):
        return "Node(%s)" % ", ".join("%s=%r" % kv for kv in sorted(self.__dict__.items()))


# Per-kind allowed and required fields: scenario/ast.go's stmtFields/exprFields.
STMT_FIELDS = {
    "def": (["name", "async", "generator", "params", "body", "calls"], ["name"]),
    "class": (["name", "body"], ["name"]),
    "let": (["name", "expr"], ["name", "expr"]),
    "setattr": (["object", "name", "expr"], ["object", "name", "expr"]),
    "del": (["name"], ["name"]),
    "expr": (["expr"], ["expr"]),
    "observe": (["expr"], ["expr"]),
    "emit": (["event", "expr"], ["event"]),
    "yield": (["expr"], []),
    "yield_from": (["expr"], ["expr"]),
    "return": (["expr"], []),
    "raise": (["expr"], []),
    "try": (["body", "handlers", "else", "finally"], []),
    "if": (["cond", "body", "else"], ["cond"]),
    "for": (["target", "iter", "body", "else"], ["target", "iter"]),
    "async_for": (["target", "iter", "body", "else"], ["target", "iter"]),
    "async_with": (["expr", "body"], ["expr"]),
    "break": ([], []),
    "continue": ([], []),
    "pass": ([], []),
}

EXPR_FIELDS = {
    "lit": (["value"], ["value"]),
    "var": (["name"], ["name"]),
    "call": (["func", "args", "kwargs"], ["func"]),
    "method": (["of", "name", "args", "kwargs"], ["of", "name"]),
    "attr": (["of", "name"], ["of", "name"]),
    "await": (["expr"], ["expr"]),
    "yield": (["expr"], []),
    "typename": (["of"], ["of"]),
    "is": (["left", "right"], ["left", "right"]),
    "binop": (["op", "left", "right"], ["op", "left", "right"]),
    "not": (["expr"], ["expr"]),
    "list": (["items"], []),
    "tuple": (["items"], []),
    "comprehension": (["form", "element", "key", "clauses"], ["form", "element", "clauses"]),
    "lambda": (["expr"], ["expr"]),
    "compile": (["body", "flags"], []),
    "future": (["result", "exception"], []),
}

BINARY_OPS = ["+", "-", "*", "//", "%", "==", "!=", "<", "<=", ">", ">=", "and", "or"]
COMPILE_FLAGS = ["top_level_await"]
REPORTS = ["warnings", "unraisable"]


class Decoder(object):
    """Mirrors Go's decoder method by method.  Go keeps the first error and
    carries on with zero values, which can never produce an earlier error;
    raising at the first failure therefore reports the same one, provided
    the traversal order is the same (it is: struct fields in literal order,
    lists decoded completely before their items are checked)."""

    def fail(self, path, msg):
        raise DecodeError(path, msg)

    def object(self, t, path, what):
        if not isinstance(t, dict):
            self.fail(path, "%s must be an object, got %s" % (what, json_type(t)))
        return t

    def fields(self, m, path, what, allowed, required):
        for k in sorted(m):
            if k not in allowed:
                self.fail(join(path, k), "unknown field %s for %s (allowed: %s)"
                          % (goquote(k), what, ", ".join(allowed)))
        for k in required:
            if k not in m:
                self.fail(join(path, k), "missing field %s for %s" % (goquote(k), what))

    def str(self, t, path):
        if t is None:
            return ""
        if not isinstance(t, str):
            self.fail(path, "must be a string, got %s" % json_type(t))
        return t

    def name(self, t, path):
        s = self.str(t, path)
        if s == "":
            self.fail(path, "must be a non-empty name")
        return s

    def boolean(self, t, path):
        if t is None:
            return False
        if not isinstance(t, bool):
            self.fail(path, "must be a boolean, got %s" % json_type(t))
        return t

    def list(self, t, path, elem):
        if t is None:
            return []
        if not isinstance(t, list):
            self.fail(path, "must be an array, got %s" % json_type(t))
        return [elem(x, index(path, i)) for i, x in enumerate(t)]

    def strings(self, t, path):
        return self.list(t, path, self.str)

    # -- scenario ---------------------------------------------------------

    def scenario(self, t, path=""):
        m = self.object(t, path, "a scenario")
        self.fields(m, path, "a scenario",
                    ["id", "title", "needs", "mode", "report", "module", "main", "source"], ["id"])
        s = Node(id=self.name(m.get("id"), join(path, "id")))
        s.title = self.str(m.get("title"), join(path, "title"))
        s.mode = self.str(m.get("mode"), join(path, "mode"))
        s.module = self.stmts(m.get("module"), join(path, "module"))
        s.main = self.stmts(m.get("main"), join(path, "main"))
        s.source = self.str(m.get("source"), join(path, "source"))
        needs_path = join(path, "needs")
        s.needs = self.strings(m.get("needs"), needs_path)
        for i, c in enumerate(s.needs):
            if c not in ALL_CAPABILITIES:
                self.fail(index(needs_path, i), "unknown capability %s (known: %s)"
                          % (goquote(c), ", ".join(ALL_CAPABILITIES)))
        report_path = join(path, "report")
        s.report = self.strings(m.get("report"), report_path)
        for i, r in enumerate(s.report):
            if r not in REPORTS:
                self.fail(index(report_path, i), "unknown report %s (known: warnings, unraisable)" % goquote(r))
        if s.mode in ("", "sync"):
            if "source" in m:
                self.fail(join(path, "source"), 'source is only for mode "source"')
        elif s.mode == "source":
            if s.source == "":
                self.fail(join(path, "source"), 'mode "source" needs a non-empty source')
            if s.module or s.main:
                self.fail(join(path, "mode"), 'mode "source" runs source only: module and main must be empty')
        else:
            self.fail(join(path, "mode"), 'unknown mode %s (known: "", "sync", "source")' % goquote(s.mode))
        return s

    # -- statements -------------------------------------------------------

    def stmts(self, t, path):
        return self.list(t, path, self.stmt)

    def stmt(self, t, path):
        m = self.object(t, path, "a statement")
        kind = self.str(m.get("kind"), join(path, "kind"))
        if kind not in STMT_FIELDS:
            if "kind" not in m:
                self.fail(join(path, "kind"), 'missing field "kind" for a statement')
            self.fail(join(path, "kind"), "unknown statement %s" % goquote(kind))
        allowed, required = STMT_FIELDS[kind]
        self.fields(m, path, "statement %s" % goquote(kind), ["kind"] + allowed, required)
        s = Node(kind=kind)
        s.name = self.str(m.get("name"), join(path, "name"))
        s.async_ = self.boolean(m.get("async"), join(path, "async"))
        s.generator = self.boolean(m.get("generator"), join(path, "generator"))
        s.params = self.strings(m.get("params"), join(path, "params"))
        s.target = self.str(m.get("target"), join(path, "target"))
        s.object = self.opt_expr(m, "object", path)
        s.expr = self.opt_expr(m, "expr", path)
        s.iter = self.opt_expr(m, "iter", path)
        s.cond = self.opt_expr(m, "cond", path)
        s.event = self.str(m.get("event"), join(path, "event"))
        s.body = self.stmts(m.get("body"), join(path, "body"))
        s.calls = self.list(m.get("calls"), join(path, "calls"), self.stmts)
        s.handlers = self.list(m.get("handlers"), join(path, "handlers"), self.handler)
        s.else_ = self.stmts(m.get("else"), join(path, "else"))
        s.finally_ = self.stmts(m.get("finally"), join(path, "finally"))
        for f in ("name", "target", "event"):
            if f in required:
                v = m.get(f)
                if not isinstance(v, str) or v == "":
                    self.fail(join(path, f), "must be a non-empty string")
        if kind == "try":
            if not s.handlers and not s.finally_:
                self.fail(path, "a try statement needs handlers or finally")
        elif kind == "class":
            for i, b in enumerate(s.body):
                if b.kind not in ("def", "let", "pass"):
                    self.fail(index(join(path, "body"), i),
                              "a class body holds def, let and pass statements, not %s" % goquote(b.kind))
        return s

    def handler(self, t, path):
        m = self.object(t, path, "an except handler")
        self.fields(m, path, "an except handler", ["type", "as", "body"], [])
        h = Node(type=self.str(m.get("type"), join(path, "type")))
        h.as_ = self.str(m.get("as"), join(path, "as"))
        h.body = self.stmts(m.get("body"), join(path, "body"))
        return h

    # -- expressions ------------------------------------------------------

    def opt_expr(self, m, field, path):
        if field not in m:
            return None
        return self.expr(m[field], join(path, field))

    def exprs(self, t, path):
        return self.list(t, path, self.expr)

    def expr(self, t, path):
        m = self.object(t, path, "an expression")
        kind = self.str(m.get("kind"), join(path, "kind"))
        if kind not in EXPR_FIELDS:
            if "kind" not in m:
                self.fail(join(path, "kind"), 'missing field "kind" for an expression')
            self.fail(join(path, "kind"), "unknown expression %s" % goquote(kind))
        allowed, required = EXPR_FIELDS[kind]
        self.fields(m, path, "expression %s" % goquote(kind), ["kind"] + allowed, required)
        e = Node(kind=kind)
        e.name = self.str(m.get("name"), join(path, "name"))
        e.func = self.str(m.get("func"), join(path, "func"))
        e.of = self.opt_expr(m, "of", path)
        e.expr = self.opt_expr(m, "expr", path)
        e.args = self.exprs(m.get("args"), join(path, "args"))
        e.op = self.str(m.get("op"), join(path, "op"))
        e.left = self.opt_expr(m, "left", path)
        e.right = self.opt_expr(m, "right", path)
        e.items = self.exprs(m.get("items"), join(path, "items"))
        e.form = self.str(m.get("form"), join(path, "form"))
        e.element = self.opt_expr(m, "element", path)
        e.key = self.opt_expr(m, "key", path)
        e.clauses = self.list(m.get("clauses"), join(path, "clauses"), self.clause)
        e.body = self.stmts(m.get("body"), join(path, "body"))
        e.flags = self.strings(m.get("flags"), join(path, "flags"))
        e.result = self.opt_expr(m, "result", path)
        e.exception = self.opt_expr(m, "exception", path)
        e.value = None
        if "value" in m:
            e.value = self.value(m["value"], join(path, "value"))
            bad = opaque(e.value)
            if bad:
                self.fail(join(path, "value"), "a literal cannot hold an %s value" % bad)
        e.kwargs = []  # (name, expr) pairs, in JSON order
        if "kwargs" in m:
            km = self.object(m["kwargs"], join(path, "kwargs"), "kwargs")
            for k, x in km.items():
                e.kwargs.append((k, self.expr(x, join(join(path, "kwargs"), k))))
        for f in ("name", "func"):
            if f in required:
                v = m.get(f)
                if not isinstance(v, str) or v == "":
                    self.fail(join(path, f), "must be a non-empty string")
        if kind == "binop":
            if e.op not in BINARY_OPS:
                self.fail(join(path, "op"), "unknown operator %s (known: %s)" % (goquote(e.op), " ".join(BINARY_OPS)))
        elif kind == "comprehension":
            if e.form in ("list", "set", "genexp"):
                if e.key is not None:
                    self.fail(join(path, "key"), "only a dict comprehension has a key")
            elif e.form == "dict":
                if e.key is None:
                    self.fail(join(path, "key"), "a dict comprehension needs a key")
            else:
                self.fail(join(path, "form"),
                          "unknown comprehension form %s (known: list, set, dict, genexp)" % goquote(e.form))
            if not e.clauses:
                self.fail(join(path, "clauses"), "a comprehension needs at least one clause")
        elif kind == "compile":
            for i, f in enumerate(e.flags):
                if f not in COMPILE_FLAGS:
                    self.fail(index(join(path, "flags"), i),
                              "unknown compile flag %s (known: %s)" % (goquote(f), ", ".join(COMPILE_FLAGS)))
        elif kind == "future":
            if e.result is not None and e.exception is not None:
                self.fail(path, "a future has a result or an exception, not both")
        return e

    def clause(self, t, path):
        m = self.object(t, path, "a comprehension clause")
        self.fields(m, path, "a comprehension clause", ["async", "target", "iter", "if"], ["target", "iter"])
        c = Node(async_=self.boolean(m.get("async"), join(path, "async")))
        c.target = self.name(m.get("target"), join(path, "target"))
        c.iter = self.opt_expr(m, "iter", path)
        c.if_ = self.exprs(m.get("if"), join(path, "if"))
        return c

    # -- values -----------------------------------------------------------
    # A decoded value is a tuple: ("none",), ("bool", b), ("int", i),
    # ("float", f), ("str", s), ("list"|"tuple"|"set", [values]),
    # ("dict", [(k, v)]), ("exception", type, message), ("object", type).

    def value(self, t, path):
        if t is None:
            return ("none",)
        if isinstance(t, bool):
            return ("bool", t)
        if isinstance(t, str):
            return ("str", t)
        if isinstance(t, JSONNumber):
            if math.isinf(t):
                self.fail(path, "number %s is out of range" % t.text)
            return ("float", float(t))
        if isinstance(t, int):
            return ("int", t)
        if isinstance(t, float):  # only if parse_json was bypassed
            return ("float", t)
        if isinstance(t, dict):
            if len(t) != 1:
                self.fail(path, "a value object has exactly one key (list, tuple, set, dict, exception, object), got %d"
                          % len(t))
            (k, x), = t.items()
            p = join(path, k)
            if k in ("list", "tuple", "set"):
                return (k, self.list(x, p, self.value))
            if k == "dict":
                return ("dict", self.list(x, p, self.dict_item))
            if k == "exception":
                em = self.object(x, p, "an exception value")
                self.fields(em, p, "an exception value", ["type", "message"], ["type"])
                typ = self.name(em.get("type"), join(p, "type"))
                return ("exception", typ, self.str(em.get("message"), join(p, "message")))
            if k == "object":
                return ("object", self.name(x, p))
            self.fail(p, "unknown value kind %s (known: list, tuple, set, dict, exception, object)" % goquote(k))
        self.fail(path, "a value must be null, a boolean, a number, a string or a one-key object, got %s"
                  % json_type(t))

    def dict_item(self, t, path):
        if not isinstance(t, list) or len(t) != 2:
            self.fail(path, "a dict item is a [key, value] array")
        return (self.value(t[0], index(path, 0)), self.value(t[1], index(path, 1)))


def opaque(v):
    """'exception' or 'object' if v holds such a value anywhere, else ''."""
    if v[0] in ("exception", "object"):
        return v[0]
    if v[0] in ("list", "tuple", "set"):
        for it in v[1]:
            bad = opaque(it)
            if bad:
                return bad
    if v[0] == "dict":
        for k, x in v[1]:
            bad = opaque(k) or opaque(x)
            if bad:
                return bad
    return ""


def decode_scenario(t):
    return Decoder().scenario(t, "")


# ---------------------------------------------------------------------------
# Rendering: scenario tree -> Python source text
# ---------------------------------------------------------------------------

class Unsupported(Exception):
    """The scenario needs something this harness cannot express."""

    def __init__(self, missing, reason):
        Exception.__init__(self, reason)
        self.missing, self.reason = missing, reason


def ident(name):
    """A plain identifier the renderer may write, or Unsupported."""
    if not name.isidentifier() or keyword.iskeyword(name):
        raise Unsupported(["name %s" % goquote(name)], "%s is not a Python identifier" % goquote(name))
    if name.startswith(RESERVED):
        raise Unsupported(["name %s" % goquote(name)],
                          "names starting with %s are reserved by the harness" % RESERVED)
    return name


def dotted(name):
    """A name that may be dotted (`asyncio.sleep`, `collections.abc.AsyncIterator`)."""
    for part in name.split("."):
        try:
            ident(part)
        except Unsupported:
            raise Unsupported(["name %s" % goquote(name)], "%s is not a Python (dotted) name" % goquote(name))
    return name


def value_src(v, hashable=False):
    """Python source for a literal value.  Inside a set or as a dict key
    (`hashable`), a set renders as a frozenset; lists and dicts cannot be
    there at all."""
    k = v[0]
    if k == "none":
        return "None"
    if k == "bool":
        return "True" if v[1] else "False"
    if k == "int":
        return str(v[1])
    if k == "float":
        return repr(v[1])
    if k == "str":
        return repr(v[1])
    if k == "list":
        if hashable:
            raise Unsupported(["unhashable literal"], "a list inside a set or as a dict key cannot be built in Python")
        return "[" + ", ".join(value_src(x) for x in v[1]) + "]"
    if k == "tuple":
        items = [value_src(x, hashable) for x in v[1]]
        if len(items) == 1:
            return "(" + items[0] + ",)"
        return "(" + ", ".join(items) + ")"
    if k == "set":
        items = ", ".join(value_src(x, True) for x in v[1])
        if hashable:
            return "frozenset({" + items + "})" if items else "frozenset()"
        return "{" + items + "}" if items else "set()"
    if k == "dict":
        if hashable:
            raise Unsupported(["unhashable literal"], "a dict inside a set or as a dict key cannot be built in Python")
        return "{" + ", ".join(value_src(a, True) + ": " + value_src(b) for a, b in v[1]) + "}"
    raise Unsupported(["%s literal" % k], "a literal cannot hold an %s value" % k)


def bound_names(stmts, out):
    """Names a block binds in its own scope (for main's `global` line):
    let, del, for/async-for targets, except-as names, def and class names;
    not names bound inside nested defs, classes or comprehensions."""
    for s in stmts:
        if s.kind in ("let", "del", "def", "class"):
            out.add(s.name)
        elif s.kind in ("for", "async_for"):
            out.add(s.target)
        if s.kind in ("def", "class"):
            continue
        for h in s.handlers:
            if h.as_:
                out.add(h.as_)
            bound_names(h.body, out)
        bound_names(s.body, out)
        bound_names(s.else_, out)
        bound_names(s.finally_, out)
    return out


class Renderer(object):
    """Renders statements as lines of source.  One simple statement is one
    line and a compound statement is its header line plus its indented
    block, which gives compile bodies FORMAT.md's line numbers."""

    def __init__(self, def_ids=None):
        self.lines = []
        # Each def gets a number, the key of its per-call counter.
        self.def_ids = def_ids if def_ids is not None else [0]

    def emit(self, indent, text):
        self.lines.append("    " * indent + text)

    def block(self, stmts, indent, in_class=False):
        if not stmts:
            self.emit(indent, "pass")
        for s in stmts:
            self.stmt(s, indent, in_class)

    def wrapped(self, s, indent):
        """A top-level statement: its exception is recorded, the next one runs."""
        self.emit(indent, "try:")
        self.stmt(s, indent + 1, False)
        self.emit(indent, "except BaseException as _aiterspec_exc:")
        self.emit(indent + 1, "_aiterspec_raised(_aiterspec_exc)")

    def stmt(self, s, ind, in_class=False):
        k = s.kind
        x = self.expr
        if k == "def":
            self.def_(s, ind, in_class)
        elif k == "class":
            self.emit(ind, "class %s:" % ident(s.name))
            self.block(s.body, ind + 1, in_class=True)
        elif k == "let":
            self.emit(ind, "%s = %s" % (ident(s.name), x(s.expr)))
        elif k == "setattr":
            self.emit(ind, "(%s).%s = %s" % (x(s.object), ident(s.name), x(s.expr)))
        elif k == "del":
            self.emit(ind, "del " + ident(s.name))
        elif k == "expr":
            self.emit(ind, x(s.expr))
        elif k == "observe":
            self.emit(ind, "_aiterspec_value(%s)" % x(s.expr))
        elif k == "emit":
            if s.expr is None:
                self.emit(ind, "_aiterspec_event(%r)" % s.event)
            else:
                self.emit(ind, "_aiterspec_event(%r, %s)" % (s.event, x(s.expr)))
        elif k in ("yield", "return", "raise"):
            self.emit(ind, k if s.expr is None else "%s %s" % (k, x(s.expr)))
        elif k == "yield_from":
            self.emit(ind, "yield from " + x(s.expr))
        elif k == "try":
            self.try_(s, ind)
        elif k == "if":
            self.emit(ind, "if %s:" % x(s.cond))
            self.block(s.body, ind + 1)
            self.else_block(s.else_, ind)
        elif k in ("for", "async_for"):
            kw = "async for" if k == "async_for" else "for"
            self.emit(ind, "%s %s in %s:" % (kw, ident(s.target), x(s.iter)))
            self.block(s.body, ind + 1)
            self.else_block(s.else_, ind)
        elif k == "async_with":
            self.emit(ind, "async with %s:" % x(s.expr))
            self.block(s.body, ind + 1)
        elif k in ("break", "continue", "pass"):
            self.emit(ind, k)
        else:  # the decoder admits no other kind
            raise AssertionError("unknown statement kind %r" % k)

    def else_block(self, stmts, ind):
        if stmts:
            self.emit(ind, "else:")
            self.block(stmts, ind + 1)

    def def_(self, s, ind, in_class):
        params = [ident(p) for p in s.params]
        if in_class:
            params.insert(0, "self")  # a method
        self.emit(ind, "%sdef %s(%s):" % ("async " if s.async_ else "", ident(s.name), ", ".join(params)))
        if s.generator:
            self.emit(ind + 1, "if False: yield")  # makes it a generator (function) without running anything
        if not s.calls:
            self.block(s.body, ind + 1)
            return
        # Per-call bodies: the counter is read when the body starts running,
        # i.e. for a coroutine or generator when it is first resumed.
        self.def_ids[0] += 1
        self.emit(ind + 1, "_aiterspec_k = _aiterspec_call(%s, %d)" % ("self" if in_class else "None", self.def_ids[0]))
        for i, body in enumerate(s.calls):
            self.emit(ind + 1, "%s _aiterspec_k == %d:" % ("if" if i == 0 else "elif", i))
            self.block(body, ind + 2)
        self.emit(ind + 1, "else:")
        self.block(s.body, ind + 2)

    def try_(self, s, ind):
        self.emit(ind, "try:")
        self.block(s.body, ind + 1)
        last = len(s.handlers) - 1
        for i, h in enumerate(s.handlers):
            if h.type:
                head = "except " + dotted(h.type)
            elif h.as_ or i != last:
                # `except as e:` is not Python, and a bare `except:` must be
                # last; `except BaseException` catches exactly the same.
                head = "except BaseException"
            else:
                head = "except"
            if h.as_:
                head += " as " + ident(h.as_)
            self.emit(ind, head + ":")
            self.block(h.body, ind + 1)
        self.else_block(s.else_, ind)
        if s.finally_:
            self.emit(ind, "finally:")
            self.block(s.finally_, ind + 1)

    # -- expressions: always one line, parenthesised to keep the tree's shape

    def args(self, e):
        parts = [self.expr(a) for a in e.args]
        parts += ["%s=%s" % (ident(k), self.expr(v)) for k, v in e.kwargs]
        return ", ".join(parts)

    def expr(self, e):
        k = e.kind
        x = self.expr
        if k == "lit":
            return value_src(e.value)
        if k == "var":
            if e.name in ("None", "True", "False"):
                return e.name  # keywords, yet fine as expressions
            return dotted(e.name)
        if k == "call":
            return "%s(%s)" % (dotted(e.func), self.args(e))
        if k == "method":
            return "(%s).%s(%s)" % (x(e.of), ident(e.name), self.args(e))
        if k == "attr":
            return "(%s).%s" % (x(e.of), ident(e.name))
        if k == "await":
            return "(await %s)" % x(e.expr)
        if k == "yield":
            return "(yield)" if e.expr is None else "(yield %s)" % x(e.expr)
        if k == "typename":
            return "type(%s).__name__" % x(e.of)
        if k == "is":
            return "(%s is %s)" % (x(e.left), x(e.right))
        if k == "binop":
            return "(%s %s %s)" % (x(e.left), e.op, x(e.right))
        if k == "not":
            return "(not %s)" % x(e.expr)
        if k == "list":
            return "[" + ", ".join(x(i) for i in e.items) + "]"
        if k == "tuple":
            if len(e.items) == 1:
                return "(" + x(e.items[0]) + ",)"
            return "(" + ", ".join(x(i) for i in e.items) + ")"
        if k == "comprehension":
            return self.comprehension(e)
        if k == "lambda":
            return "(lambda: %s)" % x(e.expr)
        if k == "compile":
            return self.compile_(e)
        if k == "future":
            if e.exception is not None:
                return "_aiterspec_future_exception(%s)" % x(e.exception)
            return "_aiterspec_future_result(%s)" % ("None" if e.result is None else x(e.result))
        raise AssertionError("unknown expression kind %r" % k)

    def comprehension(self, e):
        parts = []
        for c in e.clauses:
            # The iterable is written without added parentheses: a list
            # display stays a list display (the compiler treats it specially).
            text = "%s %s in %s" % ("async for" if c.async_ else "for", ident(c.target), self.expr(c.iter))
            for cond in c.if_:
                text += " if " + self.expr(cond)
            parts.append(text)
        clauses = " ".join(parts)
        el = self.expr(e.element)
        if e.form == "list":
            return "[%s %s]" % (el, clauses)
        if e.form == "set":
            return "{%s %s}" % (el, clauses)
        if e.form == "dict":
            return "{%s: %s %s}" % (self.expr(e.key), el, clauses)
        return "(%s %s)" % (el, clauses)

    def compile_(self, e):
        src = render_compile_body(e.body, self.def_ids)
        flags = "0"
        if "top_level_await" in e.flags:
            if not hasattr(ast, "PyCF_ALLOW_TOP_LEVEL_AWAIT"):
                raise Unsupported(["compile flag top_level_await"], "ast.PyCF_ALLOW_TOP_LEVEL_AWAIT is missing")
            flags = "_aiterspec_TOP_LEVEL_AWAIT"
        return "compile(%r, '<scenario>', 'exec', flags=%s)" % (src, flags)


def render_compile_body(stmts, def_ids=None):
    """The module text a compile expression compiles: statement k of the
    body at the line FORMAT.md gives it, no wrapping, no blank lines."""
    r = Renderer(def_ids)
    for s in stmts:
        r.stmt(s, 0)
    return "\n".join(r.lines) + "\n"


def render_program(sc):
    """The whole program of an async- or sync-mode scenario."""
    r = Renderer()
    for s in sc.module:
        r.wrapped(s, 0)
    is_async = sc.mode != "sync"
    # main is called _aiterspec_main so that a scenario may define its own `main`.
    r.emit(0, "%sdef _aiterspec_main():" % ("async " if is_async else ""))
    names = sorted(bound_names(sc.main, set()))
    if names:
        r.emit(1, "global " + ", ".join(ident(n) for n in names))
    if not sc.main:
        r.emit(1, "pass")
    for s in sc.main:
        r.wrapped(s, 1)
    # Whatever escapes the run itself (an exception asyncio.run re-raises from
    # a task, such as SystemExit) is an observation too.
    r.emit(0, "try:")
    r.emit(1, "_aiterspec_asyncio.run(_aiterspec_main())" if is_async else "_aiterspec_main()")
    r.emit(0, "except BaseException as _aiterspec_exc:")
    r.emit(1, "_aiterspec_raised(_aiterspec_exc)")
    return "\n".join(r.lines) + "\n"


# ---------------------------------------------------------------------------
# Observations
# ---------------------------------------------------------------------------

def safe_str(x):
    try:
        return str(x)
    except BaseException as e:  # a broken __str__ must not break the harness
        return "<str() raised %s>" % type(e).__name__


def to_value(x, active=None):
    """The JSON encoding of an observed value (FORMAT.md, Values)."""
    if x is None or isinstance(x, bool):  # bool before int
        return x
    if isinstance(x, int):
        return int(x)
    if isinstance(x, float):
        if math.isinf(x) or math.isnan(x):
            return {"object": type(x).__name__}  # JSON has no inf/nan
        return float(x)
    if isinstance(x, str):
        return str(x)
    if isinstance(x, BaseException):
        return {"exception": {"type": type(x).__name__, "message": safe_str(x)}}
    kind = None
    if isinstance(x, list):
        kind = "list"
    elif isinstance(x, tuple):
        kind = "tuple"
    elif isinstance(x, (set, frozenset)):
        kind = "set"
    elif isinstance(x, dict):
        kind = "dict"
    if kind is None:
        return {"object": type(x).__name__}
    active = active if active is not None else set()
    if id(x) in active:  # a container holding itself
        return {"object": type(x).__name__}
    active.add(id(x))
    try:
        if kind == "dict":
            return {"dict": [[to_value(k, active), to_value(v, active)] for k, v in list(x.items())]}
        return {kind: [to_value(i, active) for i in list(x)]}
    finally:
        active.discard(id(x))


def describe_exception(e, seen=None):
    """A raised observation's fields (also a cause's)."""
    seen = seen if seen is not None else set()
    seen.add(id(e))
    d = {"type": type(e).__name__}
    if isinstance(e, SyntaxError):
        d["message"] = "" if e.msg is None else safe_str(e.msg)
        if isinstance(e.lineno, int) and e.lineno:
            d["line"] = e.lineno
    else:
        d["message"] = safe_str(e)
    cause = e.__cause__
    if cause is not None and id(cause) not in seen:
        d["cause"] = describe_exception(cause, seen)
    return d


class Recorder(object):
    """Collects one scenario's observations.  After close() it ignores
    further records: a finaliser of a leftover object running during a later
    scenario must not add to this one, nor to that one."""

    def __init__(self):
        self.observations = []
        self.open = True
        self.internal_errors = []

    def close(self):
        self.open = False

    def add(self, obs):
        if self.open:
            self.observations.append(obs)

    def guard(self, fn):
        """Wraps a helper the scenario calls: a bug in it is noted for an
        error result instead of surfacing as an exception of the scenario."""
        def helper(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except Exception:
                self.internal_errors.append(traceback.format_exc())
        helper.__name__ = getattr(fn, "__name__", "helper")
        return helper

    def value(self, v):
        self.add({"kind": "value", "value": to_value(v)})

    def event(self, name, *value):
        obs = {"kind": "event", "event": name}
        if value:
            obs["value"] = to_value(value[0])
        self.add(obs)

    def event_json(self, name, value):
        self.add({"kind": "event", "event": name, "value": value})

    def raised(self, e):
        obs = {"kind": "raised"}
        obs.update(describe_exception(e))
        self.add(obs)

    def warning(self, message, category, filename=None, lineno=None, file=None, line=None):
        self.event_json("warning", "%s: %s" % (category.__name__, safe_str(message)))

    def unraisable(self, u):
        if u.exc_value is not None:
            self.event("unraisable", u.exc_value)
        else:
            self.event_json("unraisable", {"exception": {"type": u.exc_type.__name__, "message": ""}})


class CallCounter(object):
    """Per-call bodies: how many times a def's body has started, per
    instance for methods and per def statement otherwise."""

    def __init__(self):
        self.per_def = {}
        self.per_instance = weakref.WeakKeyDictionary()  # does not keep instances alive
        self.per_id = {}  # for instances that cannot be weakly referenced or hashed

    def __call__(self, instance, def_id):
        if instance is None:
            counts = self.per_def
        else:
            try:
                counts = self.per_instance.get(instance)
                if counts is None:
                    counts = self.per_instance[instance] = {}
            except TypeError:
                counts = self.per_id.setdefault(id(instance), {})
        k = counts.get(def_id, 0)
        counts[def_id] = k + 1
        return k


# ---------------------------------------------------------------------------
# Substitutes for anext()/aiter() before Python 3.10 (FORMAT.md, Substitution)
# ---------------------------------------------------------------------------

def substitute_anext(iterator, *default):
    """anext(it) -> type(it).__anext__(it); anext(it, d) -> a coroutine that
    awaits that and returns d on StopAsyncIteration.  __anext__ is called at
    once, as the builtin does."""
    if len(default) > 1:
        raise TypeError("anext expected at most 2 arguments, got %d" % (1 + len(default)))
    awaitable = type(iterator).__anext__(iterator)
    if not default:
        return awaitable

    async def anext_with_default():
        try:
            return await awaitable
        except StopAsyncIteration:
            return default[0]
    return anext_with_default()


substitute_anext.__name__ = "anext"


def substitute_aiter(iterable):
    return type(iterable).__aiter__(iterable)


substitute_aiter.__name__ = "aiter"


def future_result(result=None):
    f = asyncio.get_running_loop().create_future()
    f.set_result(result)
    return f


def future_exception(exception):
    f = asyncio.get_running_loop().create_future()
    f.set_exception(exception)
    return f


# ---------------------------------------------------------------------------
# Execution
# ---------------------------------------------------------------------------

class LineCapture(io.TextIOBase):
    """sys.stdout of a source-mode program: every complete line becomes an
    event "stdout" as soon as it is written."""

    def __init__(self, recorder):
        io.TextIOBase.__init__(self)
        self.recorder = recorder
        self.pending = ""

    encoding = "utf-8"
    errors = "strict"

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        self.pending += s
        while "\n" in self.pending:
            line, _, self.pending = self.pending.partition("\n")
            self.recorder.event_json("stdout", line)
        return len(s)

    def flush(self):
        pass

    def finish(self):
        """The program ended: a last line without a newline still counts."""
        if self.pending:
            self.recorder.event_json("stdout", self.pending)
            self.pending = ""


class SavedState(object):
    """Process-wide state a scenario may change, restored after it."""

    def __init__(self):
        self.stdout, self.stderr, self.stdin = sys.stdout, sys.stderr, sys.stdin
        self.displayhook, self.excepthook = sys.displayhook, sys.excepthook
        self.unraisablehook = getattr(sys, "unraisablehook", None)
        self.asyncgen_hooks = sys.get_asyncgen_hooks()
        self.recursionlimit = sys.getrecursionlimit()
        self.gc_enabled = gc.isenabled()
        self.cwd = os.getcwd()

    def restore(self):
        sys.stdout, sys.stderr, sys.stdin = self.stdout, self.stderr, self.stdin
        sys.displayhook, sys.excepthook = self.displayhook, self.excepthook
        if self.unraisablehook is not None:
            sys.unraisablehook = self.unraisablehook
        sys.set_asyncgen_hooks(*self.asyncgen_hooks)
        sys.setrecursionlimit(self.recursionlimit)
        if self.gc_enabled:
            gc.enable()
        try:
            os.chdir(self.cwd)
        except OSError:
            pass
        # A source program may have left an event loop set (get_event_loop()).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                asyncio.set_event_loop(None)
            except Exception:
                pass


def substitutes_needed(sc):
    """Names to put into the namespace in place of missing builtins."""
    subs = {}
    if not hasattr(builtins, "anext") and "anext-builtin" not in sc.needs:
        subs["anext"] = substitute_anext
    if not hasattr(builtins, "aiter") and "aiter-builtin" not in sc.needs:
        subs["aiter"] = substitute_aiter
    return subs


def scenario_namespace(sc, rec):
    ns = {
        "__name__": "__main__",
        "__builtins__": builtins,
        "asyncio": asyncio,
        "gc": gc,
        "collections": collections,
        "_aiterspec_asyncio": asyncio,
        "_aiterspec_value": rec.guard(rec.value),
        "_aiterspec_event": rec.guard(rec.event),
        "_aiterspec_raised": rec.guard(rec.raised),
        "_aiterspec_call": rec.guard(CallCounter()),
        "_aiterspec_future_result": future_result,
        "_aiterspec_future_exception": future_exception,
        "_aiterspec_TOP_LEVEL_AWAIT": getattr(ast, "PyCF_ALLOW_TOP_LEVEL_AWAIT", 0),
    }
    ns.update(substitutes_needed(sc))
    return ns


def numbered(src):
    return "".join("%4d  %s\n" % (i + 1, line) for i, line in enumerate(src.splitlines()))


def compile_program(sc):
    """Async or sync mode: the scenario's rendered program as a code object.
    Raises Unsupported, or ProgramError if Python rejects the program.

    This runs before warnings are recorded: a compile-time SyntaxWarning
    (say `x is 1`) is an artefact of rendering, not something the scenario
    did while running.  (A `compile` expression's warnings are recorded.)"""
    src = render_program(sc)
    if DEBUG:
        sys.stderr.write("--- scenario %s ---\n%s" % (sc.id, numbered(src)))
    try:
        return compile(src, "<scenario>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
        lines = src.splitlines()
        where = ""
        lineno = getattr(e, "lineno", None)
        if lineno and 0 < lineno <= len(lines):
            where = " at line %d: %s" % (lineno, lines[lineno - 1].strip())
        sys.stderr.write("--- rendered program of %s ---\n%s" % (sc.id, numbered(src)))
        raise ProgramError("the rendered program is not valid Python: %s: %s%s"
                           % (type(e).__name__, getattr(e, "msg", e), where))


class ProgramError(Exception):
    """The rendered program does not compile: the scenario is not valid Python."""


def run_program(sc, code, rec):
    """Async or sync mode: runs the compiled program in a fresh namespace."""
    ns = scenario_namespace(sc, rec)
    try:
        exec(code, ns)
    finally:
        # Recording ends when main has returned (FORMAT.md): finalisers run
        # by clearing the namespace are not the scenario's observations.
        rec.close()
        ns.clear()


def run_source(sc, rec):
    """Source mode: the verbatim program, as `python3 program.py` runs it.
    Its compile-time warnings are part of it, as they are for python3."""
    out = LineCapture(rec)
    sys.stdout = out
    try:
        try:
            code = compile(sc.source, "<source>", "exec", dont_inherit=True)
        except BaseException as e:  # SyntaxError, or ValueError for NUL bytes
            rec.raised(e)
            return
        ns = {"__name__": "__main__", "__builtins__": builtins}
        ns.update(substitutes_needed(sc))
        try:
            exec(code, ns)
        except SystemExit as e:
            if e.code is not None and e.code != 0:
                rec.raised(e)
        except BaseException as e:
            rec.raised(e)
        finally:
            out.finish()  # a last line without a newline still counts
            rec.close()
            ns.clear()
    finally:
        out.finish()


def run_scenario(sc):
    """Runs a decoded scenario and returns the result fields."""
    missing = []
    for need in sc.needs:
        if need not in capabilities() and need not in missing:
            missing.append(need)
    if missing:
        why = "; ".join("%s (%s)" % (m, MISSING_WHY.get(m, "not available")) for m in missing)
        return {"state": "unsupported", "missing": missing,
                "reason": "this interpreter (%s %s, Python %s) lacks %s"
                          % (sys.implementation.name, implementation_version(), platform.python_version(), why)}
    code = None
    if sc.mode != "source":
        try:
            code = compile_program(sc)
        except Unsupported as u:
            return {"state": "unsupported", "missing": u.missing, "reason": u.reason}
        except ProgramError as e:
            return {"state": "error", "reason": str(e)}
    gc.collect()  # start clean: leftovers of earlier scenarios are finalised now
    rec = Recorder()
    saved = SavedState()
    sys.stdout = sys.stderr  # stray prints of async/sync scenarios go to stderr
    try:
        with warnings.catch_warnings():
            if "warnings" in sc.report:
                warnings.simplefilter("always")
                warnings.showwarning = rec.guard(rec.warning)
            if "unraisable" in sc.report:
                sys.unraisablehook = rec.guard(rec.unraisable)
            if code is None:
                run_source(sc, rec)
            else:
                run_program(sc, code, rec)
            rec.close()
    finally:
        rec.close()
        del code
        saved.restore()
        gc.collect()  # finalise what the scenario left, with nobody recording
    if rec.internal_errors:
        return {"state": "error", "reason": "harness bug while recording: " + tail(rec.internal_errors[0])}
    return {"state": "completed", "observations": rec.observations}


def tail(text, lines=12):
    """The last lines of a traceback, without 3.11's ^^^ marker lines."""
    kept = [l for l in text.rstrip("\n").splitlines() if l.strip(" ^~")]
    return "\n".join(kept[-lines:])


# ---------------------------------------------------------------------------
# Protocol
# ---------------------------------------------------------------------------

class ProtocolStreams(object):
    """The protocol's private stdin/stdout.  fd 1 is then pointed at stderr
    and fd 0 at /dev/null: whatever a scenario writes to fd 1 (print,
    os.write(1, ...), a C extension) or reads from fd 0 cannot reach the
    protocol."""

    def __init__(self):
        try:
            sys.stdout.flush()
        except Exception:
            pass
        self.out = os.fdopen(os.dup(1), "wb")
        self.inp = os.fdopen(os.dup(0), "rb")
        os.dup2(2, 1)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        sys.stdout = sys.stderr
        sys.stdin = open(os.devnull, "r")

    def send(self, msg):
        data = json.dumps(msg, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")
        self.out.write(data + b"\n")
        self.out.flush()

    def receive(self):
        """The next line without its newline, or None at end of input."""
        line = self.inp.readline()
        if not line:
            return None
        return line.rstrip(b"\n").rstrip(b"\r")


def hello():
    return {
        "type": "hello",
        "protocol": PROTOCOL_VERSION,
        "implementation": {"name": sys.implementation.name, "version": implementation_version()},
        "language": {"name": "python", "version": platform.python_version()},
        "capabilities": list(capabilities()),
    }


def handle_run(msg):
    """The `result` for a run request; never raises."""
    rid = msg.get("id")
    try:
        try:
            sc = decode_scenario(msg.get("scenario"))
        except DecodeError as e:
            fields = {"state": "error", "reason": str(e)}
        else:
            fields = run_scenario(sc)
    except RecursionError:
        fields = {"state": "error", "reason": "scenario nested too deeply for this harness: "
                                              + tail(traceback.format_exc(), 4)}
    except BaseException:
        fields = {"state": "error", "reason": "harness bug: " + tail(traceback.format_exc())}
    result = {"type": "result", "id": rid}
    result.update(fields)
    return result


def encode_checked(result):
    """The result, or an error result if it cannot be sent as one line."""
    try:
        size = len(json.dumps(result, ensure_ascii=True, allow_nan=False, separators=(",", ":")))
    except Exception:
        return {"type": "result", "id": result.get("id"), "state": "error",
                "reason": "harness bug: result not encodable: " + tail(traceback.format_exc(), 4)}
    if size > MAX_LINE_BYTES:
        return {"type": "result", "id": result.get("id"), "state": "error",
                "reason": "result too large: %d bytes, %d observations"
                          % (size, len(result.get("observations", [])))}
    return result


def serve(streams):
    while True:
        line = streams.receive()
        if line is None:
            return  # end of input: exit
        try:
            msg = parse_json(line.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError) as e:
            streams.send({"type": "error", "reason": "not JSON: %s" % e})
            continue
        if not isinstance(msg, dict):
            streams.send({"type": "error", "reason": "not a JSON object: got %s" % json_type(msg)})
            continue
        typ = msg.get("type")
        if typ == "shutdown":
            return
        if typ == "run":
            streams.send(encode_checked(handle_run(msg)))
            continue
        shown = goquote(typ) if isinstance(typ, str) else json.dumps(typ)
        streams.send({"type": "error", "reason": "unknown message type %s" % shown})


def main():
    # An interpreter crash (CPython's gh-131670 segfault, say) then leaves the
    # Python stack on stderr, which aiterspec shows with the errored spec.
    faulthandler.enable()
    streams = ProtocolStreams()
    try:
        streams.send(hello())
        # Everything alive now (the modules, the harness) lives as long as
        # the process: move it out of the collector's sight, so that the
        # gc.collect() around each scenario only scans what the scenario
        # made (about 10 ms per collection otherwise, most of a scenario's
        # cost).
        if hasattr(gc, "freeze"):
            gc.freeze()
        serve(streams)
    except BrokenPipeError:
        pass  # aiterspec went away
    try:
        sys.stderr.flush()
    except Exception:
        pass
    # Exit at once: interpreter finalisation would run leftover scenario
    # objects' finalisers, which have nothing left to report to.
    os._exit(0)


if __name__ == "__main__":
    main()
