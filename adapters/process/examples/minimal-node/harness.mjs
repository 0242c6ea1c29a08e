// A minimal aiterspec harness in JavaScript (Node 20, no packages), written
// from adapters/process/PROTOCOL.md and scenario/FORMAT.md alone.
//
// It runs a small subset of the scenario language on JavaScript's own async
// iteration: a scenario's `async def` with `yield` becomes a real
// `async function*`, `anext(g)` a step of the generator's `next()`, and
// `async for` a loop over `Symbol.asyncIterator`. Everything outside the
// subset is answered `unsupported`, as the protocol requires, so that the
// harness can run through the whole suite. See README.md beside it.

import { createInterface } from "node:readline";

const PROTOCOL = 1;
const CAPABILITIES = ["async-generators"];

// ---------------------------------------------------------------------------
// Protocol I/O. The protocol stream is stdout; anything else that tries to
// write there (console.log, a stray process.stdout.write) goes to stderr.

const writeProtocol = process.stdout.write.bind(process.stdout);
process.stdout.write = process.stderr.write.bind(process.stderr);
console.log = console.info = console.debug = console.error;
process.on("unhandledRejection", (e) => console.error("unhandled rejection:", e));

function send(json) {
  writeProtocol(json + "\n");
}

const jstr = (s) => JSON.stringify(s);

// ---------------------------------------------------------------------------
// JSON. JSON.parse cannot tell 1 from 1.0, and FORMAT.md makes the first an
// int and the second a float, so numbers are parsed by hand into JNum, which
// keeps their text. Objects have no prototype, so any key is just a key.

class JNum {
  constructor(text) {
    this.text = text;
  }
}

