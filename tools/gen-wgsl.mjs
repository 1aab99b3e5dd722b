// Why: the WGSL kernels repeat helpers across files (the convolution and pool Params, the workgroup
// tile loop) and, inside a file, unrolled accumulator ladders (`if (TP > 3u) { acc0d = … }`) that
// SwiftShader needs written out. Copies kept in step by hand drift; this script writes them from one
// source, and its output is committed, so shaders/*.wgsl stay the plain files the kernels import.
//
// A shader marks each generated region with a directive line and an end line:
//
//   // @generated include <part> [name=value …] — free text
//   …the text of shaders/parts/<part>.wgsl, {{name}} substituted, each line indented like the directive
//   // @end
//
//   // @generated ladder <name>=<values> [name=<values> …] — free text
//   //| template line, {{name}} substituted
//   //| @for(<name>=<values> …) a template line repeated over its own values (a nested ladder)
//   …the template once per value, lines indented like the directive plus their indentation after `//| `
//   // @end
//
// Values: one token (`x`, `4`), an inclusive range of integers or of single letters (`1..7`, `b..h`),
// or a comma list (`a0,b0,c0`). A ladder's (or @for's) multi-valued names must have equal lengths and
// are stepped together; one-value names are constants. Inside `{{ }}` stands a name, or integer
// arithmetic of integer-valued names and literals: + - * / % and parentheses (`{{4*i}}`, `{{(i+1)*2}}`).
// Substitution is plain text: no WGSL is parsed. Every name given must be used, and every name used
// given. Text before ` — ` on the directive line is the directive; after it, a comment for readers.
//
//   node tools/gen-wgsl.mjs           rewrites the regions of shaders/*.wgsl (`npm run gen:wgsl`)
//   node tools/gen-wgsl.mjs --check   writes nothing; exits 1 naming each stale region or bad directive
//                                     (both modes also name a part that no shader includes)
//   --root DIR                        works on DIR/shaders instead of the repository's (for tests)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIRECTIVE = /^(\s*)\/\/ @generated(?:\s+(.*))?$/;
const TEMPLATE = /^\s*\/\/\|(?: (.*))?$/;
const END = /^\s*\/\/ @end\s*$/;
const NAME = /^[A-Za-z_]\w*$/;

/** A directive's mistake, reported as file:line: message. */
export class GenError extends Error {}

/** `1..7`, `b..h`, `a,b,c` or one token → the list of values. */
export function parseValues(spec) {
  const range = /^(-?\d+)\.\.(-?\d+)$/.exec(spec) ?? /^([a-zA-Z])\.\.([a-zA-Z])$/.exec(spec);
  if (range) {
    const numeric = /\d/.test(range[1]);
    const from = numeric ? Number(range[1]) : range[1].charCodeAt(0);
    const to = numeric ? Number(range[2]) : range[2].charCodeAt(0);
    if (to < from) throw new GenError(`range ${spec} runs backwards`);
    return Array.from({ length: to - from + 1 }, (_, i) => (numeric ? String(from + i) : String.fromCharCode(from + i)));
  }
  if (spec.includes('..')) throw new GenError(`bad range ${spec} (want 1..7 or b..h)`);
  const list = spec.split(',');
  if (list.some((v) => v === '')) throw new GenError(`empty value in ${spec}`);
  return list;
}

/** `name=values …` → a Map name → values (each a list). */
function parseBindings(tokens) {
  const out = new Map();
  for (const t of tokens) {
    const eq = t.indexOf('=');
    const name = t.slice(0, eq);
    if (eq < 1 || !NAME.test(name)) throw new GenError(`expected name=values, got "${t}"`);
    if (out.has(name)) throw new GenError(`${name} is given twice`);
    out.set(name, parseValues(t.slice(eq + 1)));
  }
  return out;
}

/** The rows of a ladder: one object name → value per step; one-value names repeat. */
function steps(bindings) {
  const lengths = new Set([...bindings.values()].map((v) => v.length).filter((n) => n > 1));
  if (lengths.size > 1) {
    const desc = [...bindings].map(([k, v]) => `${k} has ${v.length}`).join(', ');
    throw new GenError(`the ladder's value lists differ in length (${desc})`);
  }
  const n = lengths.size ? [...lengths][0] : 1;
  return Array.from({ length: n }, (_, i) => Object.fromEntries([...bindings].map(([k, v]) => [k, v.length > 1 ? v[i] : v[0]])));
}

