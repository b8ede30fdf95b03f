import { describe, expect, it } from 'vitest';
import type { DrillResult } from './drill.js';
import { stepLine, summaryTable, verdictLine } from './report.js';

const passed: DrillResult = {
  name: 'redis-down',
  incident: 'Redis down',
  runbook: '#redis-down',
  verdict: 'passed',
  steps: [{ kind: 'symptom', text: 'RedisDown fires', ok: true, detail: 'RedisDown (pending)', seconds: 12 }],
  restoreError: undefined,
  seconds: 75.4,
};
const failed: DrillResult = { ...passed, name: 'kafka-down', incident: 'Kafka broker down', runbook: '#kafka-down', verdict: 'failed', steps: [{ ...passed.steps[0]!, ok: false, detail: 'not within 120 s' }], restoreError: 'kafka did not start' };

describe('drill report', () => {
  it('prints each step with its phase, what was seen and its time', () => {
    expect(stepLine(passed.steps[0]!)).toBe('  ok   symptom   RedisDown fires — RedisDown (pending) (12.0 s)');
    expect(stepLine(failed.steps[0]!)).toBe('  FAIL symptom   RedisDown fires — not within 120 s (12.0 s)');
  });

  it('gives the verdict, and where to read on when it failed', () => {
    expect(verdictLine(passed)).toBe('drill redis-down: PASSED in 75 s');
    expect(verdictLine(failed)).toBe('drill kafka-down: FAILED in 75 s; restoring failed: kafka did not start (runbook: docs/OPERATIONS.md#kafka-down)');
  });

  it('sums several drills up in a table', () => {
    expect(summaryTable([passed, failed])).toEqual([
      'drill       verdict  seconds  steps  incident',
      'redis-down  passed        75    1/1  Redis down',
      'kafka-down  failed        75    0/1  Kafka broker down',
      '1 passed, 1 failed',
    ]);
  });
});
