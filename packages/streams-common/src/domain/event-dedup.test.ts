import { describe, expect, it } from 'vitest';
import { OpKind, parseStateVersion } from '@streamrec/foundation';
import { createMemoryState } from '../testing/memory-state.js';
import { DedupStage, createSeenSetModel, dedupOps, eventDay, seenSetKey, seenToken } from './event-dedup.js';

const context = { version: parseStateVersion('v1') };
const params = { retentionDays: 7, sweepDays: 3 };
const t = Date.UTC(2026, 10, 25, 23, 59, 59, 999);

describe('event-id dedup', () => {
  it('guards on the seen-set of the event-time day (UTC), in the stage and partition slot', () => {
    const ops = dedupOps(context, 4, DedupStage.FeaturesUser, 'matomo:lva:1', t, params);
    expect(eventDay(t)).toBe('20261125');
    expect(ops.at(-1)).toEqual({ kind: OpKind.Guard, key: 'sr:v1:{p4}:seen:20261125:features-user', id: 'matomo:lva:1' });
    expect(eventDay(t + 1)).toBe('20261126');
  });

  it('deletes the seen-sets that fell out of retention by event time, before the guard', () => {
    const ops = dedupOps(context, 4, DedupStage.FeaturesUser, 'e', t, params);
    expect(ops.slice(0, -1)).toEqual(['20261116', '20261117', '20261118'].map((day) => ({ kind: OpKind.Del, key: `sr:v1:{p4}:seen:${day}:features-user` })));
  });

  it('a re-delivered event at a later offset is skipped, a new event id is not', () => {
    const state = createMemoryState();
    const record = (offset: bigint, id: string) => ({ offset, ops: [...dedupOps(context, 0, DedupStage.FeaturesItem, id, t, params), { kind: OpKind.HIncrBy, key: 'k', field: 'n', by: 1 } as const] });
    state.applyBatch('o', 'f', [record(0n, 'a'), record(1n, 'a'), record(2n, 'b')]);
    expect(state.hget('k', 'n')).toBe('2');
  });

  it('the in-batch model follows reads, guards and expiry deletes like the store', () => {
    const key = seenSetKey(context, 0, DedupStage.CooccurrenceUser, '20261118');
    const model = createSeenSetModel(new Map([[seenToken(key, 'old'), true], [seenToken(key, 'new'), false]]));
    expect(model.has(key, 'old')).toBe(true);
    expect(model.add(key, 'new')).toBe(true);
    expect(model.add(key, 'new')).toBe(false);
    model.del(key);
    expect(model.has(key, 'old')).toBe(false);
    expect(model.add(key, 'new')).toBe(true);
  });

  it('the in-batch model refuses to guess a membership the adapter did not read', () => {
    const model = createSeenSetModel(new Map());
    expect(() => model.has('sr:v1:{p0}:seen:20261125:cooccurrence-user', 'e9')).toThrow(/was not read/);
  });
});
