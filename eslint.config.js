// Why: lint keeps the layering of DESIGN.md honest: imports point down only, and the UI never reaches
// past the worker protocol into the GPU, the kernels, the engine or training.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const shaders = { group: ['**/*.wgsl', '**/*.wgsl?raw'], message: 'Only src/kernels/ (and the GPU references in src/testing/) import shaders (DESIGN.md layering).' };

/** The folders of src/: each layer below says which of them it may import (an allow-list). */
const FOLDERS = ['model', 'reference', 'util', 'gpu', 'kernels', 'engine', 'train', 'data', 'export', 'worker', 'ui', 'harness', 'bench', 'testing'];

const patternsFor = (d) => [`**/${d}/*`, `**/${d}`, `../${d}/*`, `../../${d}/*`];

/** Of worker/, the page may import only the protocol and the client. */
const workerInside = { group: ['**/worker/engine.worker*', '**/worker/session*', '**/worker/dataset-cache*'], message: 'the page talks to the worker through worker/protocol and worker/engine-client only' };

/** Tests may also use the test helpers and the float64 references. */
const TEST_ALLOWANCE = ['testing', 'reference'];

/**
 * `files` (in folder `self`) may import `allowed` folders of src/ and nothing else of src/; shaders only
 * where `allowShaders`; TF.js only in the benchmark pages. Its tests get TEST_ALLOWANCE on top.
 */
const layer = (self, allowed, why, { allowShaders = false, extra = [] } = {}) => {
  const rule = (alsoAllowed) => {
    const mayImport = [...allowed, ...alsoAllowed];
    const forbidden = FOLDERS.filter((d) => d !== self && !mayImport.includes(d));
    const groups = [
      ...forbidden.map((d) => ({ group: patternsFor(d), message: `${why} (${self}/ may import: ${mayImport.join(', ') || 'nothing else in src/'})` })),
      ...extra,
      ...(allowShaders ? [] : [shaders]),
      ...(self === 'bench' ? [] : [{ group: ['@tensorflow/*'], message: 'TF.js is a benchmark peer only (src/bench/).' }]),
    ];
    return { 'no-restricted-imports': ['error', { patterns: groups }] };
  };
  return [
    { files: [`src/${self}/**`], rules: rule([]) },
    { files: [`src/${self}/**/*.test.ts`], rules: rule(TEST_ALLOWANCE) },
  ];
};

export default tseslint.config(
  { ignores: ['dist/', 'dist-test/', 'node_modules/', 'public/', 'bench-results/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  ...layer('model', ['util'], 'model/ is pure: shapes, validation and presets need nothing above them'),
  ...layer('reference', ['util'], 'reference/ is the float64 oracle, written from the maths alone'),
  ...layer('util', [], 'util/ holds small pure helpers'),
  ...layer('export', ['model', 'util'], 'export/ is pure: it turns designs and plain tensors into files and back'),
  ...layer('gpu', [], 'gpu/ is plumbing and knows nothing of layers'),
  ...layer('kernels', ['gpu', 'util'], 'kernels/ build on gpu/ only', { allowShaders: true }),
  ...layer('engine', ['kernels', 'gpu', 'model', 'util'], 'engine/ uses kernels/ and gpu/'),
  ...layer('data', ['kernels', 'gpu', 'util'], 'data/ loads datasets onto the GPU'),
  ...layer('train', ['engine', 'data', 'kernels', 'gpu', 'model', 'util'], 'train/ drives the engine; it never imports the worker or the UI'),
  ...layer('worker', ['train', 'engine', 'data', 'kernels', 'gpu', 'export', 'model', 'util'], 'worker/ owns the GPU and never imports the UI'),
  ...layer('ui', ['model', 'export', 'worker', 'util'], 'ui/ talks to the engine only through worker/protocol and worker/engine-client', { extra: [workerInside] }),
  ...layer('harness', ['model', 'export', 'worker', 'util'], 'harness/ pages drive the worker as the UI does', { extra: [workerInside] }),
  ...layer('bench', ['model', 'worker', 'train', 'engine', 'data', 'gpu', 'kernels', 'util'], 'bench/ pages measure the app and its peers'),
  ...layer('testing', ['gpu', 'kernels', 'engine', 'train', 'data', 'model', 'reference', 'util'], 'testing/ helps tests', { allowShaders: true }),
);
