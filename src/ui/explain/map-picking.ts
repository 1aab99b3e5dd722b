// Why: turning a click (or Enter) on a map canvas into "this cell of this layer": the canvases are
// drawn one pixel per cell and scaled up by CSS, so the cell is the click's fraction of the box.
import { emitExplain } from './explain-events';

function source(e: Event): { canvas: HTMLCanvasElement; layerId: string; channel: number } | undefined {
  const canvas = e.currentTarget as HTMLCanvasElement | null;
  const layerId = canvas?.dataset['layerId'];
  if (!canvas || !layerId) return undefined;
  return { canvas, layerId, channel: Number(canvas.dataset['channel']) };
}

/** Click on a map: the cell under the pointer; on a strip of units: the unit under it. */
export function pickCellFromClick(e: MouseEvent): void {
  const s = source(e);
  if (!s) return;
  const r = s.canvas.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return;
  const x = Math.min(s.canvas.width - 1, Math.max(0, Math.floor(((e.clientX - r.left) / r.width) * s.canvas.width)));
  const y = Math.min(s.canvas.height - 1, Math.max(0, Math.floor(((e.clientY - r.top) / r.height) * s.canvas.height)));
  if (s.channel >= 0) {
    emitExplain(s.canvas, 'cp-cell-pick', { layerId: s.layerId, at: { c: s.channel, y, x } });
    return;
  }
  const unit = y * s.canvas.width + x;
  if (unit < Number(s.canvas.dataset['count'])) emitExplain(s.canvas, 'cp-cell-pick', { layerId: s.layerId, at: { c: unit, y: 0, x: 0 } });
}

/** Enter or Space on a focused map: its centre cell; on a strip: its first unit. */
export function pickCellFromKey(e: KeyboardEvent): void {
  if (e.key !== 'Enter' && e.key !== ' ') return;
  const s = source(e);
  if (!s) return;
  e.preventDefault();
  const at = s.channel >= 0 ? { c: s.channel, y: s.canvas.height >> 1, x: s.canvas.width >> 1 } : { c: 0, y: 0, x: 0 };
  emitExplain(s.canvas, 'cp-cell-pick', { layerId: s.layerId, at });
}
