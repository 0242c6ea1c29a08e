"""The aiterspec runtime for Python implementations: runs the programs
aiterspec renders from scenarios (scenario/FORMAT.md, scenario/pysource) in
a fresh namespace holding the names they call, with FORMAT.md's asyncio and
finalisation rules, and records what they observe.  Standard library only,
no stdio: harness.py wraps it in the protocol loop of
adapters/process/PROTOCOL.md, and any other host may load it and call
hello() (the hello message, a dict), handle(line) (the answer to one request
line, str or bytes: one JSON line, or None for shutdown) or
run(scenario, program) (a result's fields).  Values are converted to JSON
when recorded: the recorder keeps no reference to a scenario's objects.
"""

import builtins
import gc
import json
import math
import sys

import asyncio
import collections


def _optional(name):
    """A module this interpreter may lack; the capabilities say what works."""
    try:
        return __import__(name)
    except ImportError:
        return None


_optional("collections.abc")
ast, io, os, time, warnings, weakref = map(_optional, ["ast", "io", "os", "time", "warnings", "weakref"])
RecursionError_ = getattr(builtins, "RecursionError", RuntimeError)  # MicroPython raises RuntimeError

# Lines are capped at 8 MiB by aiterspec; stay clearly below it.
MAX_LINE_BYTES = 8 * 1024 * 1024 - 1024


class _Warnings(object):
    """catch_warnings(), ignoring every warning if ignore (if warnings exists)."""

    def __init__(self, ignore):
        self.ignore, self.cm = ignore, warnings.catch_warnings() if warnings else None

    def __enter__(self):
        if self.cm:
            self.cm.__enter__()
            if self.ignore:
                warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        return self.cm and self.cm.__exit__(*exc)


# --- Capabilities -----------------------------------------------------------

# Capability probes, in FORMAT.md's order (adapters/cython probes Cython's
# code with the same programs): each program sets ok to True where the
# capability works; any exception says no.
PROBES = [
    ("async-generators", "async def g():\n    yield 1\nit = g()\nok = type(it).__aiter__(it) is it and callable(type(it).__anext__)"),
    ("anext-builtin", "import builtins\nok = hasattr(builtins, 'anext')"),
    ("aiter-builtin", "import builtins\nok = hasattr(builtins, 'aiter')"),
    ("agen-methods", "async def g():\n    yield 1\nok = all(callable(getattr(g(), m, None)) for m in ('asend', 'athrow', 'aclose'))"),
    ("async-comprehensions", "async def f(y):\n    return [x async for x in y], {x: x async for x in y}, (x async for x in y)\nok = True"),
    ("compile", "try:\n    compile('pass\\nawait x\\n', '<probe>', 'exec')\nexcept SyntaxError as e:\n    ok = isinstance(e.msg, str) and e.lineno == 2"),
    ("tasks", """async def main():
    f = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().call_soon(f.set_result, 1)
    t = asyncio.create_task(asyncio.sleep(10))
    got = await asyncio.gather(f, asyncio.sleep(0, 2))
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        return got == [1, 2]
ok = asyncio.run(main())"""),
    # Refcounting (CPython) finalises x and everything only x kept alive at
    # once; PyPy's collector one level of a chain per collection.
    ("deterministic-collect", """import gc
log = []
class Finalizable(object):
    def __init__(self, name, other=None):
        self.name, self.other = name, other
    def __del__(self):
        log.append(self.name)
x = Finalizable("a", Finalizable("b", Finalizable("c")))
del x
gc.collect()
ok = sorted(log) == ["a", "b", "c"]"""),
    ("source", "import sys\nsys.stdout = sys.stdout\nok = True"),  # MicroPython: sys.stdout is read-only
    # ag_running is true while the generator is suspended in an await (PyPy
    # says false), and the awaitables carry CPython's type names.
    ("introspection", """import builtins
class Suspend(object):
    def __await__(self):
        yield
async def agen():
    await Suspend()
    yield 1
async def coro():
    pass
g, c = agen(), coro()
try:
    names = [type(x).__name__ for x in (g, g.__anext__(), g.asend(None), g.athrow(ValueError), g.aclose(), c)]
finally:
    c.close()  # no "never awaited" warning
want = ["async_generator", "async_generator_asend", "async_generator_asend",
        "async_generator_athrow", "async_generator_athrow", "coroutine"]
if hasattr(builtins, "anext"):
    names.append(type(builtins.anext(g, 0)).__name__)
    want.append("anext_awaitable")
if names == want and all(hasattr(g, a) for a in ("ag_running", "ag_frame", "ag_await")):
    step = g.__anext__()
    step.send(None)  # now suspended in `await Suspend()`
    ok = g.ag_running is True and g.ag_await is not None and g.ag_frame is not None
    step.close()"""),
]
ALL_CAPABILITIES = [name for name, _ in PROBES]


