// Why: the design lives in the URL hash, so a link shares it and a reload keeps it. A link that was
// cut short or typed by hand must not give a blank page: it falls back to the default design and
// says why.
import { decodeHash, DEFAULT_PRESET_ID, encodeHash, getPreset, type ConvplayDocument } from '../../model';

export type HashState = { kind: 'empty' } | { kind: 'ok'; doc: ConvplayDocument } | { kind: 'bad'; error: string };

/** Reads `location.hash` ('' and '#' mean "no design in the link"). */
export function readHash(hash: string): HashState {
  const s = hash.startsWith('#') ? hash.slice(1) : hash;
  if (s.trim() === '') return { kind: 'empty' };
  const r = decodeHash(s);
  if (r.ok) return { kind: 'ok', doc: r.value };
  return { kind: 'bad', error: r.error };
}

/** What the page says about a link it could not read. */
export function badLinkNotice(error: string, fallback: 'default' | 'current'): string {
  const then = fallback === 'default' ? 'the default network is shown instead' : 'your network was left as it was';
  return `This link could not be opened (${error}), so ${then}.`;
}

/** '#v1.…' for a document. */
export function hashFor(doc: ConvplayDocument): string {
  return `#${encodeHash(doc)}`;
}

/** The design a new session starts with. */
export function defaultDocument(): ConvplayDocument {
  const p = getPreset(DEFAULT_PRESET_ID);
  return { spec: p.spec, train: p.train };
}
