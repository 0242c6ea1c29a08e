// Brython: Python compiled to JavaScript, made for browsers.
//
// What the engine forces: browser stand-ins before it loads (it reads
// `self`, `location` and event listeners at load time and dispatches DOM
// events when done), a correct Set.prototype.difference on Node 20 (its own
// polyfill takes (self, other), so every JavaScript-implemented stdlib
// module fails to import), and a run in two steps (brython_glue.py says why).

import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

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
  const cache = compiledStdlib(B);

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
  cache.save();
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

// Brython compiles each standard library module it imports from Python
// source, at every start: seconds of the start-up (collections.abc, io,
// json, asyncio...). The JavaScript it makes depends only on the source, so
// it is kept in a file, as Brython keeps it in IndexedDB in a browser:
// $XDG_CACHE_HOME/aiterspec/brython-VERSION-HASH.json, HASH that of the
// standard library bundle. A missing or unreadable file only costs time.
function compiledStdlib(B) {
  let file = "";
  let had = 0;
  try {
    const stdlib = require.resolve("brython/brython_stdlib.js");
    const { version } = JSON.parse(readFileSync(require.resolve("brython/package.json"), "utf8"));
    const hash = createHash("sha256").update(readFileSync(stdlib)).update(readFileSync(require.resolve("brython/brython.js"))).digest("hex").slice(0, 16);
    const dir = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "aiterspec");
    file = path.join(dir, `brython-${version}-${hash}.json`);
    const stored = JSON.parse(readFileSync(file, "utf8"));
    for (const [name, js] of Object.entries(stored)) {
      if (Object.hasOwn(B.VFS, name) && !Object.hasOwn(B.precompiled, name)) {
        B.precompiled[name] = js;
        had++;
      }
    }
  } catch {}
  return {
    save() {
      const compiled = Object.fromEntries(Object.entries(B.precompiled).filter(([name]) => Object.hasOwn(B.VFS, name)));
      if (!file || Object.keys(compiled).length <= had) return;
      try {
        mkdirSync(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify(compiled));
        renameSync(tmp, file);
      } catch (e) {
        process.stderr.write(`brython: not keeping the compiled standard library in ${file}: ${e.message}\n`);
      }
    },
  };
}
