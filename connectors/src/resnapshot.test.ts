import { describe, expect, it } from 'vitest';
import pino from 'pino';
import type { ConnectApi, ConnectorOffset } from './adapters/connect-rest-client.js';
import type { ConnectorStatus } from './domain/connector-status.js';
import { resnapshot } from './resnapshot.js';

/** A Connect cluster that follows the REST semantics the recovery relies on: stop → STOPPED, offsets deletable only then, resume → snapshot → streaming. */
function fakeCluster(snapshotPolls: number): ConnectApi & { calls: string[] } {
  let state = 'FAILED';
  let offsets: ConnectorOffset[] = [{ partition: { server: 'cdc' }, offset: { file: 'binlog.000001', pos: 4 } }];
  let polls = 0;
  const calls: string[] = [];
  const status = (name: string): ConnectorStatus => ({ name, connector: { state }, tasks: state === 'STOPPED' ? [] : [{ id: 0, state }] });
  return {
    calls,
    getConfig: () => Promise.resolve({}),
    putConfig: () => Promise.resolve(),
    list: () => Promise.resolve(['cdc']),
    remove: () => Promise.resolve(),
    restartFailed: () => Promise.resolve(),
    getStatus: (name) => Promise.resolve(status(name)),
    stop: () => {
      calls.push('stop');
      state = 'STOPPED';
      return Promise.resolve();
    },
    deleteOffsets: () => {
      calls.push('delete-offsets');
      if (state !== 'STOPPED') return Promise.reject(new Error('connector must be STOPPED'));
      offsets = [];
      return Promise.resolve();
    },
    resume: () => {
      calls.push('resume');
      state = 'RUNNING';
      return Promise.resolve();
    },
    getOffsets: () => {
      if (state === 'RUNNING' && offsets.length === 0 || offsets[0]?.offset['snapshot'] === true) {
        polls += 1;
        offsets = [{ partition: { server: 'cdc' }, offset: polls >= snapshotPolls ? { file: 'binlog.000003', pos: 120 } : { file: 'binlog.000003', pos: 4, snapshot: true } }];
      }
      return Promise.resolve(offsets);
    },
  };
}

describe('resnapshot', () => {
  it('stops the connector, deletes its offsets while stopped, resumes and waits until the new snapshot is done', async () => {
    const connect = fakeCluster(3);
    let now = 0;
    const result = await resnapshot('cdc', { timeoutMs: 60_000, pollMs: 1_000 }, { connect, log: pino({ level: 'silent' }), sleep: (ms) => Promise.resolve(void (now += ms)), now: () => now });
    expect(connect.calls).toEqual(['stop', 'delete-offsets', 'resume']);
    expect(await connect.getOffsets('cdc')).toEqual([{ partition: { server: 'cdc' }, offset: { file: 'binlog.000003', pos: 120 } }]);
    expect(result.seconds).toBeGreaterThan(0);
  });

  it('gives up with a timeout when the snapshot never finishes', async () => {
    const connect = fakeCluster(Number.POSITIVE_INFINITY);
    let now = 0;
    await expect(resnapshot('cdc', { timeoutMs: 10_000, pollMs: 1_000 }, { connect, log: pino({ level: 'silent' }), sleep: (ms) => Promise.resolve(void (now += ms)), now: () => now })).rejects.toThrow(
      'streaming after its snapshot',
    );
  });
});