function parseJSON(text) {
  let i = 0;
  const fail = (msg) => {
    throw new SyntaxError(`${msg} at offset ${i}`);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const o = Object.create(null);
      ws();
      if (text[i] === "}") return i++, o;
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a string key");
        const k = string();
        ws();
        if (text[i++] !== ":") fail("expected ':'");
        o[k] = value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return i++, o;
        else fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const a = [];
      ws();
      if (text[i] === "]") return i++, a;
      for (;;) {
        a.push(value());
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return i++, a;
        else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return string();
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0]) return (i += m[0].length), new JNum(m[0]);
    for (const [word, v] of [["true", true], ["false", false], ["null", null]]) {
      if (text.startsWith(word, i)) return (i += word.length), v;
    }
    fail("unexpected character");
  };
  const string = () => {
    i++;
    let out = "";
    for (;;) {
      const j = text.slice(i).search(/["\\]/);
      if (j < 0) fail("unterminated string");
      out += text.slice(i, i + j);
      i += j;
      if (text[i] === '"') return i++, out;
      const e = text[i + 1];
      i += 2;
      if (e === "u") {
        const hex = text.slice(i, i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
      } else {
        const map = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (!(e in map)) fail("bad escape");
        out += map[e];
      }
    }
  };
  const v = value();
  ws();
  if (i !== text.length) fail("extra text after the value");
  return v;
}

const isObject = (x) => x !== null && typeof x === "object" && !Array.isArray(x) && !(x instanceof JNum);

// ---------------------------------------------------------------------------
// Decoding: FORMAT.md says unknown fields, kinds, capabilities, modes and
// report options are errors, named by their JSON path (main[2].kind).

class Malformed extends Error {}

const join = (path, field) => (path ? `${path}.${field}` : field);
const idx = (path, i) => `${path}[${i}]`;

// Fields each kind allows; the required ones are marked with "!".
const STMT_FIELDS = {
  def: ["name!", "async", "generator", "params", "body", "calls"],
  class: ["name!", "body"],
  let: ["name!", "expr!"],
  setattr: ["object!", "name!", "expr!"],
  del: ["name!"],
  expr: ["expr!"],
  observe: ["expr!"],
  emit: ["event!", "expr"],
  yield: ["expr"],
  yield_from: ["expr!"],
  return: ["expr"],
  raise: ["expr"],
  try: ["body", "handlers", "else", "finally"],
  if: ["cond!", "body", "else"],
  for: ["target!", "iter!", "body", "else"],
  async_for: ["target!", "iter!", "body", "else"],
  async_with: ["expr!", "body"],
  break: [],
  continue: [],
  pass: [],
};
const EXPR_FIELDS = {
  lit: ["value!"],
  var: ["name!"],
  call: ["func!", "args", "kwargs"],
  method: ["of!", "name!", "args", "kwargs"],
  attr: ["of!", "name!"],
  await: ["expr!"],
  yield: ["expr"],
  typename: ["of!"],
  is: ["left!", "right!"],
  binop: ["op!", "left!", "right!"],
  not: ["expr!"],
  list: ["items"],
  tuple: ["items"],
  comprehension: ["form!", "element!", "key", "clauses!"],
  lambda: ["expr!"],
  compile: ["body", "flags"],
  future: ["result", "exception"],
};
const ALL_CAPABILITIES = [
  "async-generators", "anext-builtin", "aiter-builtin", "agen-methods", "async-comprehensions",
  "compile", "tasks", "deterministic-collect", "source", "introspection",
];
const BINOPS = ["+", "-", "*", "//", "%", "==", "!=", "<", "<=", ">", ">=", "and", "or"];
// Fields holding statements, expressions, and lists of them.
const STMT_LISTS = ["body", "else", "finally"];
const EXPR_ONE = ["expr", "object", "iter", "cond", "of", "left", "right", "element", "key", "result", "exception"];

function fields(o, path, what, spec) {
  const allowed = spec.map((f) => f.replace("!", ""));
  for (const k of Object.keys(o).sort()) {
    if (k !== "kind" && !allowed.includes(k)) throw new Malformed(`${join(path, k)}: unknown field ${jstr(k)} for ${what}`);
  }
  for (const f of spec) {
    if (f.endsWith("!") && !(f.slice(0, -1) in o)) {
      const k = f.slice(0, -1);
      throw new Malformed(`${join(path, k)}: missing field ${jstr(k)} for ${what}`);
    }
  }
}

function needType(x, path, type) {
  const ok = {
    string: typeof x === "string",
    boolean: typeof x === "boolean",
    array: Array.isArray(x),
    object: isObject(x),
  }[type];
  if (!ok) throw new Malformed(`${path}: must be ${type === "array" || type === "object" ? "an" : "a"} ${type}`);
}

function decodeScenario(s) {
  if (!isObject(s)) throw new Malformed("scenario: must be an object");
  fields(s, "", "a scenario", ["id!", "title", "needs", "mode", "report", "module", "main", "source"]);
  needType(s.id, "id", "string");
  if (s.title !== undefined) needType(s.title, "title", "string");
  for (const [f, known] of [["needs", ALL_CAPABILITIES], ["report", ["warnings", "unraisable"]]]) {
    if (s[f] === undefined) continue;
    needType(s[f], f, "array");
    s[f].forEach((x, i) => {
      if (!known.includes(x)) throw new Malformed(`${idx(f, i)}: unknown ${f === "needs" ? "capability" : "report"} ${jstr(x)}`);
    });
  }
  if (s.mode !== undefined && !["sync", "source"].includes(s.mode)) throw new Malformed(`mode: unknown mode ${jstr(s.mode)}`);
  if (s.mode === "source") {
    needType(s.source, "source", "string");
    if (s.module !== undefined || s.main !== undefined) throw new Malformed(`mode: mode "source" runs source only`);
  } else if (s.source !== undefined) {
    throw new Malformed(`source: source is only for mode "source"`);
  }
  for (const f of ["module", "main"]) if (s[f] !== undefined) stmts(s[f], f);
}

function stmts(list, path) {
  needType(list, path, "array");
  list.forEach((s, i) => stmt(s, idx(path, i)));
}

function stmt(s, path) {
  if (!isObject(s)) throw new Malformed(`${path}: a statement must be an object`);
  if (!(s.kind in STMT_FIELDS)) throw new Malformed(`${join(path, "kind")}: unknown statement ${jstr(s.kind)}`);
  fields(s, path, `statement ${jstr(s.kind)}`, STMT_FIELDS[s.kind]);
  common(s, path);
  if (s.params !== undefined) {
    needType(s.params, join(path, "params"), "array");
    s.params.forEach((p, i) => needType(p, idx(join(path, "params"), i), "string"));
  }
  if (s.calls !== undefined) {
    needType(s.calls, join(path, "calls"), "array");
    s.calls.forEach((c, i) => stmts(c, idx(join(path, "calls"), i)));
  }
  if (s.handlers !== undefined) {
    needType(s.handlers, join(path, "handlers"), "array");
    s.handlers.forEach((h, i) => {
      const p = idx(join(path, "handlers"), i);
      if (!isObject(h)) throw new Malformed(`${p}: a handler must be an object`);
      fields(h, p, "an except handler", ["type", "as", "body"]);
      for (const f of ["type", "as"]) if (h[f] !== undefined) needType(h[f], join(p, f), "string");
      if (h.body !== undefined) stmts(h.body, join(p, "body"));
    });
  }
  if (s.kind === "try" && !(s.handlers?.length || s.finally?.length)) throw new Malformed(`${path}: a try statement needs handlers or finally`);
}

// common checks the fields statements and expressions share.
function common(n, path) {
  for (const f of ["name", "target", "event", "func", "op", "form"]) {
    if (n[f] !== undefined) needType(n[f], join(path, f), "string");
  }
  for (const f of ["async", "generator"]) if (n[f] !== undefined) needType(n[f], join(path, f), "boolean");
  for (const f of STMT_LISTS) if (n[f] !== undefined) stmts(n[f], join(path, f));
  for (const f of EXPR_ONE) if (n[f] !== undefined) expr(n[f], join(path, f));
}

function expr(e, path) {
  if (!isObject(e)) throw new Malformed(`${path}: an expression must be an object`);
  if (!(e.kind in EXPR_FIELDS)) throw new Malformed(`${join(path, "kind")}: unknown expression ${jstr(e.kind)}`);
  fields(e, path, `expression ${jstr(e.kind)}`, EXPR_FIELDS[e.kind]);
  // A compile expression's body is statements; "body" is in STMT_LISTS.
  common(e, path);
  for (const f of ["args", "items"]) {
    if (e[f] === undefined) continue;
    needType(e[f], join(path, f), "array");
    e[f].forEach((x, i) => expr(x, idx(join(path, f), i)));
  }
  if (e.kwargs !== undefined) {
    needType(e.kwargs, join(path, "kwargs"), "object");
    for (const [k, x] of Object.entries(e.kwargs)) expr(x, join(join(path, "kwargs"), k));
  }
  if (e.clauses !== undefined) {
    needType(e.clauses, join(path, "clauses"), "array");
    e.clauses.forEach((c, i) => {
      const p = idx(join(path, "clauses"), i);
      if (!isObject(c)) throw new Malformed(`${p}: a clause must be an object`);
      fields(c, p, "a comprehension clause", ["async", "target!", "iter!", "if"]);
      expr(c.iter, join(p, "iter"));
      (c.if ?? []).forEach((x, j) => expr(x, idx(join(p, "if"), j)));
    });
  }
  if (e.kind === "lit") litValue(e.value, join(path, "value"));
  if (e.kind === "binop" && !BINOPS.includes(e.op)) throw new Malformed(`${join(path, "op")}: unknown operator ${jstr(e.op)}`);
}

function litValue(v, path) {
  if (v === null || typeof v === "boolean" || typeof v === "string" || v instanceof JNum) return;
  if (!isObject(v) || Object.keys(v).length !== 1) throw new Malformed(`${path}: a value must be null, a boolean, a number, a string or a one-key object`);
  const [k] = Object.keys(v);
  if (["list", "tuple", "set"].includes(k)) {
    needType(v[k], join(path, k), "array");
    v[k].forEach((x, i) => litValue(x, idx(join(path, k), i)));
  } else if (k === "dict") {
    needType(v[k], join(path, k), "array");
    v[k].forEach((p, i) => {
      if (!Array.isArray(p) || p.length !== 2) throw new Malformed(`${idx(join(path, k), i)}: a dict item is a [key, value] array`);
      p.forEach((x, j) => litValue(x, idx(idx(join(path, k), i), j)));
    });
  } else if (k === "exception" || k === "object") {
    throw new Malformed(`${path}: a literal cannot hold an ${k} value`);
  } else {
    throw new Malformed(`${join(path, k)}: unknown value kind ${jstr(k)}`);
  }
}

// ---------------------------------------------------------------------------
// The subset. check lists what a valid scenario uses that this harness
// cannot express; any entry makes the answer `unsupported`.

const EXCEPTIONS = {
  BaseException: null, Exception: "BaseException", StopIteration: "Exception",
  StopAsyncIteration: "Exception", GeneratorExit: "BaseException", TypeError: "Exception",
  ValueError: "Exception", LookupError: "Exception", KeyError: "LookupError", RuntimeError: "Exception",
  AttributeError: "Exception", NameError: "Exception", UnboundLocalError: "NameError",
  SyntaxError: "Exception", SystemExit: "BaseException", KeyboardInterrupt: "BaseException",
  ArithmeticError: "Exception", ZeroDivisionError: "ArithmeticError", RecursionError: "RuntimeError",
};
// The names of FORMAT.md's table, and which of them this harness has.
const FORMAT_NAMES = [
  "anext", "aiter", "iter", "next", "list", "range", "len", "hasattr", "isinstance", "issubclass",
  "BaseException", "Exception", "StopIteration", "StopAsyncIteration", "GeneratorExit", "TypeError",
  "ValueError", "KeyError", "RuntimeError", "AttributeError", "NameError", "SyntaxError", "SystemExit",
  "KeyboardInterrupt", "asyncio.sleep", "asyncio.gather", "asyncio.create_task", "asyncio.CancelledError",
  "gc.collect", "collections.abc.AsyncIterable", "collections.abc.AsyncIterator",
  "collections.abc.AsyncGenerator", "collections.abc.Awaitable", "collections.abc.Coroutine",
];
const HAVE_NAMES = new Set(["anext", "aiter", ...Object.keys(EXCEPTIONS)]);
const SUPPORTED_STMTS = new Set(["def", "let", "expr", "observe", "emit", "yield", "return", "raise", "try", "if", "for", "async_for", "break", "continue", "pass"]);
const SUPPORTED_EXPRS = new Set(["lit", "var", "call", "await", "typename", "is", "binop", "not", "list", "tuple"]);

// containsYield: does a def body yield (not counting nested defs)?
function containsYield(body) {
  let found = false;
  const walkE = (e) => {
    if (!e || found) return;
    if (e.kind === "yield") found = true;
    if (e.kind === "lambda") return;
    for (const f of EXPR_ONE) walkE(e[f]);
    for (const f of ["args", "items"]) (e[f] ?? []).forEach(walkE);
  };
  const walkS = (s) => {
    if (found) return;
    if (s.kind === "yield" || s.kind === "yield_from") found = true;
    if (s.kind === "def" || s.kind === "class") return;
    for (const f of EXPR_ONE) walkE(s[f]);
    for (const f of STMT_LISTS) (s[f] ?? []).forEach(walkS);
    (s.handlers ?? []).forEach((h) => (h.body ?? []).forEach(walkS));
  };
  body.forEach(walkS);
  return found;
}

function hasSetOrDict(v) {
  if (!isObject(v)) return false;
  if ("set" in v || "dict" in v) return true;
  return (v.list ?? v.tuple).some(hasSetOrDict);
}

function check(sc) {
  const missing = [];
  const lack = (what) => missing.includes(what) || missing.push(what);
  for (const n of sc.needs ?? []) if (!CAPABILITIES.includes(n)) lack(n);
  if (sc.mode) lack(`mode ${sc.mode}`);
  for (const r of sc.report ?? []) lack(`report ${r}`);
  const name = (n) => {
    if (FORMAT_NAMES.includes(n) ? !HAVE_NAMES.has(n) : n.includes(".")) lack(`name ${n}`);
  };
  const walkE = (e, ctx) => {
    if (!SUPPORTED_EXPRS.has(e.kind)) return lack(`expression ${e.kind}`);
    if (e.kind === "lit" && hasSetOrDict(e.value)) lack("set and dict values");
    if (e.kind === "var") name(e.name);
    if (e.kind === "call") {
      name(e.func);
      if (e.kwargs && Object.keys(e.kwargs).length) lack("keyword arguments");
    }
    if (e.kind === "await" && !ctx.async) lack("await outside an async function");
    for (const f of EXPR_ONE) if (e[f]) walkE(e[f], ctx);
    for (const f of ["args", "items"]) (e[f] ?? []).forEach((x) => walkE(x, ctx));
  };
  const walkS = (s, ctx) => {
    if (!SUPPORTED_STMTS.has(s.kind)) return lack(`statement ${s.kind}`);
    let inner = ctx;
    switch (s.kind) {
      case "def": {
        const gen = containsYield(s.body ?? []);
        if (s.generator) lack("def with generator: true");
        if (s.calls) lack("per-call bodies (calls)");
        if (gen && !s.async) lack("generator functions (def with yield)");
        inner = { async: !!s.async, gen, loop: false, where: "def" };
        break;
      }
      case "yield":
        if (!ctx.gen) lack("yield outside a function");
        break;
      case "return":
        if (ctx.where === "module") lack("return at module level");
        if (ctx.gen && s.expr) lack("return with a value in an async generator");
        break;
      case "break":
      case "continue":
        if (!ctx.loop) lack(`${s.kind} outside a loop`);
        break;
      case "async_for":
        if (!ctx.async) lack("async for outside an async function");
        inner = { ...ctx, loop: true };
        break;
      case "for":
        inner = { ...ctx, loop: true };
        break;
      case "try":
        for (const h of s.handlers ?? []) if (h.type !== undefined && !(h.type in EXCEPTIONS)) lack(`name ${h.type}`);
        break;
    }
    for (const f of EXPR_ONE) if (s[f]) walkE(s[f], ctx);
    for (const f of ["body"]) (s[f] ?? []).forEach((x) => walkS(x, inner));
    // else of a loop is outside the loop; try blocks share the context.
    const after = s.kind === "def" ? inner : ctx;
    for (const f of ["else", "finally"]) (s[f] ?? []).forEach((x) => walkS(x, after));
    for (const h of s.handlers ?? []) (h.body ?? []).forEach((x) => walkS(x, ctx));
  };
  (sc.module ?? []).forEach((s) => walkS(s, { async: false, gen: false, loop: false, where: "module" }));
  (sc.main ?? []).forEach((s) => walkS(s, { async: true, gen: false, loop: false, where: "main" }));
  return missing;
}

// ---------------------------------------------------------------------------
// Values. None null, bool boolean, int BigInt, float PyFloat, str string,
// list PyList, tuple PyTuple, exceptions PyExc, functions PyFunction, async
// generator objects are native AsyncGenerator objects.

class PyFloat {
  constructor(v) {
    this.v = v;
  }
}
class PyList {
  constructor(items) {
    this.items = items;
  }
}
class PyTuple {
  constructor(items) {
    this.items = items;
  }
}
class PyExc extends Error {
  constructor(type, message = "", cause = null) {
    super(`${type}: ${message}`);
    this.pyType = type;
    this.pyMessage = message;
    this.pyCause = cause;
  }
}
class ExcClass {
  constructor(name) {
    this.name = name;
  }
}
class PyFunction {
  constructor(def, closure) {
    this.def = def;
    this.closure = closure;
    this.gen = containsYield(def.body ?? []);
  }
}
class Builtin {
  constructor(name, fn) {
    this.name = name;
    this.fn = fn;
  }
}
// A coroutine (from calling an async def) or another awaitable: nothing
// runs until it is awaited, as in Python. None of these has a `then`, so
// JavaScript's own await never mistakes them for promises.
class Awaitable {
  constructor(typeName, run) {
    this.typeName = typeName;
    this.runFn = run;
    this.used = false;
  }
  run() {
    if (this.used) {
      const what = this.typeName === "coroutine" ? "coroutine" : "__anext__()/asend()";
      throw new PyExc("RuntimeError", `cannot reuse already awaited ${what}`);
    }
    this.used = true;
    return this.runFn();
  }
}

const isAsyncGen = (x) => Object.prototype.toString.call(x) === "[object AsyncGenerator]";

function typeName(v) {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "bigint") return "int";
  if (typeof v === "string") return "str";
  if (v instanceof PyFloat) return "float";
  if (v instanceof PyList) return "list";
  if (v instanceof PyTuple) return "tuple";
  if (v instanceof PyExc) return v.pyType;
  if (v instanceof ExcClass) return "type";
  if (v instanceof PyFunction) return "function";
  if (v instanceof Builtin) return "builtin_function_or_method";
  if (v instanceof Awaitable) return v.typeName;
  if (isAsyncGen(v)) return "async_generator";
  return "object";
}

function isSubclass(type, of) {
  for (let t = type; t; t = EXCEPTIONS[t]) if (t === of) return true;
  return false;
}

function pyRepr(v) {
  if (typeof v === "string") {
    const q = v.includes("'") && !v.includes('"') ? '"' : "'";
    return q + v.replace(/\\/g, "\\\\").replace(new RegExp(q, "g"), "\\" + q).replace(/\n/g, "\\n").replace(/\t/g, "\\t") + q;
  }
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "bigint") return v.toString();
  if (v instanceof PyFloat) return floatText(v.v);
  if (v instanceof PyList) return `[${v.items.map(pyRepr).join(", ")}]`;
  if (v instanceof PyTuple) return v.items.length === 1 ? `(${pyRepr(v.items[0])},)` : `(${v.items.map(pyRepr).join(", ")})`;
  if (v instanceof PyExc) return `${v.pyType}(${v.pyMessage ? pyRepr(v.pyMessage) : ""})`;
  return `<${typeName(v)} object>`;
}

