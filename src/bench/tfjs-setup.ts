// Why: the TF.js peers of the benchmarks. Loads one backend (dynamically, so a page holds only the one it
// measures), serves the wasm binaries from our own origin, and gives the stock 4.22 `wasm` backend the
// Conv2DBackpropFilter kernel it lacks (built from wasm's own ops: im2col by strided slices + one
// matMul), checked against the `cpu` backend before anything is timed.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients (the @tensorflow/tfjs bundle imports this for you).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export type TfBackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

export interface TfBackendInfo {
  backend: TfBackendName;
  versions: Record<string, string>;
  notes: string[];
  adapter?: Record<string, unknown>;
}

let cpuLoaded = false;
async function loadCpu(): Promise<void> {
  if (cpuLoaded) return;
  await import('@tensorflow/tfjs-backend-cpu');
  cpuLoaded = true;
}

/** Imports, registers and selects one backend; throws (with the reason) when it cannot start. */
export async function useTfBackend(name: TfBackendName): Promise<TfBackendInfo> {
  const notes: string[] = [];
  const versions: Record<string, string> = { 'tfjs-core': tf.version_core };
  switch (name) {
    case 'webgpu': {
      await import('@tensorflow/tfjs-backend-webgpu');
      break;
    }
    case 'wasm': {
      const m = await import('@tensorflow/tfjs-backend-wasm');
      m.setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlainUrl, 'tfjs-backend-wasm-simd.wasm': wasmSimdUrl, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl });
      versions['tfjs-backend-wasm'] = m.version_wasm;
      break;
    }
    case 'webgl': {
      const m = await import('@tensorflow/tfjs-backend-webgl');
      versions['tfjs-backend-webgl'] = m.version_webgl;
      break;
    }
    case 'cpu': {
      await loadCpu();
      break;
    }
    default:
      throw new Error(`unknown backend ${(name satisfies never) as string}`);
  }
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`TF.js backend ${name} failed to initialise (tf.setBackend returned ${ok})`);
  await tf.ready();
  let adapter: Record<string, unknown> | undefined;
  if (name === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    notes.push(`wasm SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'} (crossOriginIsolated=${String(globalThis.crossOriginIsolated)})`);
  }
  if (name === 'webgpu') {
    // The backend's own adapter (a different GPUDevice from ours, same physical adapter).
    const backend = tf.backend() as unknown as { adapterInfo?: Record<string, unknown>; device?: GPUDevice };
    if (backend.adapterInfo) adapter = { ...backend.adapterInfo };
  }
  if (name === 'webgl') {
    const gl = document.createElement('canvas').getContext('webgl2');
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    adapter = { renderer: ext && gl ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : 'unknown', webglVersion: tf.env().getNumber('WEBGL_VERSION') };
  }
  return { backend: name, versions, notes, ...(adapter && { adapter }) };
}

/**
 * dW[fh,fw,c,k] = Σ_{n,oh,ow} xpad[n, oh·S+fh·D, ow·S+fw·D, c] · dy[n,oh,ow,k]: the im2col matrix
 * [N·OH·OW, FH·FW·C] is the FH·FW strided slices of the padded input concatenated along channels, and
 * dW is its transpose times dy [N·OH·OW, K]. NHWC, as TF.js's Conv2DBackpropFilter.
 */
