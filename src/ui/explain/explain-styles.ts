// Why: the explanation panels share one look: small numeric grids, the picture row, the total line.
import { css } from 'lit';

export const explainStyles = css`
  .lead { margin: 0 0 8px; font-size: 0.85rem; }
  .pictures { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
  figure { margin: 0; }
  figcaption { font-size: 0.75rem; color: var(--cp-muted, #5c6270); margin-top: 2px; max-width: 240px; }
  canvas { image-rendering: pixelated; display: block; border-radius: 3px; }
  .equation { display: flex; flex-wrap: wrap; gap: 6px 8px; align-items: center; margin: 10px 0 6px; }
  h4 { margin: 0 0 2px; font-size: 0.72rem; font-weight: 600; color: var(--cp-muted, #5c6270); text-transform: none; }
  .grid { display: grid; gap: 2px; font: 0.72rem/1.2 ui-monospace, SFMono-Regular, Menlo, monospace; font-variant-numeric: tabular-nums; }
  .grid span { padding: 2px 4px; min-width: 2.6em; text-align: right; background: #f4f6fa; border-radius: 3px; }
  .grid.w span { background: #fff4e6; }
  .grid.p span { background: #eef6ee; }
  .grid span.pad { background: repeating-linear-gradient(135deg, #eef0f3 0 4px, #dfe3e9 4px 6px); color: #8a909c; }
  .grid span.max { outline: 2px solid #ff3d7f; font-weight: 700; }
  .op { font-size: 1.2rem; color: var(--cp-muted, #5c6270); }
  .big { font: 600 1rem ui-monospace, SFMono-Regular, Menlo, monospace; }
  .channels { display: flex; flex-wrap: wrap; gap: 4px; margin: 4px 0; max-height: 92px; overflow: auto; }
  .channels button { font: 0.72rem ui-monospace, SFMono-Regular, Menlo, monospace; padding: 1px 6px; border: 1px solid var(--cp-border, #d0d4dc); background: #fff; border-radius: 6px; cursor: pointer; }
  .channels button.on { border-color: var(--cp-accent, #3b5bdb); background: #edf2ff; }
  .total { margin: 6px 0 0; font-size: 0.85rem; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
  .ok { color: #2b8a3e; font-weight: 600; }
  .bad { color: var(--cp-error, #c92a2a); font-weight: 600; }
  table { border-collapse: collapse; font-size: 0.78rem; font-variant-numeric: tabular-nums; }
  th, td { padding: 2px 8px; text-align: right; border-bottom: 1px solid #eef0f3; }
  th { font-weight: 600; color: var(--cp-muted, #5c6270); }
  td:first-child, th:first-child { text-align: left; }
  tr.label td { background: #fff0f5; font-weight: 600; }
  .why { font-size: 0.82rem; color: var(--cp-muted, #5c6270); margin: 6px 0 0; }
  :focus-visible { outline: 2px solid var(--cp-accent, #3b5bdb); outline-offset: 2px; }
`;
