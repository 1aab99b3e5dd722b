// Why: a window (filter or pool) that "doesn't fit" should say so the way the lecture does,
// "(7 − 3)/3 + 1 = 2.33, doesn't fit", and, when a small change fixes it, say which. The conv and
// pool layer definitions ask these questions once their input's size is known.
import type { LayerSpec } from './spec';
import { dilated, fmt, windowEquation, windowOut } from './format';
import { LIMITS, ShapeError } from './shape-error';

/** PyTorch refuses P > F/2: the extra border outputs would see nothing but zeros. */
export function checkHalfKernel(P: number, F: number, noun: string, fail: (field: string, reason: string, suggestion?: string) => void) {
  if (P > F / 2) {
    fail(
      'P',
      `padding P = ${fmt(P)} is more than half the ${fmt(F)}×${fmt(F)} ${noun} (F/2 = ${fmt(F / 2)}): the outermost outputs would see only zeros (PyTorch refuses this too)`,
      `use P ≤ ${fmt(Math.floor(F / 2))}`,
    );
  }
}

/** The window of a conv or pool layer, after 'same'/'valid' have been turned into numbers. */
export interface WindowGeometry {
  /** Input height and width. */
  H: number;
  W: number;
  /** Filter (or pool window) height and width, before dilation. */
  FH: number;
  FW: number;
  S: number;
  PH: number;
  PW: number;
  dilation: number;
}

type Noun = 'filter' | 'pool window';

function fits(W: number, F: number, S: number, P: number): boolean {
  const o = windowOut(W, F, S, P);
  return Number.isInteger(o) && o >= 1;
}

function describe(g: WindowGeometry, noun: Noun): string {
  const pad = g.PH === g.PW ? (g.PH > 0 ? `, padding ${fmt(g.PH)}` : '') : `, padding ${fmt(g.PH)}×${fmt(g.PW)}`;
  const dil = g.dilation > 1 ? `, dilation ${fmt(g.dilation)} (covers ${fmt(dilated(g.FH, g.dilation))}×${fmt(dilated(g.FW, g.dilation))})` : '';
  return `${fmt(g.H)}×${fmt(g.W)} input, ${fmt(g.FH)}×${fmt(g.FW)} ${noun}, stride ${fmt(g.S)}${pad}${dil}`;
}

/** "(7 − 3 + 2·1)/3 + 1 = 3", or "H: … ; W: …" when the two axes differ. */
function equations(g: WindowGeometry, PH: number, PW: number, S: number, only?: (axisFits: boolean) => boolean): string {
  const FHe = dilated(g.FH, g.dilation);
  const FWe = dilated(g.FW, g.dilation);
  if (g.H === g.W && FHe === FWe && PH === PW) return windowEquation(g.H, FHe, S, PH);
  const parts: string[] = [];
  if (!only || only(fits(g.H, FHe, S, PH))) parts.push(`H: ${windowEquation(g.H, FHe, S, PH)}`);
  if (!only || only(fits(g.W, FWe, S, PW))) parts.push(`W: ${windowEquation(g.W, FWe, S, PW)}`);
  return parts.join('; ');
}

/** Looks for the smallest change to P (within P ≤ F/2), else to S, that makes the window fit. */
export function suggestFit(g: WindowGeometry): string | undefined {
  const FHe = dilated(g.FH, g.dilation);
  const FWe = dilated(g.FW, g.dilation);
  const both = (S: number, PH: number, PW: number) => fits(g.H, FHe, S, PH) && fits(g.W, FWe, S, PW);
  const byDistance = (from: number, lo: number, hi: number) => {
    const out: number[] = [];
    for (let v = lo; v <= hi; v++) if (v !== from) out.push(v);
    return out.sort((a, b) => Math.abs(a - from) - Math.abs(b - from) || a - b);
  };
  if (g.PH === g.PW) {
    const maxP = Math.floor(Math.min(FHe, FWe) / 2);
    for (const P of byDistance(g.PH, 0, maxP)) {
      if (both(g.S, P, P)) return `padding P = ${fmt(P)} makes it fit: ${equations(g, P, P, g.S)}`;
    }
  }
  for (const S of byDistance(g.S, 1, Math.min(LIMITS.maxStride, Math.max(g.H, g.W)))) {
    if (both(S, g.PH, g.PW)) return `stride S = ${fmt(S)} makes it fit: ${equations(g, g.PH, g.PW, S)}`;
  }
  return undefined;
}