const pyStr = (v) => (typeof v === "string" ? v : pyRepr(v));

function floatText(f) {
  const s = String(f);
  return /^-?\d+$/.test(s) ? s + ".0" : s;
}

// newException builds an instance the way calling the class does: str(e) is
// the argument, a tuple of several, or repr(key) for KeyError.
function newException(type, args) {
  let msg = "";
  if (args.length === 1) msg = type === "KeyError" ? pyRepr(args[0]) : pyStr(args[0]);
  else if (args.length > 1) msg = pyRepr(new PyTuple(args));
  return new PyExc(type, msg);
}

function truthy(v) {
  if (v === null || v === false) return false;
  if (typeof v === "bigint") return v !== 0n;
  if (typeof v === "string") return v !== "";
  if (v instanceof PyFloat) return v.v !== 0;
  if (v instanceof PyList || v instanceof PyTuple) return v.items.length > 0;
  return true;
}

const isNum = (v) => typeof v === "bigint" || typeof v === "boolean" || v instanceof PyFloat;
const toBig = (v) => (typeof v === "boolean" ? (v ? 1n : 0n) : v);
const toNum = (v) => (v instanceof PyFloat ? v.v : Number(toBig(v)));

function pyEq(a, b) {
  if (isNum(a) && isNum(b)) {
    return a instanceof PyFloat || b instanceof PyFloat ? toNum(a) === toNum(b) : toBig(a) === toBig(b);
  }
  if ((a instanceof PyList && b instanceof PyList) || (a instanceof PyTuple && b instanceof PyTuple)) {
    return a.items.length === b.items.length && a.items.every((x, i) => pyEq(x, b.items[i]));
  }
  return a === b;
}

