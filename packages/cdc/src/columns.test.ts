import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { canonicalMoney, decodeRow, hex8, invalid, money, nullable, uint32 } from './columns.js';
import { LinkVisitActionColumns, MatomoActionColumns } from './source-rows.js';

/** Row images as Debezium writes them for matomo_log_action and matomo_log_link_visit_action (the columns these tests read). */
const Rows = {
  action: (idaction: number, type: number, name: string): Record<string, unknown> => ({ idaction, name, hash: -253851741, type, url_prefix: type === 1 ? 2 : null }),
  pageview: (idlinkVa: number, idactionUrl: number): Record<string, unknown> => ({
    idlink_va: idlinkVa,
    idsite: 1,
    idvisitor: 'a1b2c3d4e5f60718',
    idvisit: 7,
    server_time: 1_767_225_600_000,
    idaction_name: 9999,
    idaction_url: idactionUrl,
    idaction_event_action: null,
    idaction_event_category: null,
    custom_float: null,
  }),
};

describe('column decoders', () => {
  it('takes INT UNSIGNED values Debezium wrote as negative numbers modulo 2^32', () => {
    expect(uint32(-253851741)).toBe(2 ** 32 - 253851741);
    expect(uint32(-1)).toBe(2 ** 32 - 1);
    expect(uint32(-(2 ** 31))).toBe(2 ** 31);
    expect(uint32(2 ** 31 - 1)).toBe(2 ** 31 - 1);
    expect(uint32(2 ** 32 - 1)).toBe(2 ** 32 - 1);
  });

  it('refuses values no INT UNSIGNED can have', () => {
    expect(uint32(2 ** 32)).toBe(invalid);
    expect(uint32(-(2 ** 31) - 1)).toBe(invalid);
    expect(uint32(1.5)).toBe(invalid);
    expect(uint32('7')).toBe(invalid);
  });

  it('reads BINARY(8) hex in lower case and refuses other lengths', () => {
    expect(hex8('A1B2C3D4E5F60718')).toBe('a1b2c3d4e5f60718');
    expect(hex8('a1b2')).toBe(invalid);
  });

  it('canonicalises DECIMAL(12,2) text and refuses what does not fit decimal(12,2)', () => {
    expect(money('19.9')).toBe('19.90');
    expect(money('0.00')).toBe('0.00');
    expect(money(19.9)).toBe(invalid);
    expect(money('1.999')).toBe(invalid);
    expect(canonicalMoney('12345678901.00')).toBeUndefined();
    expect(canonicalMoney('-1.00')).toBeUndefined();
  });

  it('lets nullable columns be null', () => {
    expect(nullable(uint32)(null)).toBeNull();
    expect(uint32(null)).toBe(invalid);
  });
});

describe('decodeRow', () => {
  it('decodes the columns a mapping reads, applying the unsigned quirk to idaction references', () => {
    const decoded = decodeRow(Rows.pageview(9, -5), LinkVisitActionColumns);
    expect(decoded.row).toMatchObject({ idlink_va: 9, idaction_url: 2 ** 32 - 5, idvisitor: 'a1b2c3d4e5f60718', custom_float: null });
    expect(decoded.row).not.toHaveProperty('idpageview');
  });

  it('names the missing column', () => {
    const row = Rows.action(1, 1, 'x');
    delete row['idaction'];
    const decoded = decodeRow(row, MatomoActionColumns);
    expect(decoded.rejection).toMatchObject({ reason: 'missing_column', code: ErrorCode.CdcEnvelopeInvalid });
    expect(decoded.rejection?.message).toContain('idaction');
  });

  it('names the column with a value of the wrong type', () => {
    const decoded = decodeRow({ ...Rows.action(1, 1, 'x'), type: 'page' }, MatomoActionColumns);
    expect(decoded.rejection).toMatchObject({ reason: 'wrong_type', code: ErrorCode.CdcEnvelopeInvalid });
    expect(decoded.rejection?.message).toContain('type');
  });
});
