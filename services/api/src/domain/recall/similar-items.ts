import { AppError, ErrorCode } from '@streamrec/foundation';
import type { ItemId } from '@streamrec/streams-common';
import { itemToItemCandidates } from '@streamrec/cooccurrence';
import { Channel, type ChannelWeights } from './channels.js';
import { DegradedReason } from '../serving/degradation.js';
import { fuseChannels, type ChannelLists } from '../fusion/fusion.js';
import type { ContentRecall } from '../serving/ports.js';
import type { NeighbourReplies } from './recall.js';
import type { CatalogueLookup } from '../serving/shaping.js';
import { Stage, type StageRunner } from '../serving/stages.js';

export interface SimilarItemsDependencies {
  readonly readNeighbours: (seeds: readonly ItemId[]) => Promise<NeighbourReplies>;
  readonly content: Pick<ContentRecall, 'similarToItems'>;
  readonly catalogue: CatalogueLookup;
  readonly catalogueReady: () => boolean;
  readonly runStage: StageRunner;
}

export interface SimilarItems {
  readonly items: readonly { readonly item: ItemId; readonly score: number; readonly channels: readonly Channel[] }[];
  readonly degraded: readonly DegradedReason[];
}

/** Items like this one: co-occurrence, transitions and content, fused; Redis trouble leaves content alone. */
export async function similarItems(item: ItemId, limit: number, weights: ChannelWeights, deps: SimilarItemsDependencies): Promise<SimilarItems> {
  const ready = deps.catalogueReady();
  if (ready && deps.catalogue(item) === undefined) throw new AppError(ErrorCode.NotFound, `item ${item} is not in the catalogue`);
  const degraded: DegradedReason[] = ready ? [] : [DegradedReason.CatalogueLoading];
  const eligible = (candidate: ItemId): boolean => {
    if (candidate === item) return false;
    const info = deps.catalogue(candidate);
    return info === undefined ? !ready : info.available;
  };
  const depth = Math.max(50, limit * 3);
  const lists: Partial<Record<Channel, ChannelLists[Channel]>> = {};
  try {
    const neighbours = await deps.runStage(Stage.Recall, () => deps.readNeighbours([item]));
    const filter = { exclude: new Set<ItemId>(), isAvailable: eligible, limit: depth };
    lists[Channel.Cooccurrence] = itemToItemCandidates([{ item, weight: 1 }], neighbours.cooccurrence, filter);
    lists[Channel.Transition] = itemToItemCandidates([{ item, weight: 1 }], neighbours.transition, filter);
  } catch {
    degraded.push(DegradedReason.RecallPartial);
  }
  lists[Channel.Content] = deps.content.similarToItems([{ item, weight: 1 }], depth).filter(({ item: candidate }) => eligible(candidate));
  const itemWeights: ChannelWeights = { [Channel.Cooccurrence]: weights[Channel.Cooccurrence] ?? 1, [Channel.Transition]: weights[Channel.Transition] ?? 1, [Channel.Content]: weights[Channel.Content] ?? 1 };
  const fused = fuseChannels(lists, itemWeights, limit);
  return { items: fused.map(({ item: candidate, fused: score, channels }) => ({ item: candidate, score, channels })), degraded };
}
