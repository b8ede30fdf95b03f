import { describe, expect, it } from 'vitest';
import { binlogOffsets } from './connect-offsets.js';

describe('binlogOffsets', () => {
  it('reads the position, event time and server of a Debezium binlog connector', () => {
    const response = { offsets: [{ partition: { server: 'cdc' }, offset: { ts_sec: 1796429809, file: 'binlog.000001', pos: 89014444, gtids: '0-1-6198', server_id: 1 } }] };
    expect(binlogOffsets('cdc-mariadb', response)).toEqual([{ connector: 'cdc-mariadb', file: 'binlog.000001', position: 89014444, eventTimestampSeconds: 1796429809, serverId: 1 }]);
  });

  it('reads a position committed without an event time (before the first event after a restart)', () => {
    const response = { offsets: [{ partition: { server: 'cdc' }, offset: { file: 'binlog.000001', pos: 89014815, gtids: '0-1-6200', server_id: 1, event: 12 } }] };
    expect(binlogOffsets('cdc-mariadb', response)).toEqual([{ connector: 'cdc-mariadb', file: 'binlog.000001', position: 89014815, eventTimestampSeconds: undefined, serverId: 1 }]);
  });

  it('leaves out offsets that are not binlog positions, and answers nothing for a malformed response', () => {
    expect(binlogOffsets('s3-sink', { offsets: [{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { kafka_offset: 42 } }] })).toEqual([]);
    expect(binlogOffsets('x', { error_code: 404 })).toEqual([]);
    expect(binlogOffsets('x', { offsets: [] })).toEqual([]);
  });
});
