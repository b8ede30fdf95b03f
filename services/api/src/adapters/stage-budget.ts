import { AppError, ErrorCode } from '@streamrec/foundation';
import type { Stage, StageRunner } from '../domain/serving/stages.js';

export interface StageMetrics {
  observe(stage: Stage, seconds: number): void;
  timedOut(stage: Stage): void;
}

/**
 * Runs each stage under its budget. On timeout the request goes on without the result (the late
 * reply is ignored when it arrives); the pipeline degrades instead of waiting.
 *
 * The budget is judged when the event loop gets to it. A loop busy past the budget runs the overdue timer
 * before the I/O that completed meanwhile (libuv: timers, then poll), so a Redis reply or an ONNX result
 * that arrived within the budget would be thrown away and the answer degraded for nothing. The verdict is
 * therefore taken in the check phase (setImmediate), after that iteration's I/O callbacks: a result that is
 * there by then is used, one that is not times out.
 */
export function budgetedStageRunner(budgetsMs: Readonly<Record<Stage, number>>, metrics: StageMetrics): StageRunner {
  return async <T>(stage: Stage, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let verdict: NodeJS.Immediate | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        verdict = setImmediate(() => {
          if (settled) return;
          metrics.timedOut(stage);
          reject(new AppError(ErrorCode.Timeout, `${stage} exceeded its ${budgetsMs[stage]} ms budget`, { retriable: true }));
        });
      }, budgetsMs[stage]);
    });
    try {
      const running = work();
      running.then(
        () => {
          settled = true;
        },
        () => {
          settled = true;
        },
      );
      return await Promise.race([running, timeout]);
    } finally {
      clearTimeout(timer);
      clearImmediate(verdict);
      metrics.observe(stage, (performance.now() - started) / 1000);
    }
  };
}
