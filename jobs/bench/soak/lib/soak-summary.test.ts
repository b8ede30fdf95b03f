import { describe, expect, it } from 'vitest';
import { metricValue, slope, soakTable, summarizeSoak, type SoakSample } from './soak-summary.js';

const MiB = 1024 * 1024;
const sample = (round: number, heapMiB: number, rssMiB: number, cacheEntries = 100): SoakSample => ({ round, fed: round * 10_000, rssBytes: rssMiB * MiB, heapUsedBytes: heapMiB * MiB, cacheEntries, seconds: 1 });

describe('the soak summary', () => {
  it('is flat for memory that stops growing after warm-up, whatever the warm-up did', () => {
    const samples = [sample(1, 40, 120), sample(2, 60, 150), sample(3, 61, 151), sample(4, 60, 150), sample(5, 61, 151), sample(6, 60, 150)];
    const summary = summarizeSoak(samples);
    expect(Math.abs(summary.heapMiBPer100k)).toBeLessThan(2);
    expect(summary.fed).toBe(60_000);
  });

  it('reports memory growing with what was fed, per 100,000 entries', () => {
    const samples = Array.from({ length: 8 }, (_, index) => sample(index + 1, 40 + (index + 1) * 3, 100 + (index + 1) * 4, (index + 1) * 10_000));
    const summary = summarizeSoak(samples);
    expect(summary.heapMiBPer100k).toBeCloseTo(30, 6);
    expect(summary.rssMiBPer100k).toBeCloseTo(40, 6);
    expect(summary.maxCacheEntries).toBe(80_000);
  });

  it('slope is the least-squares one, 0 without two distinct points', () => {
    expect(slope([[0, 1], [1, 3], [2, 5]])).toBeCloseTo(2, 9);
    expect(slope([[1, 1]])).toBe(0);
    expect(slope([[1, 1], [1, 9]])).toBe(0);
  });

  it('reads a metric from Prometheus text, summing labelled series', () => {
    const text = ['# HELP x y', 'process_resident_memory_bytes 104857600', 'normalize_state_cache_entries{store="actions"} 10', 'normalize_state_cache_entries{store="visitors"} 5', 'nodejs_heap_size_used_bytes_other 3'].join('\n');
    expect(metricValue(text, 'process_resident_memory_bytes')).toBe(104_857_600);
    expect(metricValue(text, 'normalize_state_cache_entries')).toBe(15);
    expect(metricValue(text, 'nodejs_heap_size_used_bytes')).toBeUndefined();
  });

  it('tables one line per round', () => {
    expect(soakTable([sample(1, 40, 120)]).split('\n')).toHaveLength(3);
  });
});