function binop(op, a, b) {
  const unsupported = () => {
    throw new PyExc("TypeError", `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
  };
  switch (op) {
    case "==":
      return pyEq(a, b);
    case "!=":
      return !pyEq(a, b);
    case "<":
    case "<=":
    case ">":
    case ">=": {
      let c;
      if (isNum(a) && isNum(b)) {
        c = a instanceof PyFloat || b instanceof PyFloat ? toNum(a) - toNum(b) : Number(toBig(a) - toBig(b));
      } else if (typeof a === "string" && typeof b === "string") {
        c = a < b ? -1 : a > b ? 1 : 0;
      } else {
        throw new PyExc("TypeError", `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
      }
      return { "<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0 }[op];
    }
  }
  if (isNum(a) && isNum(b)) {
    const float = a instanceof PyFloat || b instanceof PyFloat;
    const x = float ? toNum(a) : toBig(a);
    const y = float ? toNum(b) : toBig(b);
    if ((op === "//" || op === "%") && (float ? y === 0 : y === 0n)) {
      throw new PyExc("ZeroDivisionError", float ? (op === "//" ? "float floor division by zero" : "float modulo") : "integer division or modulo by zero");
    }
    const wrap = (r) => (float ? new PyFloat(r) : r);
    switch (op) {
      case "+":
        return wrap(x + y);
      case "-":
        return wrap(x - y);
      case "*":
        return wrap(x * y);
      case "//": {
        if (float) return wrap(Math.floor(x / y));
        const q = x / y;
        return (x % y !== 0n) && ((x < 0n) !== (y < 0n)) ? q - 1n : q;
      }
      case "%": {
        if (float) return wrap(x - y * Math.floor(x / y));
        const r = x % y;
        return r !== 0n && ((r < 0n) !== (y < 0n)) ? r + y : r;
      }
    }
  }
  if (op === "+") {
    if (typeof a === "string" && typeof b === "string") return a + b;
    if (a instanceof PyList && b instanceof PyList) return new PyList([...a.items, ...b.items]);
    if (a instanceof PyTuple && b instanceof PyTuple) return new PyTuple([...a.items, ...b.items]);
  }
  return unsupported();
}

