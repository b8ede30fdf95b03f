import { describe, expect, it } from 'vitest';
import { OpKind, offsetsKey, type RecordOps } from '@streamrec/foundation';
import { parseRecentItems, type KeyedItemActivity, type PartitionContext } from '@streamrec/streams-common';
import { createMemoryState, readDedupSnapshot, type MemoryState } from '@streamrec/streams-common/testing';
import { seededRandom } from '@streamrec/streams-common/testing';
import { defaultCooccurrenceParams as params, type CooccurrenceParams } from './cooccurrence-params.js';
import { cooccurrenceItemStage } from './item-stage.js';
import { HOUR, T0, interaction, itemContext, streamContext, userContext, usersOnPartition } from './test-fixtures.js';
import { cooccurrenceUserBatch, cooccurrenceUserReads, type CooccurrenceUserRecord, type OffsetInteraction } from './user-stage.js';
import type { PairIncrement } from './pair-increments.js';

const field = 'cooccurrence/events.interactions.v1';

/** What the adapter does per batch: read at the stored offset, fold, produce, apply. */
function runBatch(state: MemoryState, batch: readonly OffsetInteraction[], context: PartitionContext, apply = true, stageParams: CooccurrenceParams = params): CooccurrenceUserRecord[] {
  const stored = state.storedOffset(offsetsKey(context.version, context.partition), field) ?? -1n;
  const fresh = batch.filter((record) => record.offset > stored);
  if (fresh.length === 0) return [];
  const reads = cooccurrenceUserReads(fresh, context, stageParams);
  const snapshot = {
    windows: new Map(reads.windows.map(({ user, key }) => [user, parseRecentItems(state.zrevrangeWithScores(key))] as const)),
    seen: readDedupSnapshot(state, reads.seen),
  };
  const results = cooccurrenceUserBatch(fresh, snapshot, context, stageParams);
  if (apply) state.applyBatch(offsetsKey(context.version, context.partition), field, results);
  return results;
}

function randomStream(seed: number, context: PartitionContext, stepMs = 10 * 60_000): OffsetInteraction[] {
  const random = seededRandom(seed);
  const users = usersOnPartition(context.partition, 5);
  const actions = ['view', 'click', 'download', 'favorite', 'cart', 'purchase'] as const;
  const events: OffsetInteraction[] = [];
  for (let offset = 0; offset < 300; offset += 1) {
    const earlier = events[Math.max(0, events.length - 1 - Math.floor(random() * 40))];
    const repeat = earlier !== undefined && random() < 0.1; // Debezium re-delivery: same event, later offset
    const time = T0 + offset * stepMs - Math.floor(random() * 2 * HOUR);
    events.push({
      offset: BigInt(offset),
      interaction: repeat
        ? earlier.interaction
        : interaction({ event_id: `e${offset}`, user_id: users[Math.floor(random() * users.length)] ?? '1', item_id: Math.floor(random() * 30), action: actions[Math.floor(random() * 6)] ?? 'view', event_time: time }),
    });
  }
  return events;
}

