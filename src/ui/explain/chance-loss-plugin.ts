// Why: the course's first sanity check — an untrained 10-class network should start near
// loss = −log(1/10) = ln 10 ≈ 2.30 (every class equally likely). A dashed line on the loss chart
// marks it, so a first loss far above it (bad initialisation) is seen at once. With K classes (a
// user's dataset) the line is at ln K. The curves start on that line and the accuracy climbs to its
// height, so its label goes where no drawn curve passes (placeLabel), shortened if it must.
import type { Plugin } from 'chart.js';

export const CHANCE_LOSS = Math.log(10);

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}
type Pt = { x: number; y: number };

/** Text height (11 px font) and gaps: the label sits GAP px above or below the line. */
const TEXT = 11;
const GAP = 4;
const PAD = 4;

/** Whether the segment a–b crosses the rectangle r (Liang–Barsky clipping). */
export function segmentHits(a: Pt, b: Pt, r: Rect): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const edges: [number, number][] = [[-dx, a.x - r.left], [dx, r.right - a.x], [-dy, a.y - r.top], [dy, r.bottom - a.y]];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
      if (t0 > t1) return false;
    }
  }
  return true;
}

/** How many segments of the curves (polylines in pixels) cross r. */
function hits(curves: readonly (readonly Pt[])[], r: Rect): number {
  let n = 0;
  for (const c of curves) {
    if (c.length === 1 && segmentHits(c[0]!, c[0]!, r)) n++;
    for (let i = 1; i < c.length; i++) if (segmentHits(c[i - 1]!, c[i]!, r)) n++;
  }
  return n;
}

export interface Placement {
  text: string;
  /** Where fillText draws it (left end of the baseline). */
  x: number;
  y: number;
  /** Whether a curve still crosses it (then it gets a backing so it stays readable). */
  crossed: boolean;
}

/**
 * Where the label of the line at height `py` goes: the first of the texts (longest first) and spots
 * (right, middle, left; above, then below the line) inside the chart area that no curve crosses; if
 * every spot is crossed, the shortest text where fewest segments cross.
 */
export function placeLabel(area: Rect, py: number, texts: readonly { text: string; width: number }[], curves: readonly (readonly Pt[])[]): Placement | undefined {
  let best: (Placement & { n: number }) | undefined;
  for (const { text, width } of texts) {
    if (width > area.right - area.left - 2 * PAD) continue;
    const xs = [area.right - PAD - width, (area.left + area.right - width) / 2, area.left + PAD];
    for (const baseline of [py - GAP, py + GAP + TEXT]) {
      const top = baseline - TEXT;
      if (top < area.top || baseline + 2 > area.bottom) continue;
      for (const x of xs) {
        const n = hits(curves, { left: x - 2, top: top - 1, right: x + width + 2, bottom: baseline + 3 });
        if (n === 0) return { text, x, y: baseline, crossed: false };
        // Crossed everywhere: fewest crossings, then the shorter text (later in the list), then the earlier spot.
        if (!best || n < best.n || (n === best.n && text !== best.text)) best = { text, x, y: baseline, crossed: true, n };
      }
    }
  }
  return best && { text: best.text, x: best.x, y: best.y, crossed: true };
}

/** The line for a K-class net; `classes()` is read at each draw. */
export const chanceLossPlugin = (classes: () => number): Plugin<'line'> => ({
  id: 'cpChanceLoss',
  afterDatasetsDraw(chart) {
    const K = classes();
    const CHANCE_LOSS = Math.log(K);
    const y = chart.scales['y'];
    const area = chart.chartArea;
    if (!y || !area) return;
    const py = y.getPixelForValue(CHANCE_LOSS);
    if (py < area.top || py > area.bottom) {
      chart.canvas.dataset['chanceLabel'] = '';
      return;
    }
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = '#868e96';
    ctx.fillStyle = '#5c6270';
    ctx.setLineDash([6, 4]);
    ctx.font = `${TEXT}px system-ui, sans-serif`;
    ctx.beginPath();
    ctx.moveTo(area.left, py);
    ctx.lineTo(area.right, py);
    ctx.stroke();
    const texts = [`ln ${K} ≈ ${CHANCE_LOSS.toFixed(2)}: an untrained ${K}-class net`, `ln ${K} ≈ ${CHANCE_LOSS.toFixed(2)}: chance`, `ln ${K}`].map((text) => ({ text, width: ctx.measureText(text).width }));
    const curves = chart.data.datasets.map((_, i) => (chart.isDatasetVisible(i) ? chart.getDatasetMeta(i).data.map((p) => ({ x: p.x, y: p.y })) : []));
    const at = placeLabel(area, py, texts, curves);
    // What the canvas shows, for tests and tools (the pixels cannot say it): the label, and whether a curve crosses it.
    chart.canvas.dataset['chanceLabel'] = at ? `${at.text}${at.crossed ? ' (crossed by a curve)' : ''}` : '';
    if (at) {
      if (at.crossed) {
        ctx.fillStyle = 'rgb(255 255 255 / 0.85)';
        ctx.fillRect(at.x - 2, at.y - TEXT, ctx.measureText(at.text).width + 4, TEXT + 3);
        ctx.fillStyle = '#5c6270';
      }
      ctx.fillText(at.text, at.x, at.y);
    }
    ctx.restore();
  },
});
