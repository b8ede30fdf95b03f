import { OpKind, type StateOp } from '@streamrec/foundation';
import type { InteractionAction } from '@streamrec/schemas';

const HOUR_MS = 3_600_000;

/**
 * Exponentially decayed event counts, per user and per item, in their `stats` hash (`HDecayAdd`: a
 * value with its event time, decayed on read). The half-lives are the windows the ranking features
 * name (`user_events_24h`, `item_views_7d`…): part of the feature contract, so they are constants,
 * not settings.
 */
export const ActivityWindow = {
  Hour: { suffix: '1h', halfLifeMs: HOUR_MS },
  Day: { suffix: '24h', halfLifeMs: 24 * HOUR_MS },
  Week: { suffix: '7d', halfLifeMs: 7 * 24 * HOUR_MS },
} as const;
export type ActivityWindow = (typeof ActivityWindow)[keyof typeof ActivityWindow];
export const ACTIVITY_WINDOWS: readonly ActivityWindow[] = Object.values(ActivityWindow);

/** Every action's own decayed count uses this window. */
export const ACTION_WINDOW: ActivityWindow = ActivityWindow.Week;

/** `events_24h`: all actions. */
export const eventsField = (window: ActivityWindow): string => `events_${window.suffix}`;
/** `view_7d`: one action. */
export const actionField = (action: string): string => `${action}_${ACTION_WINDOW.suffix}`;

/** Plain fields of the `stats` hash. */
export const StatsField = {
  FirstEventMs: 'first_event_ms',
  /** Sum and count of the catalogue prices of the items interacted with (users). */
  PriceSum: 'price_sum',
  PriceCount: 'price_n',
  PriceMax: 'price_max',
  FreeCount: 'free_n',
  PurchasedPriceSum: 'purchased_price_sum',
  PurchasedPriceCount: 'purchased_price_n',
} as const;

/** The decayed counts and first-event time one event adds to a `stats` hash (users and items alike). */
export function activityStatsOps(statsKey: string, action: InteractionAction, eventTime: number): StateOp[] {
  const ops: StateOp[] = ACTIVITY_WINDOWS.map((window) => ({ kind: OpKind.HDecayAdd, key: statsKey, field: eventsField(window), by: 1, time: eventTime, halfLifeMs: window.halfLifeMs }));
  ops.push({ kind: OpKind.HDecayAdd, key: statsKey, field: actionField(action), by: 1, time: eventTime, halfLifeMs: ACTION_WINDOW.halfLifeMs });
  ops.push({ kind: OpKind.HSetMin, key: statsKey, field: StatsField.FirstEventMs, value: eventTime });
  return ops;
}

/** What the user paid attention to, priced: the catalogue price at event time (null: unpriced item). */
export function priceStatsOps(statsKey: string, action: InteractionAction, price: number | null): StateOp[] {
  if (price === null || !Number.isFinite(price) || price < 0) return [];
  const ops: StateOp[] = [
    { kind: OpKind.HIncrByFloat, key: statsKey, field: StatsField.PriceSum, by: price },
    { kind: OpKind.HIncrBy, key: statsKey, field: StatsField.PriceCount, by: 1 },
    { kind: OpKind.HSetMax, key: statsKey, field: StatsField.PriceMax, value: price },
  ];
  if (price === 0) ops.push({ kind: OpKind.HIncrBy, key: statsKey, field: StatsField.FreeCount, by: 1 });
  if (action === 'purchase') {
    ops.push({ kind: OpKind.HIncrByFloat, key: statsKey, field: StatsField.PurchasedPriceSum, by: price });
    ops.push({ kind: OpKind.HIncrBy, key: statsKey, field: StatsField.PurchasedPriceCount, by: 1 });
  }
  return ops;
}

/**
 * A record's `stats` ops in the order that costs Redis least, for any mix of the two lists above: the
 * float sums first (HINCRBYFLOAT rounds through a long double, which the apply script cannot repeat, so
 * each is a call of its own), then every other op in one run, which the apply script reads with one
 * HMGET and writes with one HSET (apply-batch.lua: applyHashGroup). The fields are distinct, so the
 * values are those of any order; only the order a new hash lists its fields in follows this one.
 */
export function statsOpsInOneRun(ops: readonly StateOp[]): StateOp[] {
  const floats = ops.filter((op) => op.kind === OpKind.HIncrByFloat);
  return floats.length === 0 ? [...ops] : [...floats, ...ops.filter((op) => op.kind !== OpKind.HIncrByFloat)];
}

/** UTC day number of an event time (the element of the active-days HyperLogLog). */
export const utcDay = (timeMs: number): number => Math.floor(timeMs / 86_400_000);
