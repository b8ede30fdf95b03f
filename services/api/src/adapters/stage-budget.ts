import { AppError, ErrorCode } from '@streamrec/foundation';
import type { Stage, StageRunner } from '../domain/serving/stages.js';

export interface StageMetrics {
  observe(stage: Stage, seconds: number): void;
  timedOut(stage: Stage): void;
}

/**
 * Runs each stage under its budget. On timeout the request goes on without the result (the late
 * reply is ignored when it arrives); the pipeline degrades instead of waiting.
 */
export function budgetedStageRunner(budgetsMs: Readonly<Record<Stage, number>>, metrics: StageMetrics): StageRunner {
  return async <T>(stage: Stage, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        metrics.timedOut(stage);
        reject(new AppError(ErrorCode.Timeout, `${stage} exceeded its ${budgetsMs[stage]} ms budget`, { retriable: true }));
      }, budgetsMs[stage]);
    });
    try {
      const running = work();
      running.catch(() => undefined);
      return await Promise.race([running, timeout]);
    } finally {
      clearTimeout(timer);
      metrics.observe(stage, (performance.now() - started) / 1000);
    }
  };
}
