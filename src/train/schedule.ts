// Why: the learning rate at each step: an optional linear warm-up, then constant, step decay or cosine
// decay to a floor over the whole run. Pure, so it is tested on its own and charted as-is.
import { withScheduleDefaults, type ScheduleConfig } from '../model';

/** Learning rate for step t (0-based) of a run of `totalSteps` steps with base rate `lr`. */
export function learningRateAt(t: number, totalSteps: number, lr: number, schedule: ScheduleConfig): number {
  const s = withScheduleDefaults(schedule);
  if (s.warmupSteps > 0 && t < s.warmupSteps) return (lr * (t + 1)) / s.warmupSteps;
  const after = t - s.warmupSteps;
  switch (s.kind) {
    case 'constant':
      return lr;
    case 'step':
      return lr * s.gamma ** Math.floor(after / Math.max(1, s.stepSize));
    case 'cosine': {
      const span = Math.max(1, totalSteps - s.warmupSteps);
      const progress = Math.min(1, after / span);
      return s.minLr + (lr - s.minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
    default:
      throw new Error(`unknown schedule ${(s.kind satisfies never) as string}`);
  }
}