/** Integer arithmetic over + - * / % ( ) of literals and integer-valued names (no eval). */
function evaluate(expr, vars) {
  const tokens = expr.match(/\d+|[A-Za-z_]\w*|[-+*/%()]|\S/g) ?? [];
  let i = 0;
  const fail = (why) => {
    throw new GenError(`{{${expr}}}: ${why}`);
  };
  const factor = () => {
    const t = tokens[i++];
    if (t === undefined) fail('ends too early');
    if (t === '(') {
      const v = sum();
      if (tokens[i++] !== ')') fail('missing )');
      return v;
    }
    if (t === '-') return -factor();
    if (/^\d+$/.test(t)) return Number(t);
    if (NAME.test(t)) {
      if (!(t in vars)) fail(`unknown name ${t} (known: ${Object.keys(vars).join(', ') || 'none'})`);
      if (!/^-?\d+$/.test(vars[t])) fail(`${t} = ${vars[t]} is not an integer, so no arithmetic on it`);
      return Number(vars[t]);
    }
    return fail(`unexpected "${t}"`);
  };
  const product = () => {
    let v = factor();
    while (['*', '/', '%'].includes(tokens[i])) {
      const op = tokens[i++];
      const r = factor();
      if (op !== '*' && r === 0) fail('division by zero');
      v = op === '*' ? v * r : op === '/' ? Math.trunc(v / r) : v % r;
    }
    return v;
  };
  const sum = () => {
    let v = product();
    while (tokens[i] === '+' || tokens[i] === '-') v = tokens[i++] === '+' ? v + product() : v - product();
    return v;
  };
  const v = sum();
  if (i < tokens.length) fail(`unexpected "${tokens[i]}"`);
  return String(v);
}

/** `text` with each {{expr}} replaced; records the names it used in `used`. */
export function substitute(text, vars, used = new Set()) {
  return text.replace(/\{\{([^{}]*)\}\}/g, (_, raw) => {
    const expr = raw.trim();
    if (NAME.test(expr)) {
      if (!(expr in vars)) throw new GenError(`{{${expr}}}: unknown name ${expr} (known: ${Object.keys(vars).join(', ') || 'none'})`);
      used.add(expr);
      return vars[expr];
    }
    for (const n of expr.match(/[A-Za-z_]\w*/g) ?? []) used.add(n);
    return evaluate(expr, vars);
  });
}

function checkAllUsed(bindings, used, what) {
  const unused = [...bindings.keys()].filter((k) => !used.has(k));
  if (unused.length) throw new GenError(`${what} never uses ${unused.map((k) => `{{${k}}}`).join(', ')}`);
}

/** A ladder's template lines (text after `//| `) expanded over its steps, @for lines nested. */
export function expandLadder(template, bindings) {
  const used = new Set();
  const out = [];
  for (const vars of steps(bindings)) {
    for (const line of template) {
      const m = /^(\s*)@for\(([^)]*)\)\s?(.*)$/.exec(line);
      if (!m) {
        out.push(substitute(line, vars, used));
        continue;
      }
      const inner = parseBindings(m[2].trim().split(/\s+/).filter(Boolean));
      if (!inner.size) throw new GenError('@for() names no values');
      const innerUsed = new Set();
      for (const v of steps(inner)) out.push(m[1] + substitute(m[3], { ...vars, ...v }, innerUsed));
      checkAllUsed(inner, innerUsed, '@for line');
      for (const n of innerUsed) if (!inner.has(n)) used.add(n);
    }
  }
  checkAllUsed(bindings, used, 'the template');
  return out;
}

/** A part's lines with its names substituted (every name one value). */
export function expandInclude(partText, bindings, partName) {
  for (const [k, v] of bindings) if (v.length !== 1) throw new GenError(`include takes one value per name; ${k} has ${v.length}`);
  const vars = Object.fromEntries([...bindings].map(([k, v]) => [k, v[0]]));
  const used = new Set();
  const lines = partText.replace(/\n$/, '').split('\n').map((l) => substitute(l, vars, used));
  checkAllUsed(bindings, used, `part ${partName}`);
  return lines;
}

const indent = (pad, lines) => lines.map((l) => (l.trim() === '' ? '' : pad + l));

/**
 * `text` with every generated region rewritten. readPart(name) returns a part's text or undefined.
 * Returns the new text and, per region, its directive's line and whether it changed; throws a GenError
 * whose message starts with `file:line:` on a malformed directive.
 */
