// Why: a network is shared by URL and saved as a file, so it comes back as untrusted text. Parsing
// checks every field's structure (kinds, types, required and unknown keys, sizes) and answers with a
// result, never an exception. Whether the numbers make a network that fits is analyzeNetwork's job
// (so a shared link to a network that "doesn't fit" still opens and shows why).
import {
  ACTIVATIONS,
  DATASETS,
  LAYER_KINDS,
  OPTIMIZER_KINDS,
  SCHEDULE_KINDS,
  INIT_SCHEMES,
  RESIDUAL_SHORTCUTS,
  type Activation,
  type LayerItem,
  type LayerKind,
  type LayerSpec,
  type NetworkSpec,
  type OptimizerConfig,
  type ScheduleConfig,
  type TrainConfig,
} from './spec';
import { LAYERS, type FieldDef } from './layers';
import { LAYER_ID_PATTERN, LIMITS } from './shape-error';
import { MAX_BLOCK_DEPTH } from './residual';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** What a saved file or a URL hash holds. */
export interface ConvplayDocument {
  spec: NetworkSpec;
  train: TrainConfig;
}

export const DOCUMENT_FORMAT = 'convplay';
export const DOCUMENT_VERSION = 1;
/** URL hashes start with this, so a later format can be told apart. */
export const HASH_PREFIX = 'v1.';
export const MAX_HASH_LENGTH = 100_000;
export const MAX_JSON_LENGTH = 1_000_000;

// ——— encoding ———

function envelope(doc: ConvplayDocument) {
  return { format: DOCUMENT_FORMAT, version: DOCUMENT_VERSION, spec: doc.spec, train: doc.train };
}

/** Pretty JSON for a saved file. */
export function toJson(doc: ConvplayDocument): string {
  return JSON.stringify(envelope(doc), null, 2);
}

/** "v1." + base64url(JSON): fits in a URL hash (leave out the leading '#'). */
export function encodeHash(doc: ConvplayDocument): string {
  return HASH_PREFIX + base64UrlEncode(new TextEncoder().encode(JSON.stringify(envelope(doc))));
}