// litToValue turns a lit's JSON into a fresh value (a list display builds a
// new list each time it runs).
function litToValue(v) {
  if (v instanceof JNum) return /[.eE]/.test(v.text) ? new PyFloat(Number(v.text)) : BigInt(v.text);
  if (v === null || typeof v !== "object") return v;
  if (v.list) return new PyList(v.list.map(litToValue));
  return new PyTuple(v.tuple.map(litToValue));
}

// encode gives a value's JSON encoding (FORMAT.md, Values).
function encode(v) {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return String(v);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string") return jstr(v);
  if (v instanceof PyFloat) return Number.isFinite(v.v) ? floatText(v.v) : `{"object":"float"}`;
  if (v instanceof PyList) return `{"list":[${v.items.map(encode).join(",")}]}`;
  if (v instanceof PyTuple) return `{"tuple":[${v.items.map(encode).join(",")}]}`;
  if (v instanceof PyExc) return `{"exception":{"type":${jstr(v.pyType)},"message":${jstr(v.pyMessage)}}}`;
  return `{"object":${jstr(typeName(v))}}`;
}

function raisedFields(e) {
  let s = `"type":${jstr(e.pyType)},"message":${jstr(e.pyMessage)}`;
  if (e.pyCause) s += `,"cause":{${raisedFields(e.pyCause)}}`;
  return s;
}

