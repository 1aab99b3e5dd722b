// Every kernel's TypeScript spec must match its WGSL: the Params struct (names, order, types, hence
// byte size), the bindings (index, name, access), and its default tiling must fit the adapter.
import { describe, expect, it } from 'vitest';
import { parseWgslParams, type KernelSpec } from '../gpu';
import { testGpu } from '../testing/gpu';

const modules = import.meta.glob<Record<string, unknown>>(['./*.ts', '!./*.test.ts'], { eager: true });

function isSpec(v: unknown): v is KernelSpec {
  return typeof v === 'object' && v !== null && 'source' in v && 'params' in v && 'bindings' in v && 'workgroupSize' in v;
}

const specs = Object.values(modules).flatMap((m) => Object.values(m).filter(isSpec));

function wgslBindings(source: string): { index: number; name: string; kind: string }[] {
  const re = /@group\(0\)\s*@binding\((\d+)\)\s*var<([^>]+)>\s*(\w+)/g;
  return [...source.matchAll(re)].map((m) => ({ index: Number(m[1]), kind: m[2]!.replace(/\s/g, ''), name: m[3]! }));
}

describe('kernel specs match their WGSL', () => {
  it('finds the kernels', () => {
    expect(specs.length).toBeGreaterThan(1);
    expect(new Set(specs.map((s) => s.name)).size).toBe(specs.length);
  });

  for (const spec of specs) {
    it(`${spec.name}: Params, bindings, tiling`, async () => {
      expect(spec.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(parseWgslParams(spec.source), `${spec.name}.wgsl struct Params`).toEqual(Object.entries(spec.params));
      const b = wgslBindings(spec.source);
      expect(b[0], `${spec.name}: binding 0 is the Params uniform`).toEqual({ index: 0, kind: 'uniform', name: 'params' });
      expect(b.slice(1).map((x) => [x.index, x.name, x.kind])).toEqual(
        spec.bindings.map((s, i) => [i + 1, s.name, s.access === 'read' ? 'storage,read' : 'storage,read_write']),
      );
      expect(spec.source).toMatch(/fn main\(/);
      expect(spec.source.trimStart().startsWith('//'), `${spec.name}.wgsl starts with a header comment`).toBe(true);
      const gpu = await testGpu();
      expect(() => gpu.pipelines.checkLimits(spec, spec.overrides)).not.toThrow();
    });
  }
});
