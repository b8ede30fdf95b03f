import { describe, expect, it } from 'vitest';
import type { Drill } from './drill.js';
import { runDrill } from './run-drill.js';

function clock(): { now: () => number } {
  let t = 0;
  return { now: () => (t += 500) };
}

interface Log {
  readonly calls: string[];
}

function drill(failAt: number | undefined, restoreFails = false): Drill<Log> {
  const step = (index: number, kind: 'inject' | 'symptom' | 'operator' | 'recovery') => ({
    kind,
    text: `step ${index}`,
    run: (log: Log) => {
      log.calls.push(`step ${index}`);
      if (index === failAt) return Promise.reject(new Error(`step ${index} broke`));
      return Promise.resolve(`saw ${index}`);
    },
  });
  return {
    name: 'demo',
    incident: 'Demo incident',
    runbook: '#demo',
    steps: [step(0, 'inject'), step(1, 'symptom'), step(2, 'operator'), step(3, 'recovery')],
    restore: (log) => {
      log.calls.push('restore');
      return restoreFails ? Promise.reject(new Error('could not restore')) : Promise.resolve();
    },
  };
}

describe('runDrill', () => {
  it('passes when every step and the restore succeed, with each step timed and described', async () => {
    const log: Log = { calls: [] };
    const result = await runDrill(drill(undefined), log, clock());
    expect(result.verdict).toBe('passed');
    expect(log.calls).toEqual(['step 0', 'step 1', 'step 2', 'step 3', 'restore']);
    expect(result.steps.map((step) => [step.kind, step.ok, step.detail])).toEqual([
      ['inject', true, 'saw 0'],
      ['symptom', true, 'saw 1'],
      ['operator', true, 'saw 2'],
      ['recovery', true, 'saw 3'],
    ]);
    expect(result.steps.every((step) => step.seconds === 0.5)).toBe(true);
  });

  it('stops at the first failing step, still restores, and fails', async () => {
    const log: Log = { calls: [] };
    const events: string[] = [];
    const result = await runDrill(drill(1), log, clock(), { stepFinished: (_name, step) => events.push(`${step.text}:${step.ok}`) });
    expect(result.verdict).toBe('failed');
    expect(log.calls).toEqual(['step 0', 'step 1', 'restore']);
    expect(result.steps.at(-1)).toMatchObject({ ok: false, detail: 'step 1 broke' });
    expect(events).toEqual(['step 0:true', 'step 1:false']);
  });

  it('fails when only the restore fails', async () => {
    const result = await runDrill(drill(undefined, true), { calls: [] }, clock());
    expect(result.verdict).toBe('failed');
    expect(result.restoreError).toBe('could not restore');
  });
});
