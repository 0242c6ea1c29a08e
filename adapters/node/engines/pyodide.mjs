// Pyodide: CPython compiled to WebAssembly. The runtime runs unchanged:
// asyncio.run works, blocking on Pyodide's WebLoop through JavaScript Promise
// integration (JSPI, `node --experimental-wasm-stack-switching` on Node 20),
// provided the outermost call into Python is a promising one.

import { loadPyodide } from "pyodide";

// Where the runtime lives inside Pyodide's in-memory file system.
const RUNTIME_DIR = "/aiterspec";

export async function load({ runtimeSource }) {
  const writeStderr = (s) => process.stderr.write(s);
  const py = await loadPyodide({
    // Whatever the engine prints outside a scenario's capture is a
    // diagnostic: standard error, never the protocol stream.
    stdout: (line) => writeStderr(line + "\n"),
    stderr: (line) => writeStderr(line + "\n"),
    // A scenario that reads standard input must not consume the protocol.
    stdin: () => null,
  });
  if (!py._module.jspiSupported) {
    throw new Error(
      "Pyodide needs WebAssembly stack switching (JSPI) for asyncio.run: start node with --experimental-wasm-stack-switching (Node 20)",
    );
  }
  py.FS.mkdirTree(RUNTIME_DIR);
  py.FS.writeFile(`${RUNTIME_DIR}/runtime.py`, runtimeSource);
  const glue = py.runPython(`
import sys
sys.path.insert(0, ${JSON.stringify(RUNTIME_DIR)})
import runtime


def _aiterspec_hello(version):
    # sys.implementation says cpython: the implementation under test is
    # Pyodide, at its own version; the language is its inner CPython's.
    msg = runtime.hello()
    msg["implementation"] = {"name": "pyodide", "version": version}
    return runtime.encode(msg)

(_aiterspec_hello, runtime.handle)
`);
  const [helloFn, handleFn] = glue.toJs({ depth: 1 });
  glue.destroy();
  // Promising: the tasks probe runs asyncio.run.
  const hello = await helloFn.callPromising(py.version);
  helloFn.destroy();
  return {
    hello: () => hello,
    // handle returns a str (converted to a JS string) or None (undefined).
    handle: async (line) => {
      const answer = await handleFn.callPromising(line);
      return answer === undefined ? null : answer;
    },
  };
}
