import type { DrillResult, StepResult } from './drill.js';

const mark = (ok: boolean): string => (ok ? 'ok  ' : 'FAIL');

/** One line per finished step, as the drill goes ("  ok   symptom   RedisDown fires — RedisDown (pending)  12.0 s"). */
export function stepLine(step: StepResult): string {
  const detail = step.detail === '' ? '' : ` — ${step.detail}`;
  return `  ${mark(step.ok)} ${step.kind.padEnd(9)} ${step.text}${detail} (${step.seconds.toFixed(1)} s)`;
}

/** The verdict of one drill, with the runbook section to read when it failed. */
export function verdictLine(result: DrillResult): string {
  const restore = result.restoreError === undefined ? '' : `; restoring failed: ${result.restoreError}`;
  const where = result.verdict === 'passed' ? '' : ` (runbook: docs/OPERATIONS.md${result.runbook})`;
  return `drill ${result.name}: ${result.verdict.toUpperCase()} in ${result.seconds.toFixed(0)} s${restore}${where}`;
}

/** The table printed after several drills. */
export function summaryTable(results: readonly DrillResult[]): string[] {
  const width = Math.max(5, ...results.map((result) => result.name.length));
  const lines = [`${'drill'.padEnd(width)}  verdict  seconds  steps  incident`];
  for (const result of results) {
    const steps = `${result.steps.filter((step) => step.ok).length}/${result.steps.length}`;
    lines.push(`${result.name.padEnd(width)}  ${result.verdict.padEnd(7)}  ${result.seconds.toFixed(0).padStart(7)}  ${steps.padStart(5)}  ${result.incident}`);
  }
  const failed = results.filter((result) => result.verdict === 'failed').length;
  lines.push(`${results.length - failed} passed, ${failed} failed`);
  return lines;
}
