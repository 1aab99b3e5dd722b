// Why: a trained network leaves the page as ONE file that both convplay and PyTorch read: safetensors
// with PyTorch's state-dict keys (so the generated model.py loads it with strict=True) and the design
// itself in the metadata (so convplay can rebuild the network before loading the weights). Reading
// checks the file against the design it carries: every tensor present, exactly the expected shape,
// finite values, nothing extra. Errors name the tensor and say expected vs actual.
//
// File contents (all F32 unless noted):
//   <name>.weight / <name>.bias                   conv2d [K, C, FH, FW] / [K], dense [out, in] / [out]
//   <name>.weight / .bias / .running_mean / .running_var   batch-norm gamma / beta / statistics, [C]
//   <name>.num_batches_tracked                    I64 scalar (shape []), = step; PyTorch's strict load needs it
//   optimizer.m.<key> / optimizer.v.<key>         optional: first/second moments (SGD: m = velocity, v = 0)
//   __metadata__: format "convplay", version "1", spec (JSON {format, version, spec, train}), step,
//                 optimizer_step (only with moments), train_images (how many training images the run
//                 used, so a fresh page counts the same steps per epoch; absent in older files)
//
// From the engine (plain data, no engine types here): for each ParamSlot s of the ParamLayout,
// { layerId: s.layerId, role: s.role, shape: s.shape, data: snapshot.params.slice(s.offset, s.offset + s.count) };
// for each StateSlot s, { layerId, role, shape: [s.count], data: snapshot.state.slice(s.offset, s.offset + s.count) };
// moments alike from snapshot.m and snapshot.v. flat-buffers.ts does exactly this (gatherTensors /
// scatterTensors).
import { analyzeNetwork, DOCUMENT_FORMAT, DOCUMENT_VERSION, fromJson, type ConvplayDocument } from '../model';
import { expectedTensors, tensorId, type ExpectedTensor, type TensorRole } from './expected-tensors';
import { ExportError, ImportError } from './import-error';
import { moduleNames } from './python-names';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from './safetensors';

/** One tensor on the convplay side, named by layer id and role (plain data, transferable). */
export interface ParamTensor {
  layerId: string;
  role: TensorRole;
  /** PyTorch layout; state tensors are [C]. */
  shape: readonly number[];
  data: Float32Array;
}

/** Optimizer moments for the trainable tensors (same layerId/role/shape as their parameters). */
export interface OptimizerMoments {
  /** The optimizer's step count (Adam's bias correction depends on it). */
  step: number;
  m: ParamTensor[];
  v: ParamTensor[];
}

/** Everything a checkpoint holds. fromSafetensors returns tensors in expectedTensors order. */
export interface Checkpoint {
  doc: ConvplayDocument;
  /** Training steps taken (also written as every batch-norm's num_batches_tracked). */
  step: number;
  /** Trainable parameters and batch-norm running statistics. */
  tensors: ParamTensor[];
  optimizer?: OptimizerMoments;
  /** Training images the run used (its steps per epoch follow from it). */
  trainImages?: number;
}

export const CHECKPOINT_FORMAT = 'convplay';
export const CHECKPOINT_VERSION = '1';
const OPTIMIZER_PREFIX = 'optimizer.';
const NUM_BATCHES = 'num_batches_tracked';

// ——— writing ———

