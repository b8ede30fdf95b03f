import { describe, expect, it } from 'vitest';
import { snapshotProgress } from './snapshot-progress.js';

describe('snapshotProgress', () => {
  it('reads a Debezium MariaDB offset as streaming, snapshotting or not there yet', () => {
    expect(snapshotProgress([])).toBe('no-offsets');
    expect(snapshotProgress([{ offset: { file: 'binlog.000002', pos: 4, snapshot: true, snapshot_completed: false } }])).toBe('snapshotting');
    expect(snapshotProgress([{ offset: { file: 'binlog.000002', pos: 4, snapshot: 'INITIAL' } }])).toBe('snapshotting');
    expect(snapshotProgress([{ offset: { ts_sec: 1796435997, file: 'binlog.000001', pos: 89015180, gtids: '0-1-6202', server_id: 1, event: 7 } }])).toBe('streaming');
    expect(snapshotProgress([{ offset: { file: 'binlog.000001', pos: 4, snapshot: false } }])).toBe('streaming');
  });
});
