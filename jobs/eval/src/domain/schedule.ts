import { historyOf, type UserSequence } from './dataset.js';
import { seededShuffle } from './rng.js';

/**
 * Synthetic event times for the replay. The datasets carry only the order of each user's items, so
 * user u (in a seeded shuffle) starts at T0 + rank(u)·spacing and each of its events comes `stepMs`
 * after the previous one: every user's order is kept and users interleave. T0 is a multiple of
 * `alignMs`, so the time buckets of the processors (trending's hour buckets) cut the events the same
 * way on every run, and the last event lies between `marginMs` and `marginMs + alignMs` before now
 * (the processors refuse events from the future). Pure.
 */
export interface ScheduleParams {
  readonly seed: number;
  /** Users' start times are spread evenly over this span. */
  readonly spanMs: number;
  /** Between two consecutive events of one user. */
  readonly stepMs: number;
  readonly alignMs: number;
  readonly marginMs: number;
}

export const defaultScheduleParams: Omit<ScheduleParams, 'seed'> = Object.freeze({ spanMs: 12 * 3_600_000, stepMs: 60_000, alignMs: 3_600_000, marginMs: 120_000 });

export interface ReplayEvent {
  readonly user: string;
  readonly item: number;
  /** 0-based position in the user's sequence. */
  readonly position: number;
  readonly eventTimeMs: number;
  /** `eval:<user>:<position>`: the same on every run, so a re-sent event is a duplicate, not a new one. */
  readonly eventId: string;
}

export interface Schedule {
  readonly t0Ms: number;
  readonly spacingMs: number;
  readonly firstEventMs: number;
  readonly lastEventMs: number;
  /** Every replayed event (s[:-1] of every user), in event-time order. */
  readonly events: readonly ReplayEvent[];
}

export const eventIdOf = (user: string, position: number): string => `eval:${user}:${position}`;

export function replaySchedule(users: readonly UserSequence[], params: ScheduleParams, nowMs: number): Schedule {
  const order = seededShuffle(users, params.seed);
  const spacingMs = Math.max(1, Math.floor(params.spanMs / Math.max(1, order.length)));
  const relative: { user: string; item: number; position: number; offset: number; rank: number }[] = [];
  order.forEach((sequence, rank) => {
    historyOf(sequence).forEach((item, position) => relative.push({ user: sequence.user, item, position, offset: rank * spacingMs + position * params.stepMs, rank }));
  });
  relative.sort((a, b) => a.offset - b.offset || a.rank - b.rank || a.position - b.position);
  const lastOffset = relative.at(-1)?.offset ?? 0;
  const t0Ms = Math.floor((nowMs - params.marginMs - lastOffset) / params.alignMs) * params.alignMs;
  const events = relative.map(({ user, item, position, offset }) => ({ user, item, position, eventTimeMs: t0Ms + offset, eventId: eventIdOf(user, position) }));
  return { t0Ms, spacingMs, firstEventMs: t0Ms, lastEventMs: t0Ms + lastOffset, events };
}
