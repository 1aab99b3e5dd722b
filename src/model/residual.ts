// Why: a residual block (ResNet: y = body(x) + shortcut(x), then ReLU) is the one place where a
// network stops being a chain: its input is used twice. Everything model/ knows about blocks lives
// here — walking nested layer lists, the block's field checks, the 1×1 projection shortcut's numbers,
// and whether the body's output can be added to the shortcut's (and if not, why, and which projection
// would fix it) — so shapes.ts only dispatches to it.
//
// Decisions:
// - The projection is a 1×1 convolution with stride S and no padding that reads every S-th pixel:
//   OH = ⌊(H − 1)/S⌋ + 1 (PyTorch's rule). A 1×1 window always fits, so the strict CS231n "doesn't
//   fit" of a fractional (H − 1)/S + 1 does not apply to it; the arithmetic text says so.
// - The projection is a layer of its own in the analysis and the engine: a synthetic conv2d with id
//   `<block id>.shortcut` placed after the block's body. Parameter counts, checkpoints and exports
//   pick it up like any other conv.
// - The sum has no multiply-adds; its output (and the ReLU after it) is the block's output.
import { fmt, productText, shapeText } from './format';
import { RESIDUAL_SHORTCUTS, type Conv2dLayer, type LayerItem, type LayerSpec, type ResidualBlock } from './spec';
import { LAYER_ID_PATTERN, LIMITS, ShapeError } from './validate';

export function isBlock(item: LayerItem): item is ResidualBlock {
  return item.kind === 'residual';
}

/** The id of a block's projection shortcut (a synthetic conv2d). */
export function projectionId(blockId: string): string {
  return `${blockId}.shortcut`;
}

/** The projection shortcut as a conv2d layer: K filters of 1×1, stride S, no padding. */
export function projectionLayer(block: ResidualBlock, K: number): Conv2dLayer {
  return { id: projectionId(block.id), kind: 'conv2d', K, F: 1, S: block.S, P: 0, dilation: 1, bias: block.bias };
}

/** The user's layers, depth first, blocks left out (the projection shortcuts are not among them). */
export function leafLayers(items: readonly LayerItem[]): LayerSpec[] {
  return items.flatMap((item) => (isBlock(item) ? leafLayers(item.body) : [item]));
}

/** Every item, depth first: a block comes before its body's items. */
export function allItems(items: readonly LayerItem[]): LayerItem[] {
  return items.flatMap((item) => (isBlock(item) ? [item, ...allItems(item.body)] : [item]));
}

/** The item with `id`, at any depth. */
export function findItem(items: readonly LayerItem[], id: string): LayerItem | undefined {
  return allItems(items).find((item) => item.id === id);
}

/** How many layers and blocks a list holds, at any depth. */
export function countItems(items: readonly LayerItem[]): number {
  return allItems(items).length;
}

/** Nesting depth of the deepest block (0 for a plain chain). */
export function blockDepth(items: readonly LayerItem[]): number {
  return Math.max(0, ...items.map((item) => (isBlock(item) ? 1 + blockDepth(item.body) : 0)));
}

/** Blocks nest at most this deep (a teaching tool: deeper nests are unreadable anyway). */
export const MAX_BLOCK_DEPTH = 4;

/** A fresh block with teaching defaults: an identity shortcut around `body`, ReLU after the sum. */
export function newBlock(id: string, body: LayerItem[] = []): ResidualBlock {
  return { id, kind: 'residual', body, shortcut: 'identity', S: 1, bias: false, relu: true };
}

/** The block's own fields, judged without shapes. `index`: where errors point (its first layer). */
export function checkBlockFields(block: ResidualBlock, index: number): ShapeError[] {
  const errors: ShapeError[] = [];
  const fail = (field: string, reason: string, suggestion?: string) =>
    errors.push(new ShapeError({ layerId: block.id, layerIndex: index, field, reason, ...(suggestion ? { suggestion } : {}) }));
  if (typeof block.id !== 'string' || block.id.length === 0 || block.id.length > LIMITS.maxIdLength || !LAYER_ID_PATTERN.test(block.id)) {
    fail('id', `block id must be 1–${LIMITS.maxIdLength} letters, digits or _ . : -, got ${String(block.id)}`);
  }
  if (!(RESIDUAL_SHORTCUTS as readonly unknown[]).includes(block.shortcut)) {
    fail('shortcut', `shortcut must be ${RESIDUAL_SHORTCUTS.join(' or ')}, got ${String(block.shortcut)}`);
  }
  if (!(Number.isInteger(block.S) && block.S >= 1 && block.S <= LIMITS.maxStride)) {
    fail('S', `S (the projection's stride) must be a whole number from 1 to ${LIMITS.maxStride}, got ${String(block.S)}`);
  }
  if (typeof block.bias !== 'boolean') fail('bias', `bias must be true or false, got ${String(block.bias)}`);
  if (typeof block.relu !== 'boolean') fail('relu', `relu must be true or false, got ${String(block.relu)}`);
  if (!Array.isArray(block.body) || block.body.length === 0) {
    fail('body', 'a residual block needs at least one layer in its body', 'drag a layer into the block, e.g. a 3×3 conv with P = 1');
  } else if (blockDepth(block.body) >= MAX_BLOCK_DEPTH) {
    fail('body', `blocks nest at most ${MAX_BLOCK_DEPTH} deep`);
  }
  return errors;
}

