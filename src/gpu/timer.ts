// Why: a user (and `npm run bench`) should see which layer costs the time. Where the device has the
// 'timestamp-query' feature, each piece of a step is encoded in its own compute pass with timestamps at
// its start and end, so one submit measures every piece on the GPU's own clock; elsewhere each piece is
// submitted alone and timed from submit to completion (that includes a submit's overhead). Each piece
// is repeated `repeats` times inside its pass: Chrome rounds timestamps to 100 µs unless developer
// features are on, so short pieces need many repeats per timestamp pair.
import type { Encodable, Gpu } from './gpu';

export interface TimedPiece {
  label: string;
  parts: Encodable[];
}

export interface PieceTimes {
  /** 'timestamps': GPU timestamp queries; 'submit': wall time of each piece submitted alone. */
  method: 'timestamps' | 'submit';
  /** Milliseconds per run of each piece (mean over the repeats), in the order given. */
  ms: number[];
}

/** Times each piece's dispatches (each run `repeats` times); the work really runs (outputs change). */
export async function timePieces(gpu: Gpu, pieces: TimedPiece[], repeats = 10, method: PieceTimes['method'] = gpu.profile.timestamps ? 'timestamps' : 'submit'): Promise<PieceTimes> {
  if (pieces.length === 0) return { method: 'submit', ms: [] };
  const encodeRepeated = (pass: GPUComputePassEncoder, parts: Encodable[]) => {
    for (let r = 0; r < repeats; r++) for (const p of parts) p.encode(pass);
  };
  if (method === 'timestamps') {
    const count = 2 * pieces.length;
    const querySet = gpu.device.createQuerySet({ type: 'timestamp', count, label: 'piece-times' });
    const resolved = gpu.device.createBuffer({ size: count * 8, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC, label: 'piece-times:resolve' });
    try {
      const enc = gpu.device.createCommandEncoder({ label: 'piece-times' });
      pieces.forEach((piece, i) => {
        const pass = enc.beginComputePass({ label: piece.label, timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 } });
        encodeRepeated(pass, piece.parts);
        pass.end();
      });
      enc.resolveQuerySet(querySet, 0, count, resolved, 0);
      gpu.device.queue.submit([enc.finish()]);
      const ns = new BigUint64Array(await gpu.read(resolved));
      const ms = pieces.map((_, i) => Math.max(0, Number(ns[2 * i + 1]! - ns[2 * i]!)) / 1e6 / repeats);
      return { method: 'timestamps', ms };
    } finally {
      querySet.destroy();
      resolved.destroy();
    }
  }
  const ms: number[] = [];
  for (const piece of pieces) {
    await gpu.done();
    const t0 = performance.now();
    gpu.submit((enc) => {
      const pass = enc.beginComputePass({ label: piece.label });
      encodeRepeated(pass, piece.parts);
      pass.end();
    }, piece.label);
    await gpu.done();
    ms.push((performance.now() - t0) / repeats);
  }
  return { method: 'submit', ms };
}
