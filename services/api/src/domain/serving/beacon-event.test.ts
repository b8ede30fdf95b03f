import { describe, expect, it } from 'vitest';
import { DedupStage, dedupParamsSchema, guardOp, seenSetExpiryOps } from '@streamrec/streams-common';
import { beaconInteraction, defaultBeaconLimits } from './beacon-event.js';

const DAY_MS = 86_400_000;
const context = { version: 'v1' } as const;
const stages = Object.values(DedupStage);

describe('a beacon and the processors’ dedup windows', () => {
  // A client retries a beacon with the same event_id while the API still accepts it. The retry counts once
  // only if the seen-set of the event's day still exists when it arrives. A set is deleted by the first
  // record of a later event day (seenSetExpiryOps); the latest event day a processor can have seen is
  // that of a beacon sent now at the largest accepted clock skew. Checked at every 7 minutes of a day,
  // because whole days of age cross a day boundary at some times of day and not at others.
  it('a retried beacon the API still accepts always finds its day’s seen-set: the API’s age limit is inside the dedup retention', () => {
    const params = dedupParamsSchema.parse({});
    const start = Date.UTC(2026, 11, 6);
    for (let minute = 0; minute < 24 * 60; minute += 7) {
      const now = start + minute * 60_000;
      const oldest = beaconInteraction({ user_id: 'u', item_id: '1', action: 'view', event_id: 'e', event_time: now - defaultBeaconLimits.maxAgeMs }, now, () => 'x');
      const newestSeen = now + defaultBeaconLimits.maxFutureSkewMs;
      for (const stage of stages) {
        const deleted = new Set(seenSetExpiryOps(context, 0, stage, newestSeen, params).map((op) => ('key' in op ? op.key : '')));
        const set = guardOp(context, 0, stage, oldest.event_id, oldest.event_time).key;
        expect(deleted.has(set), `${new Date(now).toISOString()}: the record at +skew deletes the set of ${new Date(oldest.event_time).toISOString()} (${stage})`).toBe(false);
      }
    }
  });

  it('refuses what is older than the age limit or further ahead than the skew, so nothing outside the windows gets in', () => {
    const now = Date.UTC(2026, 11, 6, 12);
    const at = (eventTime: number) => () => beaconInteraction({ user_id: 'u', item_id: '1', action: 'view', event_time: eventTime }, now, () => 'x');
    expect(at(now - defaultBeaconLimits.maxAgeMs - 1)).toThrow(/older than 7 days/);
    expect(at(now + defaultBeaconLimits.maxFutureSkewMs + 1_000)).toThrow(/in the future/);
    expect(at(now - 6 * DAY_MS)().event_time).toBe(now - 6 * DAY_MS);
  });
});
