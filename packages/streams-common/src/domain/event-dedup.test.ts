import { describe, expect, it } from 'vitest';
import { OpKind, parseStateVersion, type RecordOps } from '@streamrec/foundation';
import { createMemoryState, readDedupSnapshot, type MemoryState } from '../testing/memory-state.js';
import { seededRandom } from '../testing/random.js';
import { DedupStage, createSeenSetModel, dedupOp, dedupReads, eventDay, type DedupParams } from './event-dedup.js';

const context = { version: parseStateVersion('v1') };
const params: DedupParams = { retentionDays: 7 };
const DAY_MS = 86_400_000;
const t = Date.UTC(2026, 10, 25, 23, 59, 59, 999);
const day0 = Math.floor(t / DAY_MS);

/** A record: the dedup, then a counter per id that shows whether the rest of the record ran. */
function record(offset: number, id: string, eventTime: number, dedup: DedupParams = params): RecordOps {
  return { offset: BigInt(offset), ops: [dedupOp(context, 0, DedupStage.FeaturesItem, id, eventTime, dedup), { kind: OpKind.HIncrBy, key: 'counts', field: id, by: 1 }] };
}

const seenSets = (state: MemoryState): string[] => state.keys().filter((key) => key.includes(':seen:'));

describe('event-id dedup', () => {
  it('dedups on the seen-set of the event-time day (UTC), listed in the stage and partition registry', () => {
    expect(dedupOp(context, 4, DedupStage.FeaturesUser, 'matomo:lva:1', t, params)).toEqual({
      kind: OpKind.Dedup,
      key: 'sr:v1:{p4}:seen:20261125:features-user',
      id: 'matomo:lva:1',
      registry: 'sr:v1:{p4}:seen-expiry:features-user:days',
      member: '20261125',
      day: day0,
      retentionDays: 7,
    });
    expect(eventDay(t)).toBe('20261125');
    expect(eventDay(t + 1)).toBe('20261126');
  });

  it('a re-delivered event at a later offset is skipped, a new event id is not', () => {
    const state = createMemoryState();
    state.applyBatch('o', 'f', [record(0, 'a', t), record(1, 'a', t), record(2, 'b', t)]);
    expect(state.hget('counts', 'a')).toBe('1');
    expect(state.hget('counts', 'b')).toBe('1');
  });

  it('a set lives until the event time moves retentionDays past its last use, then the next record deletes it', () => {
    const state = createMemoryState();
    state.applyBatch('o', 'f', [record(0, 'a', t), record(1, 'b', t + 6 * DAY_MS), record(2, 'a', t)]);
    expect(state.hget('counts', 'a')).toBe('1');
    // Its last use (the duplicate, at offset 2) was at the newest day + 6: it lives to + 13.
    state.applyBatch('o', 'f', [record(3, 'c', t + 12 * DAY_MS)]);
    expect(seenSets(state)).toContain('sr:v1:{p0}:seen:20261125:features-item');
    state.applyBatch('o', 'f', [record(4, 'd', t + 13 * DAY_MS)]);
    expect(seenSets(state)).not.toContain('sr:v1:{p0}:seen:20261125:features-item');
  });

  it('a late event’s set is swept too: it lives retentionDays past the watermark it arrived at, then goes', () => {
    const state = createMemoryState();
    const late = t - 40 * DAY_MS;
    state.applyBatch('o', 'f', [record(0, 'now', t), record(1, 'late', late), record(2, 'next', t + 3 * DAY_MS), record(3, 'late', late)]);
    // Its duplicate within the window is caught...
    expect(state.hget('counts', 'late')).toBe('1');
    expect(seenSets(state)).toContain(`sr:v1:{p0}:seen:${eventDay(late)}:features-item`);
    // ...and once the partition's event time is retentionDays past its last use (the duplicate, at + 3), it is gone.
    state.applyBatch('o', 'f', [record(4, 'later', t + 10 * DAY_MS)]);
    expect(seenSets(state)).toEqual([`sr:v1:{p0}:seen:${eventDay(t + 10 * DAY_MS)}:features-item`]);
  });

  it('keeps exactly the sets used within retentionDays of the watermark, whatever the lateness, and catches every duplicate in them', () => {
    const random = seededRandom(3);
    const state = createMemoryState();
    const dedup: DedupParams = { retentionDays: 3 };
    const dayOf = new Map<string, number>();
    const setUsedAt = new Map<string, number>(); // seen-set key → the watermark when a record last used it
    const life = new Map<string, number>(); // seen-set key → how many times it was (re)created
    const idLife = new Map<string, number>(); // id → the life of its set when it was last deduped
    let watermark = -1;
    let duplicatesCaught = 0;
    for (let offset = 0; offset < 2_000; offset += 1) {
      const known = [...dayOf.keys()];
      let id = known[Math.floor(random() * known.length)];
      if (id === undefined || random() < 0.8) {
        id = `e${offset}`;
        dayOf.set(id, day0 + Math.floor(offset / 20) - (random() < 0.1 ? Math.floor(random() * 60) : 0));
      }
      const day = dayOf.get(id) ?? day0;
      const set = `sr:v1:{p0}:seen:${eventDay(day * DAY_MS)}:features-item`;
      watermark = Math.max(watermark, day);
      if ((setUsedAt.get(set) ?? -Infinity) + dedup.retentionDays <= watermark) life.set(set, (life.get(set) ?? 0) + 1);
      setUsedAt.set(set, watermark);
      // A duplicate is caught exactly when its id went into the set's current life.
      const caught = idLife.get(id) === life.get(set);
      idLife.set(id, life.get(set) ?? 0);
      const before = Number(state.hget('counts', id) ?? '0');
      state.applyBatch('o', 'f', [record(offset, id, day * DAY_MS, dedup)]);
      expect(Number(state.hget('counts', id)) - before, `${id} at offset ${offset}`).toBe(caught ? 0 : 1);
      if (caught) duplicatesCaught += 1;
      const expected = [...setUsedAt].filter(([, usedAt]) => usedAt + dedup.retentionDays > watermark).map(([key]) => key);
      expect(seenSets(state).sort(), `offset ${offset}`).toEqual(expected.sort());
    }
    expect(duplicatesCaught).toBeGreaterThan(50);
  });

  it('the in-batch model answers like the store, for any batch split, with late events and duplicates', () => {
    const random = seededRandom(9);
    const events: { id: string; time: number }[] = [];
    for (let offset = 0; offset < 600; offset += 1) {
      const repeat = events.length > 0 && random() < 0.25 ? events[Math.floor(random() * events.length)] : undefined;
      const late = random() < 0.1 ? Math.floor(random() * 20) * DAY_MS : 0;
      events.push(repeat ?? { id: `e${offset}`, time: t + offset * 3 * 3_600_000 - late });
    }
    const dedup: DedupParams = { retentionDays: 2 };
    const state = createMemoryState();
    let offset = 0;
    while (offset < events.length) {
      const size = 1 + Math.floor(random() * 40);
      const batch = events.slice(offset, offset + size).map((event, index) => ({ offset: offset + index, op: dedupOp(context, 0, DedupStage.CooccurrenceUser, event.id, event.time, dedup) }));
      const model = createSeenSetModel(readDedupSnapshot(state, dedupReads(batch.map(({ op }) => op))));
      for (const { offset: at, op } of batch) {
        const predicted = model.apply(op);
        const before = Number(state.hget('counts', op.id) ?? '0');
        state.applyBatch('o', 'f', [{ offset: BigInt(at), ops: [op, { kind: OpKind.HIncrBy, key: 'counts', field: op.id, by: 1 }] }]);
        expect(Number(state.hget('counts', op.id)) - before, `offset ${at}`).toBe(predicted ? 1 : 0);
      }
      offset += size;
    }
  });

  it('the in-batch model refuses to guess what the adapter did not read', () => {
    const op = dedupOp(context, 0, DedupStage.CooccurrenceUser, 'e9', t, params);
    expect(() => createSeenSetModel({ memberships: new Map(), expiries: new Map(), watermarks: new Map() }).apply(op)).toThrow(/was not read/);
  });
});
