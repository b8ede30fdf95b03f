import type { ItemId, ItemInfo } from '@streamrec/streams-common';

export type CatalogueLookup = (item: ItemId) => ItemInfo | undefined;

export interface EligibilityRules {
  readonly exclude: ReadonlySet<ItemId>;
  readonly purchased: ReadonlySet<ItemId>;
  readonly catalogue: CatalogueLookup;
  /** While the catalogue is still loading, an unknown item may be served (availability unknown). */
  readonly allowUnknown: boolean;
}

/** Unavailable, deleted, purchased and excluded items are never shown; unknown items only while the catalogue loads. */
export function isEligible(item: ItemId, rules: EligibilityRules): boolean {
  if (rules.exclude.has(item) || rules.purchased.has(item)) return false;
  const info = rules.catalogue(item);
  if (info === undefined) return rules.allowUnknown;
  return info.available;
}

/**
 * Light diversification: walk the ranked list and take at most `maxPerIndustry` items of one
 * industry; when that leaves fewer than `limit`, the skipped items fill the rest in rank order
 * (a short list is worse than a less diverse one). Items without an industry are never capped.
 */
export function capPerIndustry<T extends { readonly item: ItemId }>(ranked: readonly T[], limit: number, maxPerIndustry: number, catalogue: CatalogueLookup): T[] {
  const taken: T[] = [];
  const skipped: T[] = [];
  const perIndustry = new Map<string, number>();
  for (const entry of ranked) {
    if (taken.length >= limit) break;
    const industry = catalogue(entry.item)?.industry ?? null;
    if (industry === null) {
      taken.push(entry);
      continue;
    }
    const count = perIndustry.get(industry) ?? 0;
    if (count >= maxPerIndustry) {
      skipped.push(entry);
      continue;
    }
    perIndustry.set(industry, count + 1);
    taken.push(entry);
  }
  for (const entry of skipped) {
    if (taken.length >= limit) break;
    taken.push(entry);
  }
  return taken;
}
