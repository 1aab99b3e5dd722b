// Why: an image looked at must reach the network as training saw it: a drawing (28×28 grey) resized
// to the data's H×W and repeated in every channel, and pixels normalised per channel with the
// dataset's mean and std. Pure functions, so the inspection code only calls them.
import { resizePlane } from '../data/image-decode';
import type { InputSpec } from '../model';

/** A square grey drawing as an image of `input`'s C×H×W (unchanged when it already is one). */
export function drawnToData(pixels: Uint8Array, input: InputSpec): Uint8Array {
  const { C, H, W } = input;
  if (pixels.length === C * H * W) return pixels;
  const side = Math.round(Math.sqrt(pixels.length));
  if (side * side !== pixels.length) return pixels;
  const plane = side === H && side === W ? pixels : resizePlane(pixels, side, side, H, W);
  const out = new Uint8Array(C * H * W);
  for (let c = 0; c < C; c++) out.set(plane, c * H * W);
  return out;
}

/** (pixel/255 − mean[c]) / std[c], channel c the plane a pixel lies in (CHW). */
export function normalisePixels(pixels: Uint8Array, mean: readonly number[], std: readonly number[]): Float32Array {
  const plane = pixels.length / mean.length;
  return Float32Array.from(pixels, (p, i) => {
    const c = Math.floor(i / plane);
    return (p / 255 - mean[c]!) / std[c]!;
  });
}
