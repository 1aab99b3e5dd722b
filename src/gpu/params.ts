// Why: every kernel takes its per-call sizes in a `Params` uniform of 4-byte scalars. This packs
// them in declaration order, so the TS layout and the WGSL `struct Params` can be checked against each other.

export type ScalarType = 'u32' | 'i32' | 'f32';
/** Field name → WGSL scalar type, in the order of the WGSL struct. */
export type ParamsLayout = Readonly<Record<string, ScalarType>>;
export type ParamsValues<L extends ParamsLayout> = { [K in keyof L]: number };

/** Uniform buffers are bound in 16-byte units. */
export function paramsByteSize(layout: ParamsLayout): number {
  const n = Object.keys(layout).length;
  return Math.max(16, Math.ceil((n * 4) / 16) * 16);
}

/** Packs values into a uniform-ready ArrayBuffer; a missing, non-finite or out-of-range value throws. */
export function packParams<L extends ParamsLayout>(kernel: string, layout: L, values: ParamsValues<L>): ArrayBuffer {
  const buf = new ArrayBuffer(paramsByteSize(layout));
  const view = new DataView(buf);
  let offset = 0;
  for (const [name, type] of Object.entries(layout)) {
    const v = values[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`${kernel}: param ${name} must be a finite number, got ${String(v)}`);
    }
    switch (type) {
      case 'u32':
        if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`${kernel}: param ${name} must be a u32, got ${v}`);
        view.setUint32(offset, v, true);
        break;
      case 'i32':
        if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new Error(`${kernel}: param ${name} must be an i32, got ${v}`);
        view.setInt32(offset, v, true);
        break;
      case 'f32':
        view.setFloat32(offset, v, true);
        break;
      default:
        throw new Error(`${kernel}: unknown param type ${type satisfies never}`);
    }
    offset += 4;
  }
  return buf;
}

/** Reads the `struct Params { ... }` of a WGSL source as an ordered name → type list (for the spec test). */
export function parseWgslParams(source: string): [string, string][] {
  const m = /struct\s+Params\s*\{([^}]*)\}/.exec(source);
  if (!m) return [];
  const body = m[1]!.replace(/\/\/[^\n]*/g, '');
  return body
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
    .map((f) => {
      const [name, type] = f.split(':').map((s) => s.trim());
      return [name!, type!] as [string, string];
    });
}
