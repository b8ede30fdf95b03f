import { partitionKey, type StreamContext } from '@streamrec/streams-common';
import type { TrendingWindow } from './trending-params.js';

/**
 * Hot lists are per item partition: `sr:<v>:{p<n>}:trending:<scope>:<window>-<bucket>` (zset item →
 * summed action weight). One global zset would be written by all six item owners, i.e. outside any
 * owner's slot; readers merge the partitions' zsets client-side instead (ZUNIONSTORE cannot span slots).
 */
export type TrendingScope = { readonly kind: 'global' } | { readonly kind: 'industry'; readonly name: string } | { readonly kind: 'tag'; readonly name: string };

export const GLOBAL_SCOPE: TrendingScope = Object.freeze({ kind: 'global' });

export function scopeId(scope: TrendingScope): string {
  return scope.kind === 'global' ? 'global' : `${scope.kind}=${encodeURIComponent(scope.name.trim().toLowerCase())}`;
}

/** Global, the item's industry, each of its tags (once each, empty names dropped). */
export function itemScopes(industry: string | null, tags: readonly string[]): TrendingScope[] {
  const scopes: TrendingScope[] = [GLOBAL_SCOPE];
  if (industry !== null && industry.trim() !== '') scopes.push({ kind: 'industry', name: industry });
  for (const tag of tags) if (tag.trim() !== '') scopes.push({ kind: 'tag', name: tag });
  const unique = new Map<string, TrendingScope>();
  for (const scope of scopes) if (!unique.has(scopeId(scope))) unique.set(scopeId(scope), scope);
  return [...unique.values()];
}

export function hotListKey(context: Pick<StreamContext, 'version'>, partition: number, scope: string, window: TrendingWindow, bucket: number): string {
  return partitionKey(context, partition, 'trending', scope, `${window}-${bucket}`);
}

/** Hash per partition: field `<window>|<scope>` → newest bucket written (the stage's expiry clock). */
export function clockKey(context: Pick<StreamContext, 'version'>, partition: number): string {
  return partitionKey(context, partition, 'trending', 'clock', 'last-bucket');
}

export function clockField(window: TrendingWindow, scope: string): string {
  return `${window}|${scope}`;
}
