// Why: "add a layer" in the designer gives a layer with the layer table's teaching-friendly defaults.
import { LAYERS } from './layers';
import type { LayerKind, LayerOf } from './spec';

function randomId(kind: LayerKind): string {
  const bytes = new Uint8Array(4);
  crypto.getRandomValues(bytes);
  return `${kind}-${Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('')}`;
}

/** A layer of `kind` with teaching-friendly defaults. Without `id`, a random `${kind}-xxxxxxxx` id;
 *  pass `uniqueLayerId(kind, existingIds)` for a readable one. */
export function newLayer<K extends LayerKind>(kind: K, id?: string): LayerOf<K> {
  return { id: id ?? randomId(kind), kind, ...LAYERS[kind].defaults() } as LayerOf<K>;
}
