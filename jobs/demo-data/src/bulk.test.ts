import { ErrorCode, isAppError } from '@streamrec/foundation';
import { describe, expect, it } from 'vitest';
import { runBulk, type BulkState, type BulkStore } from './bulk.js';
import type { DatasetDraft } from './domain/catalogue.js';
import type { CatalogueMutation } from './domain/mutations.js';
import type { UserDraft } from './domain/population.js';
import type { SessionRecord } from './domain/session-model.js';
import { ChangeTally } from './domain/tally.js';
import { asDatasetId, asUserId, type DatasetId, type UserId } from './domain/types.js';

/** In-memory stand-in for MariaDB that hands out sequential ids and records what was written. */
class FakeBulkStore implements BulkStore {
  readonly datasets: DatasetDraft[] = [];
  readonly users: UserDraft[] = [];
  readonly batches: SessionRecord[][] = [];
  readonly mutations: CatalogueMutation[] = [];

  constructor(private readonly state: BulkState) {}

  readState(): Promise<BulkState> {
    return Promise.resolve(this.state);
  }
  insertDatasets(drafts: readonly DatasetDraft[]): Promise<DatasetId[]> {
    this.datasets.push(...drafts);
    return Promise.resolve(drafts.map((_, i) => asDatasetId(this.state.maxDatasetId + i + 1)));
  }
  insertUsers(drafts: readonly UserDraft[]): Promise<UserId[]> {
    this.users.push(...drafts);
    return Promise.resolve(drafts.map((_, i) => asUserId(this.state.maxUserId + i + 1)));
  }
  writeSessions(sessions: readonly SessionRecord[]): Promise<void> {
    this.batches.push([...sessions]);
    return Promise.resolve();
  }
  applyCatalogueMutations(mutations: readonly CatalogueMutation[]): Promise<void> {
    this.mutations.push(...mutations);
    return Promise.resolve();
  }
  summary() {
    return new ChangeTally().summary();
  }
}

const EMPTY: BulkState = { nonEmptyTables: [], maxUserId: 0, maxDatasetId: 0 };
const options = { seed: 42, scale: 'small' as const, append: false, until: new Date('2024-06-01T00:00:00Z') };
const noProgress = (): void => undefined;

describe('runBulk', () => {
  it('refuses a non-empty database unless --append is given', async () => {
    const store = new FakeBulkStore({ nonEmptyTables: ['shop.users'], maxUserId: 10, maxDatasetId: 0 });
    const error = await runBulk(store, options, noProgress).catch((e: unknown) => e);
    expect(isAppError(error, ErrorCode.InvalidArgument)).toBe(true);
    expect(String((error as Error).message)).toContain('--append');
    expect(store.datasets).toHaveLength(0);
  });

  it('writes catalogue, users, visits in time-ordered batches, then the catalogue mutations', async () => {
    const store = new FakeBulkStore(EMPTY);
    await runBulk(store, options, noProgress);
    expect(store.datasets).toHaveLength(300);
    expect(store.users).toHaveLength(200);
    const sessions = store.batches.flat();
    expect(sessions.length).toBeGreaterThan(300);
    const starts = sessions.map((s) => s.startAt.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(store.mutations.some((m) => m.kind === 'delete')).toBe(true);
  });

  it('reproduces the same rows for the same seed on an empty database, new ones when appending', async () => {
    const first = new FakeBulkStore(EMPTY);
    const second = new FakeBulkStore(EMPTY);
    await runBulk(first, options, noProgress);
    await runBulk(second, options, noProgress);
    expect(second.datasets).toEqual(first.datasets);
    expect(second.batches[0]).toEqual(first.batches[0]);
    const appended = new FakeBulkStore({ nonEmptyTables: ['shop.users'], maxUserId: 200, maxDatasetId: 300 });
    await runBulk(appended, { ...options, append: true }, noProgress);
    expect(appended.users[0]!.email).not.toBe(first.users[0]!.email);
    expect(new Set([...first.users, ...appended.users].map((u) => u.email)).size).toBe(400);
  });
});
