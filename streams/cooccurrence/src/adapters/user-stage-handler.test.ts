import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode, offsetsKey, type StateStore } from '@streamrec/foundation';
import { type ConsumedRecord } from '@streamrec/foundation/kafka';
import { createEventCodec } from '@streamrec/schemas/avro';
import { type Interaction } from '@streamrec/schemas';
import { ItemActivityKind, parseRecentItems, userIdOf } from '@streamrec/streams-common';
import { itemActivityFromWire } from '@streamrec/streams-common/wire';
import { createMemoryState, readDedupSnapshot, type MemoryState } from '@streamrec/streams-common/testing';
import { defaultCooccurrenceParams as params } from '../domain/cooccurrence-params.js';
import { windowKey } from '../domain/cooccurrence-keys.js';
import { T0, interaction, itemContext, streamContext, userContext } from '../domain/test-fixtures.js';
import { createItemStageHandler } from './item-stage-handler.js';
import type { UserStageReads } from './redis-user-reads.js';
import type { ItemActivitySink } from '@streamrec/streams-common/adapters';
import { createUserStageHandler } from './user-stage-handler.js';
import { USER_STAGE_FIELD } from '../manifest.js';
import type { OutputProgress } from '@streamrec/foundation/kafka';
import type { PairIncrement } from '../domain/pair-increments.js';

const interactions = createEventCodec('events.interactions.v1');
const activity = createEventCodec('repartition.item-activity.v1');
const context = userContext('42');
const partition = context.partition;

/** The in-memory state behind both seams, with the Lua script's offset fence. */
function memory(): { state: MemoryState; store: StateStore; reads: UserStageReads } {
  const state = createMemoryState();
  const store: StateStore = {
    applyBatch(input) {
      const stored = state.storedOffset(input.offsetsKey, input.field) ?? -1n;
      const expected = input.expectedStoredOffset === 'none' ? -1n : input.expectedStoredOffset;
      if (expected !== undefined && expected !== stored) {
        return Promise.reject(new AppError(ErrorCode.StateOffsetMoved, `stored offset is ${stored}, expected ${expected}`, { retriable: true }));
      }
      // The script stores lastOffset even when the batch's last records produced no ops.
      const marker = (input.records.at(-1)?.offset ?? -1n) < input.lastOffset ? [{ offset: input.lastOffset, ops: [] }] : [];
      state.applyBatch(input.offsetsKey, input.field, [...input.records, ...marker]);
      return Promise.resolve({ applied: input.records.length, skipped: 0, storedOffset: input.lastOffset });
    },
    storedOffset: (key, field) => Promise.resolve(state.storedOffset(key, field)),
  };
  const reads: UserStageReads = {
    read: (offsets, wanted) =>
      Promise.resolve({
        storedOffset: state.storedOffset(offsets.key, offsets.field),
        snapshot: {
          windows: new Map(wanted.windows.map(({ user, key }) => [user, parseRecentItems(state.zrevrangeWithScores(key))] as const)),
          seen: readDedupSnapshot(state, wanted.seen),
        },
      }),
  };
  return { state, store, reads };
}

function record(offset: number, value: Interaction | Buffer | null): ConsumedRecord {
  const encoded = value === null || Buffer.isBuffer(value) ? value : interactions.encode(value);
  return { topic: 'events.interactions.v1', partition, offset: BigInt(offset), key: Buffer.from('42'), value: encoded, timestampMs: 0 };
}

function handlerWith(parts: ReturnType<typeof memory>, sink: ItemActivitySink = { send: () => Promise.resolve() }, pairs?: FakePairOutput): ReturnType<typeof createUserStageHandler> {
  return createUserStageHandler({ context: streamContext, params, interactions, activity, reads: parts.reads, repartition: sink, store: parts.store, pairs });
}

/** A pairs topic in memory with its transactional progress: what the committed transactions hold. */
class FakePairOutput {
  next: bigint | undefined = undefined;
  logStart = 0n;
  readonly committed: PairIncrement[] = [];
  readonly skips: string[] = [];
  failNextEmit = false;
  progress(): Promise<OutputProgress> {
    return Promise.resolve({ next: this.next, logStart: this.logStart });
  }
  emit(_partition: number, increments: readonly PairIncrement[], next: bigint): Promise<void> {
    if (this.failNextEmit) {
      this.failNextEmit = false;
      return Promise.reject(new AppError(ErrorCode.DependencyUnavailable, 'fenced', { retriable: true }));
    }
    this.committed.push(...increments);
    this.next = next;
    return Promise.resolve();
  }
  skipped(_partition: number, reason: string): void {
    this.skips.push(reason);
  }
}

