// Why: with residual blocks the layer list is a tree (a block's body is a list of its own). The
// designer edits it by id — add, move into or out of a block, remove, patch — and these pure,
// copy-on-write functions do that anywhere in the tree, so the design store keeps its one-liners.
import { isBlock } from './residual';
import type { LayerItem } from './spec';

/** Where an item sits: the block holding it (null: the network's list) and its index there. */
export interface ItemPlace {
  parentId: string | null;
  index: number;
  /** How many items that list holds. */
  count: number;
}

/** The list `parentId` names: the network's (null) or a block's body; undefined when no such block. */
export function listOf(items: readonly LayerItem[], parentId: string | null): readonly LayerItem[] | undefined {
  if (parentId === null) return items;
  for (const item of items) {
    if (!isBlock(item)) continue;
    if (item.id === parentId) return item.body;
    const inner = listOf(item.body, parentId);
    if (inner) return inner;
  }
  return undefined;
}

export function placeOf(items: readonly LayerItem[], id: string, parentId: string | null = null): ItemPlace | undefined {
  const index = items.findIndex((item) => item.id === id);
  if (index >= 0) return { parentId, index, count: items.length };
  for (const item of items) {
    if (!isBlock(item)) continue;
    const inner = placeOf(item.body, id, item.id);
    if (inner) return inner;
  }
  return undefined;
}

/** A copy with the list `parentId` names replaced by `f(list)`. */
export function editList(items: readonly LayerItem[], parentId: string | null, f: (list: LayerItem[]) => LayerItem[]): LayerItem[] {
  if (parentId === null) return f([...items]);
  return items.map((item) => (isBlock(item) ? { ...item, body: item.id === parentId ? f([...item.body]) : editList(item.body, parentId, f) } : item));
}

/** A copy with item `id` replaced by `f(item)`. */
export function editItem(items: readonly LayerItem[], id: string, f: (item: LayerItem) => LayerItem): LayerItem[] {
  return items.map((item) => (item.id === id ? f(item) : isBlock(item) ? { ...item, body: editItem(item.body, id, f) } : item));
}

/** A copy without item `id` (a block goes with its body). */
export function removeItem(items: readonly LayerItem[], id: string): LayerItem[] {
  return items.filter((item) => item.id !== id).map((item) => (isBlock(item) ? { ...item, body: removeItem(item.body, id) } : item));
}

/** True when `id` is `blockId` or lies inside it (a block cannot move into itself). */
export function isWithin(items: readonly LayerItem[], id: string, blockId: string): boolean {
  if (id === blockId) return true;
  const block = listOf(items, blockId);
  return !!block && placeOf(block, id) !== undefined;
}

/**
 * Moves item `id` into the list `parentId` so that it ends up at `index` there (clamped).
 * Returns null when it cannot (no such item or block, a block into itself) or
 * when nothing would change.
 */
export function moveItem(items: readonly LayerItem[], id: string, parentId: string | null, index: number): LayerItem[] | null {
  const from = placeOf(items, id);
  if (!from) return null;
  if (parentId !== null && (isWithin(items, parentId, id) || !listOf(items, parentId))) return null;
  const item = listOf(items, from.parentId)![from.index]!;
  const without = removeItem(items, id);
  const target = listOf(without, parentId)!;
  const at = Math.max(0, Math.min(target.length, Math.trunc(index)));
  if (from.parentId === parentId && from.index === at) return null;
  return editList(without, parentId, (list) => {
    list.splice(at, 0, item);
    return list;
  });
}