function base64UrlEncode(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64UrlDecode(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null;
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

// ——— decoding ———

/** Parses a URL hash (with or without the leading '#'). */
export function decodeHash(hash: unknown): ParseResult<ConvplayDocument> {
  if (typeof hash !== 'string') return fail('the link is not text');
  const s = hash.startsWith('#') ? hash.slice(1) : hash;
  if (s.length > MAX_HASH_LENGTH) return fail(`the link is too long (${s.length} characters, at most ${MAX_HASH_LENGTH})`);
  if (!s.startsWith(HASH_PREFIX)) return fail(`the link is not a convplay network (it should start with "${HASH_PREFIX}")`);
  const bytes = base64UrlDecode(s.slice(HASH_PREFIX.length));
  if (!bytes) return fail('the link is damaged (not valid base64url)');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('the link is damaged (not valid UTF-8)');
  }
  return fromJson(text);
}

/** Parses a saved file's text. */
export function fromJson(text: unknown): ParseResult<ConvplayDocument> {
  if (typeof text !== 'string') return fail('the file is not text');
  if (text.length > MAX_JSON_LENGTH) return fail(`the file is too large (${text.length} characters, at most ${MAX_JSON_LENGTH})`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail(`not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return parseDocument(value);
}

/** Structural check of an already-parsed document object. */
export function parseDocument(value: unknown): ParseResult<ConvplayDocument> {
  return guard(() => {
    const o = obj(value, '', ['format', 'version', 'spec', 'train']);
    if (o['format'] !== DOCUMENT_FORMAT) throw new ParseError('format', `expected "${DOCUMENT_FORMAT}", got ${show(o['format'])}`);
    if (o['version'] !== DOCUMENT_VERSION)
      throw new ParseError('version', `this page reads version ${DOCUMENT_VERSION}, got ${show(o['version'])}`);
    return { spec: specOf(o['spec'], 'spec'), train: trainOf(o['train'], 'train') };
  });
}

/** Structural check of a NetworkSpec (numbers are checked as numbers, not as a network that fits). */
export function parseNetworkSpec(value: unknown): ParseResult<NetworkSpec> {
  return guard(() => specOf(value, ''));
}

/** Structural check of a TrainConfig (use validateTrainConfig for ranges). */
export function parseTrainConfig(value: unknown): ParseResult<TrainConfig> {
  return guard(() => trainOf(value, ''));
}

// ——— structural checking ———

class ParseError extends Error {
  readonly #path: string;
  constructor(path: string, message: string) {
    super(message);
    this.#path = path;
  }
  get path(): string {
    return this.#path;
  }
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

function guard<T>(f: () => T): ParseResult<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof ParseError) return fail(e.path ? `${e.path}: ${e.message}` : e.message);
    return fail(`could not read it (${e instanceof Error ? e.message : String(e)})`);
  }
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

type Obj = Record<string, unknown>;

/** A plain object whose keys are all in `required` ∪ `optional`, with every required key present. */
function obj(v: unknown, path: string, required: readonly string[], optional: readonly string[] = []): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ParseError(path, `expected an object, got ${show(v)}`);
  const o = v as Obj;
  for (const k of Object.keys(o)) {
    if (!required.includes(k) && !optional.includes(k))
      throw new ParseError(path, `unknown field ${show(k)} (expected ${[...required, ...optional].join(', ')})`);
  }
  for (const k of required) if (!Object.hasOwn(o, k)) throw new ParseError(join(path, k), 'missing');
  return o;
}

function num(o: Obj, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParseError(join(path, key), `expected a finite number, got ${show(v)}`);
  return v;
}

function bool(o: Obj, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new ParseError(join(path, key), `expected true or false, got ${show(v)}`);
  return v;
}

function oneOf<T extends string>(o: Obj, key: string, path: string, options: readonly T[]): T {
  const v = o[key];
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v))
    throw new ParseError(join(path, key), `expected one of ${options.join(', ')}, got ${show(v)}`);
  return v as T;
}

/** Copies the optional fields that are present, each checked by `read`. */
function optional<T extends object>(o: Obj, path: string, out: T, fields: Partial<Record<keyof T & string, (o: Obj, key: string, path: string) => unknown>>): T {
  for (const [key, read] of Object.entries(fields) as [keyof T & string, (o: Obj, key: string, path: string) => unknown][]) {
    if (Object.hasOwn(o, key)) (out as Record<string, unknown>)[key] = read(o, key, path);
  }
  return out;
}

function specOf(v: unknown, path: string): NetworkSpec {
  const o = obj(v, path, ['version', 'input', 'layers'], ['classes']);
  if (o['version'] !== 1) throw new ParseError(join(path, 'version'), `expected 1, got ${show(o['version'])}`);
  const ip = join(path, 'input');
  const i = obj(o['input'], ip, ['C', 'H', 'W']);
  const input = { C: num(i, 'C', ip), H: num(i, 'H', ip), W: num(i, 'W', ip) };
  const list = o['layers'];
  const lp = join(path, 'layers');
  if (!Array.isArray(list)) throw new ParseError(lp, `expected a list, got ${show(list)}`);
  if (list.length > LIMITS.maxLayers) throw new ParseError(lp, `too many layers (${list.length}, at most ${LIMITS.maxLayers})`);
  const spec: NetworkSpec = { version: 1, input, layers: list.map((l, k) => itemOf(l, join(lp, k), 0)) };
  if (Object.hasOwn(o, 'classes')) {
    const classes = num(o, 'classes', path);
    if (!Number.isInteger(classes) || classes < 2 || classes > 100) throw new ParseError(join(path, 'classes'), `expected a whole number of classes from 2 to 100, got ${show(classes)}`);
    spec.classes = classes;
  }
  return spec;
}

/** A layer, or a residual block whose body is parsed the same way (nested up to MAX_BLOCK_DEPTH). */
function itemOf(v: unknown, path: string, depth: number): LayerItem {
  if (typeof v !== 'object' || v === null || (v as Obj)['kind'] !== 'residual') return layerOf(v, path);
  const o = obj(v, path, ['id', 'kind', 'body', 'shortcut', 'S', 'bias', 'relu']);
  const id = o['id'];
  if (typeof id !== 'string' || id.length === 0 || id.length > LIMITS.maxIdLength || !LAYER_ID_PATTERN.test(id))
    throw new ParseError(join(path, 'id'), `expected 1–${LIMITS.maxIdLength} letters, digits or _ . : -, got ${show(id)}`);
  const bp = join(path, 'body');
  const body = o['body'];
  if (!Array.isArray(body)) throw new ParseError(bp, `expected a list, got ${show(body)}`);
  if (body.length > LIMITS.maxLayers) throw new ParseError(bp, `too many layers (${body.length}, at most ${LIMITS.maxLayers})`);
  if (depth >= MAX_BLOCK_DEPTH) throw new ParseError(bp, `blocks nest at most ${MAX_BLOCK_DEPTH} deep`);
  const shortcut = oneOf(o, 'shortcut', path, RESIDUAL_SHORTCUTS);
  return { id, kind: 'residual', body: body.map((l, k) => itemOf(l, join(bp, k), depth + 1)), shortcut, S: num(o, 'S', path), bias: bool(o, 'bias', path), relu: bool(o, 'relu', path) };
}

function layerOf(v: unknown, path: string): LayerSpec {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ParseError(path, `expected a layer object, got ${show(v)}`);
  const raw = v as Obj;
  const kind = oneOf<LayerKind>(raw, 'kind', path, LAYER_KINDS);
  const idv = raw['id'];
  if (typeof idv !== 'string' || idv.length === 0 || idv.length > LIMITS.maxIdLength || !LAYER_ID_PATTERN.test(idv))
    throw new ParseError(join(path, 'id'), `expected 1–${LIMITS.maxIdLength} letters, digits or _ . : -, got ${show(idv)}`);
  const id = idv;
  // Every field the layer table defines for this kind; a fused activation may be absent.
  const def = LAYERS[kind];
  const keys = def.fields.map((f) => f.key);
  const mayLack = def.fields.filter((f) => f.type === 'activation' || (f.type === 'number' && f.absent !== undefined)).map((f) => f.key);
  const o = obj(raw, path, ['id', 'kind', ...keys.filter((k) => !mayLack.includes(k))], mayLack);
  const layer: Record<string, unknown> = { id, kind };
  for (const f of def.fields) {
    if (Object.hasOwn(o, f.key)) layer[f.key] = fieldOf(f, o, path);
  }
  return layer as unknown as LayerSpec;
}

function fieldOf(f: FieldDef, o: Obj, path: string): unknown {
  switch (f.type) {
    case 'bool':
      return bool(o, f.key, path);
    case 'activation':
      return oneOf<Activation>(o, f.key, path, ACTIVATIONS);
    case 'number': {
      const v = o[f.key];
      if (f.words?.includes(v as string)) return v;
      if (f.pair && Array.isArray(v)) {
        const p = join(path, f.key);
        if (v.length !== 2) throw new ParseError(p, `expected a number or [FH, FW], got a list of ${v.length}`);
        return [num(v as unknown as Obj, '0', p), num(v as unknown as Obj, '1', p)];
      }
      return num(o, f.key, path);
    }
    default:
      return f satisfies never;
  }
}

function trainOf(v: unknown, path: string): TrainConfig {
  const o = obj(v, path, ['dataset', 'batch', 'epochs', 'seed', 'optimizer', 'schedule'], ['init']);
  const op = join(path, 'optimizer');
  const opt = obj(o['optimizer'], op, ['kind', 'lr'], ['momentum', 'nesterov', 'beta1', 'beta2', 'epsilon', 'weightDecay']);
  const optimizer = optional<OptimizerConfig>(
    opt,
    op,
    { kind: oneOf(opt, 'kind', op, OPTIMIZER_KINDS), lr: num(opt, 'lr', op) },
    { momentum: num, nesterov: bool, beta1: num, beta2: num, epsilon: num, weightDecay: num },
  );
  const sp = join(path, 'schedule');
  const sch = obj(o['schedule'], sp, ['kind'], ['warmupSteps', 'stepSize', 'gamma', 'minLr']);
  const schedule = optional<ScheduleConfig>(
    sch,
    sp,
    { kind: oneOf(sch, 'kind', sp, SCHEDULE_KINDS) },
    { warmupSteps: num, stepSize: num, gamma: num, minLr: num },
  );
  return {
    dataset: oneOf(o, 'dataset', path, DATASETS),
    batch: num(o, 'batch', path),
    epochs: num(o, 'epochs', path),
    seed: num(o, 'seed', path),
    optimizer,
    schedule,
    ...(o['init'] !== undefined && { init: oneOf(o, 'init', path, INIT_SCHEMES) }),
  };
}
