import { describe, expect, it } from 'vitest';
import { resolveDataWindow } from './data-window.js';
import { formatDurationMs, parseDuration } from './durations.js';

const HOUR = 3_600_000;
const now = Date.UTC(2026, 11, 5, 12);

describe('data window', () => {
  it('ends a label window before now and starts a lookback earlier by default', () => {
    expect(resolveDataWindow({ nowMs: now, labelWindowMs: 24 * HOUR, lookbackMs: 30 * 24 * HOUR })).toEqual({ fromMs: now - 31 * 24 * HOUR, toMs: now - 24 * HOUR, clipped: false });
  });

  it('moves a requested end back to now − label window: newer exposures may still get their label', () => {
    const window = resolveDataWindow({ nowMs: now, labelWindowMs: 24 * HOUR, lookbackMs: HOUR, fromMs: now - 48 * HOUR, toMs: now });
    expect(window).toEqual({ fromMs: now - 48 * HOUR, toMs: now - 24 * HOUR, clipped: true });
  });

  it('keeps an explicit window that is complete', () => {
    expect(resolveDataWindow({ nowMs: now, labelWindowMs: HOUR, lookbackMs: HOUR, fromMs: now - 10 * HOUR, toMs: now - 5 * HOUR })).toEqual({ fromMs: now - 10 * HOUR, toMs: now - 5 * HOUR, clipped: false });
  });

  it('refuses an empty window and says why', () => {
    expect(() => resolveDataWindow({ nowMs: now, labelWindowMs: 24 * HOUR, lookbackMs: HOUR, fromMs: now - 2 * HOUR })).toThrow(/empty data window.*/);
  });
});

describe('durations', () => {
  it.each([
    ['6h', 6 * HOUR],
    ['24h', 24 * HOUR],
    ['30d', 30 * 24 * HOUR],
    ['90m', 90 * 60_000],
    ['1.5h', 1.5 * HOUR],
    ['500ms', 500],
    ['45s', 45_000],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text, '--every')).toBe(ms);
  });

  it.each(['6', 'h', '-1h', '0s', '1w', '6 hours', ''])('refuses %j naming the option', (text) => {
    expect(() => parseDuration(text, '--every')).toThrow(/--every must be a/);
  });

  it('spells durations back shortly', () => {
    expect([86_400_000, 5_400_000, 6 * HOUR, 45_000, 1500].map(formatDurationMs)).toEqual(['1d', '90m', '6h', '45s', '1500ms']);
  });
});
