import type { RunSummary } from './run-summary.js';

export interface LoopDependencies {
  /** One run; it never throws for a failed run (the summary says failed), but may throw for a bug. */
  readonly runOnce: (signal: AbortSignal) => Promise<RunSummary>;
  readonly now: () => number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly onRun: (summary: RunSummary) => void;
  readonly onError: (error: unknown) => void;
}

export interface LoopControl {
  /** Aborted: stop after the run in progress (or at once while waiting). */
  readonly stop: AbortSignal;
  /** Aborted: abort the run in progress too (the run is recorded as failed). */
  readonly abortRun: AbortSignal;
}

/**
 * Runs every `everyMs`, measured from each run's start (a run longer than the period is followed at once).
 * A failed run — or even a run that throws — is reported and the loop goes on; only `stop` ends it, and
 * never in the middle of a run unless `abortRun` fires as well. Returns the number of runs.
 */
export async function runLoop(deps: LoopDependencies, everyMs: number, control: LoopControl): Promise<number> {
  let runs = 0;
  while (!control.stop.aborted) {
    const started = deps.now();
    try {
      deps.onRun(await deps.runOnce(control.abortRun));
    } catch (error) {
      deps.onError(error);
    }
    runs += 1;
    if (control.stop.aborted) break;
    const wait = started + everyMs - deps.now();
    if (wait > 0) await deps.sleep(wait, control.stop);
  }
  return runs;
}
