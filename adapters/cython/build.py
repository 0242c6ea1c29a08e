"""aiterspec's Cython compile server: translates programs to C with Cython,
in one process for many programs (importing Cython costs more than
translating a small module).  It runs on the interpreter of the cython3
command (Cython is installed for that one), not on the interpreter the
modules are built for.  aiterspec's cython adapter (build.go) starts it and
compiles the C itself.

Protocol: JSON lines.  First line out: {"cython": VERSION}.  Each line in:
  {"program": SOURCE, "module": NAME, "dir": DIR}
writes DIR/NAME.py and translates it to DIR/NAME.c; the answer line is
  {"errors": [ERROR...], "compiles": [COMPILE...]}
where ERROR is {"message", "line", "column"} (Cython's, in the order it
reported them; none means DIR/NAME.c is ready), and COMPILE is one
compile(SOURCE, ...) call of the program whose source is a string literal,
as Cython translates it on its own: {"source", "flags", "errors"} (flags:
the source text of a flags argument other than 0, else null).

Options that differ from the cython3 command's defaults, both so that a
module gets the names the harness gives it at run time, as exec() gives a
program the names of its namespace:
- Options.error_on_unknown_names = False (Cython's documented setting "for
  full Python compatibility"): a name the program does not define is looked
  up at run time (module globals, then builtins) instead of being a
  compile-time error;
- compile, anext and aiter are looked up at run time like such names, not
  cached from builtins at import: the harness gives compile() Cython's
  meaning, and anext/aiter substitutes where the interpreter lacks them.
"""

import ast
import json
import os
import sys

from Cython import __version__ as CYTHON_VERSION
from Cython.Compiler import Code, Errors, Options
from Cython.Compiler.Main import CompilationOptions, compile_single, default_options

Options.error_on_unknown_names = False
for _name in ("compile", "anext", "aiter"):
    if _name not in Code.uncachable_builtins:
        Code.uncachable_builtins.append(_name)

_reported = []
_report_error = Errors.report_error


def _capture(err, use_stack=True):
    if not (use_stack and Errors.error_stack) and not getattr(err, "reported", False):
        _reported.append(err)
    return _report_error(err, use_stack)


Errors.report_error = _capture


def translate(path, module):
    """Cython's errors translating path (a .py file) to C next to it."""
    del _reported[:]
    options = CompilationOptions(default_options, language_level=3, errors_to_stderr=False,
                                 output_file=os.path.splitext(path)[0] + ".c")
    try:
        result = compile_single(path, options, full_module_name=module)
    except Exception as e:  # a crash of Cython itself is one of its errors too
        return [{"message": "Cython crashed: %s: %s" % (type(e).__name__, e), "line": 0, "column": 0}]
    errors = []
    for err in _reported:
        pos = getattr(err, "position", None) or (None, 0, 0)
        errors.append({"message": str(getattr(err, "message_only", err)), "line": pos[1], "column": pos[2]})
    if result.num_errors and not errors:
        errors.append({"message": "Cython reported %d errors" % result.num_errors, "line": 0, "column": 0})
    return errors


def compile_calls(program):
    """(source, flags) of each compile(<str literal>, ...) call of program;
    none if this interpreter cannot parse it."""
    try:
        tree = ast.parse(program)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    calls = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "compile"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            flags = node.args[3] if len(node.args) > 3 else next((k.value for k in node.keywords if k.arg == "flags"), None)
            if isinstance(flags, ast.Constant) and flags.value == 0:
                flags = None
            calls.append((node.args[0].value, None if flags is None else ast.get_source_segment(program, flags) or "?"))
    return calls


def handle(req):
    program, module, folder = req["program"], req["module"], req["dir"]
    path = os.path.join(folder, module + ".py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(program)
    compiles = []
    seen = set()
    for i, (source, flags) in enumerate(compile_calls(program)):
        if source in seen:
            continue
        seen.add(source)
        # each in a folder of its own: Cython names the module after the file
        sub = os.path.join(folder, "compile%d" % i)
        os.mkdir(sub)
        with open(os.path.join(sub, "source.py"), "w", encoding="utf-8") as f:
            f.write(source)
        compiles.append({"source": source, "flags": flags, "errors": translate(os.path.join(sub, "source.py"), "source")})
    return {"errors": translate(path, module), "compiles": compiles}


def main():
    out = sys.stdout
    sys.stdout = sys.stderr  # whatever Cython prints stays off the protocol stream
    out.write(json.dumps({"cython": CYTHON_VERSION}) + "\n")
    out.flush()
    for line in sys.stdin:
        try:
            answer = handle(json.loads(line))
        except Exception as e:
            answer = {"fatal": "%s: %s" % (type(e).__name__, e)}
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
