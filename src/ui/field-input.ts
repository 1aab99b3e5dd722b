// Why: a learner types into the hyperparameter boxes; "", "-1", "2.5", "1e9", "abc" must get a message
// next to the box and never reach the NetworkSpec. This turns a box's text into a value or a message,
// with the bounds taken from model/'s LIMITS, so the page and the planner agree on what is allowed.
// (Whether the value makes the network fit is analyzeNetwork's job, not this file's.)
import { fmt, LIMITS, type InputSpec, type LayerSpec } from '../model';
import type { LayerField } from './events';

export interface NumberRule {
  /** How the message names the field: "K (filters)". */
  name: string;
  whole: boolean;
  min: number;
  max: number;
  /** min/max themselves are not allowed. */
  minOpen?: boolean;
  maxOpen?: boolean;
  /** Words also accepted as values ('same', 'valid'). */
  words?: readonly string[];
  /** "FH×FW" accepted (conv2d F). */
  pair?: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** What the rule allows, in words: "a whole number from 1 to 4,096". */
export function describeRule(r: NumberRule): string {
  const lo = r.minOpen ? '(' : '[';
  const hi = r.maxOpen ? ')' : ']';
  const range = r.whole ? `a whole number from ${fmt(r.min)} to ${fmt(r.max)}` : `a number in ${lo}${fmt(r.min)}, ${fmt(r.max)}${hi}`;
  const words = r.words?.length ? `, or ${r.words.map((w) => `"${w}"`).join(' or ')}` : '';
  const pair = r.pair ? ' (or FH×FW, e.g. 3×5)' : '';
  return `${range}${pair}${words}`;
}

function parseOne(r: NumberRule, text: string): number | null {
  if (!NUMBER.test(text)) return null;
  const v = Number(text);
  if (!Number.isFinite(v)) return null;
  if (r.whole && !Number.isInteger(v)) return null;
  if (v < r.min || (r.minOpen && v === r.min)) return null;
  if (v > r.max || (r.maxOpen && v === r.max)) return null;
  return v;
}

/** Parses one box's text by `rule`. */
export function parseField(rule: NumberRule, raw: string): Parsed<number | string | [number, number]> {
  const text = raw.trim();
  const need = `${rule.name} must be ${describeRule(rule)}`;
  if (text === '') return { ok: false, message: `Enter a value: ${need}.` };
  const word = rule.words?.find((w) => w === text.toLowerCase());
  if (word) return { ok: true, value: word };
  if (rule.pair) {
    const m = /^(.+?)\s*[x×*,]\s*(.+)$/i.exec(text);
    if (m) {
      const a = parseOne(rule, m[1]!);
      const b = parseOne(rule, m[2]!);
      if (a !== null && b !== null) return { ok: true, value: a === b ? a : [a, b] };
      return { ok: false, message: `${need}; got "${text}".` };
    }
  }
  const v = parseOne(rule, text);
  if (v !== null) return { ok: true, value: v };
  const why = !NUMBER.test(text) ? `"${text}" is not a number` : `got ${text}`;
  return { ok: false, message: `${need}; ${why}.` };
}

/** One editable number box of a layer card. */
export interface FieldSpec {
  field: LayerField;
  /** The accessible name of the box: "Filters K". */
  label: string;
  rule: NumberRule;
}

const whole = (name: string, min: number, max: number, extra: Partial<NumberRule> = {}): NumberRule => ({ name, whole: true, min, max, ...extra });
const real = (name: string, min: number, max: number, extra: Partial<NumberRule> = {}): NumberRule => ({ name, whole: false, min, max, ...extra });

/** The number boxes a layer of this kind shows, in card order. */
export function numberFields(kind: LayerSpec['kind']): FieldSpec[] {
  switch (kind) {
    case 'conv2d':
      return [
        { field: 'K', label: 'Filters K', rule: whole('K (filters)', 1, LIMITS.maxFilters) },
        { field: 'F', label: 'Kernel F', rule: whole('F (kernel size)', 1, LIMITS.maxKernel, { pair: true }) },
        { field: 'S', label: 'Stride S', rule: whole('S (stride)', 1, LIMITS.maxStride) },
        { field: 'P', label: 'Padding P', rule: whole('P (padding)', 0, LIMITS.maxKernel, { words: ['same', 'valid'] }) },
        { field: 'dilation', label: 'Dilation', rule: whole('dilation', 1, LIMITS.maxDilation) },
      ];
    case 'max-pool':
    case 'avg-pool':
      return [
        { field: 'F', label: 'Window F', rule: whole('F (window size)', 1, LIMITS.maxKernel) },
        { field: 'S', label: 'Stride S', rule: whole('S (stride)', 1, LIMITS.maxStride) },
        { field: 'P', label: 'Padding P', rule: whole('P (padding)', 0, LIMITS.maxKernel) },
      ];
    case 'leaky-relu':
      return [{ field: 'alpha', label: 'Negative slope α', rule: real('α (negative slope)', 0, 1) }];
    case 'batch-norm':
      return [
        { field: 'momentum', label: 'Momentum', rule: real('momentum', 0, 1) },
        { field: 'epsilon', label: 'Epsilon ε', rule: real('ε', 0, 1, { minOpen: true }) },
      ];
    case 'dropout':
      return [{ field: 'rate', label: 'Drop rate p', rule: real('p (drop rate)', 0, 1, { maxOpen: true }) }];
    case 'dense':
      return [{ field: 'units', label: 'Units', rule: whole('units', 1, LIMITS.maxUnits) }];
    case 'global-avg-pool':
    case 'flatten':
    case 'relu':
    case 'sigmoid':
    case 'tanh':
      return [];
    default:
      return kind satisfies never;
  }
}

/** Does this kind have a fused activation and a bias switch? */
export function hasActivation(kind: LayerSpec['kind']): boolean {
  return kind === 'conv2d' || kind === 'dense';
}

/** The text a box shows for a spec value. */
export function fieldText(value: unknown): string {
  if (Array.isArray(value)) return value.join('×');
  if (value === undefined || value === null) return '';
  return String(value);
}

export const INPUT_FIELDS: { field: keyof InputSpec; label: string; rule: NumberRule }[] = [
  { field: 'C', label: 'Input channels C', rule: whole('C (channels)', 1, LIMITS.maxInputChannels) },
  { field: 'H', label: 'Input height H', rule: whole('H (height)', 1, LIMITS.maxInputSize) },
  { field: 'W', label: 'Input width W', rule: whole('W (width)', 1, LIMITS.maxInputSize) },
];
