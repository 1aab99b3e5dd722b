// The build's line in the status: pipelines compiled of the total counted before compiling, the last
// kernel and the seconds; without a total only the count (never a made-up total); the bar follows.
import { describe, expect, it } from 'vitest';
import { buildBar, pipelinesText } from './build-progress-text';

describe('build progress text', () => {
  it('says N of TOTAL with the last kernel and the time', () => {
    expect(pipelinesText({ compiled: 7, total: 19, kernel: 'conv2d-igemm' }, 12)).toBe('Compiling GPU pipelines: 7 of 19 (conv2d-igemm)… 12 s');
    expect(pipelinesText({ compiled: 0, total: 1234, kernel: '' }, 0)).toBe('Compiling GPU pipelines: 0 of 1,234… 0 s');
  });
  it('says when nothing is left to compile, and gives no total it does not know', () => {
    expect(pipelinesText({ compiled: 0, total: 0, kernel: '' }, 3)).toBe('No GPU pipeline to compile: all were compiled before… 3 s');
    expect(pipelinesText({ compiled: 5, kernel: 'matmul' }, 4)).toBe('5 GPU pipelines compiled (last: matmul)… 4 s');
  });
  it('fills the bar by pipelines while they compile, else by stage, never moving back', () => {
    expect(buildBar({ stage: 'planning', compiled: 7, total: 19 })).toEqual({ now: 7, max: 19, text: '7 of 19 GPU pipelines compiled' });
    expect(buildBar({ stage: 'data', compiled: 0 })).toEqual({ now: 0, max: 3, text: 'stage 1 of 3' });
    expect(buildBar({ stage: 'planning', compiled: 3 })).toEqual({ now: 2, max: 3, text: 'stage 2 of 3' });
    expect(buildBar({ stage: 'planning', compiled: 0, total: 0 })).toEqual({ now: 2, max: 3, text: 'stage 2 of 3' });
    expect(buildBar({ stage: 'finishing', compiled: 19, total: 19 })).toEqual({ now: 3, max: 3, text: 'stage 3 of 3' });
  });
});