def probe(program):
    """ok of a probe program, False if it raises."""
    ns = {"__builtins__": builtins, "asyncio": asyncio}
    try:
        exec(compile_exec(program, "<probe>"), ns)
    except Exception:
        return False
    return ns.get("ok") is True


_capabilities = []


def capabilities():
    """The capabilities of this interpreter, probed on the first call."""
    if not _capabilities:
        with _Warnings(ignore=True):  # 3.13+ warns about the probes' unawaited awaitables
            _capabilities.extend(name for name, program in PROBES if probe(program))
    return _capabilities


def implementation_version():
    v = sys.implementation.version
    s = "%d.%d.%d" % (v[0], v[1], v[2])
    level = getattr(v, "releaselevel", "final")
    if level != "final":
        s += {"alpha": "a", "beta": "b", "candidate": "rc"}.get(level, level) + str(v.serial)
    return s


def language_version():
    return "%d.%d.%d" % tuple(sys.version_info[:3])


def hello():
    return {"type": "hello", "protocol": 2,
            "implementation": {"name": sys.implementation.name, "version": implementation_version()},
            "language": {"name": "python", "version": language_version()},
            "capabilities": list(capabilities()),
            "options": ["python-source"] + (["bench"] if BENCH else []),
            "executable": getattr(sys, "executable", "")}  # which interpreter aiterspec restarts, rather than a launcher


# --- The names a rendered program calls (scenario/pysource.RuntimeNames) ----

def anext(iterator, *default):
    """anext(it) -> type(it).__anext__(it); anext(it, d) -> a coroutine that
    awaits that and returns d on StopAsyncIteration (FORMAT.md,
    Substitution).  __anext__ is called at once, as the builtin does."""
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


def aiter(iterable):
    return type(iterable).__aiter__(iterable)


def done_future(method, x):
    """A future of the running loop, done by f.set_result(x) or f.set_exception(x)."""
    f = asyncio.get_running_loop().create_future()
    getattr(f, method)(x)
    return f


class CallCounter(object):
    """Per-call bodies: how many times a def's body has started, per
    instance for methods and per def statement otherwise. Instances are
    told apart by identity, never by their own == and hash: two equal
    instances of a tuple subclass count their calls apart."""

    def __init__(self):
        self.per_def = {}
        self.per_instance = {}  # id(instance) -> (ref, counts)

    def __call__(self, instance, def_id):
        if instance is None:
            counts = self.per_def
        else:
            entry = self.per_instance.get(id(instance))
            if entry is None or entry[0]() is not instance:
                # New, or a dead instance's id reused by this one.
                entry = self.per_instance[id(instance)] = (_identity_ref(instance), {})
            counts = entry[1]
        k = counts.get(def_id, 0)
        counts[def_id] = k + 1
        return k


def _identity_ref(instance):
    """A weak reference to instance (it does not keep it alive), or a
    strong one where weakref cannot hold it (an instance of a tuple
    subclass, or no weakref module): then its id is never another's."""
    if weakref:
        try:
            return weakref.ref(instance)
        except TypeError:
            pass
    return lambda: instance


# --- Observations -------------------------------------------------------------

def safe_str(x):
    try:
        return str(x)
    except BaseException as e:  # a broken __str__ must not break the harness
        return "<str() raised %s>" % type(e).__name__


