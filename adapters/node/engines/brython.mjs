// Brython: Python compiled to JavaScript, made for browsers.
//
// What the engine forces: browser stand-ins before it loads (it reads
// `self`, `location` and event listeners at load time and dispatches DOM
// events when done), a correct Set.prototype.difference on Node 20 (its own
// polyfill takes (self, other), so every JavaScript-implemented stdlib
// module fails to import), and a run in two steps (brython_glue.py says why).

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);

function installBrowserStandIns() {
  if (!Object.hasOwn(Set.prototype, "difference")) {
    Object.defineProperty(Set.prototype, "difference", {
      value(other) {
        const out = new Set();
        for (const x of this) if (!other.has(x)) out.add(x);
        return out;
      },
      writable: true,
      configurable: true,
    });
  }
  globalThis.self = globalThis;
  globalThis.addEventListener ??= () => {};
  globalThis.removeEventListener ??= () => {};
  globalThis.location ??= { href: "http://localhost/", protocol: "http:", origin: "http://localhost", pathname: "/" };
}

export async function load({ runtimeSource }) {
  installBrowserStandIns();
  require("brython/brython.js");
  const B = globalThis.__BRYTHON__;
  globalThis.document.dispatchEvent ??= () => {};
  globalThis.$B = B;
  require("brython/brython_stdlib.js");

  globalThis.aiterspecRuntimeSource = runtimeSource;
  let settle = null;
  globalThis.aiterspecSettled = () => settle && settle();
  // Brython prints an exception that escapes a script instead of throwing
  // it; a glue that did not load shows as a missing module below.
  const glue = B.runPythonSource(readFileSync(new URL("./brython_glue.py", import.meta.url), "utf8"), { id: "aiterspec_glue" });
  if (!glue || typeof B.$getattr(glue, "begin") !== "function") {
    throw new Error("the Brython glue did not load (its traceback is above)");
  }
  const [hello, begin, end] = ["hello", "begin", "end"].map((name) => B.$getattr(glue, name));
  const helloLine = hello();
  // A coroutine that Brython abandons (a JavaScript error inside it, an
  // unhandled rejection) leaves its frames on Brython's frame stack: left
  // there, the stack grows scenario after scenario until every call raises
  // RecursionError and a scenario hangs. Each request starts from the
  // stack the glue left.
  const baseFrame = B.frame_obj;
  return {
    hello: () => helloLine,
    handle: async (line) => {
      const settled = new Promise((resolve) => {
        settle = resolve;
      });
      if (B.frame_obj !== baseFrame) {
        if (process.env.AITERSPEC_NODE_DEBUG) process.stderr.write(`brython: ${B.frame_obj ? B.frame_obj.count : 0} frames left behind\n`);
        B.frame_obj = baseFrame;
      }
      let answer = begin(line);
      if (answer === "") {
        await settled;
        answer = end();
      }
      settle = null;
      return answer === "shutdown" ? null : answer;
    },
  };
}
