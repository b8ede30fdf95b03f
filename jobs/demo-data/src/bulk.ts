import { AppError, ErrorCode } from '@streamrec/foundation';
import { Catalogue } from './domain/catalogue-index.js';
import { assignDatasetIds, generateDatasetDrafts, zipfPopularity, type DatasetDraft } from './domain/catalogue.js';
import { generateHistory } from './domain/history.js';
import { planBulkCatalogueMutations, type CatalogueMutation } from './domain/mutations.js';
import { assignUserIds, generateUserDrafts, type UserDraft } from './domain/population.js';
import { Rng } from './domain/rng.js';
import { SCALES, type Scale } from './domain/scale.js';
import type { SessionRecord } from './domain/session-model.js';
import type { RunSummary } from './domain/tally.js';
import { MS_PER_DAY, addMs, type DatasetId, type UserId } from './domain/types.js';

export interface BulkState {
  /** Tables that already hold rows. */
  readonly nonEmptyTables: readonly string[];
  readonly maxUserId: number;
  readonly maxDatasetId: number;
}

/** What a bulk run needs from the databases. */
export interface BulkStore {
  readState(): Promise<BulkState>;
  insertDatasets(drafts: readonly DatasetDraft[]): Promise<DatasetId[]>;
  insertUsers(drafts: readonly UserDraft[]): Promise<UserId[]>;
  /** One transaction per call. */
  writeSessions(sessions: readonly SessionRecord[]): Promise<void>;
  applyCatalogueMutations(mutations: readonly CatalogueMutation[]): Promise<void>;
  summary(): RunSummary;
}

export interface BulkOptions {
  readonly seed: number;
  readonly scale: Scale;
  readonly append: boolean;
  /** End of the generated history (now, unless pinned for a reproducible run). */
  readonly until: Date;
}

export type BulkProgress = (event: {
  readonly phase: 'catalogue' | 'users' | 'history' | 'mutations';
  readonly done: number;
  readonly detail?: string;
}) => void;

/** Visits are written in transactions of about this many steps. */
const STEPS_PER_TRANSACTION = 6_000;

export function streamKey(seed: number, state: BulkState): string {
  // On an empty database the seed alone decides every row; appending derives a fresh stream.
  return state.maxUserId === 0 && state.maxDatasetId === 0
    ? `demo/${seed}`
    : `demo/${seed}/after-${state.maxUserId}-${state.maxDatasetId}`;
}

export async function runBulk(store: BulkStore, options: BulkOptions, progress: BulkProgress): Promise<RunSummary> {
  const state = await store.readState();
  if (state.nonEmptyTables.length > 0 && !options.append) {
    throw new AppError(
      ErrorCode.InvalidArgument,
      `refusing to run bulk on a non-empty database (${state.nonEmptyTables.join(', ')} already hold rows); ` +
        'pass --append to add another generated population to it',
      { details: { nonEmptyTables: state.nonEmptyTables } },
    );
  }
  const spec = SCALES[options.scale];
  const window = { start: addMs(options.until, -spec.days * MS_PER_DAY), end: options.until };
  const rng = new Rng(streamKey(options.seed, state));

  const datasetDrafts = generateDatasetDrafts(rng.fork('catalogue'), spec.datasets, window);
  const datasets = assignDatasetIds(datasetDrafts, await store.insertDatasets(datasetDrafts));
  progress({ phase: 'catalogue', done: datasets.length });
  const popularity = zipfPopularity(rng.fork('popularity'), datasets);
  const catalogue = new Catalogue(datasets, (dataset) => popularity.get(dataset.id) ?? 0);

  const userDrafts = generateUserDrafts(rng.fork('users'), spec.users, window, state.maxUserId + 1);
  const users = assignUserIds(userDrafts, await store.insertUsers(userDrafts));
  progress({ phase: 'users', done: users.length });

  let batch: SessionRecord[] = [];
  let batchSteps = 0;
  let written = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await store.writeSessions(batch);
    written += batch.length;
    progress({ phase: 'history', done: written, detail: batch.at(-1)?.startAt.toISOString() ?? '' });
    batch = [];
    batchSteps = 0;
  };
  const history = generateHistory({
    rng: rng.fork('history'),
    catalogue,
    users,
    window,
    anonymousVisitsPerDay: spec.anonymousVisitsPerDay,
  });
  for (const session of history) {
    batch.push(session);
    batchSteps += session.steps.length;
    if (batchSteps >= STEPS_PER_TRANSACTION) await flush();
  }
  await flush();

  const mutations = planBulkCatalogueMutations(rng.fork('mutations'), catalogue);
  await store.applyCatalogueMutations(mutations);
  progress({ phase: 'mutations', done: mutations.length });
  return store.summary();
}
