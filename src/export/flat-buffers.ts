// Why: the engine keeps every tensor in one flat f32 buffer (params, m, v; batch-norm state in
// another), each at a slot's offset; a checkpoint wants one array per tensor. These two functions are
// the only translation between them, written against the slot's plain fields (layerId, role, shape,
// count, offset) so export/ needs no engine import: ParamSlot and StateSlot both fit.
import type { TensorRole } from './expected-tensors';
import type { ParamTensor } from './checkpoint';
import { ExportError } from './import-error';

/** What export needs of an engine ParamSlot / StateSlot (state slots have no shape: it is [count]). */
export interface FlatSlot {
  layerId: string;
  role: TensorRole;
  shape?: readonly number[];
  count: number;
  /** In floats. */
  offset: number;
}

/** One copied tensor per slot, out of `flat` (a Snapshot's params, m, v or state). */
export function gatherTensors(slots: readonly FlatSlot[], flat: Float32Array): ParamTensor[] {
  return slots.map((s) => {
    if (s.offset < 0 || s.offset + s.count > flat.length)
      throw new ExportError(`${s.layerId}/${s.role}`, `slot [${s.offset}, ${s.offset + s.count}) lies outside the ${flat.length}-float buffer`);
    return { layerId: s.layerId, role: s.role, shape: [...(s.shape ?? [s.count])], data: flat.slice(s.offset, s.offset + s.count) };
  });
}

/** Writes each slot's tensor (matched by layerId and role) into `flat`. Every slot must be covered:
 *  a checkpoint either fills the whole buffer or is refused (no half-loaded networks). */
export function scatterTensors(slots: readonly FlatSlot[], tensors: readonly ParamTensor[], flat: Float32Array): void {
  const byId = new Map(tensors.map((t) => [`${t.layerId}/${t.role}`, t]));
  for (const s of slots) {
    const id = `${s.layerId}/${s.role}`;
    const t = byId.get(id);
    if (!t) throw new ExportError(id, 'the checkpoint has no tensor for this slot');
    if (t.data.length !== s.count) throw new ExportError(id, `the checkpoint has ${t.data.length} values, the slot holds ${s.count}`);
    if (s.offset < 0 || s.offset + s.count > flat.length)
      throw new ExportError(id, `slot [${s.offset}, ${s.offset + s.count}) lies outside the ${flat.length}-float buffer`);
    flat.set(t.data, s.offset);
  }
}
