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

MODULES = ARGS["modules"]
CYTHON_VERSION = ARGS["cython"]

# The capability probes: runtime.py's probe programs, compiled by Cython
# like scenarios (aiterspec builds them before it starts this harness).
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


class CythonRun(runtime.Run):
    """A run whose program is the module Cython built from it."""

    def execute(self, program, code):
        source_mode = code is None
        entry, build = build_of(program)
        if build.get("cython_errors"):  # only source mode gets here: a script Cython will not compile
            raise syntax_error(build["cython_errors"], program, "<source>" if source_mode else "<scenario>")
        if not build.get("module"):
            raise NotBuilt("the build of this program has no module: %s" % (build.get("c_errors") or build))
        module, loader = create_module(entry, build)
        names = module.__dict__
        names.update(self.ns)
        names["compile"] = cython_compile(build.get("compiles"))
        # The module's namespace is the run's: finish() clears it when
        # recording has ended, as it clears an exec'd program's.
        self.ns = names
        loader.exec_module(module)


def run(scenario, program):
    r = CythonRun(scenario, program)
    try:
        fields = r.start()
    except BaseException:
        r.finish()
        raise
    return fields or r.finish()
