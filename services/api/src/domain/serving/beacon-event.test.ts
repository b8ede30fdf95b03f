import { describe, expect, it } from 'vitest';
import { OpKind } from '@streamrec/foundation';
import { DedupStage, dedupOp, dedupParamsSchema, type DedupParams } from '@streamrec/streams-common';
import { createMemoryState } from '@streamrec/streams-common/testing';
import { beaconInteraction, defaultBeaconLimits } from './beacon-event.js';

const DAY_MS = 86_400_000;
const context = { version: 'v1' } as const;
const stages = Object.values(DedupStage);

/**
 * How often a stage counts a beacon that first arrived as the partition's newest event, then a record of
 * `newestSeen` (the event day moves on), then the client's retry of the beacon.
 */
function countsOfRetry(eventTime: number, newestSeen: number, stage: DedupStage, params: DedupParams): number {
  const state = createMemoryState();
  const record = (offset: bigint, id: string, time: number) => ({
    offset,
    ops: [dedupOp(context, 0, stage, id, time, params), { kind: OpKind.HIncrBy, key: 'counts', field: id, by: 1 } as const],
  });
  state.applyBatch('offsets', 'stage', [record(0n, 'beacon', eventTime), record(1n, 'other', newestSeen), record(2n, 'beacon', eventTime)]);
  return Number(state.hget('counts', 'beacon'));
}

describe('a beacon and the processors’ dedup windows', () => {
  // A client retries a beacon with the same event_id while the API still accepts it. The retry counts once
  // only if the seen-set of the event's day still exists when it arrives: a set lives until the partition's
  // newest event day reaches retentionDays past the set's day, and the newest event day a
  // processor can have seen is that of a beacon sent now at the largest accepted clock skew. Checked at
  // every 7 minutes of a day, because whole days of age cross a day boundary at some times of day and not
  // at others.
  const retriesCountedTwice = (params: DedupParams): string[] => {
    const failures: string[] = [];
    const start = Date.UTC(2026, 11, 6);
    for (let minute = 0; minute < 24 * 60; minute += 7) {
      const now = start + minute * 60_000;
      const oldest = beaconInteraction({ user_id: 'u', item_id: '1', action: 'view', event_id: 'e', event_time: now - defaultBeaconLimits.maxAgeMs }, now, () => 'x');
      const newestSeen = now + defaultBeaconLimits.maxFutureSkewMs;
      for (const stage of stages) {
        if (countsOfRetry(oldest.event_time, newestSeen, stage, params) !== 1) failures.push(`${new Date(now).toISOString()} ${stage}`);
      }
    }
    return failures;
  };

  it('a retried beacon the API still accepts is counted once: the API’s age limit is inside the dedup retention', () => {
    expect(retriesCountedTwice(dedupParamsSchema.parse({}))).toEqual([]);
  });

  it('one day less of retention would count some retries twice (the check above can fail)', () => {
    expect(retriesCountedTwice({ retentionDays: 8 }).length).toBeGreaterThan(0);
  });

  it('refuses what is older than the age limit or further ahead than the skew, so nothing outside the windows gets in', () => {
    const now = Date.UTC(2026, 11, 6, 12);
    const at = (eventTime: number) => () => beaconInteraction({ user_id: 'u', item_id: '1', action: 'view', event_time: eventTime }, now, () => 'x');
    expect(at(now - defaultBeaconLimits.maxAgeMs - 1)).toThrow(/older than 7 days/);
    expect(at(now + defaultBeaconLimits.maxFutureSkewMs + 1_000)).toThrow(/in the future/);
    expect(at(now - 6 * DAY_MS)().event_time).toBe(now - 6 * DAY_MS);
  });
});
