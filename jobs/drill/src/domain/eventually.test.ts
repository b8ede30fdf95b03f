import { describe, expect, it } from 'vitest';
import { eventually, type DrillTime } from './eventually.js';

function fakeTime(): DrillTime & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

describe('eventually', () => {
  it('resolves with what was seen once the condition holds, looking every interval', async () => {
    const time = fakeTime();
    let looks = 0;
    const seen = await eventually('lag drains', () => Promise.resolve({ ok: ++looks === 3, seen: `look ${looks}` }), { timeoutMs: 60_000, intervalMs: 1_000 }, time);
    expect(seen).toBe('look 3');
    expect(time.slept).toEqual([1_000, 1_000]);
  });

  it('counts a look that throws as not yet and keeps looking', async () => {
    const time = fakeTime();
    let looks = 0;
    const seen = await eventually(
      'redis answers',
      () => {
        looks += 1;
        if (looks < 3) return Promise.reject(new Error('ECONNREFUSED'));
        return Promise.resolve({ ok: true, seen: 'PONG' });
      },
      { timeoutMs: 60_000 },
      time,
    );
    expect(seen).toBe('PONG');
  });

  it('fails at the deadline with the last observation, never sleeping past it', async () => {
    const time = fakeTime();
    await expect(eventually('RedisDown fires', () => Promise.resolve({ ok: false, seen: 'no alert' }), { timeoutMs: 5_000, intervalMs: 2_000 }, time)).rejects.toThrow(
      'RedisDown fires: not within 5 s (last seen: no alert)',
    );
    expect(time.slept).toEqual([2_000, 2_000, 1_000]);
  });

  it('reports the last error when every look failed', async () => {
    await expect(eventually('api', () => Promise.reject(new Error('ECONNREFUSED')), { timeoutMs: 1_000 }, fakeTime())).rejects.toThrow('last seen: error: ECONNREFUSED');
  });
});
