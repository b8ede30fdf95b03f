import { describe, expect, it } from 'vitest';
import { activityQuery, bucketFor, degradedReasonsQuery, experimentsQuery, purchasesQuery } from './queries.js';

const window = { fromMs: Date.UTC(2026, 11, 1), toMs: Date.UTC(2026, 11, 8) };

describe('readout SQL', () => {
  it('escapes the experiment id and writes the window as literals (18.16 has no query parameters)', () => {
    const hostile = "x' OR 1 = 1 --";
    for (const query of [degradedReasonsQuery({ database: 'streamrec', experiment: hostile, window }), activityQuery({ database: 'streamrec', experiment: hostile, window }, 3_600_000, 10), purchasesQuery({ database: 'streamrec', experiment: hostile, window }, 3_600_000, 10), experimentsQuery('streamrec', window, hostile)]) {
      expect(query).toContain("experiment = 'x\\' OR 1 = 1 --'");
      expect(query).not.toContain("experiment = 'x' OR");
      expect(query).toContain(`event_time_ms >= ${window.fromMs} AND event_time_ms < ${window.toMs}`);
    }
    expect(() => activityQuery({ database: 'streamrec; DROP', experiment: 'e', window }, 3_600_000, 10)).toThrow(/identifier/);
  });

  it('keeps to what ClickHouse 18.16 runs: one JOIN per SELECT with its strictness, no WITH, no FINAL on exposures', () => {
    for (const query of [activityQuery({ database: 'streamrec', experiment: 'e', window }, 60_000, 10), purchasesQuery({ database: 'streamrec', experiment: 'e', window }, 60_000, 10)]) {
      expect(query.match(/\bJOIN\b/g)).toHaveLength(1);
      expect(query).toMatch(/\b(ANY|ALL) (LEFT |INNER )?JOIN\b/);
      expect(query).not.toMatch(/\bWITH\b|\bFINAL\b/);
      expect(query).toContain('LIMIT 11');
    }
  });

  it('attributes clicks by request_id without an upper time bound, and leaves stitched copies out', () => {
    const query = activityQuery({ database: 'streamrec', experiment: 'e', window }, 60_000, 10);
    expect(query).toContain('request_id IN (SELECT request_id FROM streamrec.exposures');
    expect(query).toContain("NOT startsWith(event_id, 'stitch:')");
    expect(query).toContain(`event_time >= toDateTime(${(window.fromMs - 3_600_000) / 1_000})`);
  });

  it('cuts the experiment’s span into at most 48 buckets of 10 s to 1 day', () => {
    const t = Date.UTC(2026, 11, 1, 10, 0, 30);
    expect(bucketFor(t, t + 40_000)).toBe(10_000);
    expect(bucketFor(t, t + 20 * 60_000)).toBe(30_000);
    expect(bucketFor(t, t + 40 * 60_000)).toBe(60_000);
    expect(bucketFor(t, t + 3 * 3_600_000)).toBe(300_000);
    expect(bucketFor(t, t + 40 * 3_600_000)).toBe(3_600_000);
    expect(bucketFor(t, t + 10 * 86_400_000)).toBe(6 * 3_600_000);
    expect(bucketFor(t, t + 30 * 86_400_000)).toBe(86_400_000);
    expect(bucketFor(t, t + 400 * 86_400_000)).toBe(86_400_000);
  });
});