const views = [interaction({ event_id: 'a', item_id: 1, event_time: T0 }), interaction({ event_id: 'b', item_id: 2, event_time: T0 + 1_000 })];

describe('the cooccurrence user-stage handler', () => {
  it('produces co-items records before commit and applies the window only on commit', async () => {
    const parts = memory();
    const sent: { key: string; value: Buffer }[] = [];
    const prepared = await handlerWith(parts, { send: (messages) => Promise.resolve(void sent.push(...messages)) }).prepare({
      topic: 'events.interactions.v1',
      partition,
      records: views.map((view, offset) => record(offset, view)),
    });
    expect(sent.map((message) => message.key).sort()).toEqual(['1', '2']);
    expect(sent.map((message) => itemActivityFromWire(activity.decode(message.value))?.kind)).toEqual([ItemActivityKind.CoItems, ItemActivityKind.CoItems]);
    expect(parts.state.keys()).toEqual([]);
    await prepared.commit();
    expect(parseRecentItems(parts.state.zrevrangeWithScores(windowKey(streamContext, userIdOf('42')))).map(({ item }) => item)).toEqual(['2', '1']);

    // The produced records are what the item stage consumes: 1 and 2 become neighbours.
    const itemParts = memory();
    const owner = itemContext('1').partition;
    const message = sent.find((candidate) => candidate.key === '1');
    const itemPrepared = await createItemStageHandler({ context: streamContext, params, activity, store: itemParts.store }).prepare({
      topic: 'repartition.item-activity.v1',
      partition: owner,
      records: [{ topic: 'repartition.item-activity.v1', partition: owner, offset: 0n, key: Buffer.from('1'), value: message?.value ?? null, timestampMs: 0 }],
    });
    await itemPrepared.commit();
    expect(itemParts.state.zscore(`sr:v1:{p${owner}}:item:1:cooc`, '2')).toBeGreaterThan(0);
  });

  it('refuses the commit when another writer moved the stored offset after the read', async () => {
    const parts = memory();
    const handler = handlerWith(parts);
    const stale = await handler.prepare({ topic: 'events.interactions.v1', partition, records: [record(0, views[0] ?? null)] });
    await (await handler.prepare({ topic: 'events.interactions.v1', partition, records: [record(0, views[0] ?? null)] })).commit();
    await expect(stale.commit()).rejects.toMatchObject({ code: ErrorCode.StateOffsetMoved, retriable: true });
    expect(parts.state.storedOffset(offsetsKey(streamContext.version, partition), USER_STAGE_FIELD)).toBe(0n);
  });

  it('skips records at or below the stored offset: no produce, no dead letter, nothing applied twice', async () => {
    const parts = memory();
    const handler = handlerWith(parts);
    await (await handler.prepare({ topic: 'events.interactions.v1', partition, records: [record(0, views[0] ?? null), record(1, Buffer.from('garbage'))] })).commit();
    const sent: string[] = [];
    const again = await handlerWith(parts, { send: (messages) => Promise.resolve(void sent.push(...messages.map(({ key }) => key))) }).prepare({
      topic: 'events.interactions.v1',
      partition,
      records: [record(0, views[0] ?? null), record(1, Buffer.from('garbage')), record(2, views[1] ?? null)],
    });
    expect(again.deadLetters).toEqual([]);
    expect(sent.sort()).toEqual(['1', '2']);
    expect(again.eventTimesMs).toEqual([T0 + 1_000]);
  });

  it('dead-letters undecodable, tombstone and foreign-partition records and folds the rest of the batch', async () => {
    const parts = memory();
    const foreign = ['1', '2', '3', '4', '5', '6', '7', '8'].find((user) => userContext(user).partition !== partition) ?? '';
    const prepared = await handlerWith(parts).prepare({
      topic: 'events.interactions.v1',
      partition,
      records: [record(0, Buffer.from('garbage')), record(1, null), record(2, views[0] ?? null), record(3, interaction({ event_id: 'x', user_id: foreign })), record(4, views[1] ?? null)],
    });
    expect(prepared.deadLetters.map((letter) => [letter.offset, letter.code])).toEqual([
      [0n, ErrorCode.PayloadInvalid],
      [1n, ErrorCode.PayloadInvalid],
      [3n, ErrorCode.PayloadInvalid],
    ]);
    await prepared.commit();
    expect(prepared.deadLetters[2]?.reason).toContain('belongs to partition');
    // The foreign record is left out of the fold: the window holds exactly the two views.
    expect(parseRecentItems(parts.state.zrevrangeWithScores(windowKey(streamContext, userIdOf('42'))))).toEqual([
      { item: '2', eventTime: T0 + 1_000 },
      { item: '1', eventTime: T0 },
    ]);
  });

  it('commits the pair increments with their progress before the apply, and a re-run after a crash emits none again', async () => {
    const parts = memory();
    const pairs = new FakePairOutput();
    const batch = [record(0, views[0] ?? null), record(1, views[1] ?? null), record(2, interaction({ event_id: 'c', item_id: 3, event_time: T0 + 2_000, action: 'purchase' }))];
    const crashed = await handlerWith(parts, undefined, pairs).prepare({ topic: 'events.interactions.v1', partition, records: batch });
    expect(pairs.next).toBe(3n);
    expect(parts.state.keys()).toEqual([]); // killed here: the pairs are out, Redis has nothing
    const day = Math.floor(T0 / 86_400_000);
    expect(pairs.committed).toEqual([
      { day, item: '1', other: '2', pairCount: 1, weight: 1 },
      { day, item: '1', other: '3', pairCount: 1, weight: 10 },
      { day, item: '2', other: '3', pairCount: 1, weight: 10 },
    ]);
    expect(crashed.deadLetters).toEqual([]);
    // The restarted process re-reads the batch from its stored offset (none): same fold, nothing emitted twice.
    const rerun = await handlerWith(parts, undefined, pairs).prepare({ topic: 'events.interactions.v1', partition, records: batch });
    await rerun.commit();
    expect(pairs.committed).toHaveLength(3);
    expect(pairs.skips).toEqual(['already_emitted']);
    // The next batch continues the chain.
    await (await handlerWith(parts, undefined, pairs).prepare({ topic: 'events.interactions.v1', partition, records: [record(3, interaction({ event_id: 'd', item_id: 1, event_time: T0 + 3_000 }))] })).commit();
    expect(pairs.committed.slice(3).map(({ item, other }) => `${item}-${other}`)).toEqual(['1-2', '1-3']);
    expect(pairs.next).toBe(4n);
  });

  it('emits the part of a batch the output lacks, and nothing for a batch it cannot continue', async () => {
    const parts = memory();
    const pairs = new FakePairOutput();
    pairs.next = 2n; // records 0 and 1 were emitted by a process that died before its apply
    await (await handlerWith(parts, undefined, pairs).prepare({ topic: 'events.interactions.v1', partition, records: [record(0, views[0] ?? null), record(1, views[1] ?? null), record(2, interaction({ event_id: 'c', item_id: 3, event_time: T0 + 2_000 }))] })).commit();
    expect(pairs.committed.map(({ item, other }) => `${item}-${other}`)).toEqual(['1-3', '2-3']);
    // A process started at offset 7 of a partition whose output was never written: no chain to start there.
    const late = new FakePairOutput();
    await handlerWith(memory(), undefined, late).prepare({ topic: 'events.interactions.v1', partition, records: [record(7, views[0] ?? null), record(8, views[1] ?? null)] });
    expect(late.committed).toEqual([]);
    expect(late.skips).toEqual(['no_chain_start']);
  });

  it('rethrows a failed pairs transaction as retriable before anything is applied', async () => {
    const parts = memory();
    const pairs = new FakePairOutput();
    pairs.failNextEmit = true;
    await expect(handlerWith(parts, undefined, pairs).prepare({ topic: 'events.interactions.v1', partition, records: [record(0, views[0] ?? null), record(1, views[1] ?? null)] })).rejects.toMatchObject({
      code: ErrorCode.DependencyUnavailable,
      retriable: true,
    });
    expect(parts.state.keys()).toEqual([]);
    await (await handlerWith(parts, undefined, pairs).prepare({ topic: 'events.interactions.v1', partition, records: [record(0, views[0] ?? null), record(1, views[1] ?? null)] })).commit();
    expect(pairs.committed).toHaveLength(1);
  });

  it('rethrows a retriable failure of the repartition producer so the batch is retried, not dead-lettered', async () => {
    const handler = handlerWith(memory(), { send: () => Promise.reject(new AppError(ErrorCode.DependencyUnavailable, 'broker down', { retriable: true })) });
    await expect(handler.prepare({ topic: 'events.interactions.v1', partition, records: [record(0, views[0] ?? null), record(1, views[1] ?? null)] })).rejects.toMatchObject({
      code: ErrorCode.DependencyUnavailable,
      retriable: true,
    });
  });
});