// toPy turns what JavaScript threw into a Python exception, or rethrows it:
// an error that is not the scenario's is a bug of this harness.
function toPy(e) {
  if (e instanceof PyExc) return e;
  if (e instanceof RangeError && /call stack/.test(e.message)) return new PyExc("RecursionError", "maximum recursion depth exceeded");
  throw e;
}

// ---------------------------------------------------------------------------
// The interpreter. Statements run in async generator functions, so that a
// `yield` statement anywhere in a def's body is a real yield of the native
// async generator the def became (through yield*). A block returns a
// completion: undefined, or {k: "break" | "continue" | "return", v}.

class Frame {
  constructor(parent, locals) {
    this.vars = new Map();
    this.parent = parent; // the enclosing frame, for closures and globals
    this.locals = locals; // names a def binds (null for the global frame)
    this.handling = []; // exceptions being handled, for a bare raise
  }
}

const BUILTINS = new Map([
  ["anext", new Builtin("anext", anext)],
  ["aiter", new Builtin("aiter", aiter)],
  ...Object.keys(EXCEPTIONS).map((n) => [n, new ExcClass(n)]),
]);

class Run {
  constructor() {
    this.observations = [];
    this.globals = new Frame(null, null);
    this.started = new Set(); // async generators iterated at least once, unfinished
  }

  lookup(f, name) {
    for (let fr = f; fr; fr = fr.parent) if (fr.vars.has(name)) return fr.vars.get(name);
    if (BUILTINS.has(name)) return BUILTINS.get(name);
    if (f.locals && f.locals.has(name)) {
      throw new PyExc("UnboundLocalError", `cannot access local variable '${name}' where it is not associated with a value`);
    }
    throw new PyExc("NameError", `name '${name}' is not defined`);
  }

  // step advances an async iterator, remembering generators that started
  // so that the end of main can finalise them as asyncio.run does.
  async step(it) {
    if (isAsyncGen(it)) this.started.add(it);
    let r;
    try {
      r = await it.next();
    } catch (e) {
      this.started.delete(it);
      throw e;
    }
    if (r.done) this.started.delete(it);
    return r;
  }

  async *block(stmts, f) {
    for (const s of stmts ?? []) {
      const c = yield* this.stmt(s, f);
      if (c) return c;
    }
    return undefined;
  }

  async *stmt(s, f) {
    switch (s.kind) {
      case "pass":
        return;
      case "def":
        f.vars.set(s.name, new PyFunction(s, f));
        return;
      case "let":
        f.vars.set(s.name, await this.expr(s.expr, f));
        return;
      case "expr":
        await this.expr(s.expr, f);
        return;
      case "observe":
        this.observations.push(`{"kind":"value","value":${encode(await this.expr(s.expr, f))}}`);
        return;
      case "emit": {
        const v = s.expr ? `,"value":${encode(await this.expr(s.expr, f))}` : "";
        this.observations.push(`{"kind":"event","event":${jstr(s.event)}${v}}`);
        return;
      }
      case "yield":
        yield s.expr ? await this.expr(s.expr, f) : null;
        return;
      case "return":
        return { k: "return", v: s.expr ? await this.expr(s.expr, f) : null };
      case "break":
      case "continue":
        return { k: s.kind };
      case "raise": {
        if (!s.expr) {
          if (!f.handling.length) throw new PyExc("RuntimeError", "No active exception to reraise");
          throw f.handling[f.handling.length - 1];
        }
        const x = await this.expr(s.expr, f);
        if (x instanceof ExcClass) throw new PyExc(x.name);
        if (x instanceof PyExc) throw x;
        throw new PyExc("TypeError", "exceptions must derive from BaseException");
      }
      case "if":
        return yield* this.block(truthy(await this.expr(s.cond, f)) ? s.body : s.else, f);
      case "for": {
        const it = await this.expr(s.iter, f);
        let items;
        if (it instanceof PyList || it instanceof PyTuple) items = it.items;
        else if (typeof it === "string") items = [...it];
        else throw new PyExc("TypeError", `'${typeName(it)}' object is not iterable`);
        for (const x of items) {
          f.vars.set(s.target, x);
          const c = yield* this.block(s.body, f);
          if (c?.k === "break") return;
          if (c?.k === "return") return c;
        }
        return yield* this.block(s.else, f);
      }
      case "async_for": {
        const iterable = await this.expr(s.iter, f);
        if (iterable === null || typeof iterable !== "object" || typeof iterable[Symbol.asyncIterator] !== "function") {
          throw new PyExc("TypeError", `'async for' requires an object with __aiter__ method, got ${typeName(iterable)}`);
        }
        const it = iterable[Symbol.asyncIterator]();
        // A loop by hand rather than for await: breaking out of for await
        // would call it.return(), closing the generator, and Python's async
        // for leaves it open.
        for (;;) {
          const r = await this.step(it);
          if (r.done) break;
          f.vars.set(s.target, r.value);
          const c = yield* this.block(s.body, f);
          if (c?.k === "break") return;
          if (c?.k === "return") return c;
        }
        return yield* this.block(s.else, f);
      }
      case "try":
        return yield* this.try(s, f);
    }
    throw new Error(`statement ${s.kind} passed the check but has no implementation`);
  }