export function conv2dBackpropFilterByOps(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], strides: number | [number, number], pad: tf.backend_util.PadInfo): tf.Tensor4D {
  return tf.tidy(() => {
    const [FH, FW, C, K] = filterShape;
    const [SH, SW] = typeof strides === 'number' ? [strides, strides] : strides;
    const [N, OH, OW] = dy.shape;
    const xp = tf.pad(x, [[0, 0], [pad.top, pad.bottom], [pad.left, pad.right], [0, 0]]);
    const cols: tf.Tensor4D[] = [];
    for (let fh = 0; fh < FH; fh++) {
      for (let fw = 0; fw < FW; fw++) {
        cols.push(tf.stridedSlice(xp, [0, fh, fw, 0], [N, fh + (OH - 1) * SH + 1, fw + (OW - 1) * SW + 1, C], [1, SH, SW, 1]) as tf.Tensor4D);
      }
    }
    const im2col = tf.reshape(cols.length === 1 ? cols[0]! : tf.concat(cols, 3), [N * OH * OW, FH * FW * C]);
    const dw = tf.matMul(im2col as tf.Tensor2D, tf.reshape(dy, [N * OH * OW, K]) as tf.Tensor2D, true, false);
    return tf.reshape(dw, [FH, FW, C, K]);
  });
}

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** Registers Conv2DBackpropFilter for `wasm` (stock 4.22 has none), built from wasm's own ops. */
export function patchWasmConv2dBackpropFilter(): boolean {
  if (tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')) return false;
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropFilter,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      if (a.dataFormat !== 'NHWC') throw new Error(`patched wasm Conv2DBackpropFilter: only NHWC (got ${a.dataFormat})`);
      const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
      const engine = tf.engine();
      const xt = engine.makeTensorFromTensorInfo(x) as tf.Tensor4D;
      const dyt = engine.makeTensorFromTensorInfo(dy) as tf.Tensor4D;
      const dw = conv2dBackpropFilterByOps(xt, dyt, a.filterShape, [info.strideHeight, info.strideWidth], info.padInfo);
      const b = backend as unknown as WasmBackendLike;
      const out = b.makeOutput(a.filterShape, 'float32');
      b.typedArrayFromHeap(out).set(b.typedArrayFromHeap(dw));
      tf.dispose([xt, dyt, dw]);
      return out;
    },
  });
  return true;
}

/**
 * Runs Conv2DBackpropFilter through the patched wasm kernel and through the `cpu` backend on a few
 * awkward shapes; throws when they differ. Returns a one-line summary.
 */
export async function checkWasmPatchAgainstCpu(): Promise<string> {
  await loadCpu();
  const cases: { x: [number, number, number, number]; f: [number, number, number, number]; s: number; pad: 'same' | 'valid' | number }[] = [
    { x: [2, 7, 7, 3], f: [3, 3, 3, 4], s: 1, pad: 'same' },
    { x: [3, 9, 8, 2], f: [3, 2, 2, 5], s: 2, pad: 'valid' },
    { x: [2, 6, 6, 1], f: [3, 3, 1, 3], s: 1, pad: 1 },
    { x: [4, 14, 14, 32], f: [3, 3, 32, 8], s: 1, pad: 'same' },
  ];
  let worst = 0;
  let seed = 7;
  const rand = (n: number) => Float32Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1);
  for (const c of cases) {
    const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.s, 1, c.pad);
    const dyShape: [number, number, number, number] = [c.x[0], info.outHeight, info.outWidth, c.f[3]];
    const xv = rand(c.x.reduce((a, b) => a * b, 1));
    const dyv = rand(dyShape.reduce((a, b) => a * b, 1));
    const run = async (backend: string) => {
      const prev = tf.getBackend();
      await tf.setBackend(backend);
      const x = tf.tensor4d(xv, c.x);
      const dy = tf.tensor4d(dyv, dyShape);
      const dw = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: c.s, pad: c.pad, dataFormat: 'NHWC', filterShape: c.f } as unknown as tf.NamedAttrMap) as tf.Tensor;
      if (dw.shape.join() !== c.f.join()) throw new Error(`patched Conv2DBackpropFilter: shape ${dw.shape} ≠ ${c.f}`);
      const v = await dw.data();
      tf.dispose([x, dy, dw]);
      await tf.setBackend(prev);
      return v as Float32Array;
    };
    const got = await run('wasm');
    const want = await run('cpu');
    let maxAbs = 0;
    let maxDiff = 0;
    for (let i = 0; i < want.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(want[i]!));
      maxDiff = Math.max(maxDiff, Math.abs(got[i]! - want[i]!));
    }
    const rel = maxDiff / Math.max(1e-12, maxAbs);
    worst = Math.max(worst, rel);
    if (!(rel < 1e-4)) throw new Error(`patched wasm Conv2DBackpropFilter disagrees with cpu on x ${c.x} f ${c.f} s ${c.s} pad ${c.pad}: max rel diff ${rel}`);
  }
  return `patched wasm Conv2DBackpropFilter (im2col + matMul) matches the cpu backend on ${cases.length} shapes (worst rel diff ${worst.toExponential(1)})`;
}
