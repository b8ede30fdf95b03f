import { describe, expect, it } from 'vitest';
import { judgeReadiness, Readiness } from './connector-status.js';

describe('judgeReadiness', () => {
  it('is running only when the connector and every task run', () => {
    const verdict = judgeReadiness({ name: 'c', connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: 'RUNNING' }] });
    expect(verdict.readiness).toBe(Readiness.Running);
    expect(verdict.summary).toBe('c: connector RUNNING (task 0 RUNNING)');
  });

  it('is pending while no task has been assigned yet', () => {
    expect(judgeReadiness({ name: 'c', connector: { state: 'RUNNING' }, tasks: [] }).readiness).toBe(Readiness.Pending);
  });

  it('is pending while a task is still unassigned', () => {
    const status = { name: 'c', connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: 'RUNNING' }, { id: 1, state: 'UNASSIGNED' }] };
    expect(judgeReadiness(status).readiness).toBe(Readiness.Pending);
  });

  it('is failed with the first trace line of each failed task', () => {
    const verdict = judgeReadiness({
      name: 'c',
      connector: { state: 'RUNNING' },
      tasks: [{ id: 0, state: 'FAILED', trace: 'org.apache.kafka.connect.errors.ConnectException: Access denied\n\tat x' }],
    });
    expect(verdict.readiness).toBe(Readiness.Failed);
    expect(verdict.failures).toEqual(['task 0: org.apache.kafka.connect.errors.ConnectException: Access denied']);
  });
});