_CONTAINERS = ((list, "list"), (tuple, "tuple"), ((set, frozenset), "set"), (dict, "dict"))


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
    kind = next((k for t, k in _CONTAINERS if isinstance(x, t)), None)
    active = active if active is not None else set()
    if kind is None or id(x) in active:  # not a container, or one holding itself
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
    cause = getattr(e, "__cause__", None)
    if cause is not None and id(cause) not in seen:
        d["cause"] = describe_exception(cause, seen)
    return d


def traceback_text(e):
    """The traceback of e, being handled (a host without the traceback
    module may replace this)."""
    traceback = _optional("traceback")  # imported when needed: Brython takes seconds to import it
    return traceback.format_exc() if traceback else repr(e)


def format_exc(e, lines=12):
    """The last lines of the traceback of e (being handled), without 3.11's
    ^^^ lines."""
    text = traceback_text(e)
    kept = [l for l in text.rstrip("\n").splitlines() if l.strip(" ^~")]
    return "\n".join(kept[-lines:])


class Recorder(object):
    """Collects one scenario's observations.  After close() it ignores
    further records: a finaliser of a leftover object running during a later
    scenario must not add to this one, nor to that one."""

    def __init__(self):
        self.observations, self.open, self.internal_errors = [], True, []

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
            except Exception as e:
                self.internal_errors.append(format_exc(e))
        return helper

    def value(self, v):
        self.add({"kind": "value", "value": to_value(v)})

    def event(self, name, *value):
        obs = {"kind": "event", "event": name}
        if value:
            obs["value"] = to_value(value[0])
        self.add(obs)

    def raised(self, e):
        obs = {"kind": "raised"}
        obs.update(describe_exception(e))
        self.add(obs)

    def warning(self, message, category, filename=None, lineno=None, file=None, line=None):
        self.add({"kind": "event", "event": "warning", "value": "%s: %s" % (category.__name__, safe_str(message))})

    def unraisable(self, u):
        if u.exc_value is not None:
            self.event("unraisable", u.exc_value)
        else:
            self.add({"kind": "event", "event": "unraisable",
                      "value": {"exception": {"type": u.exc_type.__name__, "message": ""}}})


class LineCapture(getattr(io, "TextIOBase", object)):
    """sys.stdout of a source-mode program: every complete line becomes an
    event "stdout" as soon as it is written."""

    encoding, errors = "utf-8", "strict"

    def __init__(self, recorder):
        self.recorder, self.pending = recorder, ""

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        self.pending += s
        while "\n" in self.pending:
            line, _, self.pending = self.pending.partition("\n")
            self.recorder.add({"kind": "event", "event": "stdout", "value": line})
        return len(s)

    def flush(self):
        pass

    def finish(self):
        """The program ended: a last line without a newline still counts."""
        if self.pending:
            self.recorder.add({"kind": "event", "event": "stdout", "value": self.pending})
            self.pending = ""


# --- Running a program --------------------------------------------------------

def compile_exec(source, filename):
    """compile() in exec mode without this module's future flags."""
    return compile(source, filename, "exec", dont_inherit=True)


def set_sys(name, value):
    """sys.name = value; False where sys will not take it (MicroPython)."""
    try:
        setattr(sys, name, value)
        return True
    except AttributeError:
        return False


class SavedState(object):
    """Process-wide state a scenario may change, restored after it."""

    HOOKS = ("stdout", "stderr", "stdin", "displayhook", "excepthook", "unraisablehook")

    def __init__(self):
        self.sys = {n: getattr(sys, n) for n in self.HOOKS if hasattr(sys, n)}
        self.asyncgen_hooks = sys.get_asyncgen_hooks() if hasattr(sys, "get_asyncgen_hooks") else None
        self.recursionlimit = sys.getrecursionlimit() if hasattr(sys, "getrecursionlimit") else None
        self.gc_enabled = gc.isenabled()
        self.cwd = os.getcwd() if hasattr(os, "getcwd") else None

    def restore(self):
        for name, value in self.sys.items():
            set_sys(name, value)
        if self.asyncgen_hooks is not None:
            sys.set_asyncgen_hooks(*self.asyncgen_hooks)
        if self.recursionlimit is not None:
            sys.setrecursionlimit(self.recursionlimit)
        if self.gc_enabled:
            gc.enable()
        try:
            if self.cwd is not None:
                os.chdir(self.cwd)
            with _Warnings(ignore=True):  # a source program may have left an event loop set (get_event_loop())
                asyncio.set_event_loop(None)
        except Exception:
            pass


