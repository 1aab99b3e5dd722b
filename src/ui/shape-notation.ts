// Why: the lecture writes a volume as H×W×C (28×28×1, 32×32×3); the code, the tensors and PyTorch
// keep C×H×W. The page shows the lecture's order by default and the code's order where code is (the
// summary's tooltip, the export); a setting switches the whole page to C×H×W. The choice is one
// page-wide value (kept in localStorage); components that print shapes hold a NotationController,
// which redraws them when it changes.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { fmt, type Shape } from '../model';

export type ShapeNotation = 'hwc' | 'chw';

const KEY = 'convplay.shape-notation';
let current: ShapeNotation = readStored();
const hosts = new Set<ReactiveControllerHost>();

function readStored(): ShapeNotation {
  try {
    return globalThis.localStorage?.getItem(KEY) === 'chw' ? 'chw' : 'hwc';
  } catch {
    return 'hwc';
  }
}

export function shapeNotation(): ShapeNotation {
  return current;
}

export function setShapeNotation(n: ShapeNotation): void {
  if (n === current) return;
  current = n;
  try {
    globalThis.localStorage?.setItem(KEY, n);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  for (const h of hosts) h.requestUpdate();
}

/** "28×28×32" (hwc) or "32×28×28" (chw) for a [C, H, W] shape; "10" for a flat one. */
export function shapeLabel(shape: Shape | readonly number[] | null | undefined, notation: ShapeNotation = current): string {
  if (!shape) return '—';
  if (shape.length === 3 && notation === 'hwc') return [shape[1]!, shape[2]!, shape[0]!].map(fmt).join('×');
  return shape.map(fmt).join('×');
}

/** The order's name: "H×W×C" or "C×H×W". */
export function notationName(notation: ShapeNotation = current): string {
  return notation === 'hwc' ? 'H×W×C' : 'C×H×W';
}

/** Redraws its host when the page's shape notation changes. */
export class NotationController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }
  hostConnected(): void {
    hosts.add(this.#host);
  }
  hostDisconnected(): void {
    hosts.delete(this.#host);
  }
}
