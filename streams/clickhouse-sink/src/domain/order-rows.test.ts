import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { orderItemRow, orderRow, parseCdcJson } from './order-rows.js';

const at = { topic: 'cdc.shop.orders', partition: 1, offset: 7n };
const source = { file: 'binlog.000002', pos: 1_234, ts_ms: 1_732_000_000_000 };
const order = { id: 11, user_id: 42, status: 'paid', total_amount: '299.80', currency: 'CNY', created_at: 1_732_000_000_123, paid_at: 1_732_000_060_000, updated_at: 1_732_000_060_000 };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return isAppError(error) ? error.code : 'not an AppError';
  }
}

describe('order rows from Debezium envelopes', () => {
  it('maps a paid order with the binlog position as source_version', () => {
    expect(orderRow({ op: 'u', before: null, after: order, source }, at)).toEqual({
      id: 11,
      user_id: '42',
      status: 'paid',
      total_amount: 299.8,
      currency: 'CNY',
      created_at: 1_732_000_000,
      paid_at: 1_732_000_060,
      updated_at: 1_732_000_060,
      deleted: 0,
      source_version: 2 * 2 ** 32 + 1_234,
      kafka_topic: 'cdc.shop.orders',
      kafka_partition: 1,
      kafka_offset: 7,
    });
  });

  it('keeps a deleted row as its before image with deleted = 1', () => {
    expect(orderRow({ op: 'd', before: { ...order, paid_at: null, status: 'pending' }, after: null, source }, at)).toMatchObject({ deleted: 1, paid_at: null, status: 'pending' });
  });

  it('maps an order line, dataset_id as item_id', () => {
    const line = { id: 5, order_id: 11, dataset_id: 900, price: '19.9', quantity: 3 };
    expect(orderItemRow({ op: 'c', after: line, source }, at)).toMatchObject({ id: 5, order_id: 11, item_id: 900, price: 19.9, quantity: 3, deleted: 0 });
  });

  it('rejects malformed envelopes with REC_CDC_ENVELOPE_INVALID', () => {
    expect(codeOf(() => orderRow([1, 2], at))).toBe(ErrorCode.CdcEnvelopeInvalid);
    expect(codeOf(() => orderRow({ op: 't', source }, at))).toBe(ErrorCode.CdcEnvelopeInvalid);
    expect(codeOf(() => orderRow({ op: 'c', after: order, source: {} }, at))).toBe(ErrorCode.CdcEnvelopeInvalid);
    expect(codeOf(() => orderRow({ op: 'c', after: { ...order, total_amount: 'lots' }, source }, at))).toBe(ErrorCode.CdcEnvelopeInvalid);
    expect(codeOf(() => orderRow({ op: 'c', after: { ...order, currency: undefined }, source }, at))).toBe(ErrorCode.CdcEnvelopeInvalid);
    expect(codeOf(() => parseCdcJson('{not json'))).toBe(ErrorCode.CdcEnvelopeInvalid);
  });

  it('treats a null value as the tombstone after a delete', () => {
    expect(parseCdcJson(null)).toEqual({ kind: 'tombstone' });
  });
});