/** Checks that the window fits the (padded) input exactly: (W − F + 2P)/S + 1 must be a whole number ≥ 1. */
export function checkWindowFit(layer: LayerSpec, index: number, g: WindowGeometry, noun: Noun): ShapeError | null {
  const FHe = dilated(g.FH, g.dilation);
  const FWe = dilated(g.FW, g.dilation);
  const base = { layerId: layer.id, layerIndex: index };
  if (g.H + 2 * g.PH < FHe || g.W + 2 * g.PW < FWe) {
    const padded = g.PH > 0 || g.PW > 0 ? ` (padded: ${fmt(g.H + 2 * g.PH)}×${fmt(g.W + 2 * g.PW)})` : '';
    const suggestion =
      suggestFit(g) ??
      `use a ${noun} of at most ${fmt(g.H)}×${fmt(g.W)}, or downsample less before this layer`;
    return new ShapeError({
      ...base,
      field: 'F',
      reason: `${describe(g, noun)}: the ${fmt(FHe)}×${fmt(FWe)} ${noun} is larger than the ${fmt(g.H)}×${fmt(g.W)} input${padded}`,
      suggestion,
    });
  }
  if (fits(g.H, FHe, g.S, g.PH) && fits(g.W, FWe, g.S, g.PW)) return null;
  const eq = equations(g, g.PH, g.PW, g.S, (ok) => !ok);
  const suggestion = suggestFit(g);
  return new ShapeError({
    ...base,
    field: 'S',
    reason: `${describe(g, noun)}: ${eq}, doesn't fit`,
    ...(suggestion ? { suggestion } : {}),
  });
}

/** Total padding 'same' needs along one axis so that the output is ceil(W/S). */
function sameTotal(W: number, F: number, S: number, d: number): number {
  return (Math.ceil(W / S) - 1) * S + dilated(F, d) - W;
}

/** Resolves P = 'same' to symmetric per-axis padding, or explains why it can't be symmetric. */
export function resolveSamePadding(
  layer: LayerSpec,
  index: number,
  H: number,
  W: number,
  FH: number,
  FW: number,
  S: number,
  d: number,
): { ok: true; PH: number; PW: number } | { ok: false; error: ShapeError } {
  const tH = sameTotal(H, FH, S, d);
  const tW = sameTotal(W, FW, S, d);
  if (tH >= 0 && tW >= 0 && tH % 2 === 0 && tW % 2 === 0) return { ok: true, PH: tH / 2, PW: tW / 2 };
  const [bad, F, total, size] = tH < 0 || tH % 2 !== 0 ? (['H', FH, tH, H] as const) : (['W', FW, tW, W] as const);
  const out = Math.ceil(size / S);
  const reason =
    total < 0
      ? `'same' padding, ${fmt(F)}-wide filter, stride ${fmt(S)} on ${fmt(size)} (${bad}): ceil(${fmt(size)}/${fmt(S)}) = ${fmt(out)} outputs would need cropping ${fmt(-total)} pixel${-total === 1 ? '' : 's'}, not padding`
      : `'same' padding, ${fmt(F)}-wide filter, stride ${fmt(S)} on ${fmt(size)} (${bad}): ceil(${fmt(size)}/${fmt(S)}) = ${fmt(out)} outputs need ${fmt(total)} pixel${total === 1 ? '' : 's'} of padding, which can't be split evenly between both sides`;
  // The nearest filter size for which 'same' pads evenly on both axes. At stride 1 prefer the smaller
  // (3 for 4); with a stride prefer the larger, so the windows still overlap (4 for 3 at stride 2).
  let suggestion: string | undefined;
  for (let delta = 1; delta <= LIMITS.maxKernel && !suggestion; delta++) {
    for (const f of S > 1 ? [F + delta, F - delta] : [F - delta, F + delta]) {
      if (f < 1 || f > LIMITS.maxKernel) continue;
      const other = bad === 'H' ? tW : tH;
      const t = sameTotal(size, f, S, d);
      const square = FH === FW;
      const otherT = square ? t : other;
      if (t >= 0 && t % 2 === 0 && otherT >= 0 && otherT % 2 === 0) {
        const oddHint = S === 1 && d === 1 && F % 2 === 0 ? 'use an odd F such as ' : 'use ';
        suggestion = `${oddHint}F = ${fmt(f)}: 'same' then pads P = ${fmt(t / 2)} on each side`;
        break;
      }
    }
  }
  return {
    ok: false,
    error: new ShapeError({ layerId: layer.id, layerIndex: index, field: 'P', reason, ...(suggestion ? { suggestion } : {}) }),
  };
}

