import type { Catalogue } from './catalogue-index.js';
import { draftDatasetIn, nicePriceCents, type DatasetDraft } from './catalogue.js';
import { draftUser, type UserDraft } from './population.js';
import type { Rng } from './rng.js';
import { DatasetStatus, type DatasetId } from './types.js';
import { CLUSTERS } from './vocab/index.js';

/** Changes to existing catalogue rows (UPDATE / DELETE on shop.datasets). */
export type CatalogueMutation =
  | { readonly kind: 'price'; readonly datasetId: DatasetId; readonly priceCents: number }
  | { readonly kind: 'status'; readonly datasetId: DatasetId; readonly status: DatasetStatus }
  | { readonly kind: 'delete'; readonly datasetId: DatasetId };

/** Everything a trickle run does besides visits. */
export type TrickleMutation =
  | CatalogueMutation
  | { readonly kind: 'new-dataset'; readonly draft: DatasetDraft }
  | { readonly kind: 'signup'; readonly draft: UserDraft }
  /** The store picks one of the recent paid orders by this offset. */
  | { readonly kind: 'refund'; readonly pick: number }
  | { readonly kind: 'unfavorite'; readonly pick: number };

const repriced = (rng: Rng, priceCents: number): number =>
  nicePriceCents((priceCents / 100) * rng.between(0.6, 1.4));

/**
 * The end of a bulk run: a few price changes, one popular dataset and a few others unlisted (so
 * recommenders must filter unavailable items), and one draft deleted.
 */
export function planBulkCatalogueMutations(rng: Rng, catalogue: Catalogue): CatalogueMutation[] {
  const all = catalogue.all();
  const listed = all.filter((entry) => entry.dataset.status === DatasetStatus.Listed);
  const paid = listed.filter((entry) => entry.dataset.priceCents > 0);
  const mutations: CatalogueMutation[] = [];
  for (const entry of rng.shuffle(paid).slice(0, Math.max(1, Math.round(paid.length * 0.02)))) {
    const priceCents = repriced(rng, entry.dataset.priceCents);
    if (priceCents !== entry.dataset.priceCents) mutations.push({ kind: 'price', datasetId: entry.dataset.id, priceCents });
  }
  const byPopularity = [...listed].sort((a, b) => b.popularity - a.popularity);
  const popular = byPopularity.slice(0, Math.max(1, Math.ceil(listed.length * 0.05)));
  const toUnlist = new Set<DatasetId>();
  if (popular.length > 0) toUnlist.add(rng.pick(popular).dataset.id);
  for (const entry of rng.shuffle(listed).slice(0, Math.ceil(listed.length * 0.003))) toUnlist.add(entry.dataset.id);
  for (const datasetId of toUnlist) mutations.push({ kind: 'status', datasetId, status: DatasetStatus.Unlisted });
  const drafts = all.filter((entry) => entry.dataset.status === DatasetStatus.Draft);
  if (drafts.length > 0) mutations.push({ kind: 'delete', datasetId: rng.pick(drafts).dataset.id });
  return mutations;
}

/** Relative frequency of each trickle change (refunds and un-favourites stay a small share of their base). */
export const TRICKLE_MUTATION_MIX = [
  { kind: 'new-dataset', weight: 2 },
  { kind: 'signup', weight: 3 },
  { kind: 'price', weight: 2 },
  { kind: 'unlist', weight: 0.5 },
  { kind: 'relist', weight: 0.5 },
  { kind: 'refund', weight: 0.4 },
  { kind: 'unfavorite', weight: 0.6 },
] as const;

/** One non-visit change for the trickle; `nextUserNumber` keeps new e-mail addresses unique. */
export function planTrickleMutation(rng: Rng, catalogue: Catalogue, now: Date, nextUserNumber: number): TrickleMutation {
  const choice = rng.weightedPick(TRICKLE_MUTATION_MIX, (m) => m.weight).kind;
  const listed = catalogue.listed();
  switch (choice) {
    case 'new-dataset':
      return { kind: 'new-dataset', draft: draftDatasetIn(rng, rng.pick(CLUSTERS), now, DatasetStatus.Listed) };
    case 'signup':
      return { kind: 'signup', draft: draftUser(rng, nextUserNumber, now) };
    case 'price': {
      const paid = listed.filter((entry) => entry.dataset.priceCents > 0);
      if (paid.length === 0) break;
      const entry = rng.pick(paid);
      return { kind: 'price', datasetId: entry.dataset.id, priceCents: repriced(rng, entry.dataset.priceCents) };
    }
    case 'unlist':
      if (listed.length < 2) break;
      return { kind: 'status', datasetId: rng.pick(listed).dataset.id, status: DatasetStatus.Unlisted };
    case 'relist': {
      const unlisted = catalogue.all().filter((entry) => entry.dataset.status === DatasetStatus.Unlisted);
      if (unlisted.length === 0) break;
      return { kind: 'status', datasetId: rng.pick(unlisted).dataset.id, status: DatasetStatus.Listed };
    }
    case 'refund':
      return { kind: 'refund', pick: rng.int(50) };
    case 'unfavorite':
      return { kind: 'unfavorite', pick: rng.int(200) };
  }
  return { kind: 'signup', draft: draftUser(rng, nextUserNumber, now) };
}