/** ⌊(H − 1)/S⌋ + 1: how many pixels a 1×1 stride-S window reads. */
export function projectionOut(H: number, S: number): number {
  return Math.floor((H - 1) / S) + 1;
}

export interface ProjectionNumbers {
  outShape: [number, number, number];
  params: number;
  macs: number;
  arithmetic: { outSize: string; params: string; macs: string };
  geometry: { H: number; W: number; FH: number; FW: number; S: number; PH: number; PW: number; dilation: number; OH: number; OW: number };
}

/** The projection's output, parameters K·(C + 1) and multiply-adds OH·OW·K·C on a C×H×W input. */
export function projectionNumbers(block: ResidualBlock, input: readonly [number, number, number], K: number): ProjectionNumbers {
  const [C, H, W] = input;
  const S = block.S;
  const OH = projectionOut(H, S);
  const OW = projectionOut(W, S);
  const params = K * (C + (block.bias ? 1 : 0));
  const macs = OH * OW * K * C;
  const axis = (n: number) => `⌊(${fmt(n)} − 1)/${fmt(S)}⌋ + 1 = ${fmt(projectionOut(n, S))}`;
  const size = H === W ? axis(H) : `H: ${axis(H)}; W: ${axis(W)}`;
  return {
    outShape: [K, OH, OW],
    params,
    macs,
    arithmetic: {
      outSize: `1×1 projection, stride ${fmt(S)} reads every ${S === 1 ? '' : `${ordinal(S)} `}pixel: ${size}`,
      params: block.bias ? `${fmt(K)}·(${fmt(C)} + 1) = ${fmt(params)}` : `${fmt(K)}·${fmt(C)} = ${fmt(params)}`,
      macs: `${productText([OH, OW, K])}·${fmt(C)} = ${fmt(macs)}`,
    },
    geometry: { H, W, FH: 1, FW: 1, S, PH: 0, PW: 0, dilation: 1, OH, OW },
  };
}

function ordinal(n: number): string {
  const suffix = n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** The stride S for which a 1×1 projection turns H×W into OH×OW, if there is one. */
export function projectionStride(H: number, W: number, OH: number, OW: number): number | undefined {
  for (let S = 1; S <= Math.min(LIMITS.maxStride, Math.max(H, W)); S++) {
    if (projectionOut(H, S) === OH && projectionOut(W, S) === OW) return S;
  }
  return undefined;
}

/**
 * Can the body's output be added to the shortcut's? null when it can; otherwise why not and, where
 * a projection (or another stride) would make it fit, which one.
 */
export function checkSum(block: ResidualBlock, index: number, input: readonly number[], bodyOut: readonly number[], shortcutOut: readonly number[]): ShapeError | null {
  if (same(bodyOut, shortcutOut)) return null;
  const base = { layerId: block.id, layerIndex: index, field: 'shortcut' };
  if (bodyOut.length !== 3 || input.length !== 3) {
    return new ShapeError({
      ...base,
      reason: `the sum adds the body's output ${shapeText(bodyOut)} to the shortcut's ${shapeText(shortcutOut)}: a residual block must keep C×H×W feature maps (its body flattens)`,
      suggestion: 'move the flatten, dense or global-avg-pool layers after the block',
    });
  }
  const [K, OH, OW] = bodyOut as [number, number, number];
  const [, H, W] = input as [number, number, number];
  const S = projectionStride(H, W, OH, OW);
  const what = block.shortcut === 'identity' ? `the identity shortcut passes the input ${shapeText(input)} unchanged` : `the 1×1 projection with stride ${fmt(block.S)} gives ${shapeText(shortcutOut)}`;
  const reason = `the sum cannot add the body's output ${shapeText(bodyOut)} to the shortcut: ${what}`;
  if (S === undefined) {
    return new ShapeError({
      ...base,
      reason: `${reason}, and no 1×1 stride turns ${fmt(H)}×${fmt(W)} into ${fmt(OH)}×${fmt(OW)}`,
      suggestion: `change the body so that it gives ${fmt(H)}×${fmt(W)} maps, or ⌈${fmt(H)}/S⌉ for a stride S`,
    });
  }
  const proj = `use a projection shortcut: a 1×1 convolution with K = ${fmt(K)}, stride S = ${fmt(S)}`;
  if (block.shortcut === 'projection') {
    return new ShapeError({ ...base, field: 'S', reason, suggestion: `set the projection's stride S = ${fmt(S)} (⌊(${fmt(H)} − 1)/${fmt(S)}⌋ + 1 = ${fmt(OH)})` });
  }
  return new ShapeError({ ...base, reason, suggestion: S === 1 ? `${proj} (it maps ${fmt(input[0]!)} channels to ${fmt(K)})` : proj });
}

/** Every layer, projection shortcut and block in the order the forward pass computes their outputs:
 *  a block's body, then its projection, then the block (its sum). */
export function forwardOrder(items: readonly LayerItem[]): { id: string; kind: LayerItem['kind'] }[] {
  return items.flatMap((item) => {
    if (!isBlock(item)) return [{ id: item.id, kind: item.kind }];
    const projection = item.shortcut === 'projection' ? [{ id: projectionId(item.id), kind: 'conv2d' as const }] : [];
    return [...forwardOrder(item.body), ...projection, { id: item.id, kind: item.kind }];
  });
}
