// Why: a cell of a layer's output is named by (channel, row, column); the explainers move between that
// and the per-image flat index the engine's buffers use. Shared by the cell, dense and batch-norm parts.
import type { CellPosition } from './cell-protocol';

/** The per-image flat index of a cell in a [C, H, W] or [F] tensor. */
export function flatIndex(shape: readonly number[], p: CellPosition): number {
  if (shape.length === 3) return (p.c * shape[1]! + p.y) * shape[2]! + p.x;
  return p.c;
}

/** The cell at per-image flat index `i` of a [C, H, W] tensor. */
export function unflatten(shape: readonly number[], i: number): CellPosition {
  const [, H, W] = shape as [number, number, number];
  return { c: Math.floor(i / (H * W)), y: Math.floor(i / W) % H, x: i % W };
}