export function expandSource(text, readPart, file = '<shader>') {
  const lines = text.split('\n');
  const out = [];
  const regions = [];
  for (let i = 0; i < lines.length; i++) {
    const d = DIRECTIVE.exec(lines[i]);
    if (!d) {
      if (END.test(lines[i])) throw new GenError(`${file}:${i + 1}: // @end without a // @generated above it`);
      out.push(lines[i]);
      continue;
    }
    const at = i + 1;
    try {
      const [pad, rest = ''] = [d[1], d[2]];
      const [kind, ...args] = rest.split(' — ')[0].trim().split(/\s+/).filter(Boolean);
      out.push(lines[i]);
      const template = [];
      while (i + 1 < lines.length && TEMPLATE.test(lines[i + 1])) {
        template.push(TEMPLATE.exec(lines[++i])[1] ?? '');
        out.push(lines[i]);
      }
      const start = i + 1;
      let end = start;
      while (end < lines.length && !END.test(lines[end])) {
        if (DIRECTIVE.test(lines[end])) throw new GenError(`a second // @generated at line ${end + 1} before this one's // @end`);
        end++;
      }
      if (end === lines.length) throw new GenError('no // @end after this // @generated');
      let body;
      if (kind === 'include') {
        const [name, ...rest2] = args;
        if (!name || name.includes('=')) throw new GenError('include needs a part name: // @generated include <part> [name=value …]');
        if (template.length) throw new GenError('include takes no //| template lines (they belong to a ladder)');
        const part = readPart(name);
        if (part === undefined) throw new GenError(`part shaders/parts/${name}.wgsl not found`);
        body = expandInclude(part, parseBindings(rest2), name);
      } else if (kind === 'ladder') {
        if (!args.length) throw new GenError('ladder needs name=values: // @generated ladder i=1..7 c=b..h');
        if (!template.length) throw new GenError('ladder has no //| template lines under its directive');
        body = expandLadder(template, parseBindings(args));
      } else {
        throw new GenError(`unknown directive "${kind ?? ''}" (want include or ladder)`);
      }
      const generated = indent(pad, body);
      const old = lines.slice(start, end);
      regions.push({ line: at, changed: old.join('\n') !== generated.join('\n') });
      out.push(...generated, lines[end]);
      i = end;
    } catch (e) {
      if (e instanceof GenError && !e.message.startsWith(`${file}:`)) throw new GenError(`${file}:${at}: ${e.message}`);
      throw e;
    }
  }
  return { text: out.join('\n'), regions };
}

/** Regenerates (or with check, only compares) every shaders/*.wgsl under root; returns the report. */
export function run(root, { check = false } = {}) {
  const dir = join(root, 'shaders');
  const parts = join(dir, 'parts');
  const used = new Set();
  const readPart = (name) => {
    const p = join(parts, `${name}.wgsl`);
    if (!/^[\w-]+$/.test(name) || !existsSync(p)) return undefined;
    used.add(name);
    return readFileSync(p, 'utf8');
  };
  const problems = [];
  const written = [];
  let failed = false;
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.wgsl')).sort()) {
    const path = join(dir, name);
    const file = relative(root, path);
    const text = readFileSync(path, 'utf8');
    let result;
    try {
      result = expandSource(text, readPart, file);
    } catch (e) {
      if (!(e instanceof GenError)) throw e;
      problems.push(e.message);
      failed = true;
      continue;
    }
    if (result.text === text) continue;
    if (check) {
      for (const r of result.regions.filter((x) => x.changed)) {
        problems.push(`${file}:${r.line}: generated region is out of date (edited by hand, or its source changed): run npm run gen:wgsl`);
      }
    } else {
      writeFileSync(path, result.text);
      written.push(file);
    }
  }
  // A part no shader includes is dead text that still looks maintained (judged only when every shader
  // expanded: a directive that failed may have been the one to include it).
  const partFiles = existsSync(parts) && !failed ? readdirSync(parts).filter((f) => f.endsWith('.wgsl')).sort() : [];
  for (const f of partFiles) {
    if (!used.has(f.slice(0, -'.wgsl'.length))) problems.push(`${relative(root, join(parts, f))}: no shader includes this part`);
  }
  return { problems, written };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const r = args.indexOf('--root');
  const unknown = args.filter((a, i) => a !== '--check' && a !== '--root' && !(r >= 0 && i === r + 1));
  if (unknown.length || (r >= 0 && !args[r + 1])) {
    console.error(`usage: node tools/gen-wgsl.mjs [--check] [--root DIR] (unexpected: ${unknown.join(' ') || '--root without DIR'})`);
    process.exit(2);
  }
  const root = r >= 0 ? args[r + 1] : join(fileURLToPath(new URL('.', import.meta.url)), '..');
  const { problems, written } = run(root, { check });
  for (const f of written) console.log(`wrote ${f}`);
  for (const p of problems) console.error(p);
  process.exit(problems.length ? 1 : 0);
}
