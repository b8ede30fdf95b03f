import { describe, expect, it } from 'vitest';
import { planBulkCatalogueMutations, planTrickleMutation } from './mutations.js';
import { Rng } from './rng.js';
import { buildTestWorld } from './test-world.js';
import { DatasetStatus } from './types.js';

const world = buildTestWorld(3, { datasets: 300, users: 50, days: 1, anonymousVisitsPerDay: 1 });

describe('planBulkCatalogueMutations', () => {
  const mutations = planBulkCatalogueMutations(new Rng('m'), world.catalogue);

  it('reprices a few datasets, unlists a popular one and deletes exactly one draft', () => {
    const prices = mutations.filter((m) => m.kind === 'price');
    expect(prices.length).toBeGreaterThan(0);
    const unlisted = mutations.filter((m) => m.kind === 'status' && m.status === DatasetStatus.Unlisted);
    expect(unlisted.length).toBeGreaterThanOrEqual(1);
    const ranked = world.catalogue.listed().sort((a, b) => b.popularity - a.popularity);
    const top = new Set(ranked.slice(0, Math.ceil(ranked.length * 0.05)).map((entry) => entry.dataset.id));
    expect(unlisted.some((m) => top.has(m.datasetId))).toBe(true);
    const deletes = mutations.filter((m) => m.kind === 'delete');
    expect(deletes).toHaveLength(1);
    expect(world.catalogue.get(deletes[0]!.datasetId)?.dataset.status).toBe(DatasetStatus.Draft);
  });

  it('is deterministic', () => {
    expect(planBulkCatalogueMutations(new Rng('m'), world.catalogue)).toEqual(mutations);
  });
});

describe('planTrickleMutation', () => {
  it('mixes new listings, sign-ups, price changes, refunds and un-favourites', () => {
    const rng = new Rng('t');
    const kinds = new Set<string>(
      Array.from({ length: 300 }, (_, i) => planTrickleMutation(rng, world.catalogue, world.window.end, 1000 + i).kind),
    );
    for (const kind of ['new-dataset', 'signup', 'price', 'status', 'refund', 'unfavorite']) expect(kinds.has(kind), kind).toBe(true);
  });
});
