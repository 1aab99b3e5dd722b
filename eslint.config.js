// Why: lint keeps the layering of DESIGN.md honest: imports point down only, and the UI never reaches
// past the worker protocol into the GPU, the kernels, the engine or training.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const shaders = { group: ['**/*.wgsl', '**/*.wgsl?raw'], message: 'Only src/kernels/ imports shaders (DESIGN.md layering).' };

const layer = (files, forbidden, why, allowShaders = false) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: [...forbidden.map((group) => ({ group: [group], message: why })), ...(allowShaders ? [] : [shaders])] }],
  },
});

const below = (...dirs) => dirs.flatMap((d) => [`**/${d}/*`, `**/${d}`, `../${d}/*`, `../../${d}/*`]);

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
  layer(['src/model/**', 'src/reference/**', 'src/util/**'], below('gpu', 'kernels', 'engine', 'train', 'data', 'worker', 'ui', 'export'), 'model/, reference/ and util/ are pure: they import nothing above them (DESIGN.md layering).'),
  layer(['src/export/**'], below('gpu', 'kernels', 'engine', 'train', 'data', 'worker', 'ui'), 'export/ is pure: it turns designs and plain tensors into files and back (model/ only).'),
  layer(['src/gpu/**'], below('kernels', 'engine', 'train', 'data', 'worker', 'ui', 'model'), 'gpu/ is plumbing and knows nothing of layers (DESIGN.md layering).'),
  layer(['src/kernels/**'], below('engine', 'train', 'data', 'worker', 'ui', 'model'), 'kernels/ build on gpu/ only (DESIGN.md layering).', true),
  layer(['src/engine/**'], below('train', 'data', 'worker', 'ui'), 'engine/ uses kernels/ and gpu/ only (DESIGN.md layering).'),
  layer(['src/train/**', 'src/data/**'], below('worker', 'ui'), 'train/ and data/ never import the worker or the UI (DESIGN.md layering).'),
  layer(['src/ui/**', 'src/harness/**'], [...below('gpu', 'kernels', 'engine', 'train', 'data', 'reference'), '**/worker/engine.worker*'], 'ui/ imports only lit, chart.js, model/ and worker/{protocol,engine-client} (DESIGN.md layering).'),
  layer(['src/worker/**', 'src/testing/**', 'src/main.ts'], [], ''),
);