  async *try(s, f) {
    let c;
    try {
      let raised = false;
      try {
        c = yield* this.block(s.body, f);
      } catch (e) {
        const pe = toPy(e);
        const h = (s.handlers ?? []).find((h) => h.type === undefined || isSubclass(pe.pyType, h.type));
        if (!h) throw e;
        raised = true;
        if (h.as) f.vars.set(h.as, pe);
        f.handling.push(pe);
        try {
          c = yield* this.block(h.body, f);
        } finally {
          f.handling.pop();
          if (h.as) f.vars.delete(h.as); // Python unbinds the name after the handler
        }
      }
      if (!raised && !c) c = yield* this.block(s.else, f);
    } finally {
      if (s.finally) {
        // A break or return in finally wins over the exception, in Python
        // as in JavaScript.
        const fc = yield* this.block(s.finally, f);
        if (fc) return fc;
      }
    }
    return c;
  }

  async expr(e, f) {
    switch (e.kind) {
      case "lit":
        return litToValue(e.value);
      case "var":
        return this.lookup(f, e.name);
      case "list":
        return new PyList(await this.all(e.items, f));
      case "tuple":
        return new PyTuple(await this.all(e.items, f));
      case "not":
        return !truthy(await this.expr(e.expr, f));
      case "typename":
        return typeName(await this.expr(e.of, f));
      case "is": {
        const a = await this.expr(e.left, f);
        const b = await this.expr(e.right, f);
        // CPython shares small ints; other values are the same object only
        // if they are.
        if (typeof a === "bigint" && typeof b === "bigint") return a === b && a >= -5n && a <= 256n;
        return a === b;
      }
      case "binop": {
        const a = await this.expr(e.left, f);
        if (e.op === "and") return truthy(a) ? await this.expr(e.right, f) : a;
        if (e.op === "or") return truthy(a) ? a : await this.expr(e.right, f);
        return binop(e.op, a, await this.expr(e.right, f));
      }
      case "await": {
        const a = await this.expr(e.expr, f);
        if (!(a instanceof Awaitable)) throw new PyExc("TypeError", `object ${typeName(a)} can't be used in 'await' expression`);
        return await a.run();
      }
      case "call": {
        const fn = this.lookup(f, e.func);
        return this.call(fn, await this.all(e.args, f));
      }
    }
    throw new Error(`expression ${e.kind} passed the check but has no implementation`);
  }

  async all(exprs, f) {
    const out = [];
    for (const x of exprs ?? []) out.push(await this.expr(x, f));
    return out;
  }

  call(fn, args) {
    if (fn instanceof ExcClass) return newException(fn.name, args);
    if (fn instanceof Builtin) return fn.fn(this, args);
    if (!(fn instanceof PyFunction)) throw new PyExc("TypeError", `'${typeName(fn)}' object is not callable`);
    const d = fn.def;
    const params = d.params ?? [];
    if (args.length > params.length) {
      throw new PyExc("TypeError", `${d.name}() takes ${params.length} positional argument${params.length === 1 ? "" : "s"} but ${args.length} ${args.length === 1 ? "was" : "were"} given`);
    }
    if (args.length < params.length) {
      const names = params.slice(args.length).map((p) => `'${p}'`);
      const list = names.length === 1 ? names[0] : names.length === 2 ? names.join(" and ") : `${names.slice(0, -1).join(", ")}, and ${names.at(-1)}`;
      throw new PyExc("TypeError", `${d.name}() missing ${names.length} required positional argument${names.length === 1 ? "" : "s"}: ${list}`);
    }
    const frame = new Frame(fn.closure, boundNames(d));
    params.forEach((p, i) => frame.vars.set(p, args[i]));
    const run = this;
    if (fn.gen) {
      // The def becomes a real async generator function.
      return (async function* asyncGenerator() {
        try {
          yield* run.block(d.body, frame);
        } catch (e) {
          if (e instanceof PyExc && isSubclass(e.pyType, "StopAsyncIteration")) {
            throw new PyExc("RuntimeError", "async generator raised StopAsyncIteration", e);
          }
          throw e;
        }
      })();
    }
    const body = async () => (await drive(run.block(d.body, frame)))?.v ?? null;
    if (d.async) return new Awaitable("coroutine", body);
    return body();
  }
}

