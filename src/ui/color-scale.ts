// Why: a picture of numbers needs its key. Next to every activation and filter picture, a small ramp
// of the same colours with the values at its ends (and 0 in the middle of a diverging one) says what
// a colour means.
import { css, html } from 'lit';
import { diverging, sequential } from './colormap';

const STEPS = 8;

function gradient(colour: (t: number) => [number, number, number], from: number, to: number): string {
  const stops = Array.from({ length: STEPS + 1 }, (_, i) => {
    const [r, g, b] = colour(from + ((to - from) * i) / STEPS);
    return `rgb(${r} ${g} ${b}) ${((i / STEPS) * 100).toFixed(0)}%`;
  });
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

const SEQUENTIAL = gradient(sequential, 0, 1);
const DIVERGING = gradient(diverging, -1, 1);

/** "0.123", "12.3", "1.2e-4": short and honest. */
export function scaleValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1000 || a < 0.001) return v.toExponential(1);
  return v.toPrecision(3).replace(/\.?0+$/, '');
}

/** A colour key: the sequential ramp from min to max, or the diverging one from −absMax to +absMax. */
export function colorScale(kind: 'sequential' | 'diverging', min: number, max: number, label: string) {
  const mid = kind === 'diverging' ? html`<span class="mid">0</span>` : '';
  return html`<span class="scale" role="img" aria-label=${`${label}: colours from ${scaleValue(min)} to ${scaleValue(max)}`}>
    <span class="end">${scaleValue(min)}</span>
    <span class="ramp" style=${`background:${kind === 'diverging' ? DIVERGING : SEQUENTIAL}`}>${mid}</span>
    <span class="end">${scaleValue(max)}</span>
  </span>`;
}

export const colorScaleStyles = css`
  .scale { display: inline-flex; align-items: center; gap: 4px; font-size: 0.7rem; color: var(--cp-muted, #5c6270); font-variant-numeric: tabular-nums; font-weight: 400; }
  .scale .ramp { position: relative; display: inline-block; width: 64px; height: 8px; border-radius: 2px; }
  .scale .mid { position: absolute; left: 50%; top: 8px; transform: translateX(-50%); font-size: 0.6rem; line-height: 1; }
`;
