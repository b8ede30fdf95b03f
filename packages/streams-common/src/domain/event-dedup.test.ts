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

  it('a set lives while the watermark is less than retentionDays past its day, then the next record deletes it', () => {
    const state = createMemoryState();
    state.applyBatch('o', 'f', [record(0, 'a', t), record(1, 'b', t + 6 * DAY_MS), record(2, 'a', t)]);
    expect(state.hget('counts', 'a')).toBe('1');
    expect(seenSets(state)).toContain('sr:v1:{p0}:seen:20261125:features-item');
    // A gap of many days at once still deletes it (the registry lists every set, whatever its day).
    state.applyBatch('o', 'f', [record(3, 'c', t + 40 * DAY_MS)]);
    expect(seenSets(state)).toEqual([`sr:v1:{p0}:seen:${eventDay(t + 40 * DAY_MS)}:features-item`]);
  });

  it('a late event inside the window is deduplicated; one beyond it is counted and leaves no set', () => {
    const state = createMemoryState();
    const inside = t - 6 * DAY_MS;
    const beyond = t - 40 * DAY_MS;
    state.applyBatch('o', 'f', [record(0, 'now', t), record(1, 'inside', inside), record(2, 'beyond', beyond), record(3, 'inside', inside)]);
    expect(state.hget('counts', 'inside')).toBe('1');
    expect(state.hget('counts', 'beyond')).toBe('1');
    expect(seenSets(state).sort()).toEqual([`sr:v1:{p0}:seen:${eventDay(inside)}:features-item`, 'sr:v1:{p0}:seen:20261125:features-item']);
  });

  it('keeps exactly the sets of days within the window, and catches every duplicate in them, whatever the lateness', () => {
    const random = seededRandom(3);
    const state = createMemoryState();
    const dedup: DedupParams = { retentionDays: 3 };
    const dayOf = new Map<string, number>();
    const counted = new Set<string>(); // ids whose record went into a live set
    const setsUsed = new Set<number>();
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
      watermark = Math.max(watermark, day);
      const inWindow = day + dedup.retentionDays > watermark;
      const caught = inWindow && counted.has(id);
      const before = Number(state.hget('counts', id) ?? '0');
      state.applyBatch('o', 'f', [record(offset, id, day * DAY_MS, dedup)]);
      expect(Number(state.hget('counts', id)) - before, `${id} at offset ${offset}`).toBe(caught ? 0 : 1);
      if (caught) duplicatesCaught += 1;
      if (inWindow) {
        counted.add(id);
        setsUsed.add(day);
      }
      const expected = [...setsUsed].filter((used) => used + dedup.retentionDays > watermark).map((used) => `sr:v1:{p0}:seen:${eventDay(used * DAY_MS)}:features-item`);
      expect(seenSets(state).sort(), `offset ${offset}`).toEqual(expected.sort());
    }
    expect(duplicatesCaught).toBeGreaterThan(50);
  });

  it('ends with the same state whatever the order of the records (a rebuild interleaves its sources differently)', () => {
    const random = seededRandom(5);
    const records = [...Array(300).keys()].map((index) => ({ id: `e${index % 220}`, time: t + Math.floor(index / 10) * 3_600_000 * 7 - (random() < 0.1 ? Math.floor(random() * 5) * DAY_MS : 0) }));
    // Duplicates share their event time, as re-sent events do.
    const timeOf = new Map<string, number>();
    for (const entry of records) timeOf.set(entry.id, timeOf.get(entry.id) ?? entry.time);
    const apply = (order: readonly { id: string }[]): Record<string, string> => {
      const state = createMemoryState();
      state.applyBatch('o', 'f', order.map(({ id }, offset) => ({ offset: BigInt(offset), ops: [dedupOp(context, 0, DedupStage.FeaturesItem, id, timeOf.get(id) ?? t, { retentionDays: 4 })] })));
      return Object.fromEntries(Object.entries(state.dump()).filter(([key]) => key.includes('seen')));
    };
    const shuffled = [...records].sort(() => random() - 0.5);
    const inOrder = apply(records);
    expect(Object.keys(inOrder).length).toBeGreaterThan(3);
    // A set exists at the end only if the watermark never got retentionDays past its day, so it holds every id of its day.
    expect(apply(shuffled)).toEqual(inOrder);
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
    expect(() => createSeenSetModel({ memberships: new Map(), watermarks: new Map() }).apply(op)).toThrow(/was not read/);
  });
});
