import type { CatalogueEntry } from './catalogue-index.js';
import type { Interests } from './population.js';
import { clusterOf } from './vocab/index.js';

/**
 * How well a dataset matches a person's latent interests, as one number. The organic generator
 * expresses the same interests through navigation: a visit draws its datasets from the interest
 * clusters in proportion to their weights, leans to the preferred grain (`drawAvailable`), and
 * carts cheap datasets more readily (`cartPriceFactor`). A storefront placement shows datasets the
 * person did not choose, so the traffic simulator needs the match as a score; this is it, built from
 * the same latent fields so that both agree on who likes what.
 */
export const AFFINITY = {
  /** A dataset of the person's strongest interest cluster. */
  primaryCluster: 1,
  /** Other interest clusters score between this and 1, by their weight relative to the strongest. */
  minorClusterFloor: 0.5,
  /** Not an interest cluster, but the industry of one of them or the person's own industry. */
  relatedIndustry: 0.25,
  /** Everything else: people still click the odd unrelated dataset. */
  unrelated: 0.05,
  /** Multiplier when the person prefers a grain (daily, monthly...) and the dataset has another. */
  otherGrain: 0.7,
} as const;

/** Cart propensity by price band (cheap datasets are bought on impulse, expensive ones rarely). */
export function cartPriceFactor(priceCents: number): number {
  return priceCents < 50_000 ? 1.3 : priceCents < 300_000 ? 1 : 0.6;
}

const MAX_CART_PRICE_FACTOR = cartPriceFactor(0);

export interface ItemMatch {
  /** Topic and grain match in (0, 1]: scales the on-page actions (favourite, download, cart). */
  readonly relevance: number;
  /** `cartPriceFactor` of the dataset's price. */
  readonly priceFactor: number;
  /** Relevance × price appeal (the price factor relative to the cheapest band), in (0, 1]: drives clicks. */
  readonly affinity: number;
}

export type MatchedDataset = Pick<CatalogueEntry, 'clusterKey' | 'grain'> & {
  readonly dataset: { readonly industry: string; readonly priceCents: number };
};

export function matchItem(interests: Interests, userIndustry: string, entry: MatchedDataset): ItemMatch {
  const relevance = topicalMatch(interests, userIndustry, entry) * grainMatch(interests, entry);
  const priceFactor = cartPriceFactor(entry.dataset.priceCents);
  return { relevance, priceFactor, affinity: (relevance * priceFactor) / MAX_CART_PRICE_FACTOR };
}

/** The match of a dataset the simulator knows nothing about (e.g. listed after it loaded the catalogue). */
export const UNKNOWN_ITEM_MATCH: ItemMatch = {
  relevance: AFFINITY.unrelated,
  priceFactor: 1,
  affinity: AFFINITY.unrelated / MAX_CART_PRICE_FACTOR,
};

function topicalMatch(interests: Interests, userIndustry: string, entry: MatchedDataset): number {
  const strongest = Math.max(0, ...interests.clusters.map((cluster) => cluster.weight));
  const own = entry.clusterKey === null ? undefined : interests.clusters.find((cluster) => cluster.key === entry.clusterKey);
  if (own && strongest > 0) {
    if (own.weight >= strongest) return AFFINITY.primaryCluster;
    return AFFINITY.minorClusterFloor + (AFFINITY.primaryCluster - AFFINITY.minorClusterFloor) * (own.weight / strongest);
  }
  const industries = new Set([userIndustry, ...interests.clusters.map((cluster) => clusterOf(cluster.key)?.industry.key)]);
  return industries.has(entry.dataset.industry) ? AFFINITY.relatedIndustry : AFFINITY.unrelated;
}

function grainMatch(interests: Interests, entry: MatchedDataset): number {
  if (interests.preferredGrain === null || entry.grain === null || entry.grain === interests.preferredGrain) return 1;
  return AFFINITY.otherGrain;
}
