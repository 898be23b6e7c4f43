// The JavaScript static rules of `invoke check`, read from acorn's syntax tree: a learner's file comes
// on stdin, the findings go to stdout as JSON, {"<analysis>": [[line, name, ...], ...]}, under the
// analysis names of runner/languages/registry.yaml. A file acorn cannot parse gets no findings: running
// it says what is wrong, in Node's own words.
import { parse } from "acorn";
import { full, simple } from "acorn-walk";
import { readFileSync } from "node:fs";

// Modules whose named exports all return promises.
const PROMISE_MODULES = new Set(["timers/promises", "fs/promises", "stream/promises", "dns/promises"]);
// Calls that return a promise wherever they are: the global fetch, and Promise's combinators.
const PROMISE_CALLS = new Set(["fetch", "Promise.all", "Promise.allSettled", "Promise.race", "Promise.any"]);
// Array methods that call back once per element and drop what the callback returns.
const DROPPING = new Set(["forEach"]);

const source = readFileSync(0, "utf8");
let tree;
try {
  tree = parse(source, { ecmaVersion: "latest", sourceType: "module", locations: true, allowHashBang: true,
                         allowAwaitOutsideFunction: true });
} catch {
  process.stdout.write("{}\n");
  process.exit(0);
}

const isFunction = (node) => node && /^(FunctionDeclaration|FunctionExpression|ArrowFunctionExpression)$/.test(node.type);
const text = (node) => source.slice(node.start, node.end);
const short = (node) => { const t = text(node).replace(/\s+/g, " "); return t.length > 50 ? t.slice(0, 47) + "..." : t; };
const keyName = (key) => key && (key.type === "Identifier" ? key.name : key.type === "Literal" ? String(key.value) : null);

// What a call is called: `cook`, `shelf.put` (`put` is what a method is known by), `Promise.all`.
function calleeName(callee) {
  if (callee.type === "Identifier") return { name: callee.name, shown: callee.name };
  if (callee.type === "MemberExpression" && !callee.computed) {
    const method = keyName(callee.property);
    const shown = text(callee).length <= 40 ? text(callee).replace(/\s+/g, "") : method;
    return { name: method, shown, whole: text(callee).replace(/\s+/g, ""), member: true };
  }
  return null;
}

// The file's own async functions and methods, the promise-returning imports, and plain functions that
// return a promise (`return new Promise(...)`, or the promise of an async call): found until none is added.
const asyncNames = new Set();
const asyncMethods = new Set();
const plainFunctions = [];  // [name, function node]
full(tree, (node) => {
  if (node.type === "ImportDeclaration" && PROMISE_MODULES.has(String(node.source.value).replace(/^node:/, ""))) {
    for (const spec of node.specifiers) if (spec.type === "ImportSpecifier") asyncNames.add(spec.local.name);
  } else if (node.type === "FunctionDeclaration" && node.id) {
    if (node.async) asyncNames.add(node.id.name); else plainFunctions.push([node.id.name, node]);
  } else if (node.type === "VariableDeclarator" && node.id.type === "Identifier" && isFunction(node.init)) {
    if (node.init.async) asyncNames.add(node.id.name); else plainFunctions.push([node.id.name, node.init]);
  } else if ((node.type === "MethodDefinition" || node.type === "Property") && isFunction(node.value)
             && node.value.async && keyName(node.key)) {
    asyncMethods.add(keyName(node.key));
  }
});

function returnsPromise(call) {
  const callee = call.type === "CallExpression" && calleeName(call.callee);
  if (!callee) return false;
  if (PROMISE_CALLS.has(callee.whole ?? callee.name)) return true;
  return callee.member ? asyncMethods.has(callee.name) : asyncNames.has(callee.name);
}

function givesPromise(fn) {
  if (fn.body.type !== "BlockStatement") return fn.body.type === "NewExpression" && text(fn.body.callee) === "Promise"
    || returnsPromise(fn.body);
  let found = false;
  full(fn.body, (node) => {
    if (node.type === "ReturnStatement" && node.argument && (returnsPromise(node.argument)
        || node.argument.type === "NewExpression" && text(node.argument.callee) === "Promise")) found = true;
  });
  return found;
}

for (let added = true; added;) {
  added = false;
  for (const [name, fn] of plainFunctions) {
    if (!asyncNames.has(name) && givesPromise(fn)) { asyncNames.add(name); added = true; }
  }
}

// A statement that is only a promise: `cook();`, `cook().then(show);` - dropped, unless a `.catch(...)`
// or a `.then(ok, failed)` handles its errors. `void cook()` drops it on purpose.
function dropped(expression) {
  let call = expression;
  while (call.type === "CallExpression" && call.callee.type === "MemberExpression"
         && ["then", "catch", "finally"].includes(keyName(call.callee.property))) {
    const method = keyName(call.callee.property);
    if (method === "catch" || (method === "then" && call.arguments.length >= 2)) return null;
    call = call.callee.object;
  }
  return call.type === "CallExpression" && returnsPromise(call) ? call : null;
}

const findings = { "javascript-floating-promise": [], "javascript-foreach-async": [],
                   "javascript-blocking-call": [], "javascript-busy-wait": [] };
const line = (node) => node.loc.start.line;
const emptyBody = (body) => body.type === "EmptyStatement" || (body.type === "BlockStatement"
  && body.body.every((statement) => statement.type === "EmptyStatement" || statement.type === "ContinueStatement"));
// A condition that awaits (`while ((line = await next()) !== null) {}`) lets other work run: no spin. An
// await inside a function written in the condition does not count: nothing waits for that function.
const awaits = (node) => {
  let found = false;
  const visit = (part) => {
    if (!part || typeof part.type !== "string" || found || isFunction(part)) return;
    if (part.type === "AwaitExpression") { found = true; return; }
    for (const value of Object.values(part)) {
      for (const child of Array.isArray(value) ? value : [value]) if (child && typeof child === "object") visit(child);
    }
  };
  visit(node);
  return found;
};
const spins = (node) => emptyBody(node.body) && !awaits(node.test);

simple(tree, {
  ExpressionStatement(node) {
    const call = dropped(node.expression);
    if (call) findings["javascript-floating-promise"].push([line(node), calleeName(call.callee).shown]);
  },
  CallExpression(node) {
    const callee = calleeName(node.callee);
    if (!callee) return;
    const callback = node.arguments[0];
    if (callee.member && DROPPING.has(callee.name) && callback
        && (isFunction(callback) ? callback.async : callback.type === "Identifier" && asyncNames.has(callback.name))) {
      findings["javascript-foreach-async"].push([line(node), callee.name, isFunction(callback) ? "async (...) => ..." : callback.name]);
    }
    if (callee.whole === "Atomics.wait" || /^\w+Sync$/.test(callee.name)) {
      findings["javascript-blocking-call"].push([line(node), callee.whole === "Atomics.wait" ? "Atomics.wait" : callee.name]);
    }
  },
  WhileStatement(node) {
    if (spins(node)) findings["javascript-busy-wait"].push([line(node), `while (${short(node.test)})`]);
  },
  DoWhileStatement(node) {
    if (spins(node)) findings["javascript-busy-wait"].push([line(node), `do {} while (${short(node.test)})`]);
  },
  ForStatement(node) {
    if (!node.test && emptyBody(node.body)) findings["javascript-busy-wait"].push([line(node), "for (;;)"]);
  },
});
process.stdout.write(JSON.stringify(findings) + "\n");
