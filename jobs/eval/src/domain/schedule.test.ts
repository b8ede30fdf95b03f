import { describe, expect, it } from 'vitest';
import { parseSequences } from './dataset.js';
import { defaultScheduleParams, replaySchedule } from './schedule.js';

const users = parseSequences(Array.from({ length: 50 }, (_, index) => `${index + 1} ${Array.from({ length: 3 + (index % 7) }, (__, j) => 100 + ((index * 13 + j * 7) % 40)).join(' ')}`).join('\n'));
// A 10-minute span: users start 12 s apart while each one's events are a minute apart, so they interleave.
const params = { seed: 7, ...defaultScheduleParams, spanMs: 600_000 };
const now = Date.UTC(2026, 10, 26, 10, 17, 3);

describe('replay schedule', () => {
  it('replays every sequence without its last item, with deterministic event ids', () => {
    const schedule = replaySchedule(users, params, now);
    const expected = users.reduce((sum, user) => sum + user.items.length - 1, 0);
    expect(schedule.events).toHaveLength(expected);
    expect(new Set(schedule.events.map((event) => event.eventId)).size).toBe(expected);
    for (const user of users) {
      const own = schedule.events.filter((event) => event.user === user.user);
      expect(own.map((event) => event.item)).toEqual(user.items.slice(0, -1));
      expect(own.map((event) => event.eventId)).toEqual(own.map((_, position) => `eval:${user.user}:${position}`));
    }
  });

  it("keeps each user's order, a step apart, and interleaves users", () => {
    const schedule = replaySchedule(users, params, now);
    const starts = new Map<string, number>();
    for (const user of users) {
      const times = schedule.events.filter((event) => event.user === user.user).map((event) => event.eventTimeMs);
      times.slice(1).forEach((time, index) => expect(time - (times[index] ?? 0)).toBe(params.stepMs));
      starts.set(user.user, times[0] ?? 0);
    }
    expect(new Set(starts.values()).size).toBe(users.length);
    const times = schedule.events.map((event) => event.eventTimeMs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // Interleaved: some user's events lie between another user's first and last.
    const first = schedule.events.filter((event) => event.user === users[0]!.user);
    expect(schedule.events.some((event) => event.user !== users[0]!.user && event.eventTimeMs > first[0]!.eventTimeMs && event.eventTimeMs < first.at(-1)!.eventTimeMs)).toBe(true);
  });

  it('ends a little before now on an aligned T0, so runs only shift by whole buckets', () => {
    const schedule = replaySchedule(users, params, now);
    expect(schedule.t0Ms % params.alignMs).toBe(0);
    expect(schedule.lastEventMs).toBeLessThanOrEqual(now - params.marginMs);
    expect(schedule.lastEventMs).toBeGreaterThan(now - params.marginMs - params.alignMs);
    const later = replaySchedule(users, params, now + 3 * params.alignMs);
    expect(later.events.map((event) => event.eventTimeMs - later.t0Ms)).toEqual(schedule.events.map((event) => event.eventTimeMs - schedule.t0Ms));
  });

  it('depends on the seed for the user order only', () => {
    const a = replaySchedule(users, params, now);
    const b = replaySchedule(users, params, now);
    const c = replaySchedule(users, { ...params, seed: 8 }, now);
    expect(b.events).toEqual(a.events);
    expect(c.events.map((event) => event.user)).not.toEqual(a.events.map((event) => event.user));
    expect(new Set(c.events.map((event) => event.eventId))).toEqual(new Set(a.events.map((event) => event.eventId)));
  });
});