def substitutes(needs):
    """Names to put into the namespace in place of missing builtins."""
    subs = {}
    if not hasattr(builtins, "anext") and "anext-builtin" not in needs:
        subs["anext"] = anext
    if not hasattr(builtins, "aiter") and "aiter-builtin" not in needs:
        subs["aiter"] = aiter
    return subs


def namespace(needs, rec):
    """The fresh module namespace of one rendered program."""
    ns = {"__name__": "__main__", "__builtins__": builtins, "asyncio": asyncio, "gc": gc, "collections": collections,
          "_aiterspec_asyncio": asyncio, "_aiterspec_call": rec.guard(CallCounter()),
          "_aiterspec_value": rec.guard(rec.value), "_aiterspec_event": rec.guard(rec.event),
          "_aiterspec_raised": rec.guard(rec.raised),
          "_aiterspec_future_result": lambda result=None: done_future("set_result", result),
          "_aiterspec_future_exception": lambda exception: done_future("set_exception", exception),
          "_aiterspec_TOP_LEVEL_AWAIT": getattr(ast, "PyCF_ALLOW_TOP_LEVEL_AWAIT", 0)}
    ns.update(substitutes(needs))
    return ns


def compile_program(scenario, program):
    """Async or sync mode: (code, None), or (None, why the program is not
    Python: the scenario is malformed, state error).  This runs before
    warnings are recorded: a compile-time SyntaxWarning (`x is 1`) is an
    artefact of rendering, not something the scenario did."""
    try:
        return compile_exec(program, "<scenario>"), None
    except (SyntaxError, ValueError, RecursionError_, MemoryError) as e:
        lines, where = program.splitlines(), ""
        lineno = getattr(e, "lineno", None)
        if REJECTED_PROGRAM_OBSERVED:
            return None, e
        if lineno and 0 < lineno <= len(lines):
            where = " at line %d: %s" % (lineno, lines[lineno - 1].strip())
        sys.stderr.write("--- rendered program of %s ---\n" % scenario.get("id")
                         + "".join("%4d  %s\n" % (i + 1, l) for i, l in enumerate(lines)))
        return None, "the rendered program is not valid Python: %s: %s%s" % (type(e).__name__, getattr(e, "msg", e), where)


# Set by a host whose compiler is not CPython's: aiterspec sends only valid
# Python (CPython runs every program), so a program this interpreter will
# not compile is its behaviour, observed as the SyntaxError it raised.
REJECTED_PROGRAM_OBSERVED = False


def unsupported(needs):
    """The fields of an unsupported result if this interpreter lacks a
    capability in needs (FORMAT.md says what each means), else None."""
    missing = [n for i, n in enumerate(needs) if n not in capabilities() and n not in needs[:i]]
    if missing:
        return {"state": "unsupported", "missing": missing, "reason": "this interpreter (%s %s, Python %s) lacks %s"
                % (sys.implementation.name, implementation_version(), language_version(), ", ".join(missing))}
    return None


def run(scenario, program, execute=None):
    """Runs the program of one scenario (the decoded JSON object, of which
    only id, needs, mode and report are read).  A host that executes
    programs its own way (Cython: a module compiled from the program) gives
    execute(program, ns), called instead of exec: it runs program with the
    names of ns, and leaves what the program bound in ns (cleared, and so
    finalised, once recording has ended).  In source mode what it raises,
    a SyntaxError too, is the program's; otherwise the program was compiled
    here first, so that a rendering that is not Python is an error still."""
    r = Run(scenario, program, execute)
    try:
        fields = r.start()
    except BaseException:
        r.finish()
        raise
    return fields or r.finish()


