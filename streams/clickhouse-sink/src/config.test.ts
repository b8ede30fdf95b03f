import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { loadClickHouseSinkConfig } from './config.js';

const stack = { STREAMREC_CLICKHOUSE_USER: 'streamrec', STREAMREC_CLICKHOUSE_PASSWORD: 'secret' };

describe('clickhouse-sink config', () => {
  it('defaults to the project topics, 1,000 rows or 1 s, metrics port 19105', () => {
    const config = loadClickHouseSinkConfig(stack);
    expect(config.topics).toEqual({
      interactions: 'events.interactions.v1',
      exposures: 'serving.exposures.v1',
      items: 'events.items.v1',
      users: 'events.users.v1',
      orders: 'cdc.shop.orders',
      orderItems: 'cdc.shop.order_items',
      pairs: 'events.cooccurrence.v1',
    });
    expect(config.flush).toEqual({ maxRows: 1_000, maxDelayMs: 1_000 });
    expect(config.metrics.port).toBe(19_105);
    expect(config.clickhouse).toMatchObject({ url: 'http://127.0.0.1:18123', username: 'streamrec', database: 'streamrec' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the flush policy from the environment', () => {
    const config = loadClickHouseSinkConfig({ ...stack, STREAMREC_CLICKHOUSE_SINK_FLUSH_MAX_ROWS: '50', STREAMREC_CLICKHOUSE_SINK_FLUSH_MAX_DELAY_MS: '250' });
    expect(config.flush).toEqual({ maxRows: 50, maxDelayMs: 250 });
  });

  it('fails fast listing every bad setting, including a topic name that could break the offset query', () => {
    try {
      loadClickHouseSinkConfig({
        ...stack,
        STREAMREC_CLICKHOUSE_URL: 'not a url',
        STREAMREC_CLICKHOUSE_SINK_FLUSH_MAX_ROWS: '0',
        STREAMREC_CLICKHOUSE_SINK_TOPICS: `{"orders":"x' OR 1=1"}`,
      });
      expect.unreachable('should throw');
    } catch (error) {
      expect(isAppError(error, ErrorCode.ConfigInvalid)).toBe(true);
      const violations = (error as { details: { violations: string[] } }).details.violations;
      expect(violations.map((violation) => violation.split(':')[0])).toEqual(expect.arrayContaining(['clickhouse.url', 'flush.maxRows']));
      expect(violations.join('\n')).toMatch(/topics/);
    }
  });

  it('reads the live pair increments only beside the live interactions, unless told otherwise', () => {
    const topics = (json: string) => loadClickHouseSinkConfig({ ...stack, STREAMREC_CLICKHOUSE_SINK_TOPICS: json }).topics.pairs;
    expect(topics('{"interactions":"test.interactions"}')).toBeNull();
    expect(topics('{"interactions":"test.interactions","pairs":"test.pairs"}')).toBe('test.pairs');
    expect(topics('{"pairs":null}')).toBeNull();
  });

  it('refuses two tables fed by one topic', () => {
    expect(() => loadClickHouseSinkConfig({ ...stack, STREAMREC_CLICKHOUSE_SINK_TOPICS: '{"users":"events.items.v1"}' })).toThrow(/own topic/);
  });
});
