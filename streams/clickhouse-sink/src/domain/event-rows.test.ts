import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@streamrec/foundation';
import { decimalFromString, type Exposure, type ItemChange, type UserChange } from '@streamrec/schemas';
import { interactionFixture } from '@streamrec/streams-common/testing';
import { exposureRow, interactionRow, itemRow, moneyNumber, userRow } from './event-rows.js';

const at = { topic: 'events.x', partition: 3, offset: 42n };
const position = { kafka_topic: 'events.x', kafka_partition: 3, kafka_offset: 42 };

describe('interaction rows', () => {
  it('maps an attributed purchase column for column, money as the exact number', () => {
    const event = interactionFixture({ event_id: 'e1', event_time: 1_732_000_000_123, action: 'purchase', price: decimalFromString('149.90'), quantity: 2, request_id: 'r1', session_id: 's1', visitor_id: 'abcd' });
    const row = interactionRow(event, at);
    expect(row).toMatchObject({ event_id: 'e1', action: 'purchase', event_time_ms: 1_732_000_000_123, price: 149.9, quantity: 2, request_id: 'r1', session_id: 's1', visitor_id: 'abcd', ...position });
    expect(JSON.stringify(row)).toContain('"price":149.9,');
  });

  it('writes absent optional strings as empty and absent money as NULL', () => {
    const row = interactionRow(interactionFixture({ event_id: 'e2', event_time: 1, visitor_id: null, session_id: null, request_id: null, price: null, quantity: null }), at);
    expect(row).toMatchObject({ visitor_id: '', session_id: '', request_id: '', price: null, quantity: null });
  });
});

describe('money', () => {
  it('keeps every decimal(12,2) text exact through the JSON number', () => {
    for (const text of ['0.00', '0.10', '0.07', '9999999999.99', '1234567890.01', '149.90']) {
      expect(JSON.stringify(moneyNumber(text))).toBe(String(Number(text)));
      expect(Number(JSON.stringify(moneyNumber(text))).toFixed(2)).toBe(text);
    }
  });

  it('refuses what is not a decimal(12,2)', () => {
    expect(() => moneyNumber('12345678901.00')).toThrow(expect.objectContaining({ code: ErrorCode.PayloadInvalid }) as Error);
    expect(() => moneyNumber('1.234')).toThrow(/decimal/);
  });
});

const exposure: Exposure = {
  request_id: 'req-1',
  user_id: '7',
  event_time: 1_732_000_000_000,
  scene: 'home',
  experiment: null,
  variant: 'b',
  model_name: 'ranker',
  model_version: null,
  degraded_reasons: ['ranker_failed'],
  latency_ms: 12,
  feature_names: ['a', 'b'],
  items: [
    { item_id: 5, position: 0, channel: 'tag', score: 0.5, features: [1, 2], shown: true },
    { item_id: 6, position: 1, channel: 'popular', score: 0.25, features: [], shown: true },
  ],
  ingest_time: 1_732_000_000_005,
};

describe('exposure rows', () => {
  it('spreads the items into the Nested columns in display order', () => {
    expect(exposureRow(exposure, at)).toMatchObject({
      experiment: '',
      variant: 'b',
      model_version: '',
      'items.item_id': [5, 6],
      'items.position': [0, 1],
      'items.channel': ['tag', 'popular'],
      'items.score': [0.5, 0.25],
      'items.features': [[1, 2], []],
      ...position,
    });
  });

  it('refuses a repeated position and features that do not match the names', () => {
    const [first, second] = exposure.items;
    if (first === undefined || second === undefined) throw new Error('fixture');
    expect(() => exposureRow({ ...exposure, items: [first, { ...second, position: 0 }] }, at)).toThrow(/position 0/);
    expect(() => exposureRow({ ...exposure, items: [{ ...first, features: [1] }] }, at)).toThrow(/1 features for 2 names/);
  });
});

describe('catalogue rows', () => {
  it('maps an item change with DateTime columns in seconds and flags as 0/1', () => {
    const item: ItemChange = { id: 9, title: 't', description: '', tags: ['a'], industry: 'finance', price: decimalFromString('0.10'), status: 'listed', available: true, deleted: false, created_at: 1_500, updated_at: 2_999, source_version: 77 };
    expect(itemRow(item, at)).toEqual({ id: 9, title: 't', description: '', tags: ['a'], industry: 'finance', price: 0.1, status: 'listed', available: 1, deleted: 0, created_at: 1, updated_at: 2, source_version: 77, ...position });
  });

  it('maps a user change with absent fields as empty strings', () => {
    const user: UserChange = { id: 3, industry: null, country: 'DE', company_size: null, segment: null, created_at: 0, updated_at: 1_000, deleted: true, source_version: 5 };
    expect(userRow(user, at)).toEqual({ id: 3, industry: '', country: 'DE', company_size: '', segment: '', created_at: 0, updated_at: 1, deleted: 1, source_version: 5, ...position });
  });
});
