// Why: a residual block is a skip connection: the block's input is added back after its body. The
// network drawing shows it as an arc from the volume that feeds the block to the volume where the sum
// happens (its body's last layer), with a ⊕ there and the shortcut's kind on the arc. Pure geometry
// and SVG; the diagram places the volumes and hands them in.
import { svg, nothing } from 'lit';
import { findItem, isBlock, type NetworkAnalysis, type NetworkSpec } from '../../model';

/** What the arcs need of a placed volume: its box and the layer ids it draws. */
export interface ArcStage {
  ids: readonly string[];
  x: number;
  y: number;
  w: number;
  d: number;
  row: number;
}

/** Room above each row for the arcs. */
export const ARC_ROOM = 16;

/** One arc per block whose input and sum volumes are drawn (a block spanning two rows gets two stubs). */
export function residualArcs(spec: NetworkSpec, analysis: NetworkAnalysis, stages: readonly ArcStage[], rowHeight: number) {
  const stageOf = (id: string) => stages.findIndex((s) => s.ids.includes(id));
  return analysis.blocks.map((b) => {
    const block = findItem(spec.layers, b.id);
    if (!block || !isBlock(block) || b.end <= b.first) return nothing;
    const lastBody = b.end - 1 - (block.shortcut === 'projection' ? 1 : 0);
    const first = stageOf(analysis.leaves[b.first]!.id);
    const last = stageOf(analysis.leaves[lastBody]?.id ?? '');
    const from = stages[first - 1];
    const to = stages[last];
    if (!from || !to || first < 1) return nothing;
    const x1 = from.x + (from.w + from.d) / 2;
    const x2 = to.x + (to.w + to.d) / 2;
    const top = (s: ArcStage) => s.y - s.d - 2;
    const label = block.shortcut === 'identity' ? `${b.id}: + x` : `${b.id}: + 1×1, S=${block.S}`;
    const apex = (row: number) => row * rowHeight - ARC_ROOM + 4 + b.depth * 4;
    const bad = !b.outShape;
    if (from.row === to.row) {
      const y = apex(to.row);
      return svg`<g class=${`skip ${bad ? 'bad' : ''}`} aria-label=${`skip connection of ${b.id}`}>
        <path d=${`M${x1},${top(from)} C${x1},${y} ${x2},${y} ${x2},${top(to) - 7}`}></path>
        <circle cx=${x2} cy=${top(to) - 3} r="4"></circle><path class="plus" d=${`M${x2 - 2.5},${top(to) - 3} h5 M${x2},${top(to) - 5.5} v5`}></path>
        <text x=${(x1 + x2) / 2} y=${y + 4} text-anchor="middle">${label}</text>
      </g>`;
    }
    const y1 = apex(from.row);
    // The next row's stub runs just above its volumes, clear of the labels of the row before; its label
    // sits on it at the left, away from any arc that starts at the sum.
    const y2 = to.row * rowHeight + 2;
    return svg`<g class=${`skip ${bad ? 'bad' : ''}`} aria-label=${`skip connection of ${b.id}, continued on the next row`}>
      <path d=${`M${x1},${top(from)} V${y1 + 3} h14`}></path><text x=${x1 + 16} y=${y1 + 6}>⤵</text>
      <path d=${`M0,${y2} H${x2} V${top(to) - 7}`}></path><text x="2" y=${y2 - 3}>${label}</text>
      <circle cx=${x2} cy=${top(to) - 3} r="4"></circle><path class="plus" d=${`M${x2 - 2.5},${top(to) - 3} h5 M${x2},${top(to) - 5.5} v5`}></path>
    </g>`;
  });
}