/** The checkpoint as safetensors bytes. Throws ExportError when the tensors don't match the design. */
export function toSafetensors(ckpt: Checkpoint): Uint8Array {
  const expected = expectedTensors(ckpt.doc.spec);
  if ('error' in expected) throw new ExportError('spec', expected.error);
  if (!isStep(ckpt.step)) throw new ExportError('step', `expected a whole number ≥ 0, got ${ckpt.step}`);
  const out: SafeTensor[] = [];
  const given = byId(ckpt.tensors, 'tensors');
  const batchNorms = new Set<string>();
  for (const e of expected) {
    out.push({ name: e.key, dtype: 'F32', shape: e.shape, data: take(given, e, 'tensors') });
    if (e.role === 'running-var') batchNorms.add(e.layerId);
  }
  leftover(given, 'tensors');
  // num_batches_tracked after each batch-norm's tensors, the order PyTorch's state_dict uses.
  const names = moduleNames(ckpt.doc.spec).layer;
  for (const id of batchNorms) out.push({ name: `${names.get(id)!}.${NUM_BATCHES}`, dtype: 'I64', shape: [], data: BigInt64Array.of(BigInt(ckpt.step)) });

  const metadata: Record<string, string> = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    spec: JSON.stringify({ format: DOCUMENT_FORMAT, version: DOCUMENT_VERSION, spec: ckpt.doc.spec, train: ckpt.doc.train }),
    step: String(ckpt.step),
  };
  if (ckpt.trainImages !== undefined) {
    if (!isStep(ckpt.trainImages) || ckpt.trainImages < 1) throw new ExportError('trainImages', `expected a whole number ≥ 1, got ${ckpt.trainImages}`);
    metadata['train_images'] = String(ckpt.trainImages);
  }
  const opt = ckpt.optimizer;
  if (opt) {
    if (!isStep(opt.step)) throw new ExportError('optimizer.step', `expected a whole number ≥ 0, got ${opt.step}`);
    metadata['optimizer_step'] = String(opt.step);
    for (const moment of ['m', 'v'] as const) {
      const g = byId(opt[moment], `optimizer.${moment}`);
      for (const e of expected.filter((x) => x.trainable)) {
        out.push({ name: `${OPTIMIZER_PREFIX}${moment}.${e.key}`, dtype: 'F32', shape: e.shape, data: take(g, e, `optimizer.${moment}`) });
      }
      leftover(g, `optimizer.${moment}`);
    }
  }
  return encodeSafetensors(out, metadata);
}

function isStep(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function byId(list: readonly ParamTensor[], what: string): Map<string, ParamTensor> {
  const m = new Map<string, ParamTensor>();
  for (const t of list) {
    const id = tensorId(t.layerId, t.role);
    if (m.has(id)) throw new ExportError(`${what} ${id}`, 'given twice');
    m.set(id, t);
  }
  return m;
}

function take(given: Map<string, ParamTensor>, e: ExpectedTensor, what: string): Float32Array {
  const id = tensorId(e.layerId, e.role);
  const t = given.get(id);
  if (!t) throw new ExportError(`${what} ${id}`, `missing (expected shape [${e.shape.join(', ')}])`);
  if (!sameShape(t.shape, e.shape)) throw new ExportError(`${what} ${id}`, `shape [${t.shape.join(', ')}], the design needs [${e.shape.join(', ')}]`);
  const count = e.shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== count) throw new ExportError(`${what} ${id}`, `${t.data.length} values for shape [${e.shape.join(', ')}] (${count})`);
  given.delete(id);
  return t.data;
}

