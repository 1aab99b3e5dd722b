// Why: the cycle check guards the layering; it must find a real cycle and pass a clean graph.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findCycles, importsOf } from './check-cycles.mjs';

test('a chain has no cycle', () => {
  const g = new Map([['a', ['b']], ['b', ['c']], ['c', []]]);
  assert.deepEqual(findCycles(g), []);
});

test('a three-file loop is one cycle naming all three, beside an unrelated file', () => {
  const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
  assert.deepEqual(findCycles(g), [['a', 'b', 'c']]);
});

test('a file importing itself is a cycle', () => {
  assert.deepEqual(findCycles(new Map([['a', ['a']]])), [['a']]);
});

test('relative imports and re-exports are edges; packages and ?raw shaders are not', () => {
  const here = new URL('.', import.meta.url).pathname;
  const text = "import type { X } from './check-cycles.mjs';\nexport { y } from './chromium.mjs';\nimport lit from 'lit';\nimport s from './a.wgsl?raw';";
  // .mjs files are not .ts: resolution finds the exact path, so both relative edges resolve.
  const found = importsOf(`${here}fake.ts`, text).map((p) => p.slice(here.length));
  assert.deepEqual(found, ['check-cycles.mjs', 'chromium.mjs']);
});
