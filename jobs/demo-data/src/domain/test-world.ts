import { Catalogue } from './catalogue-index.js';
import { assignDatasetIds, generateDatasetDrafts, zipfPopularity, type Dataset } from './catalogue.js';
import { generateHistory } from './history.js';
import { assignUserIds, generateUserDrafts, type User } from './population.js';
import { Rng } from './rng.js';
import type { SessionRecord } from './session-model.js';
import { MS_PER_DAY, addMs, asDatasetId, asUserId, type TimeWindow } from './types.js';

/**
 * An in-memory marketplace for unit tests: the same generators and stream labels the bulk run
 * uses, with sequential ids standing in for the ones MariaDB would hand out.
 */
export interface TestWorld {
  readonly window: TimeWindow;
  readonly datasets: readonly Dataset[];
  readonly users: readonly User[];
  readonly catalogue: Catalogue;
  readonly sessions: readonly SessionRecord[];
}

export const TEST_WINDOW_START = new Date('2024-05-01T00:00:00.000Z');

export function buildTestWorld(
  seed: number,
  size: { datasets: number; users: number; days: number; anonymousVisitsPerDay: number },
): TestWorld {
  const rng = new Rng(`demo/${seed}`);
  const window = { start: TEST_WINDOW_START, end: addMs(TEST_WINDOW_START, size.days * MS_PER_DAY) };
  const drafts = generateDatasetDrafts(rng.fork('catalogue'), size.datasets, window);
  const datasets = assignDatasetIds(drafts, drafts.map((_, i) => asDatasetId(i + 1)));
  const popularity = zipfPopularity(rng.fork('popularity'), datasets);
  const catalogue = new Catalogue(datasets, (dataset) => popularity.get(dataset.id) ?? 0);
  const userDrafts = generateUserDrafts(rng.fork('users'), size.users, window, 1);
  const users = assignUserIds(userDrafts, userDrafts.map((_, i) => asUserId(i + 1)));
  const sessions = [
    ...generateHistory({
      rng: rng.fork('history'),
      catalogue,
      users,
      window,
      anonymousVisitsPerDay: size.anonymousVisitsPerDay,
    }),
  ];
  return { window, datasets, users, catalogue, sessions };
}
