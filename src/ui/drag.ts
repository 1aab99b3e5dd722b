// Why: layers are dragged from the palette into the network, within it, and back out. Mice use
// native HTML5 drag and drop; touch screens don't fire it, so a pointer-event fallback sends the same
// drop as a `cp-touch-drop` event to whatever element is under the finger (through shadow roots).
import type { LayerKind } from '../model';

/** dataTransfer type of a palette item (its value: the layer kind). */
export const KIND_MIME = 'application/x-convplay-kind';
/** dataTransfer type of a layer card (its value: the layer id). */
export const LAYER_MIME = 'application/x-convplay-layer';

export type DragPayload = { type: 'kind'; kind: LayerKind } | { type: 'layer'; id: string };

export interface TouchDropDetail {
  payload: DragPayload;
  clientX: number;
  clientY: number;
}

declare global {
  interface HTMLElementEventMap {
    'cp-touch-drop': CustomEvent<TouchDropDetail>;
    'cp-touch-over': CustomEvent<TouchDropDetail>;
  }
}

export function setDragData(dt: DataTransfer | null, payload: DragPayload): void {
  if (!dt) return;
  if (payload.type === 'kind') {
    dt.setData(KIND_MIME, payload.kind);
    dt.effectAllowed = 'copy';
  } else {
    dt.setData(LAYER_MIME, payload.id);
    dt.effectAllowed = 'move';
  }
  dt.setData('text/plain', payload.type === 'kind' ? payload.kind : payload.id);
}

/** What is being dragged, as far as a dragover can tell (types only) or a drop can read (values). */
export function dragKind(dt: DataTransfer | null): 'kind' | 'layer' | null {
  if (!dt) return null;
  if (dt.types.includes(KIND_MIME)) return 'kind';
  if (dt.types.includes(LAYER_MIME)) return 'layer';
  return null;
}

/** The innermost element at a point, looking inside open shadow roots. */
export function deepElementFromPoint(x: number, y: number): Element | null {
  let el = document.elementFromPoint(x, y);
  while (el?.shadowRoot) {
    const inner = el.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === el) break;
    el = inner;
  }
  return el;
}

const THRESHOLD_PX = 8;

/** Starts a touch drag from a pointerdown; a tap (no movement) is left to the click handler. */
export function startTouchDrag(down: PointerEvent, payload: DragPayload, label: string): void {
  if (down.pointerType === 'mouse') return;
  const source = down.currentTarget as HTMLElement | null;
  if (!source) return;
  const x0 = down.clientX;
  const y0 = down.clientY;
  let ghost: HTMLElement | null = null;
  const send = (type: 'cp-touch-drop' | 'cp-touch-over', e: PointerEvent) => {
    const target = deepElementFromPoint(e.clientX, e.clientY);
    target?.dispatchEvent(
      new CustomEvent(type, { detail: { payload, clientX: e.clientX, clientY: e.clientY }, bubbles: true, composed: true }),
    );
  };
  const move = (e: PointerEvent) => {
    if (!ghost && Math.hypot(e.clientX - x0, e.clientY - y0) < THRESHOLD_PX) return;
    e.preventDefault();
    if (!ghost) {
      ghost = document.createElement('div');
      ghost.textContent = label;
      Object.assign(ghost.style, {
        position: 'fixed',
        pointerEvents: 'none',
        zIndex: '1000',
        padding: '6px 10px',
        borderRadius: '8px',
        background: '#3b5bdb',
        color: '#fff',
        font: '14px system-ui, sans-serif',
        boxShadow: '0 4px 14px rgb(0 0 0 / 0.25)',
      });
      document.body.append(ghost);
    }
    ghost.style.left = `${e.clientX + 8}px`;
    ghost.style.top = `${e.clientY + 8}px`;
    send('cp-touch-over', e);
  };
  const end = (e: PointerEvent) => {
    source.removeEventListener('pointermove', move);
    source.removeEventListener('pointerup', end);
    source.removeEventListener('pointercancel', end);
    if (!ghost) return;
    ghost.remove();
    ghost = null;
    if (e.type === 'pointerup') {
      send('cp-touch-drop', e);
      // The tap that follows a drag must not also add a layer.
      const swallow = (c: Event) => c.stopImmediatePropagation();
      source.addEventListener('click', swallow, { capture: true, once: true });
      setTimeout(() => source.removeEventListener('click', swallow, { capture: true }), 400);
    }
  };
  source.setPointerCapture(down.pointerId);
  source.addEventListener('pointermove', move);
  source.addEventListener('pointerup', end);
  source.addEventListener('pointercancel', end);
}
