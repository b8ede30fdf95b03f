import { describeDataset, type CatalogueEntry } from './catalogue-index.js';
import { draftDatasetIn, type Dataset } from './catalogue.js';
import type { Interests } from './population.js';
import type { Shopper } from './reaction.js';
import { Rng } from './rng.js';
import { DatasetStatus, asDatasetId, asUserId } from './types.js';
import { clusterOf, type Grain } from './vocab/index.js';

/**
 * Hand-made people and datasets for the reaction and affinity tests: a finance person who loves
 * equities (primary), follows crypto a little (minor) and prefers daily data.
 */
export const EQUITIES_FAN: Interests = {
  clusters: [
    { key: 'equities', weight: 0.65 },
    { key: 'crypto', weight: 0.35 },
  ],
  preferredGrain: 'daily',
  sessionsPerDay: 1,
  buyerFactor: 1.5,
  deviceCount: 1,
};

export const shopper = (interests: Interests = EQUITIES_FAN, industry = 'finance'): Shopper => ({
  id: asUserId(7),
  industry,
  interests,
  favorites: new Set(),
  owned: new Set(),
});

/** A listed dataset of a cluster with the given grain (drafted until the grain matches) and price. */
export function datasetIn(id: number, clusterKey: string, grain: Grain, priceCents: number): CatalogueEntry {
  const ref = clusterOf(clusterKey);
  if (!ref) throw new RangeError(`no cluster ${clusterKey}`);
  const rng = new Rng(`fixture/${id}`);
  for (let attempt = 0; attempt < 500; attempt++) {
    const draft = draftDatasetIn(rng, ref, new Date('2024-01-01T00:00:00Z'), DatasetStatus.Listed);
    if (!draft.tags.includes(grain)) continue;
    const dataset: Dataset = { ...draft, id: asDatasetId(id), priceCents };
    return { dataset, popularity: 1, ...describeDataset(dataset) };
  }
  throw new RangeError(`cluster ${clusterKey} has no ${grain} dataset`);
}

/** A lookup over the given entries. */
export const lookupOf =
  (entries: readonly CatalogueEntry[]) =>
  (id: number): CatalogueEntry | undefined =>
    entries.find((entry) => entry.dataset.id === id);
