"""aiterspec harness for Cython: the protocol loop of adapters/python/harness.py
and the runtime of adapters/python/runtime.py, with each program imported as
the extension module Cython compiled from it instead of exec'd as CPython
bytecode.  aiterspec (adapters/cython/build.go) builds the modules before it
sends a program; this harness finds each by the hash of the program.

  python -u -I -S harness.py --runtime=DIR --modules=DIR --cython=VERSION

A module runs in a namespace like exec()'s: it is created (PEP 489: Cython's
modules initialise in two phases), the runtime's names go into its
__dict__, and then its code runs.  A module file can be initialised once per
process, so a program run a second time loads a fresh copy of it (from
memory, memfd_create).
"""

import builtins
import gc
import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys


def _arguments(argv):
    args = {}
    for a in argv:
        name, _, value = a.partition("=")
        args[name.lstrip("-")] = value
    return args


ARGS = _arguments(sys.argv[1:])
sys.path.insert(0, ARGS["runtime"])  # runtime.py and the protocol loop, harness.py
import runtime  # noqa: E402

MODULES = ARGS.get("modules")
CYTHON_VERSION = ARGS.get("cython")

_loaded = set()  # module files initialised in this process


def program_key(program):
    """build.go's programKey: where the build of program is."""
    return hashlib.sha256(program.encode("utf-8")).hexdigest()[:32]


class NotBuilt(Exception):
    """aiterspec sent a program it has not built: a bug of the adapter."""


def build_of(program):
    entry = os.path.join(MODULES, program_key(program))
    try:
        with open(os.path.join(entry, "result.json")) as f:
            return entry, json.load(f)
    except (OSError, ValueError) as e:
        raise NotBuilt("no build of this program in %s (%s)" % (entry, e))


def _fresh_copy(path):
    """A path to a new copy of a module file: the same file is initialised
    once per process.  The memory file stays open for as long as the
    process lives, so that its /proc/self/fd name is never reused for
    another library (the loader would take it for the one loaded)."""
    fd = os.memfd_create(os.path.basename(path))
    with open(path, "rb") as f:
        data = f.read()
    while data:
        data = data[os.write(fd, data):]
    return "/proc/self/fd/%d" % fd


def create_module(entry, build):
    """The module of a build, created but not yet run."""
    path = os.path.join(entry, build["file"])
    if path in _loaded:
        path = _fresh_copy(path)
    _loaded.add(path)
    name = build["module"]
    loader = importlib.machinery.ExtensionFileLoader(name, path)
    spec = importlib.util.spec_from_loader(name, loader, origin=path)
    return importlib.util.module_from_spec(spec), loader


def cython_compile(compiles):
    """compile() with Cython's meaning: does Cython translate the source?
    Cython translated every compile() of a string literal in the program at
    build time; its first error is the SyntaxError, else the value is the
    code object of an empty module (Cython makes no code object)."""
    table = dict((c["source"], c) for c in compiles or [])

    def compile(source, filename, mode, flags=0, dont_inherit=False, optimize=-1):
        c = table.get(source) if isinstance(source, str) else None
        if c is None:
            raise NotImplementedError("compile() under Cython takes only a string literal of the program "
                                      "(translated when the program is built)")
        if c["errors"]:
            e = c["errors"][0]
            lines = source.splitlines()
            text = lines[e["line"] - 1] if 0 < e["line"] <= len(lines) else None
            raise SyntaxError(e["message"], (filename, e["line"] or None, e["column"] or None, text))
        return builtins.compile("", filename, mode, dont_inherit=True)
    return compile


def syntax_error(errors, program, filename):
    e = errors[0]
    lines = program.splitlines()
    text = lines[e["line"] - 1] if 0 < e["line"] <= len(lines) else None
    return SyntaxError(e["message"], (filename, e["line"] or None, e["column"] or None, text))


def execute(program, ns):
    """runtime.run's execute: the module Cython built from program, created,
    given the names of ns and run.  Cython compiled the program already
    (aiterspec answers unsupported for a program Cython will not compile,
    but in source mode, where it is the script's SyntaxError)."""
    entry, build = build_of(program)
    if build.get("cython_errors"):
        raise syntax_error(build["cython_errors"], program, "<source>")
    if not build.get("module"):
        raise NotBuilt("the build of this program has no module: %s" % (build.get("c_errors") or build))
    module, loader = create_module(entry, build)
    names = module.__dict__
    names.update(ns)
    names["compile"] = cython_compile(build.get("compiles"))
    try:
        loader.exec_module(module)
    finally:
        # What the program bound goes into ns, which the runtime clears when
        # recording has ended (as it clears an exec'd program's namespace);
        # the module, which lives as long as the process, keeps nothing.
        ns.clear()
        ns.update(names)
        names.clear()


# --- Capabilities, probed on Cython's code ------------------------------------

# Facts of the interpreter rather than of the code Cython makes: the runtime's answers.
INTERPRETER_FACTS = ("anext-builtin", "aiter-builtin", "source")


def probe_programs():
    """The runtime's capability probes (each a program setting ok) that Cython's code answers."""
    return [program for name, program in runtime.PROBES if name not in INTERPRETER_FACTS]


def probe(program):
    """Runs a probe program as the module Cython built from it: its ok."""
    try:
        entry, build = build_of(program)
        if not build.get("module"):
            return False  # Cython cannot compile it: no such capability
        module, loader = create_module(entry, build)
        module.__dict__.update({"__name__": "__main__", "asyncio": runtime.asyncio,
                                "compile": cython_compile(build.get("compiles"))})
        loader.exec_module(module)
        return module.__dict__.get("ok") is True
    except Exception:
        return False


def capabilities():
    """The runtime's capabilities, each probe program's answer Cython's."""
    host = runtime.capabilities()  # builtins, stdout: facts of the interpreter
    with runtime._Warnings(ignore=True):
        return [name for name, program in runtime.PROBES
                if (name in host if name in INTERPRETER_FACTS else probe(program))]


def hello():
    runtime.BENCH = False  # timing would measure CPython's bytecode, not Cython's module
    h = runtime.hello()
    h["implementation"] = {"name": "cython", "version": CYTHON_VERSION}
    h["capabilities"] = capabilities()
    return h


def handle(line):
    answer = runtime.handle(line, execute)
    # What stays of a module (it lives as long as the process: CPython
    # never unloads an extension module) goes where harness.py put
    # everything alive at start, out of the collector's sight, so that the
    # gc.collect() around each scenario does not scan every module loaded
    # before.  The scenario's own objects were collected by then.
    if hasattr(gc, "freeze"):
        gc.freeze()
    return answer


if __name__ == "__main__":
    if "probes" in ARGS:
        sys.stdout.write(json.dumps(sorted(probe_programs())) + "\n")
    else:
        import harness
        harness.main(hello=hello, handle=handle)
