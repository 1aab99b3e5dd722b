// Why: a build compiles GPU pipelines for up to a minute on a CPU adapter, so the status line says how
// many of how many are done, which kernel came last and for how long it has been going. The total comes
// from the worker, counted before compiling (worker/build-run.ts); without one the line says only how
// many were compiled, never a guessed total.
import { fmt } from '../model';
import type { BuildWait } from './controllers/waits';

/** "Compiling GPU pipelines: 7 of 19 (conv2d-igemm)… 12 s", or "7 GPU pipelines compiled (last: …)… 12 s" without a total. */
export function pipelinesText(b: Pick<BuildWait, 'compiled' | 'total' | 'kernel'>, seconds: number): string {
  const time = `… ${seconds} s`;
  if (b.total === undefined) return `${fmt(b.compiled)} GPU pipelines compiled${b.kernel ? ` (last: ${b.kernel})` : ''}${time}`;
  if (b.total === 0) return `No GPU pipeline to compile: all were compiled before${time}`;
  return `Compiling GPU pipelines: ${fmt(b.compiled)} of ${fmt(b.total)}${b.kernel ? ` (${b.kernel})` : ''}${time}`;
}

export const BUILD_STAGES = ['data', 'planning', 'finishing'] as const;

/**
 * The build's bar, never moving back: empty while the dataset goes to the GPU, then pipelines compiled of
 * the total while they compile (without a total: two thirds), full while the build finishes.
 */
export function buildBar(b: Pick<BuildWait, 'stage' | 'compiled' | 'total'>): { now: number; max: number; text: string } {
  const stage = BUILD_STAGES.indexOf(b.stage) + 1;
  const text = `stage ${stage} of ${BUILD_STAGES.length}`;
  if (b.stage === 'planning' && b.total) return { now: Math.min(b.compiled, b.total), max: b.total, text: `${fmt(b.compiled)} of ${fmt(b.total)} GPU pipelines compiled` };
  return { now: b.stage === 'data' ? 0 : stage, max: BUILD_STAGES.length, text };
}
