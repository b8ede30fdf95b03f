import { describe, expect, it } from 'vitest';
import { blockingSnapshotSignal, logSignal, signalTable, signalTopic } from './signal-table.js';
import { SourceTable } from './source-tables.js';

describe('signal rows', () => {
  it('asks for a blocking snapshot of every captured table, each name a regular expression matching only itself', () => {
    const signal = blockingSnapshotSignal('resnap-1');
    expect(signal.type).toBe('execute-snapshot');
    const data = JSON.parse(signal.data) as { 'data-collections': string[]; type: string };
    expect(data.type).toBe('blocking');
    expect(data['data-collections']).toHaveLength(Object.values(SourceTable).length);
    for (const [index, table] of Object.values(SourceTable).entries()) {
      const pattern = new RegExp(`^${data['data-collections'][index] ?? ''}$`);
      expect(pattern.test(table), table).toBe(true);
      expect(pattern.test(table.replace('.', 'x')), table).toBe(false);
    }
  });

  it('refuses an id the table cannot hold or a log could be confused by, and an empty table list', () => {
    expect(() => blockingSnapshotSignal('')).toThrow(/signal id/);
    expect(() => blockingSnapshotSignal('a'.repeat(65))).toThrow(/signal id/);
    expect(() => blockingSnapshotSignal("x'; DROP TABLE shop.users; --")).toThrow(/signal id/);
    expect(() => blockingSnapshotSignal('ok', [])).toThrow(/at least one table/);
  });

  it('carries a log message as JSON', () => {
    expect(JSON.parse(logSignal('done-1', 'snapshot "done"').data)).toEqual({ message: 'snapshot "done"' });
  });
});

describe('the signal topic', () => {
  it('is the topic the connector names after the signal table, like every captured table', () => {
    expect(signalTopic).toBe(`cdc.${signalTable}`);
  });
});
