import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { parseCdcRecord } from './cdc-envelope.js';
import { SourceTable } from '@streamrec/cdc';
import { cdcFixture, Rows } from './testing/cdc-fixtures.js';

const topic = 'cdc.shop.datasets';

function envelopeWith(patch: Record<string, unknown>): unknown {
  const { value } = cdcFixture().create(SourceTable.ShopDatasets, Rows.dataset(3));
  return { ...(value as Record<string, unknown>), ...patch };
}

describe('parseCdcRecord', () => {
  it('reads the table from the topic, the after image of c/u/r and the before image of d', () => {
    const cdc = cdcFixture();
    const created = parseCdcRecord(topic, cdc.create(SourceTable.ShopDatasets, Rows.dataset(3)).value);
    const deleted = parseCdcRecord(topic, cdc.delete(SourceTable.ShopDatasets, Rows.dataset(3, { title: 'gone' })).value);
    expect(created).toMatchObject({ kind: 'change', change: { table: SourceTable.ShopDatasets, op: 'c', row: { id: 3 } } });
    expect(deleted).toMatchObject({ kind: 'change', change: { op: 'd', row: { id: 3, title: 'gone' } } });
  });

  it('takes the version from the binlog position and the commit time from source.ts_ms', () => {
    const record = cdcFixture().update(SourceTable.ShopDatasets, Rows.dataset(3), Rows.dataset(3), { file: 'binlog.000002', pos: 77, tsMs: 1234 });
    const parsed = parseCdcRecord(topic, record.value);
    expect(parsed).toMatchObject({ kind: 'change', change: { version: 2 * 2 ** 32 + 77, committedAt: 1234 } });
  });

  it('ignores the tombstone Debezium writes after a delete', () => {
    expect(parseCdcRecord(topic, null)).toEqual({ kind: 'tombstone' });
  });

  it.each([
    ['a topic of a table it does not read', 'cdc.shop.wishlists', envelopeWith({}), 'unknown_table'],
    ['a value that is not an object', topic, ['c'], 'not_an_envelope'],
    ['an envelope without op', topic, envelopeWith({ op: undefined }), 'missing_op'],
    ['a truncate', topic, envelopeWith({ op: 't' }), 'unsupported_op'],
    ['an update without after image', topic, envelopeWith({ op: 'u', after: null }), 'missing_row_image'],
    ['a delete without before image', topic, envelopeWith({ op: 'd', before: null }), 'missing_row_image'],
    ['a source without binlog position', topic, envelopeWith({ source: { ts_ms: 1 } }), 'missing_source_position'],
    ['a binlog file name without sequence', topic, envelopeWith({ source: { file: 'binlog', pos: 4, ts_ms: 1 } }), 'missing_source_position'],
  ])('rejects %s as an invalid envelope', (_what, recordTopic, value, reason) => {
    const parsed = parseCdcRecord(recordTopic, value);
    expect(parsed).toMatchObject({ kind: 'rejected', rejection: { reason, code: ErrorCode.CdcEnvelopeInvalid } });
  });
});
