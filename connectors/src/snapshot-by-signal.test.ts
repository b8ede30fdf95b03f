import { describe, expect, it } from 'vitest';
import pino from 'pino';
import type { SignalRow } from '@streamrec/cdc';
import type { ConnectApi, ConnectorOffset } from './adapters/connect-rest-client.js';
import type { ConnectorStatus } from './domain/connector-status.js';
import { snapshotBySignal, type SnapshotBySignalDependencies } from './snapshot-by-signal.js';

/**
 * A connector that reads its signal table like Debezium: a blocking snapshot signal flags the offsets
 * `BLOCKING` for `snapshotPolls` polls, and the rows inserted after it reach the signal topic only then.
 */
function fakeConnector(options: { snapshotPolls: number; state?: string; failAfterPolls?: number }): SnapshotBySignalDependencies & { inserted: SignalRow[]; published: string[] } {
  const inserted: SignalRow[] = [];
  const published: string[] = [];
  let polls = 0;
  let snapshotting = false;
  let now = 0;
  const taskState = (): string => (options.failAfterPolls !== undefined && polls >= options.failAfterPolls ? 'FAILED' : (options.state ?? 'RUNNING'));
  const status = (name: string): ConnectorStatus => ({ name, connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: taskState(), ...(taskState() === 'FAILED' ? { trace: 'org.apache.kafka.connect.errors.ConnectException: binlog gone\n\tat …' } : {}) }] });
  const offsets = (): ConnectorOffset[] => [{ partition: { server: 'cdc' }, offset: { file: 'binlog.000001', pos: 4, ...(snapshotting ? { snapshot: 'BLOCKING' } : {}) } }];
  const connect: ConnectApi = {
    getConfig: () => Promise.resolve({}),
    putConfig: () => Promise.resolve(),
    list: () => Promise.resolve(['cdc']),
    remove: () => Promise.resolve(),
    restartFailed: () => Promise.resolve(),
    stop: () => Promise.reject(new Error('a signal must not stop the connector')),
    resume: () => Promise.resolve(),
    deleteOffsets: () => Promise.reject(new Error('a signal must not delete offsets')),
    getStatus: (name) => Promise.resolve(status(name)),
    getOffsets: () => {
      polls += 1;
      if (snapshotting && polls > options.snapshotPolls) {
        snapshotting = false;
        // The binlog resumes: what was inserted after the signal is published now.
        for (const row of inserted.slice(1)) published.push(row.id);
      }
      return Promise.resolve(offsets());
    },
  };
  return {
    inserted,
    published,
    connect,
    log: pino({ level: 'silent' }),
    sleep: (ms) => Promise.resolve(void (now += ms)),
    now: () => now,
    newId: () => 'snapshot-test-1',
    signals: {
      insert: (row) => {
        inserted.push(row);
        if (row.type === 'execute-snapshot') {
          published.push(row.id);
          snapshotting = true;
        }
        return Promise.resolve();
      },
    },
    signalTopic: { holds: (id) => Promise.resolve(published.includes(id)) },
  };
}

describe('snapshot through the signal table', () => {
  it('inserts a blocking snapshot signal, then a marker, and waits until the marker is published after the snapshot', async () => {
    const deps = fakeConnector({ snapshotPolls: 5 });
    const result = await snapshotBySignal('cdc', { timeoutMs: 60_000, pollMs: 500 }, deps);
    expect(deps.inserted.map((row) => [row.id, row.type])).toEqual([
      ['snapshot-test-1', 'execute-snapshot'],
      ['snapshot-test-1-done', 'log'],
    ]);
    expect(JSON.parse(deps.inserted[0]?.data ?? '{}')).toMatchObject({ type: 'blocking' });
    expect(deps.published).toEqual(['snapshot-test-1', 'snapshot-test-1-done']);
    expect(result.id).toBe('snapshot-test-1');
    // It waited through the five polls of the snapshot, not returned when the signal itself was published.
    expect(result.seconds).toBeGreaterThanOrEqual(2.5);
  });

  it('inserts nothing when the connector does not run, and says why', async () => {
    const deps = fakeConnector({ snapshotPolls: 1, state: 'FAILED' });
    await expect(snapshotBySignal('cdc', { timeoutMs: 60_000, pollMs: 500 }, deps)).rejects.toThrow(/task 0 FAILED.*binlog gone.*only a running connector reads a signal/);
    expect(deps.inserted).toEqual([]);
  });

  it('stops waiting with the failure when the task fails during the snapshot', async () => {
    const deps = fakeConnector({ snapshotPolls: 100, failAfterPolls: 3 });
    await expect(snapshotBySignal('cdc', { timeoutMs: 600_000, pollMs: 500 }, deps)).rejects.toThrow(/task 0 FAILED/);
  });

  it('gives up with a timeout that names the marker when the snapshot does not finish', async () => {
    const deps = fakeConnector({ snapshotPolls: Number.POSITIVE_INFINITY });
    await expect(snapshotBySignal('cdc', { timeoutMs: 10_000, pollMs: 500 }, deps)).rejects.toThrow(/snapshot-test-1-done did not reach cdc.shop.debezium_signal within 10000 ms \(last seen: snapshotting\)/);
  });
});
