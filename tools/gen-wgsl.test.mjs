// Why: the generated regions of shaders/*.wgsl are committed; these tests keep them equal to what the
// generator writes, and pin each directive's expansion and error messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandSource, parseValues, run } from './gen-wgsl.mjs';

const script = fileURLToPath(new URL('./gen-wgsl.mjs', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

const noParts = () => undefined;
const expand = (lines, parts = {}) => expandSource(lines.join('\n'), (n) => parts[n], 'x.wgsl').text.split('\n');

/** A throwaway repository root with shaders/ (and shaders/parts/) holding the given files. */
function tree(files) {
  const root = mkdtempSync(join(tmpdir(), 'gen-wgsl-'));
  mkdirSync(join(root, 'shaders', 'parts'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'shaders', name), text);
  return root;
}

const cli = (...args) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

test('the committed shaders are what the generator writes (regenerating changes nothing)', () => {
  const r = cli('--check');
  assert.equal(r.stderr, '', 'run npm run gen:wgsl and commit the result');
  assert.equal(r.status, 0);
  // The check must have something to check: the shaders do use both directives.
  const { problems } = run(repo, { check: true });
  assert.deepEqual(problems, []);
  const gemm = readFileSync(join(repo, 'shaders', 'conv2d-gemm.wgsl'), 'utf8');
  assert.match(gemm, /\/\/ @generated ladder /);
  assert.match(gemm, /\/\/ @generated include mac4x4 /);
});

test('values: integer and letter ranges, comma lists, one token; bad ranges are named', () => {
  assert.deepEqual(parseValues('1..4'), ['1', '2', '3', '4']);
  assert.deepEqual(parseValues('b..e'), ['b', 'c', 'd', 'e']);
  assert.deepEqual(parseValues('x,y,z'), ['x', 'y', 'z']);
  assert.deepEqual(parseValues('dy'), ['dy']);
  assert.throws(() => parseValues('7..1'), /range 7\.\.1 runs backwards/);
  assert.throws(() => parseValues('1..b'), /bad range 1\.\.b/);
  assert.throws(() => parseValues('a,,b'), /empty value in a,,b/);
});

test('include copies the part, substitutes its names and indents it like the directive', () => {
  const out = expand(['fn f() {', '  // @generated include body src=dy — note', '  stale', '  // @end', '}'], {
    body: 'let v = {{src}}[i];\n\nif (v > 0.0) {\n  n++;\n}\n',
  });
  assert.deepEqual(out, ['fn f() {', '  // @generated include body src=dy — note', '  let v = dy[i];', '', '  if (v > 0.0) {', '    n++;', '  }', '  // @end', '}']);
});

test('ladder repeats its template over stepped names, with arithmetic and a nested @for line', () => {
  const out = expand([
    '  // @generated ladder c=b..c i=1..2',
    '  //| if (TP > {{i}}u) {',
    '  //|   acc0{{c}} = mac(acc0{{c}}, v{{c}});',
    '  //|   @for(r=1..2) if (RK > {{r}}u) { store(acc{{r}}{{c}}, k0 + {{4*r}}u, {{(i+1)*2-1}}); }',
    '  //| }',
    '  // @end',
  ]);
  assert.deepEqual(out.slice(5, -1), [
    '  if (TP > 1u) {',
    '    acc0b = mac(acc0b, vb);',
    '    if (RK > 1u) { store(acc1b, k0 + 4u, 3); }',
    '    if (RK > 2u) { store(acc2b, k0 + 8u, 3); }',
    '  }',
    '  if (TP > 2u) {',
    '    acc0c = mac(acc0c, vc);',
    '    if (RK > 1u) { store(acc1c, k0 + 4u, 5); }',
    '    if (RK > 2u) { store(acc2c, k0 + 8u, 5); }',
    '  }',
  ]);
});

test('a ladder with one-value names keeps them constant', () => {
  const out = expand(['// @generated ladder q=0..2 v=acc', '//| {{v}}{{q}} = 0;', '// @end']);
  assert.deepEqual(out.slice(2, -1), ['acc0 = 0;', 'acc1 = 0;', 'acc2 = 0;']);
});

test('malformed directives name the file, the line and the mistake', () => {
  const bad = (lines, re, parts = {}) => assert.throws(() => expandSource(lines.join('\n'), (n) => parts[n], 'x.wgsl'), re);
  bad(['a', '// @generated ladder i=1..3', '//| {{i}}'], /x\.wgsl:2: no \/\/ @end after this \/\/ @generated$/);
  bad(['// @generated frobnicate', '// @end'], /x\.wgsl:1: unknown directive "frobnicate" \(want include or ladder\)/);
  bad(['// @generated include nope', '// @end'], /x\.wgsl:1: part shaders\/parts\/nope\.wgsl not found/);
  bad(['// @generated include p', '// @end'], /x\.wgsl:1: \{\{k\}\}: unknown name k \(known: none\)/, { p: '{{k}}' });
  bad(['// @generated include p k=a z=1', '// @end'], /x\.wgsl:1: part p never uses \{\{z\}\}/, { p: '{{k}}' });
  bad(['// @generated ladder i=1..3 c=a..b', '//| {{i}}{{c}}', '// @end'], /x\.wgsl:1: the ladder's value lists differ in length \(i has 3, c has 2\)/);
  bad(['// @generated ladder c=a..b', '//| {{c+1}}', '// @end'], /x\.wgsl:1: \{\{c\+1\}\}: c = a is not an integer/);
  bad(['// @generated ladder i=1..2', '//| {{i +}}', '// @end'], /x\.wgsl:1: \{\{i \+\}\}: ends too early/);
  bad(['// @generated ladder i=1..2', '// @end'], /x\.wgsl:1: ladder has no \/\/\| template lines/);
  bad(['// @generated ladder i', '//| x', '// @end'], /x\.wgsl:1: expected name=values, got "i"/);
  bad(['// @generated ladder i=1..2', '//| {{i}}', '// @generated ladder j=1..2', '// @end'], /x\.wgsl:1: a second \/\/ @generated at line 3/);
  bad(['x', '  // @end'], /x\.wgsl:2: \/\/ @end without a \/\/ @generated above it/);
});

test('--check reports a region edited by hand and writes nothing; a plain run repairs it', () => {
  const good = ['// shader', '// @generated ladder i=0..1', '//| let a{{i}} = {{i}}u;', 'let a0 = 0u;', 'let a1 = 1u;', '// @end', ''].join('\n');
  const root = tree({ 'ok.wgsl': good, 'edited.wgsl': good.replace('let a1 = 1u;', 'let a1 = 7u;') });
  const check = cli('--check', '--root', root);
  assert.equal(check.status, 1);
  assert.match(check.stderr, /shaders\/edited\.wgsl:2: generated region is out of date/);
  assert.doesNotMatch(check.stderr, /ok\.wgsl/);
  assert.match(readFileSync(join(root, 'shaders', 'edited.wgsl'), 'utf8'), /7u/);
  const fix = cli('--root', root);
  assert.equal(fix.status, 0, fix.stderr);
  assert.equal(fix.stdout, 'wrote shaders/edited.wgsl\n');
  assert.equal(readFileSync(join(root, 'shaders', 'edited.wgsl'), 'utf8'), good);
  assert.equal(cli('--check', '--root', root).status, 0);
});

test('--check exits 1 on a malformed directive (file and line), a stale user of a changed part, an unused part', () => {
  const root = tree({ 'a.wgsl': '// a\n// @generated include p\nold\n// @end\n', 'b.wgsl': '// b\n\n// @generated ladder\n//| x\n// @end\n' });
  writeFileSync(join(root, 'shaders', 'parts', 'p.wgsl'), 'new\n');
  writeFileSync(join(root, 'shaders', 'parts', 'orphan.wgsl'), 'x\n');
  const r = cli('--check', '--root', root);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /shaders\/a\.wgsl:2: generated region is out of date/);
  assert.match(r.stderr, /shaders\/b\.wgsl:3: ladder needs name=values/);
  writeFileSync(join(root, 'shaders', 'b.wgsl'), '// b\n');
  const orphan = cli('--check', '--root', root);
  assert.equal(orphan.status, 1);
  assert.match(orphan.stderr, /shaders\/parts\/orphan\.wgsl: no shader includes this part/);
  assert.doesNotMatch(orphan.stderr, /parts\/p\.wgsl/);
  assert.equal(cli('--frob').status, 2);
});

test('text outside the regions, the directive and its template lines pass through unchanged', () => {
  const src = ['// header', '  // @generated ladder i=1..1 — why', '  //| x{{i}}', '  //|', '  old', '  // @end', 'tail', ''];
  assert.deepEqual(expand(src), ['// header', '  // @generated ladder i=1..1 — why', '  //| x{{i}}', '  //|', '  x1', '', '  // @end', 'tail', '']);
  assert.deepEqual(expandSource('no regions\n', noParts).regions, []);
});
