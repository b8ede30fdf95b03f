import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { loadFixture } from '../testing/load-fixture.js';
import { parseApiBench, parseStreamsBench } from './sub-bench-shapes.js';

describe('sub-bench shapes', () => {
  it('reads the real outputs of the streams, freshness and API benches', () => {
    expect(parseStreamsBench(loadFixture('streams.quick')).throughput?.featuresPlusCooccurrenceInteractionsPerSecond.median).toBe(2038);
    expect(parseStreamsBench(loadFixture('freshness.quick')).freshness?.freshnessMs.p99).toBe(375);
    expect(parseStreamsBench(loadFixture('freshness.quick')).freshness?.trickle).toEqual({ requestedPerSecond: 1000, achievedPerSecond: 996, rows: 12516, seconds: 12.6 });
    expect(parseApiBench(loadFixture('api.quick')).runs).toHaveLength(2);
  });

  it('a renamed field fails with REC_PAYLOAD_INVALID naming its path', () => {
    const api = loadFixture('api.quick');
    const runs = api['runs'] as Record<string, unknown>[];
    delete runs[0]!['latencyMs'];
    const attempt = (): unknown => parseApiBench(api);
    expect(attempt).toThrow(/runs\.0\.latencyMs/);
    try {
      attempt();
    } catch (error) {
      expect(isAppError(error, ErrorCode.PayloadInvalid)).toBe(true);
    }
  });

  it('NaN figures serialised as null are accepted', () => {
    const streams = loadFixture('streams.quick');
    const throughput = streams['throughput'] as Record<string, Record<string, unknown>>;
    throughput['featuresInteractionsPerSecond']!['median'] = null;
    expect(parseStreamsBench(streams).throughput?.featuresInteractionsPerSecond.median).toBeNull();
  });

  it('an API report fed to the streams parser is refused', () => {
    expect(() => parseStreamsBench(loadFixture('api.quick'))).toThrow(/benchmark/);
  });
});
