// aiterspec harness for Pythons that run on Node.js: MicroPython (WebAssembly),
// Pyodide (CPython compiled to WebAssembly) and Brython (Python compiled to
// JavaScript). It speaks the protocol of adapters/process/PROTOCOL.md on
// stdin/stdout and runs every program with adapters/python/runtime.py, the
// same runtime the CPython harness uses, loaded into the engine.
//
//   node [--experimental-wasm-stack-switching] harness.mjs ENGINE [--runtime FILE]
//
// ENGINE is micropython, pyodide or brython. It is loaded once; every request
// of the run goes to it. The per-engine glue (engines/*.mjs) only adapts what
// the engine forces: how its event loop is driven, how source reaches it.
//
// Isolation: the protocol is written to file descriptor 1 directly, and
// everything else that would go to standard output (console.log, the
// engines' own output, process.stdout) is sent to standard error, so that
// nothing an engine or a scenario prints can reach the protocol stream.

import fs from "node:fs";
import path from "node:path";
import { Console } from "node:console";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

// Loaders, by engine name.
const ENGINES = {
  micropython: "./engines/micropython.mjs",
  pyodide: "./engines/pyodide.mjs",
  brython: "./engines/brython.mjs",
};

// aiterspec reads at most 8 MiB per line; a request line longer than this is
// not one aiterspec sends, so it is answered with an error and skipped.
const MAX_LINE_BYTES = 8 * 1024 * 1024;

// EX_SOFTWARE: the engine broke (a WebAssembly trap, a fatal error). The
// process exits so that aiterspec reports the scenario with this process's
// stderr and starts a fresh engine for the next one.
const EXIT_ENGINE_CRASHED = 70;

function fail(message, status = 2) {
  process.stderr.write(`aiterspec node harness: ${message}\n`);
  process.exit(status);
}

function parseArgs(argv) {
  const usage = `usage: node harness.mjs ${Object.keys(ENGINES).join("|")} [--runtime FILE]`;
  let engine = "";
  let runtime = path.join(here, "..", "python", "runtime.py");
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--runtime" && i + 1 < argv.length) {
      runtime = argv[++i];
    } else if (a.startsWith("--runtime=")) {
      runtime = a.slice("--runtime=".length);
    } else if (!a.startsWith("-") && !engine) {
      engine = a;
    } else {
      fail(`unexpected argument ${JSON.stringify(a)}\n${usage}`);
    }
  }
  if (!engine) fail(`no engine named\n${usage}`);
  if (!Object.hasOwn(ENGINES, engine)) {
    fail(`unknown engine ${JSON.stringify(engine)}; known: ${Object.keys(ENGINES).join(", ")}\n${usage}`);
  }
  return { engine, runtime };
}

// The protocol stream, and standard output taken away from everybody else.
function takeStdout() {
  const write = (line) => {
    const data = Buffer.from(line + "\n", "utf8");
    let off = 0;
    while (off < data.length) {
      try {
        off += fs.writeSync(1, data, off);
      } catch (e) {
        if (e.code !== "EAGAIN") throw e;
      }
    }
  };
  const stderrConsole = new Console({ stdout: process.stderr, stderr: process.stderr });
  globalThis.console = stderrConsole;
  Object.defineProperty(process, "stdout", { value: process.stderr, configurable: true });
  return write;
}

// Request lines from standard input, one at a time: the next line is read
// only after the previous one was answered (aiterspec sends one request at a
// time anyway). Yields Buffers without the newline; oversized lines yield
// null.
async function* requestLines(input) {
  let pending = [];
  let size = 0;
  let oversized = false;
  for await (const chunk of input) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      const end = nl < 0 ? chunk.length : nl;
      if (!oversized) {
        size += end - start;
        if (size > MAX_LINE_BYTES) {
          oversized = true;
          pending = [];
        } else {
          pending.push(chunk.subarray(start, end));
        }
      }
      if (nl < 0) break;
      yield oversized ? null : Buffer.concat(pending);
      pending = [];
      size = 0;
      oversized = false;
      start = nl + 1;
    }
  }
  if (size > 0 || oversized) yield oversized ? null : Buffer.concat(pending);
}

// A short description of something thrown, for stderr.
function describe(x) {
  if (x instanceof Error) return x.stack || String(x);
  try {
    const B = globalThis.__BRYTHON__;
    if (B && x && x.ob_type) return `${B.class_name(x)}: ${B.$getattr(x, "args")}`;
  } catch {}
  return String(x);
}

async function main() {
  const { engine: name, runtime: runtimePath } = parseArgs(process.argv.slice(2));
  const send = takeStdout();
  // An engine may leave a rejected promise behind (Brython runs coroutines as
  // JavaScript async functions): a diagnostic, not a reason to exit.
  process.on("unhandledRejection", (reason) => {
    process.stderr.write(`unhandled rejection in ${name}: ${describe(reason)}\n`);
  });

  let runtimeSource;
  try {
    runtimeSource = fs.readFileSync(runtimePath, "utf8");
  } catch (e) {
    fail(`cannot read the Python runtime ${runtimePath}: ${e.message}`);
  }

  let loader;
  try {
    loader = await import(ENGINES[name]);
  } catch (e) {
    if (e && e.code === "ERR_MODULE_NOT_FOUND") {
      fail(`the npm packages are not installed (${e.message.split("\n")[0]}); run "make setup" (npm ci in adapters/node)`);
    }
    throw e;
  }
  const engine = await loader.load({ runtimeSource, runtimePath });

  send(engine.hello());

  for await (const line of requestLines(process.stdin)) {
    let answer;
    if (line === null) {
      answer = JSON.stringify({ type: "error", reason: `request line longer than ${MAX_LINE_BYTES} bytes` });
    } else {
      try {
        answer = await engine.handle(line.toString("utf8").replace(/\r$/, ""));
      } catch (e) {
        // The engine itself broke: its state cannot be trusted any more.
        process.stderr.write(`engine ${name} crashed: ${(e && e.stack) || e}\n`);
        process.exit(EXIT_ENGINE_CRASHED);
      }
    }
    if (answer === null || answer === undefined) break; // shutdown
    send(answer);
  }
  process.exit(0);
}

main().catch((e) => fail(`${(e && e.stack) || e}`, 1));