function leftover(given: Map<string, ParamTensor>, what: string): void {
  const [first] = given.keys();
  if (first !== undefined) throw new ExportError(`${what} ${first}`, 'the design has no such tensor');
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

// ——— reading ———

/** Reads and checks a convplay checkpoint. Throws ImportError (and nothing else) on any problem. */
export function fromSafetensors(bytes: Uint8Array): Checkpoint {
  try {
    return read(bytes);
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError('spec', `the file could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
}

function read(bytes: Uint8Array): Checkpoint {
  const file = decodeSafetensors(bytes);
  const meta = file.metadata;
  if (meta['format'] !== CHECKPOINT_FORMAT)
    throw new ImportError(
      'not-convplay',
      meta['format'] === undefined
        ? 'this safetensors file was not written by convplay (its metadata has no format "convplay"), so it does not say which network the weights belong to'
        : `the metadata says format ${JSON.stringify(meta['format'])}, expected "convplay"`,
    );
  if (meta['version'] !== CHECKPOINT_VERSION)
    throw new ImportError('version', `this page reads checkpoint version ${CHECKPOINT_VERSION}, the file is version ${JSON.stringify(meta['version'] ?? null)}`);
  if (meta['spec'] === undefined) throw new ImportError('metadata', 'the metadata has no spec (the network design)');
  const parsed = fromJson(meta['spec']);
  if (!parsed.ok) throw new ImportError('spec', `the design in the metadata is not valid: ${parsed.error}`);
  const doc = parsed.value;
  const analysis = analyzeNetwork(doc.spec);
  if (!analysis.ok) throw new ImportError('spec', `the design in the metadata cannot be built: ${analysis.error?.message ?? 'unknown problem'}`);
  const step = readStep(meta, 'step');
  const expected = expectedTensors(doc.spec);
  if ('error' in expected) throw new ImportError('spec', expected.error);

  const present = new Map(file.tensors.map((t) => [t.name, t]));
  const tensors = expected.map((e) => claim(present, e.key, e));

  const names = moduleNames(doc.spec).layer;
  for (const id of new Set(expected.filter((e) => e.role === 'running-var').map((e) => e.layerId))) {
    const key = `${names.get(id)!}.${NUM_BATCHES}`;
    const t = present.get(key);
    if (!t) continue; // optional on import: only PyTorch needs it
    if (t.dtype !== 'I64' || t.shape.length !== 0) throw new ImportError('tensor-shape', `${key}: expected an I64 scalar (shape []), got ${t.dtype} [${t.shape.join(', ')}]`);
    present.delete(key);
  }

  let optimizer: OptimizerMoments | undefined;
  const hasMoments = [...present.keys()].some((k) => k.startsWith(OPTIMIZER_PREFIX));
  if (hasMoments || meta['optimizer_step'] !== undefined) {
    if (meta['optimizer_step'] === undefined) throw new ImportError('optimizer', 'the file has optimizer moments but no optimizer_step in its metadata');
    const trainable = expected.filter((e) => e.trainable);
    optimizer = {
      step: readStep(meta, 'optimizer_step'),
      m: trainable.map((e) => claim(present, `${OPTIMIZER_PREFIX}m.${e.key}`, e)),
      v: trainable.map((e) => claim(present, `${OPTIMIZER_PREFIX}v.${e.key}`, e, true)),
    };
  }

  if (present.size > 0) {
    const extra = [...present.keys()];
    throw new ImportError(
      'unexpected-tensor',
      `the design has no tensor ${JSON.stringify(extra[0])}${extra.length > 1 ? ` (and ${extra.length - 1} more unexpected)` : ''}`,
    );
  }
  const ckpt: Checkpoint = { doc, step, tensors };
  if (optimizer) ckpt.optimizer = optimizer;
  if (meta['train_images'] !== undefined) {
    const n = readStep(meta, 'train_images');
    if (n < 1) throw new ImportError('metadata', 'train_images must be at least 1');
    ckpt.trainImages = n;
  }
  return ckpt;
}

function readStep(meta: Record<string, string>, key: string): number {
  const s = meta[key];
  if (s === undefined) throw new ImportError('metadata', `the metadata has no ${key}`);
  const n = /^(0|[1-9][0-9]{0,15})$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n)) throw new ImportError('metadata', `${key} must be a whole number ≥ 0, got ${JSON.stringify(s.slice(0, 40))}`);
  return n;
}

/** Takes the tensor `key` out of `present`, checked against `e`. */
function claim(present: Map<string, SafeTensor>, key: string, e: ExpectedTensor, nonNegative = e.role === 'running-var'): ParamTensor {
  const what = `${key} (${tensorId(e.layerId, e.role)})`;
  const t = present.get(key);
  if (!t) {
    const reason = key.startsWith(OPTIMIZER_PREFIX) ? 'optimizer' : 'missing-tensor';
    throw new ImportError(reason, `${what} is missing (expected F32 [${e.shape.join(', ')}])`);
  }
  if (t.dtype !== 'F32') throw new ImportError('dtype', `${what} is ${t.dtype}, expected F32`);
  if (!sameShape(t.shape, e.shape)) throw new ImportError('tensor-shape', `${what} has shape [${t.shape.join(', ')}], the design needs [${e.shape.join(', ')}]`);
  const data = t.data;
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (!Number.isFinite(x)) throw new ImportError('values', `${what} holds ${x} at index ${i}: weights must be finite numbers`);
    if (nonNegative && x < 0) throw new ImportError('values', `${what} holds ${x} at index ${i}: a variance cannot be negative`);
  }
  present.delete(key);
  return { layerId: e.layerId, role: e.role, shape: e.shape, data };
}
