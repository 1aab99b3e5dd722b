// The chance line's label is placed where no curve passes: at the right end above the line when that
// is clear, elsewhere along the line (or below it) when a curve is in the way, and only if every spot
// is crossed, the shortest wording where the fewest segments cross it.
import { describe, expect, it } from 'vitest';
import { placeLabel, segmentHits } from './chance-loss-plugin';

const area = { left: 0, top: 0, right: 400, bottom: 200 };
const texts = [
  { text: 'ln 10 ≈ 2.30: an untrained 10-class net', width: 200 },
  { text: 'ln 10 ≈ 2.30: chance', width: 100 },
  { text: 'ln 10', width: 30 },
];
const line = (y: number, from = 0, to = 400) => [{ x: from, y }, { x: to, y }];

describe('segmentHits', () => {
  it('finds segments that cross, touch or lie inside a rectangle, and no others', () => {
    const r = { left: 10, top: 10, right: 20, bottom: 20 };
    expect(segmentHits({ x: 0, y: 15 }, { x: 30, y: 15 }, r)).toBe(true);
    expect(segmentHits({ x: 12, y: 12 }, { x: 14, y: 14 }, r)).toBe(true);
    expect(segmentHits({ x: 0, y: 0 }, { x: 30, y: 30 }, r)).toBe(true);
    expect(segmentHits({ x: 0, y: 0 }, { x: 30, y: 5 }, r)).toBe(false);
    expect(segmentHits({ x: 0, y: 30 }, { x: 5, y: 0 }, r)).toBe(false);
    expect(segmentHits({ x: 25, y: 0 }, { x: 25, y: 30 }, r)).toBe(false);
  });
});

describe('placeLabel', () => {
  it('puts the whole label at the right end above the line when nothing is there', () => {
    expect(placeLabel(area, 100, texts, [])).toEqual({ text: texts[0]!.text, x: 196, y: 96, crossed: false });
  });
  it('moves away from a loss curve that falls through the right end, and from the accuracy at the line', () => {
    // A loss curve from the line's left end down to the bottom right, and the accuracy flat just above the line.
    const loss = [{ x: 0, y: 100 }, { x: 100, y: 150 }, { x: 400, y: 190 }];
    const accuracy = line(92, 150, 400);
    const at = placeLabel(area, 100, texts, [loss, accuracy])!;
    expect(at.crossed).toBe(false);
    expect(at.text).toBe(texts[0]!.text);
    // Right end below the line: the loss is lower there.
    expect(at).toMatchObject({ x: 196, y: 115 });
  });
  it('goes below the line when the line is at the top of the chart', () => {
    expect(placeLabel(area, 5, texts, [])).toMatchObject({ y: 20, crossed: false });
  });
  it('shortens the label to fit a phone-sized chart, and takes the short form where only it is clear', () => {
    expect(placeLabel({ ...area, right: 150 }, 100, texts, [])!.text).toBe('ln 10 ≈ 2.30: chance');
    // Curves just above and below the line everywhere but the left 40 px.
    const at = placeLabel(area, 100, texts, [line(94, 40), line(108, 40)])!;
    expect(at).toEqual({ text: 'ln 10', x: 4, y: 96, crossed: false });
  });
  it('when every spot is crossed, backs the shortest text where the fewest segments cross', () => {
    const zigzag = Array.from({ length: 81 }, (_, i) => ({ x: i * 5, y: i % 2 ? 80 : 120 }));
    const at = placeLabel(area, 100, texts, [zigzag])!;
    expect(at.crossed).toBe(true);
    expect(at.text).toBe('ln 10');
  });
});
