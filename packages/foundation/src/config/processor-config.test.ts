import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from './parse-config.js';
import { jsonSetting, parseStartAt, processorConfigInput, processorConfigSchema } from './processor-config.js';

const schema = processorConfigSchema('demo', 19_199).extend({ params: z.object({ k: z.number().default(1) }).prefault({}) });

describe('processor config', () => {
  it('reads the shared settings from the stack environment with the process prefix', () => {
    const env = { STREAMREC_HOST: '127.0.0.1', STREAMREC_KAFKA_PORT: '19092', STREAMREC_REDIS_PORT: '16379', STREAMREC_DEMO_STATE_VERSION: 'v3', STREAMREC_DEMO_START_FROM: 'latest' };
    const config = parseConfig(schema, { ...processorConfigInput(env, 'DEMO'), params: jsonSetting('{"k":2}', 'P') }, 'demo');
    expect(config).toMatchObject({
      kafka: { brokers: ['127.0.0.1:19092'], clientId: 'streamrec-demo' },
      redis: { host: '127.0.0.1', port: 16379 },
      stateVersion: 'v3',
      groupVersion: '1',
      startFrom: 'latest',
      metrics: { host: '127.0.0.1', port: 19_199 },
      params: { k: 2 },
    });
  });

  it('lists every violation, including a bad state version and bad JSON, with its path', () => {
    const env = { STREAMREC_DEMO_STATE_VERSION: 'version-1', STREAMREC_DEMO_START_FROM: 'middle' };
    expect(() => parseConfig(schema, { ...processorConfigInput(env, 'DEMO'), params: jsonSetting('{oops', 'STREAMREC_DEMO_PARAMS') }, 'demo')).toThrow(
      /stateVersion:.*v1, v2[\s\S]*startFrom:[\s\S]*params:/,
    );
  });

  it('reads startAt as an ISO timestamp or epoch ms, and rejects anything else with its path', () => {
    const iso = parseConfig(schema, processorConfigInput({ STREAMREC_DEMO_START_AT: '2026-03-01T12:00:00Z' }, 'DEMO'), 'demo');
    expect(iso.startAt).toBe(Date.UTC(2026, 2, 1, 12));
    expect(parseConfig(schema, processorConfigInput({ STREAMREC_DEMO_START_AT: '1700000000000' }, 'DEMO'), 'demo').startAt).toBe(1_700_000_000_000);
    expect(parseConfig(schema, processorConfigInput({}, 'DEMO'), 'demo').startAt).toBeUndefined();
    expect(() => parseConfig(schema, processorConfigInput({ STREAMREC_DEMO_START_AT: 'yesterday' }, 'DEMO'), 'demo')).toThrow(/startAt:.*ISO-8601/);
  });

  it('accepts only zoned ISO timestamps or non-negative integer milliseconds as a start', () => {
    expect(parseStartAt('2026-03-01T12:00+01:00')).toBe(Date.UTC(2026, 2, 1, 11));
    expect(parseStartAt('2026-03-01T12:00:00.250Z')).toBe(Date.UTC(2026, 2, 1, 12, 0, 0, 250));
    expect(parseStartAt('2026-03-01T12:00:00')).toBeUndefined(); // no zone: ambiguous
    expect(parseStartAt('2026-13-01T12:00:00Z')).toBeUndefined();
    expect(parseStartAt(-1)).toBeUndefined();
    expect(parseStartAt(1.5)).toBeUndefined();
  });
});