class Run(object):
    """run() in two steps, for a host that cannot block until asyncio.run
    returns (Brython: coroutines are JavaScript async functions, its
    _aiterspec_asyncio.run only starts main): start() executes the program;
    the host lets what it started finish, passes whatever escaped it to
    raised(), then calls finish()."""

    def __init__(self, scenario, program, execute=None):
        self.scenario, self.program, self.execute = scenario, program, execute
        self.rec = self.out = self.ns = None

    def start(self):
        """Executes the program; returns the result fields if it ends here
        (unsupported, error, a rejected program), else None."""
        needs, program = self.scenario.get("needs") or [], self.program
        lacking = unsupported(needs)
        if lacking:
            return lacking
        if not isinstance(program, str):
            return {"state": "error", "reason": "the run request has no program; this harness needs the "
                                                "rendered program (protocol 2, hello option python-source)"}
        code = None
        if self.scenario.get("mode") != "source":
            code, problem = compile_program(self.scenario, program)
            if code is None:
                if not isinstance(problem, BaseException):
                    return {"state": "error", "reason": problem}
                rec = Recorder()
                rec.raised(problem)
                return {"state": "completed", "observations": rec.observations}
        report = self.scenario.get("report") or []
        gc.collect()  # start clean: leftovers of earlier scenarios are finalised now
        rec = self.rec = Recorder()
        self.saved, self.warnings = SavedState(), _Warnings(ignore=False)
        set_sys("stdout", sys.stderr)  # stray prints of async/sync scenarios go to stderr
        self.warnings.__enter__()
        if warnings and "warnings" in report:
            warnings.simplefilter("always")
            warnings.showwarning = rec.guard(rec.warning)
        if "unraisable" in report and hasattr(sys, "unraisablehook"):
            sys.unraisablehook = rec.guard(rec.unraisable)
        execute = self.execute or (lambda program, ns: exec(code or compile_exec(program, "<source>"), ns))
        if code is None:  # source mode: the verbatim program, as `python3 program.py` runs it
            self.out = LineCapture(rec)
            set_sys("stdout", self.out)
            self.ns = {"__name__": "__main__", "__builtins__": builtins}
            self.ns.update(substitutes(needs))
            try:
                execute(program, self.ns)
            except BaseException as e:  # a SyntaxError (ValueError for NUL bytes) too
                self.raised(e)
        else:
            self.ns = namespace(needs, rec)
            execute(program, self.ns)
        return None

    def raised(self, e):
        """Records an exception that ended the program (in source mode, not
        a SystemExit of status 0 or None)."""
        if not (self.out is not None and isinstance(e, SystemExit) and e.code in (None, 0)):
            self.rec.raised(e)

    def finish(self):
        """Ends recording, restores the process; the result fields."""
        rec = self.rec
        if rec is None:
            return None
        try:
            if self.out is not None:
                self.out.finish()  # a last line without a newline still counts
        finally:
            # Recording ends when main has returned (FORMAT.md): what
            # clearing the namespace finalises is not observed.
            rec.close()
            if self.ns is not None:
                self.ns.clear()
            self.warnings.__exit__(None, None, None)
            self.saved.restore()
            gc.collect()  # finalise what the scenario left, with nobody recording
        if rec.internal_errors:
            return {"state": "error", "reason": "harness bug while recording: " + rec.internal_errors[0]}
        return {"state": "completed", "observations": rec.observations}


# --- Timing workloads (PROTOCOL.md, "bench") ----------------------------------

# Whether the hello offers the bench option: a host that cannot time (no clock, or an event loop
# it cannot block on) sets it False before calling hello().
BENCH = hasattr(time, "perf_counter")
# The process CPU clock in ns, None where there is none (a host whose one counts wall time sets None).
CPU_CLOCK = getattr(time, "process_time_ns", None)
_bench_namespaces = {}  # program -> namespace: an identical program keeps its code, and a JIT its traces


