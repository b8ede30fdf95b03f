import { z } from 'zod';
import { AppError, ErrorCode, OpKind, type StateOp } from '@streamrec/foundation';
import { partitionKey, type StreamContext } from './stream-context.js';

/**
 * Event-id dedup: a Guard op per record on a seen-set per (stage, partition, event-time day). The
 * day comes from the event's own time, so a re-delivered event (same id, same time) meets the same
 * set, and the sets expire by event time: a record of day d deletes the sets of days
 * d-retentionDays-sweepDays+1 … d-retentionDays. Never by wall clock, so a replay expires the same
 * sets at the same offsets.
 */
export const DedupStage = {
  FeaturesUser: 'features-user',
  FeaturesItem: 'features-item',
  CooccurrenceUser: 'cooccurrence-user',
  CooccurrenceItem: 'cooccurrence-item',
  TrendingItem: 'trending-item',
} as const;
export type DedupStage = (typeof DedupStage)[keyof typeof DedupStage];

export const dedupParamsSchema = z.object({
  /**
   * A duplicate is caught while its day's set lives: up to this many days of event-time progress. 9, so
   * that a beacon the API still accepts (at most 7 days old, 5 minutes ahead: beacon-event.ts) always
   * finds its day's set when a client retries it: its day is at most 7 calendar days behind today, and a
   * record 5 minutes ahead can be dated tomorrow (beacon-event.test.ts fails at 8).
   */
  retentionDays: z.number().int().min(1).max(90).default(9),
  /** Days before the expired one that are deleted again, for days on which no event arrived. */
  sweepDays: z.number().int().min(1).max(31).default(7),
});
export type DedupParams = z.infer<typeof dedupParamsSchema>;

const DAY_MS = 86_400_000;

// Every op of a record names its day's set, and a batch spans few days: formatting a Date per op showed
// up in profiles. Both caches are bounded (cleared when full); entries are pure functions of their key.
const CACHE_LIMIT = 4_096;
const dayNames = new Map<number, string>();
const expiryOpsCache = new Map<string, readonly StateOp[]>();

/** `YYYYMMDD` (UTC) of an event time. */
export function eventDay(eventTimeMs: number): string {
  const day = Math.floor(eventTimeMs / DAY_MS);
  let name = dayNames.get(day);
  if (name === undefined) {
    if (dayNames.size >= CACHE_LIMIT) dayNames.clear();
    name = new Date(day * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '');
    dayNames.set(day, name);
  }
  return name;
}

export function seenSetKey(context: Pick<StreamContext, 'version'>, partition: number, stage: DedupStage, day: string): string {
  return partitionKey(context, partition, 'seen', day, stage);
}

/** Deletes of expired seen-sets; apply them unconditionally (before the guard). */
export function seenSetExpiryOps(context: Pick<StreamContext, 'version'>, partition: number, stage: DedupStage, eventTimeMs: number, params: DedupParams): readonly StateOp[] {
  const today = Math.floor(eventTimeMs / DAY_MS);
  const cacheKey = `${context.version}|${partition}|${stage}|${today}|${params.retentionDays}|${params.sweepDays}`;
  const cached = expiryOpsCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const ops: StateOp[] = [];
  for (let back = params.retentionDays + params.sweepDays - 1; back >= params.retentionDays; back -= 1) {
    ops.push({ kind: OpKind.Del, key: seenSetKey(context, partition, stage, eventDay((today - back) * DAY_MS)) });
  }
  if (expiryOpsCache.size >= CACHE_LIMIT) expiryOpsCache.clear();
  expiryOpsCache.set(cacheKey, Object.freeze(ops));
  return ops;
}

export type GuardOp = Extract<StateOp, { readonly kind: typeof OpKind.Guard }>;

export function guardOp(context: Pick<StreamContext, 'version'>, partition: number, stage: DedupStage, id: string, eventTimeMs: number): GuardOp {
  return { kind: OpKind.Guard, key: seenSetKey(context, partition, stage, eventDay(eventTimeMs)), id };
}

/** Expiry deletes, then the guard: everything after these in the record runs once per id. */
export function dedupOps(context: Pick<StreamContext, 'version'>, partition: number, stage: DedupStage, id: string, eventTimeMs: number, params: DedupParams): StateOp[] {
  return [...seenSetExpiryOps(context, partition, stage, eventTimeMs, params), guardOp(context, partition, stage, id, eventTimeMs)];
}

/**
 * In-batch model of the seen-sets, for stages that must know before apply whether a record is a
 * duplicate (cooccurrence's user stage emits repartition records, which a guard cannot take back).
 * Starts from the memberships the adapter read at the stored offset (`SISMEMBER`, keyed by
 * `seenToken`) and follows the batch's own guards and expiry deletes exactly as apply-batch.lua will.
 */
export interface SeenSetModel {
  has(key: string, id: string): boolean;
  /** Applies a guard: returns false (and changes nothing) when the id was already there. */
  add(key: string, id: string): boolean;
  del(key: string): void;
}

export function seenToken(key: string, id: string): string {
  return `${key}\n${id}`;
}

export function createSeenSetModel(readAtStoredOffset: ReadonlyMap<string, boolean>): SeenSetModel {
  const deleted = new Set<string>();
  const added = new Map<string, Set<string>>();
  const model: SeenSetModel = {
    has: (key, id) => {
      if (added.get(key)?.has(id) === true) return true;
      if (deleted.has(key)) return false;
      const member = readAtStoredOffset.get(seenToken(key, id));
      // A membership nobody read would silently count as "new": the adapter's reads were incomplete.
      if (member === undefined) throw new AppError(ErrorCode.InvalidArgument, `seen-set membership of ${id} in ${key} was not read before the batch`);
      return member;
    },
    add: (key, id) => {
      if (model.has(key, id)) return false;
      let ids = added.get(key);
      if (ids === undefined) added.set(key, (ids = new Set()));
      ids.add(id);
      return true;
    },
    del: (key) => {
      deleted.add(key);
      added.delete(key);
    },
  };
  return model;
}
