// Why: safetensors is what PyTorch (and Hugging Face) users load weights from, and it is simple enough
// to write and check by hand: an 8-byte little-endian header length N, N bytes of JSON
// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}} padded with
// spaces to a multiple of 8, then the raw little-endian tensor bytes. Decoding reads untrusted bytes,
// so every field is checked the way the reference (Rust) implementation checks it, and any problem
// becomes an ImportError naming the tensor; nothing else is ever thrown.
//
// Decisions:
// - Only F32 (our weights) and I64 (PyTorch's batch-norm `num_batches_tracked` scalar) are read;
//   any other dtype is refused by name, with the fix (model.float()).
// - Like the reference implementation, tensors must tile the data section exactly: sorted by
//   begin offset, no gaps, no overlap, the last ending at the end of the file.
// - Tensors come back as fresh copies (aligned, detached from the input buffer).
import { ExportError, ImportError } from './import-error';

export type Dtype = 'F32' | 'I64';

export type SafeTensor =
  | { name: string; dtype: 'F32'; shape: readonly number[]; data: Float32Array }
  | { name: string; dtype: 'I64'; shape: readonly number[]; data: BigInt64Array };

export interface SafetensorsFile {
  /** In file order (by data offset). */
  tensors: SafeTensor[];
  metadata: Record<string, string>;
}

/** Headers beyond this are refused before anything is decoded (real ones are a few KiB). */
export const MAX_HEADER_BYTES = 16 * 1024 * 1024;
const METADATA_KEY = '__metadata__';
const ITEM_BYTES: Record<Dtype, number> = { F32: 4, I64: 8 };
/** The dtypes safetensors defines, so a refusal can say "F16 is a real dtype, just not one we read". */
const KNOWN_DTYPES = ['BOOL', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'F64', 'I64', 'U64'];
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

// ——— encoding ———

/** Serialises tensors (in the given order) and string metadata. Throws ExportError on inconsistent input. */
export function encodeSafetensors(tensors: readonly SafeTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new ExportError(`metadata ${k}`, 'values must be strings');
    header[METADATA_KEY] = metadata;
  }
  let offset = 0;
  for (const t of tensors) {
    if (t.name === '' || t.name === METADATA_KEY) throw new ExportError(t.name, 'not a usable tensor name');
    if (Object.hasOwn(header, t.name)) throw new ExportError(t.name, 'two tensors share this name');
    if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new ExportError(t.name, `shape [${t.shape.join(', ')}] is not a list of whole numbers ≥ 0`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new ExportError(t.name, `shape [${t.shape.join(', ')}] holds ${count} values but the data has ${t.data.length}`);
    const bytes = count * ITEM_BYTES[t.dtype];
    header[t.name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true);
  view.setUint32(4, Math.floor(padded / 2 ** 32), true);
  out.set(json, 8);
  let at = 8 + padded;
  for (const t of tensors) {
    writeLittleEndian(out, at, t);
    at += t.data.byteLength;
  }
  return out;
}

function writeLittleEndian(out: Uint8Array, at: number, t: SafeTensor): void {
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + at, t.data.byteLength);
  if (t.dtype === 'F32') t.data.forEach((x, i) => view.setFloat32(i * 4, x, true));
  else t.data.forEach((x, i) => view.setBigInt64(i * 8, x, true));
}

// ——— decoding ———

