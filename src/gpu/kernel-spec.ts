// Why: a kernel is described once (name, WGSL source, Params layout, bindings, override constants and
// how big its workgroup is) so the pipeline cache, the limit checks and the spec test all read one thing.
import type { ParamsLayout } from './params';

export interface BindingSpec {
  name: string;
  /** 'read' → var<storage, read>; 'read_write' → var<storage, read_write>. Binding 0 is always Params. */
  access: 'read' | 'read_write';
}

export type Overrides = Readonly<Record<string, number>>;

export interface KernelSpec<L extends ParamsLayout = ParamsLayout, O extends Overrides = Overrides> {
  /** kebab-case, equal to the .wgsl file name and the pipeline label. */
  name: string;
  source: string;
  params: L;
  bindings: readonly BindingSpec[];
  /** Default values of the WGSL `override` constants. */
  overrides: O;
  /** Workgroup size for given override values (checked against device limits). */
  workgroupSize(o: O): readonly [number, number, number];
  /** Bytes of var<workgroup> memory for given overrides (checked against device limits). */
  workgroupBytes?(o: O): number;
  /** Accumulators one thread keeps for given overrides (register pressure; reported by `npm run plan`). */
  accumulators?(o: O): number;
}

export function defineKernel<L extends ParamsLayout, O extends Overrides>(spec: KernelSpec<L, O>): KernelSpec<L, O> {
  return spec;
}

/** Thrown when a kernel's tiling asks for more than the adapter allows. */
export class KernelLimitError extends Error {
  override name = 'KernelLimitError';
}

/** Thrown when WGSL fails to compile; the message names the kernel and gives line:column. */
export class ShaderCompileError extends Error {
  override name = 'ShaderCompileError';
  constructor(
    readonly kernel: string,
    readonly messages: { line: number; column: number; text: string }[],
  ) {
    super(`${kernel}.wgsl failed to compile:\n` + messages.map((m) => `  ${kernel}.wgsl:${m.line}:${m.column}: ${m.text}`).join('\n'));
  }
}
