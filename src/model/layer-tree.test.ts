import { describe, expect, it } from 'vitest';
import { editItem, moveItem, placeOf, removeItem } from './layer-tree';
import { newBlock } from './residual';
import type { LayerItem } from './spec';

const relu = (id: string): LayerItem => ({ id, kind: 'relu' });
const tree = (): LayerItem[] => [relu('a'), newBlock('r', [relu('b'), newBlock('q', [relu('c')])]), relu('d')];
const ids = (items: readonly LayerItem[]): unknown[] => items.map((i) => (i.kind === 'residual' ? { [i.id]: ids(i.body) } : i.id));

describe('layer tree edits', () => {
  it('finds where an item sits', () => {
    expect(placeOf(tree(), 'c')).toEqual({ parentId: 'q', index: 0, count: 1 });
    expect(placeOf(tree(), 'd')).toEqual({ parentId: null, index: 2, count: 3 });
    expect(placeOf(tree(), 'zz')).toBeUndefined();
  });

  it('moves a layer into a block, out of it, and within a list', () => {
    expect(ids(moveItem(tree(), 'a', 'q', 1)!)).toEqual([{ r: ['b', { q: ['c', 'a'] }] }, 'd']);
    expect(ids(moveItem(tree(), 'c', null, 0)!)).toEqual(['c', 'a', { r: ['b', { q: [] }] }, 'd']);
    expect(ids(moveItem(tree(), 'd', null, 0)!)).toEqual(['d', 'a', { r: ['b', { q: ['c'] }] }]);
    expect(moveItem(tree(), 'a', null, 0)).toBeNull();
  });

  it('refuses to move a block into itself', () => {
    expect(moveItem(tree(), 'r', 'q', 0)).toBeNull();
    expect(moveItem(tree(), 'r', 'r', 0)).toBeNull();
  });

  it('removes and edits at any depth without touching the original', () => {
    const t = tree();
    expect(ids(removeItem(t, 'c'))).toEqual(['a', { r: ['b', { q: [] }] }, 'd']);
    expect(ids(removeItem(t, 'r'))).toEqual(['a', 'd']);
    const edited = editItem(t, 'q', (q) => ({ ...q, relu: false }));
    expect(edited[1]!.kind === 'residual' && edited[1].body[1]).toMatchObject({ id: 'q', relu: false });
    expect(ids(t)).toEqual(['a', { r: ['b', { q: ['c'] }] }, 'd']);
  });
});
