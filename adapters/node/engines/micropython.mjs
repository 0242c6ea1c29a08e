// MicroPython, WebAssembly port (the "pyscript" variant published on npm).
//
// What the engine forces: its asyncio has no run(), because its scheduler is
// driven from JavaScript (each step is a setTimeout). The glue gives asyncio
// a run(coro) that drives MicroPython's own scheduler, asyncio.core._run_iter,
// synchronously until the coroutine is done: the same tasks, queue and order,
// without a round trip through the JavaScript event loop per step.

import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";
import { readFileSync } from "node:fs";

const RUNTIME_DIR = "/aiterspec";

export async function load({ runtimeSource }) {
  const writeStderr = (s) => process.stderr.write(s + "\n");
  const mp = await loadMicroPython({
    // The default heap (1 MiB) is too small for the collector-heavy
    // scenarios; the Python stack bounds recursion depth.
    heapsize: 64 * 1024 * 1024,
    pystack: 64 * 1024,
    linebuffer: true,
    stdout: writeStderr,
    stderr: writeStderr,
  });
  mp.FS.mkdirTree(RUNTIME_DIR);
  mp.FS.writeFile(`${RUNTIME_DIR}/runtime.py`, runtimeSource);
  mp.FS.writeFile(`${RUNTIME_DIR}/micropython_glue.py`, readFileSync(new URL("./micropython_glue.py", import.meta.url)));
  mp.runPython(`
import sys
sys.path.append(${JSON.stringify(RUNTIME_DIR)})
import micropython_glue
`);
  const glue = mp.pyimport("micropython_glue");
  const hello = glue.hello();
  return {
    hello: () => hello,
    handle: async (line) => {
      const answer = glue.handle(line);
      return answer === undefined || answer === null ? null : answer;
    },
  };
}