/** Parses and checks a whole safetensors file. Throws ImportError and nothing else. */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsFile {
  try {
    return decode(bytes);
  } catch (e) {
    if (e instanceof ImportError) throw e;
    // A check we did not think of (e.g. out of memory on a huge but valid shape): still an ImportError.
    throw new ImportError('header-json', `the file could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
}

interface Entry {
  name: string;
  dtype: Dtype;
  shape: number[];
  begin: number;
  end: number;
}

function decode(bytes: Uint8Array): SafetensorsFile {
  if (!(bytes instanceof Uint8Array)) throw new ImportError('too-short', 'expected the bytes of a file');
  if (bytes.length < 8)
    throw new ImportError('too-short', `the file is ${bytes.length} bytes long; a safetensors file starts with an 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  const n = hi * 2 ** 32 + lo;
  if (hi !== 0 || n > MAX_HEADER_BYTES)
    throw new ImportError('header-length', `the header claims ${n} bytes, more than the ${MAX_HEADER_BYTES} bytes convplay accepts (not a safetensors file?)`);
  if (n < 2) throw new ImportError('header-length', `the header claims ${n} bytes, too few for a JSON object`);
  if (8 + n > bytes.length)
    throw new ImportError('header-length', `the header claims ${n} bytes but only ${bytes.length - 8} follow the length (truncated file?)`);

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw new ImportError('header-json', 'the header is not UTF-8 text');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new ImportError('header-json', `the header is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new ImportError('header-json', `the header must be a JSON object, got ${describe(header)}`);

  const dataLength = bytes.length - 8 - n;
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) metadata = readMetadata(value);
    else entries.push(readEntry(name, value, dataLength));
  }

  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of entries) {
    if (e.begin < covered) {
      const prev = entries.find((x) => x !== e && x.end > e.begin && x.begin <= e.begin);
      throw new ImportError('offsets', `tensor ${show(e.name)} (bytes ${e.begin}–${e.end}) overlaps ${prev ? `tensor ${show(prev.name)}` : 'another tensor'}`);
    }
    if (e.begin > covered)
      throw new ImportError('coverage', `bytes ${covered}–${e.begin} of the data section belong to no tensor (before ${show(e.name)})`);
    covered = e.end;
  }
  if (covered !== dataLength)
    throw new ImportError('coverage', `the tensors cover ${covered} bytes of data but the file holds ${dataLength}`);

  const base = bytes.byteOffset + 8 + n;
  const tensors = entries.map((e) => readTensor(bytes, base, e));
  return { tensors, metadata };
}

function readMetadata(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ImportError('metadata', `${METADATA_KEY} must be an object of strings, got ${describe(value)}`);
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') throw new ImportError('metadata', `${METADATA_KEY}.${show(k)} must be a string, got ${describe(v)}`);
    out[k] = v;
  }
  return out;
}

function readEntry(name: string, value: unknown, dataLength: number): Entry {
  const t = `tensor ${show(name)}`;
  if (name === '') throw new ImportError('tensor-entry', 'a tensor has an empty name');
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ImportError('tensor-entry', `${t} must be an object {dtype, shape, data_offsets}, got ${describe(value)}`);
  const o = value as Record<string, unknown>;
  for (const k of ['dtype', 'shape', 'data_offsets']) if (!Object.hasOwn(o, k)) throw new ImportError('tensor-entry', `${t} has no ${k}`);
  for (const k of Object.keys(o))
    if (k !== 'dtype' && k !== 'shape' && k !== 'data_offsets') throw new ImportError('tensor-entry', `${t} has an unknown field ${show(k)}`);

  const dtype = o['dtype'];
  if (typeof dtype !== 'string') throw new ImportError('dtype', `${t}: dtype must be a string, got ${describe(dtype)}`);
  if (dtype !== 'F32' && dtype !== 'I64') {
    const what = KNOWN_DTYPES.includes(dtype) ? `is stored as ${dtype}` : `has an unknown dtype ${show(dtype)}`;
    throw new ImportError('dtype', `${t} ${what}; convplay reads F32 weights only (convert with model.float() before saving)`);
  }

  const shape = o['shape'];
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0))
    throw new ImportError('shape', `${t}: shape must be a list of whole numbers ≥ 0, got ${describe(shape)}`);
  const offsets = o['data_offsets'];
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)
  )
    throw new ImportError('offsets', `${t}: data_offsets must be [begin, end], two whole numbers ≥ 0, got ${describe(offsets)}`);
  const [begin, end] = offsets as [number, number];
  if (begin > end) throw new ImportError('offsets', `${t}: data_offsets [${begin}, ${end}] end before they begin`);
  if (end > dataLength) throw new ImportError('offsets', `${t}: data_offsets [${begin}, ${end}] run past the ${dataLength} bytes of data`);

  // Multiply with a cap so a hostile shape cannot round into a plausible size (a 0 anywhere wins).
  const item = ITEM_BYTES[dtype];
  const dims = shape as number[];
  let bytes = dims.includes(0) ? 0 : item;
  for (const d of dims) bytes = Math.min(bytes * d, Number.MAX_SAFE_INTEGER + 1);
  if (bytes !== end - begin)
    throw new ImportError(
      'offsets',
      `${t}: shape [${dims.join(', ')}] of ${dtype} needs ${bytes > Number.MAX_SAFE_INTEGER ? 'more than 2^53' : bytes} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`,
    );
  return { name, dtype, shape: shape as number[], begin, end };
}

function readTensor(bytes: Uint8Array, base: number, e: Entry): SafeTensor {
  const copy = bytes.buffer.slice(base + e.begin, base + e.end) as ArrayBuffer;
  if (e.dtype === 'F32') {
    const data = new Float32Array(copy);
    if (!LITTLE_ENDIAN) {
      const v = new DataView(copy);
      for (let i = 0; i < data.length; i++) data[i] = v.getFloat32(i * 4, true);
    }
    return { name: e.name, dtype: 'F32', shape: e.shape, data };
  }
  const data = new BigInt64Array(copy);
  if (!LITTLE_ENDIAN) {
    const v = new DataView(copy);
    for (let i = 0; i < data.length; i++) data[i] = v.getBigInt64(i * 8, true);
  }
  return { name: e.name, dtype: 'I64', shape: e.shape, data };
}

/** A value's kind, for messages ("a list", "null", "\"F16\""). */
function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length <= 4 ? `[${v.map(describe).join(', ')}]` : `a list of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return show(v);
  return String(v);
}

/** A name or string value, quoted and shortened. */
function show(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}