def bench(scenario, program, spec):
    """A bench request's fields.  The program is the workload's, followed
    by aiterspec's timing loop (scenario/pysource.TimingLoop), which runs
    PROTOCOL.md's steps in one asyncio.run with this runtime's clocks."""
    needs = scenario.get("needs") or []
    lacking = unsupported(needs)
    if lacking:
        return lacking
    saved = SavedState()
    set_sys("stdout", sys.stderr)
    try:
        ns = _bench_namespaces.get(program)
        if ns is None:
            code, problem = compile_program(scenario, program)
            if code is None:
                return {"state": "error", "reason": str(problem)}
            rec = Recorder()
            ns = namespace(needs, rec)
            exec(code, ns)
            rec.close()
            if rec.observations or rec.internal_errors:
                return {"state": "error", "reason": "the workload's module did not run cleanly: %s"
                        % json.dumps(rec.observations or rec.internal_errors)[:500]}
            if len(_bench_namespaces) >= 32:
                _bench_namespaces.clear()
            _bench_namespaces[program] = ns
        entry, loop = ns.get(spec.get("entry")), ns.get("_aiterspec_time")
        if not callable(entry) or not callable(loop):
            return {"state": "error", "reason": "the program defines no %r to time, or no timing loop _aiterspec_time"
                    % spec.get("entry")}
        try:
            timing = asyncio.run(loop(entry, int(spec.get("ops") or 0), int(spec.get("target_ns") or 0),
                                      int(spec.get("warmup_ns") or 0), time, CPU_CLOCK))
        except Exception as e:
            return {"state": "error", "reason": "the timed workload raised %s: %s" % (type(e).__name__, safe_str(e))}
    finally:
        saved.restore()
    timing["result"] = to_value(timing["result"])
    return {"state": "completed", "bench": timing}


# --- Messages -----------------------------------------------------------------

def encode(msg):
    return json.dumps(msg, ensure_ascii=True, allow_nan=False, separators=(",", ":"))


def handle_run(msg, do=None, execute=None):
    """The result line of a run request (or of do(), a bench request's
    fields), encoded once; never raises.  execute: as for run()."""
    scenario = msg.get("scenario")
    if not isinstance(scenario, dict):
        return result_line(msg.get("id"), {"state": "error", "reason": "the run request has no scenario object"})
    return result_line(msg.get("id"), guarded(do) if do else guarded(run, scenario, msg.get("program"), execute))


def guarded(step, *args):
    """step(*args): result fields; what escapes it (a bug of this runtime,
    not the program's behaviour) becomes an error result."""
    try:
        return step(*args)
    except RecursionError_ as e:
        return {"state": "error", "reason": "scenario nested too deeply for this harness: " + format_exc(e, 4)}
    except BaseException as e:
        return {"state": "error", "reason": "harness bug: " + format_exc(e)}


def result_line(rid, fields):
    """The result message with these fields as one JSON line; never raises."""
    result = {"type": "result", "id": rid}
    result.update(fields)
    try:
        line = encode(result)
    except Exception as e:
        return encode({"type": "result", "id": rid, "state": "error",
                       "reason": "harness bug: result not encodable: " + format_exc(e, 4)})
    if len(line) > MAX_LINE_BYTES:
        return encode({"type": "result", "id": rid, "state": "error", "reason": "result too large: %d bytes, %d observations"
                       % (len(line), len(result.get("observations", [])))})
    return line


def handle(line, execute=None):
    """The answer line (no newline) to one request line, or None for
    shutdown.  execute: as for run(), for run requests."""
    try:
        msg = json.loads(line.decode("utf-8") if isinstance(line, bytes) else line)
    except Exception as e:  # ValueError (Brython: JSONError, no ValueError)
        return encode({"type": "error", "reason": "not JSON: %s" % e})
    if not isinstance(msg, dict):
        return encode({"type": "error", "reason": "not a JSON object: got %s" % type(msg).__name__})
    typ = msg.get("type")
    if typ == "run":
        return handle_run(msg, execute=execute)
    if typ == "shutdown":
        return None
    if typ == "bench" and BENCH:
        return handle_run(msg, lambda: bench(msg["scenario"], msg.get("program"), msg.get("bench") or {}))
    return encode({"type": "error", "reason": "unknown message type %s" % json.dumps(typ)})
