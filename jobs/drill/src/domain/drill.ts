/**
 * A drill rehearses one incident of the runbook (docs/OPERATIONS.md) on the running local system: it
 * injects the fault, checks that it shows the way the runbook says, watches what the system does by
 * itself, applies the operator's documented action and verifies the recovery. `restore` puts the system
 * back whatever happened, so a failed drill never leaves a component down.
 */

/** The phases of an incident, in the order the runbook describes them. */
export const StepKinds = ['check', 'inject', 'symptom', 'automatic', 'operator', 'recovery'] as const;
export type StepKind = (typeof StepKinds)[number];

export interface Step<World> {
  readonly kind: StepKind;
  /** What is checked or done, in the runbook's words ("RedisDown fires"). */
  readonly text: string;
  /** Resolves to a short detail for the report (what was seen); rejects when the check fails. */
  readonly run: (world: World) => Promise<string | void>;
}

export interface Drill<World> {
  readonly name: string;
  /** The runbook's incident heading. */
  readonly incident: string;
  /** Anchor of the incident in docs/OPERATIONS.md. */
  readonly runbook: string;
  readonly steps: readonly Step<World>[];
  /** Puts the system back (components up, files restored), after the steps, failed or not. */
  readonly restore: (world: World) => Promise<void>;
}

export interface StepResult {
  readonly kind: StepKind;
  readonly text: string;
  readonly ok: boolean;
  /** What was seen, or why the step failed. */
  readonly detail: string;
  readonly seconds: number;
}

export type Verdict = 'passed' | 'failed';

export interface DrillResult {
  readonly name: string;
  readonly incident: string;
  readonly runbook: string;
  readonly verdict: Verdict;
  readonly steps: readonly StepResult[];
  /** The restore's failure, if it failed (the verdict is then failed too). */
  readonly restoreError: string | undefined;
  readonly seconds: number;
}
