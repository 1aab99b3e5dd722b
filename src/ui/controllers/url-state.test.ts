import { describe, expect, it } from 'vitest';
import { encodeHash, getPreset } from '../../model';
import { badLinkNotice, defaultDocument, hashFor, readHash } from './url-state';

describe('URL state', () => {
  it('reads back what it writes', () => {
    const p = getPreset('lenet-5');
    const doc = { spec: p.spec, train: p.train };
    const s = readHash(hashFor(doc));
    expect(s).toEqual({ kind: 'ok', doc });
    expect(hashFor(doc)).toBe(`#${encodeHash(doc)}`);
  });

  it('treats an empty hash as no design', () => {
    expect(readHash('')).toEqual({ kind: 'empty' });
    expect(readHash('#')).toEqual({ kind: 'empty' });
  });

  it('explains a malformed or truncated hash instead of throwing', () => {
    for (const bad of ['#hello', '#v1.%%%', '#v1.eyJmb3JtYXQiOiJjb252cGxheSJ9', hashFor(defaultDocument()).slice(0, 40)]) {
      const s = readHash(bad);
      expect(s.kind).toBe('bad');
      if (s.kind === 'bad') expect(badLinkNotice(s.error, 'default')).toMatch(/could not be opened \(.+\), so the default network/);
    }
  });

  it('opens a link to a network that does not fit (the page then shows why)', () => {
    const doc = defaultDocument();
    doc.spec.layers[0] = { ...(doc.spec.layers[0] as Extract<typeof doc.spec.layers[0], { kind: 'conv2d' }>), S: 3, P: 0 };
    const s = readHash(hashFor(doc));
    expect(s.kind).toBe('ok');
  });

  it('starts from the reference CNN', () => {
    expect(defaultDocument().spec.layers.map((l) => l.id)).toContain('conv1');
  });
});