describe('cooccurrence user stage (read-then-apply)', () => {
  const scenarios = [
    { name: 'a two-day stream', stepMs: 10 * 60_000, stageParams: params },
    { name: 'a 25-day stream whose seen-sets expire between re-deliveries', stepMs: 2 * HOUR, stageParams: { ...params, dedup: { retentionDays: 1 } } },
  ];
  for (const { name, stepMs, stageParams } of scenarios) {
    it(`any batch split, with crashes between produce and apply, gives the same state and records as one-by-one (${name})`, () => {
      const context = userContext('1');
      const events = randomStream(11, context, stepMs);
      const single = createMemoryState();
      const expected = events.flatMap((event) => runBatch(single, [event], context, true, stageParams));

      const random = seededRandom(12);
      const crashy = createMemoryState();
      const produced = new Map<bigint, KeyedItemActivity[]>();
      const pairs = new Map<bigint, PairIncrement[]>();
      for (let start = 0; start < events.length; ) {
        const end = Math.min(events.length, start + 1 + Math.floor(random() * 40));
        const crash = random() < 0.25;
        for (const result of runBatch(crashy, events.slice(start, end), context, !crash, stageParams)) {
          // Re-produced after a crash: must be exactly what was produced the first time.
          const earlier = produced.get(result.offset);
          if (earlier !== undefined) expect(result.repartition).toEqual(earlier);
          produced.set(result.offset, result.repartition);
          const earlierPairs = pairs.get(result.offset);
          if (earlierPairs !== undefined) expect(result.pairs).toEqual(earlierPairs);
          pairs.set(result.offset, result.pairs);
        }
        start = crash ? Math.max(0, start - Math.floor(random() * 10)) : end; // re-read from before the batch
      }
      expect(crashy.dump()).toEqual(single.dump());
      expect([...produced.values()].flat()).toEqual(expected.flatMap((result) => result.repartition));
      expect([...pairs.values()].flat()).toEqual(expected.flatMap((result) => result.pairs));
      expect(expected.flatMap((result) => result.repartition).length).toBeGreaterThan(100);
    });
  }

  it('a re-delivered event emits only its guard and no pairs', () => {
    const context = userContext('42');
    const state = createMemoryState();
    runBatch(state, [{ offset: 0n, interaction: interaction({ event_id: 'a', item_id: 1 }) }], context);
    const [first] = runBatch(state, [{ offset: 1n, interaction: interaction({ event_id: 'b', item_id: 2, event_time: T0 + 1 }) }], context);
    expect(first?.repartition).toHaveLength(2);
    const repeat = [{ offset: 2n, interaction: interaction({ event_id: 'b', item_id: 2, event_time: T0 + 1 }) }];
    const reads = cooccurrenceUserReads(repeat, context, params);
    expect(reads.seen.memberships).toEqual([{ key: `sr:v1:{p${context.partition}}:seen:20261125:cooccurrence-user`, id: '42|b' }]);
    const again = cooccurrenceUserBatch(
      repeat,
      { windows: new Map([['42' as never, parseRecentItems(state.zrevrangeWithScores(`sr:v1:{p${context.partition}}:user:42:cooc-window`))]]), seen: readDedupSnapshot(state, reads.seen) },
      context,
      params,
    );
    expect(again[0]?.repartition).toEqual([]);
    expect(again[0]?.pairs).toEqual([]);
    expect(again[0]?.ops).toEqual([expect.objectContaining({ kind: OpKind.Dedup, id: '42|b' })]);
  });

  it('a stitched copy joins the window without emitting pairs; the next item pairs with it', () => {
    const context = userContext('42');
    const state = createMemoryState();
    runBatch(state, [{ offset: 0n, interaction: interaction({ event_id: 'a', item_id: 1 }) }], context);
    const [stitched] = runBatch(state, [{ offset: 1n, interaction: interaction({ event_id: 'stitch:42:matomo:lva:7', item_id: 2, event_time: T0 + 1 }) }], context);
    expect(stitched?.repartition).toEqual([]);
    expect(stitched?.pairs).toEqual([]);
    const [next] = runBatch(state, [{ offset: 2n, interaction: interaction({ event_id: 'c', item_id: 3, event_time: T0 + 2 }) }], context);
    // Item 3 pairs with both earlier items, the stitched one included: one record to 3, one to each neighbour.
    expect(next?.repartition).toHaveLength(3);
  });

  it('emits as pair increments exactly the pairs its co-item records carry, with the undecayed action weight', () => {
    const context = userContext('1');
    const state = createMemoryState();
    const results = randomStream(7, context).flatMap((event) => runBatch(state, [event], context));
    let pairsSeen = 0;
    for (const result of results) {
      const current = result.repartition[0]?.value;
      const partners = current?.kind === 'co-items' ? current.neighbours.map((neighbour) => neighbour.item) : [];
      const unordered = partners.map((partner) => [current?.item ?? '', partner].sort((a, b) => Number(a) - Number(b)).join('-')).sort();
      expect(result.pairs.map((pair) => `${pair.item}-${pair.other}`).sort()).toEqual(unordered);
      for (const pair of result.pairs) {
        expect(pair.pairCount).toBe(1);
        expect(Number(pair.item)).toBeLessThan(Number(pair.other));
        expect([1, 2, 3, 4, 5, 10]).toContain(pair.weight);
      }
      pairsSeen += result.pairs.length;
    }
    expect(pairsSeen).toBeGreaterThan(50);
  });

  it('refuses to run a batch whose windows were not read', () => {
    const context = userContext('42');
    expect(() => cooccurrenceUserBatch([{ offset: 0n, interaction: interaction() }], { windows: new Map(), seen: { memberships: new Map(), watermarks: new Map() } }, context, params)).toThrow(/was not read/);
  });

  it('the item stage turns the pairs into symmetric co-occurrence across item owners', () => {
    const context = userContext('1');
    const user = createMemoryState();
    const produced = randomStream(5, context).flatMap((event) => runBatch(user, [event], context).flatMap((result) => result.repartition));
    const items = createMemoryState();
    const offsets = new Map<number, bigint>();
    for (const record of produced) {
      const offset = offsets.get(record.partition) ?? 0n;
      offsets.set(record.partition, offset + 1n);
      const ops: RecordOps = { offset, ops: cooccurrenceItemStage(record.value, itemContext(record.key), { ...params, keepTopNeighbours: 1_000 }) };
      items.applyBatch(offsetsKey(streamContext.version, record.partition), 'cooccurrence/repartition', [ops]);
    }
    const cooc = (a: number, b: number) => items.zscore(`sr:v1:{p${itemContext(String(a)).partition}}:item:${a}:cooc`, String(b));
    let checked = 0;
    for (let a = 0; a < 30; a += 1) {
      for (let b = 0; b < 30; b += 1) {
        expect(cooc(a, b)).toBe(cooc(b, a));
        if (cooc(a, b) !== undefined) checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});
