import type { Drill, DrillResult, StepResult } from './drill.js';

export interface RunnerClock {
  /** Milliseconds, monotonic. */
  readonly now: () => number;
}

export interface RunnerEvents {
  readonly stepStarted?: (drill: string, step: { readonly kind: string; readonly text: string }) => void;
  readonly stepFinished?: (drill: string, result: StepResult) => void;
}

/**
 * Runs the steps in order and stops at the first that fails (later steps assume the earlier ones
 * held); then always runs the drill's restore. The verdict is passed only when every step and the
 * restore succeeded.
 */
export async function runDrill<World>(drill: Drill<World>, world: World, clock: RunnerClock, events: RunnerEvents = {}): Promise<DrillResult> {
  const started = clock.now();
  const steps: StepResult[] = [];
  for (const step of drill.steps) {
    events.stepStarted?.(drill.name, step);
    const stepStarted = clock.now();
    let result: StepResult;
    try {
      const detail = await step.run(world);
      result = { kind: step.kind, text: step.text, ok: true, detail: detail ?? '', seconds: (clock.now() - stepStarted) / 1000 };
    } catch (error) {
      result = { kind: step.kind, text: step.text, ok: false, detail: describe(error), seconds: (clock.now() - stepStarted) / 1000 };
    }
    steps.push(result);
    events.stepFinished?.(drill.name, result);
    if (!result.ok) break;
  }
  let restoreError: string | undefined;
  try {
    await drill.restore(world);
  } catch (error) {
    restoreError = describe(error);
  }
  const passed = steps.length === drill.steps.length && steps.every((step) => step.ok) && restoreError === undefined;
  return {
    name: drill.name,
    incident: drill.incident,
    runbook: drill.runbook,
    verdict: passed ? 'passed' : 'failed',
    steps,
    restoreError,
    seconds: (clock.now() - started) / 1000,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
