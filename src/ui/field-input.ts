// Why: a learner types into the hyperparameter boxes; "", "-1", "2.5", "1e9", "abc" must get a message
// next to the box and never reach the NetworkSpec. This turns a box's text into a value or a message,
// with the bounds taken from model/'s LIMITS, so the page and the planner agree on what is allowed.
// (Whether the value makes the network fit is analyzeNetwork's job, not this file's.)
import { fmt, LAYERS, LIMITS, type InputSpec, type LayerSpec } from '../model';
import type { LayerField } from './events';

export interface NumberRule {
  /** How the message names the field: "K (number of filters)", the name the validator uses too. */
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
  /** The value a layer without this (optional) field has. */
  absent?: number;
}

const whole = (name: string, min: number, max: number): NumberRule => ({ name, whole: true, min, max });

/** The number boxes a layer of this kind shows, in card order: the layer table's number fields, whose
 *  bounds the validator applies too. */
export function numberFields(kind: LayerSpec['kind']): FieldSpec[] {
  return LAYERS[kind].fields.flatMap((f) => {
    if (f.type !== 'number') return [];
    const rule: NumberRule = { name: f.name, whole: f.whole, min: f.min, max: f.max };
    if (f.minOpen) rule.minOpen = true;
    if (f.maxOpen) rule.maxOpen = true;
    if (f.words) rule.words = f.words;
    if (f.pair) rule.pair = true;
    return [{ field: f.key as LayerField, label: f.label, rule, ...(f.absent !== undefined && { absent: f.absent }) }];
  });
}

export { hasActivation } from '../model';

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
