import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from './errors.js';
import { durationMs, parsePortFlag, parseTimeFlag } from './cli-values.js';

const usage = (message: string): AppError => new AppError(ErrorCode.InvalidArgument, message);

describe('CLI values', () => {
  it('reads ISO times with a zone and bare dates, and refuses a time without a zone', () => {
    expect(parseTimeFlag('2026-12-04', '--since', usage)).toBe(Date.UTC(2026, 11, 4));
    expect(parseTimeFlag('2026-12-04T10:00:00+01:00', '--since', usage)).toBe(Date.UTC(2026, 11, 4, 9));
    expect(() => parseTimeFlag('2026-12-04T10:00:00', '--since', usage)).toThrow(/--since must be an ISO 8601 time/);
  });

  it('reads durations and ports', () => {
    expect(durationMs('90s')).toBe(90_000);
    expect(durationMs('7d')).toBe(604_800_000);
    expect(durationMs('1w')).toBeUndefined();
    expect(parsePortFlag('0', '--port', true, usage)).toBe(0);
    expect(() => parsePortFlag('0', '--serve', false, usage)).toThrow("--serve must be a port 1–65535, got '0'");
    expect(parsePortFlag(undefined, '--port', true, usage)).toBeUndefined();
  });
});
