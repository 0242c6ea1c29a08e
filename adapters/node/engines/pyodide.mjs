// Pyodide: CPython compiled to WebAssembly. The runtime runs unchanged:
// asyncio.run blocks on Pyodide's WebLoop through JavaScript Promise
// integration (JSPI: `node --experimental-wasm-stack-switching` on Node 20),
// which needs every call into Python that may reach it to be a promising one.

import { loadPyodide } from "pyodide";
import { readFileSync } from "node:fs";

// Where the runtime lives inside Pyodide's in-memory file system.
const DIR = "/aiterspec";

export async function load({ runtimeSource }) {
  const writeStderr = (line) => process.stderr.write(line + "\n");
  const py = await loadPyodide({
    // Whatever the engine prints outside a program's capture is a
    // diagnostic: standard error, never the protocol stream.
    stdout: writeStderr,
    stderr: writeStderr,
    // A program that reads standard input must not consume the protocol.
    stdin: () => null,
  });
  if (!py._module.jspiSupported) {
    throw new Error(
      "Pyodide needs WebAssembly stack switching (JSPI) for asyncio.run: start node with --experimental-wasm-stack-switching (Node 20)",
    );
  }
  py.FS.mkdirTree(DIR);
  py.FS.writeFile(`${DIR}/runtime.py`, runtimeSource);
  py.FS.writeFile(`${DIR}/pyodide_glue.py`, readFileSync(new URL("./pyodide_glue.py", import.meta.url)));
  py.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(DIR)})`);
  const glue = py.pyimport("pyodide_glue");
  // The capability probes run asyncio.run.
  const hello = await glue.hello.callPromising(py.version);
  glue.ready();
  const { handle, idle } = glue;
  // Pyodide's asyncio.run does not shut its loop down: the tasks a program
  // leaves (a finalizer's aclose(), say) run on later turns of Node's event
  // loop. They run now, unrecorded, before the answer, rather than inside
  // whichever request comes next (which made results depend on the order).
  // A program that leaves a task running forever is given up on after a
  // few hundred turns.
  const drain = async () => {
    for (let quiet = 0, turn = 0; quiet < 2 && turn < 200; turn++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      quiet = idle() ? quiet + 1 : 0;
      if (turn === 199 && process.env.AITERSPEC_NODE_DEBUG) process.stderr.write("pyodide: tasks still running after 200 turns\n");
    }
  };
  return {
    hello: () => hello,
    handle: async (line) => {
      const answer = await handle.callPromising(line);
      await drain();
      return answer === undefined ? null : answer;
    },
  };
}
