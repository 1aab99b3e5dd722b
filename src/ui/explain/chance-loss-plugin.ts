// Why: the course's first sanity check — an untrained 10-class network should start near
// loss = −log(1/10) = ln 10 ≈ 2.30 (every class equally likely). A dashed line on the loss chart
// marks it, so a first loss far above it (bad initialisation) is seen at once. With K classes (a
// user's dataset) the line is at ln K.
import type { Plugin } from 'chart.js';

export const CHANCE_LOSS = Math.log(10);

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
    if (py < area.top || py > area.bottom) return;
    const ctx = chart.ctx;
    const label = `ln ${K} ≈ ${CHANCE_LOSS.toFixed(2)}: an untrained ${K}-class net`;
    ctx.save();
    ctx.strokeStyle = '#868e96';
    ctx.fillStyle = '#5c6270';
    ctx.setLineDash([6, 4]);
    ctx.font = '11px system-ui, sans-serif';
    ctx.beginPath();
    ctx.moveTo(area.left, py);
    ctx.lineTo(area.right, py);
    ctx.stroke();
    ctx.fillText(label, Math.max(area.left + 4, area.right - ctx.measureText(label).width - 4), py - 4);
    ctx.restore();
  },
});