// boundNames lists the names a def binds (its locals), as Python decides
// them: parameters, let targets, loop targets, except-as names, nested defs.
function boundNames(d) {
  const names = new Set(d.params ?? []);
  const walk = (stmts) => {
    for (const s of stmts ?? []) {
      if (s.kind === "let" || s.kind === "def") names.add(s.name);
      if (s.kind === "for" || s.kind === "async_for") names.add(s.target);
      if (s.kind === "def") continue;
      for (const h of s.handlers ?? []) {
        if (h.as) names.add(h.as);
        walk(h.body);
      }
      for (const f of STMT_LISTS) walk(s[f]);
    }
  };
  walk(d.body);
  return names;
}

// drive runs a block that cannot yield (main, a coroutine, a plain def).
async function drive(gen) {
  const r = await gen.next();
  if (!r.done) throw new Error("yield outside a generator passed the check");
  return r.value;
}

function anext(run, args) {
  if (args.length < 1 || args.length > 2) throw new PyExc("TypeError", `anext expected 1 or 2 arguments, got ${args.length}`);
  const [it] = args;
  if (it === null || typeof it !== "object" || typeof it.next !== "function" || typeof it[Symbol.asyncIterator] !== "function") {
    throw new PyExc("TypeError", `'${typeName(it)}' object is not an async iterator`);
  }
  // A promise-like step of it.next(), started when awaited; the end of the
  // iteration is StopAsyncIteration, or the default.
  return new Awaitable(args.length === 2 ? "anext_awaitable" : "async_generator_asend", async () => {
    const r = await run.step(it);
    if (!r.done) return r.value;
    if (args.length === 2) return args[1];
    throw new PyExc("StopAsyncIteration");
  });
}

function aiter(run, args) {
  if (args.length !== 1) throw new PyExc("TypeError", `aiter expected 1 argument, got ${args.length}`);
  const [x] = args;
  if (x === null || typeof x !== "object" || typeof x[Symbol.asyncIterator] !== "function") {
    throw new PyExc("TypeError", `'${typeName(x)}' object is not an async iterable`);
  }
  return x[Symbol.asyncIterator]();
}

// runScenario runs module and main, each top-level statement wrapped so
// that an escaping exception is observed and the next statement runs.
async function runScenario(sc) {
  const run = new Run();
  const f = run.globals;
  const top = async (s) => {
    try {
      return await drive(run.stmt(s, f));
    } catch (e) {
      const pe = toPy(e);
      run.observations.push(`{"kind":"raised",${raisedFields(pe)}}`);
    }
  };
  for (const s of sc.module ?? []) await top(s);
  for (const s of sc.main ?? []) {
    const c = await top(s);
    if (c?.k === "return") break;
  }
  // asyncio.run closes the async generators main left suspended.
  for (const g of [...run.started]) {
    try {
      await g.return(null);
    } catch (e) {
      console.error("an async generator raised while being closed:", e);
    }
  }
  return run.observations;
}

// ---------------------------------------------------------------------------
// The protocol loop.

async function handle(line) {
  let msg;
  try {
    msg = parseJSON(line);
  } catch (e) {
    return send(`{"type":"error","reason":${jstr("not JSON: " + e.message)}}`);
  }
  if (!isObject(msg)) return send(`{"type":"error","reason":"not a JSON object"}`);
  if (msg.type === "shutdown") process.exit(0);
  if (msg.type !== "run") return send(`{"type":"error","reason":${jstr(`unknown message type ${jstr(msg.type ?? null)}`)}}`);
  if (typeof msg.id !== "string") return send(`{"type":"error","reason":"a run request needs a string id"}`);
  const result = (rest) => send(`{"type":"result","id":${jstr(msg.id)},${rest}}`);
  try {
    decodeScenario(msg.scenario);
  } catch (e) {
    if (!(e instanceof Malformed)) throw e;
    return result(`"state":"error","reason":${jstr(e.message)}`);
  }
  const missing = check(msg.scenario);
  if (missing.length) {
    return result(`"state":"unsupported","missing":${jstr(missing)},"reason":${jstr("the minimal Node harness cannot express: " + missing.join(", "))}`);
  }
  try {
    const obs = await runScenario(msg.scenario);
    result(`"state":"completed","observations":[${obs.join(",")}]`);
  } catch (e) {
    result(`"state":"error","reason":${jstr("harness bug: " + (e?.stack ?? e))}`);
  }
}

send(
  `{"type":"hello","protocol":${PROTOCOL},` +
    `"implementation":{"name":"node-minimal","version":${jstr(process.versions.node)}},` +
    `"language":{"name":"python","version":"3.11"},"capabilities":${jstr(CAPABILITIES)}}`,
);

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) await handle(line);
process.exit(0);
