import { describe, expect, it } from 'vitest';
import { linearScale, logScale, niceTicks, shortNumber, timeLabel, timeTicks } from './scale.js';

describe('scales', () => {
  it('puts nice ticks around the data', () => {
    expect(niceTicks(0, 97, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(3, 3)).toEqual([2.6, 2.8, 3, 3.2, 3.4]);
    expect(niceTicks(0, 0, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('maps the domain ends to the pixel ends', () => {
    const scale = linearScale(0, 97, 300, 100);
    expect(scale.at(0)).toBe(300);
    expect(scale.at(100)).toBe(100);
  });

  it('spans whole decades on a log scale', () => {
    const scale = logScale(3, 4200, 0, 400);
    expect(scale.ticks).toEqual([1, 10, 100, 1000, 10000]);
    expect(scale.at(100)).toBe(200);
  });

  it('ticks a day of hours every 3 hours and labels midnight with its date', () => {
    const start = Date.UTC(2026, 11, 4, 1, 30);
    const { ticks, stepMs } = timeTicks(start, start + 24 * 3_600_000, 8);
    expect(stepMs).toBe(3 * 3_600_000);
    expect(new Date(ticks[0] ?? 0).toISOString()).toBe('2026-12-04T03:00:00.000Z');
    const midnight = ticks.find((tick) => new Date(tick).getUTCHours() === 0) ?? 0;
    expect(timeLabel(midnight, stepMs, false)).toEqual({ line: '00:00', date: '12-05' });
    expect(timeLabel(ticks[1] ?? 0, stepMs, false)).toEqual({ line: '06:00', date: undefined });
  });

  it('ticks a span of minutes on whole minutes and one of seconds with the seconds', () => {
    const start = Date.UTC(2026, 11, 4, 10, 3, 20);
    const minutes = timeTicks(start, start + 40 * 60_000, 8);
    expect(minutes.stepMs).toBe(5 * 60_000);
    expect(new Date(minutes.ticks[0] ?? 0).toISOString()).toBe('2026-12-04T10:05:00.000Z');
    expect(timeLabel(minutes.ticks[0] ?? 0, minutes.stepMs, false)).toEqual({ line: '10:05', date: undefined });
    const seconds = timeTicks(start, start + 50_000, 8);
    expect(seconds.stepMs).toBe(10_000);
    expect(seconds.ticks.map((tick) => timeLabel(tick, seconds.stepMs, false).line)).toEqual(['10:03:20', '10:03:30', '10:03:40', '10:03:50', '10:04:00', '10:04:10']);
  });

  it('writes short numbers', () => {
    expect([shortNumber(0), shortNumber(0.0512), shortNumber(950), shortNumber(5_000), shortNumber(12_345), shortNumber(2_500_000), shortNumber(0.125, '%'), shortNumber(Number.NaN)]).toEqual(['0', '0.0512', '950', '5k', '12.3k', '2.5M', '12.5%', '–']);
  });
});
