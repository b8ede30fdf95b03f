import type { ItemId, UserId } from '@streamrec/streams-common';
import type { ScoredUser } from '@streamrec/cooccurrence';
import type { DecayParams } from '@streamrec/features';
import { Channel, type Channel as ChannelName, type ChannelWeights } from '../recall/channels.js';
import { DegradedReason } from './degradation.js';
import { fuseChannels, type FusedCandidate } from '../fusion/fusion.js';
import type { ItemStatsLookup } from '../ranking/item-stats.js';
import type { PopularSnapshot } from '../recall/popular-snapshot.js';
import type { ContentRecall, RankerModel, RankerModels } from './ports.js';
import { loggedItems, rankCandidates, type RankerBreaker } from '../ranking/rank.js';
import { pickSimilarUsers, recallChannels, type NeighbourReplies } from '../recall/recall.js';
import { capPerIndustry, isEligible, type CatalogueLookup } from './shaping.js';
import { sampleUnshown } from './candidate-sample.js';
import { seedRecallOf } from '../recall/seed-recall.js';
import { isTimeout, Stage, type StageRunner } from './stages.js';
import { interactionCount, recencySeeds, type UserProfile } from './user-profile.js';

export interface RecommendRequest {
  readonly user: UserId;
  /** Placement (the context_scene feature; experiments filter on it too). */
  readonly scene: string;
  readonly limit: number;
  readonly exclude: ReadonlySet<ItemId>;
  /** Also leave out the items in the user's recent history. */
  readonly excludeSeen: boolean;
}

/** The experiment variant's knobs (experiments.yaml). */
export interface VariantSettings {
  readonly weights: ChannelWeights;
  readonly modelName: string | null;
  readonly maxPerIndustry: number;
  /** Candidates per channel (0 skips the channel); a channel not listed gets `RecallParams.perChannel`. */
  readonly candidates?: Readonly<Partial<Record<ChannelName, number>>>;
}

export interface RecallParams {
  /** Fused candidates handed to the ranker (the ranker scores all of them). */
  readonly candidates: number;
  readonly perChannel: number;
  readonly seeds: number;
  readonly seedDecay: number;
  readonly topAffinities: number;
  readonly similarUsers: number;
  /** Below this many interactions a user is cold: trending + popular (scoped by first signals via the affinity channels). */
  readonly coldStartInteractions: number;
}

export interface RecommendDependencies {
  readonly readProfile: (user: UserId) => Promise<UserProfile>;
  readonly readNeighbours: (seeds: readonly ItemId[]) => Promise<NeighbourReplies>;
  readonly readUsersRecent: (users: readonly UserId[]) => Promise<ReadonlyMap<UserId, readonly string[]>>;
  readonly readItemStats: (items: readonly ItemId[]) => Promise<ItemStatsLookup>;
  readonly content: ContentRecall;
  readonly catalogue: CatalogueLookup;
  readonly catalogueReady: () => boolean;
  readonly snapshot: () => PopularSnapshot;
  readonly models: RankerModels;
  readonly breakerFor: (modelName: string) => RankerBreaker;
  readonly runStage: StageRunner;
  readonly decay: DecayParams;
  readonly priceBucketOf: (price: number | null) => string | undefined;
  /** Index of a price's bucket (free = 0, then by bound); −1 when unknown. */
  readonly priceBucketIndexOf: (price: number | null) => number;
  /** Items of an industry in the catalogue. */
  readonly industrySize: (industry: string) => number;
  readonly params: RecallParams;
  /** Share of the ranked candidates not shown that the exposure logs for training (candidate-sample.ts). */
  readonly unshownSampleRate: number;
}

export interface ServedItem {
  readonly item: ItemId;
  readonly score: number;
  readonly channels: readonly ChannelName[];
  /**
   * Every ranking feature of the item, in `featureNames` order (empty when item features could not be
   * read): float32 values, a view of the answer's feature rows (the exposure copies them once).
   */
  readonly features: ArrayLike<number>;
}

export interface Recommendation {
  readonly items: readonly ServedItem[];
  /** A sample of the ranked candidates that were not shown, in ranked order, with their features (training only). */
  readonly unshown: readonly ServedItem[];
  readonly model: Pick<RankerModel, 'name' | 'version'> | null;
  readonly featureNames: readonly string[];
  readonly degraded: readonly DegradedReason[];
  readonly newestEventMs: number | null;
  readonly coldStart: boolean;
  /** Fused candidates handed to ranking. */
  readonly candidates: number;
}

const COLD_START_WEIGHTS: ChannelWeights = Object.freeze({ [Channel.Trending]: 1, [Channel.Popular]: 0.6, [Channel.Industry]: 0.8, [Channel.Tag]: 0.8 });

/**
 * The full path once the profile is read: recall (two more pipelined reads), fusion, filters, one
 * pipelined read of item features, ONNX ranking, diversification. A failed or slow step after the
 * profile degrades the answer (recall order, fewer channels) and names the reason; it never fails it.
 * The profile read itself failing is the caller's to handle (fallback lists).
 */
export async function recommendFor(profile: UserProfile, request: RecommendRequest, variant: VariantSettings, deps: RecommendDependencies, nowMs: number): Promise<Recommendation> {
  const degraded = new Set<DegradedReason>();
  const catalogueReady = deps.catalogueReady();
  if (!catalogueReady) degraded.add(DegradedReason.CatalogueLoading);
  const exclude = new Set(request.exclude);
  if (request.excludeSeen) for (const { item } of profile.recent) exclude.add(item);
  const rules = { exclude, purchased: profile.purchased, catalogue: deps.catalogue, allowUnknown: !catalogueReady };
  // Recall asks about the same item in several channels (~1,800 questions per answer on the demo data): each item is answered once.
  // Every question is asked within the one synchronous recall step, so the catalogue cannot change in between.
  const verdicts = new Map<ItemId, boolean>();
  const eligible = (item: ItemId): boolean => {
    let verdict = verdicts.get(item);
    if (verdict === undefined) {
      verdict = isEligible(item, rules);
      verdicts.set(item, verdict);
    }
    return verdict;
  };
  const coldStart = interactionCount(profile) < deps.params.coldStartInteractions;
  const seeds = recencySeeds(profile, deps.params.seeds, deps.params.seedDecay);

  const depthOf = (channel: ChannelName): number => variant.candidates?.[channel] ?? deps.params.perChannel;
  // A channel that cannot contribute (weight or candidate count 0) costs no read.
  const active = (channel: ChannelName): boolean => (variant.weights[channel] ?? 0) > 0 && depthOf(channel) > 0;
  const wantsSimilarUsers = active(Channel.SimilarUsers) && deps.params.similarUsers > 0;
  const wantsNeighbours = active(Channel.Cooccurrence) || active(Channel.Transition) || wantsSimilarUsers;

  let neighbours: NeighbourReplies | undefined;
  let similar: ScoredUser[] = [];
  let similarUsersRecent: ReadonlyMap<UserId, readonly string[]> | undefined;
  if (seeds.length > 0 && wantsNeighbours) {
    try {
      neighbours = await deps.runStage(Stage.Recall, () => deps.readNeighbours(seeds.map(({ item }) => item)));
      similar = wantsSimilarUsers ? pickSimilarUsers(profile, neighbours, deps.params.similarUsers) : [];
      if (similar.length > 0) similarUsersRecent = await deps.runStage(Stage.Recall, () => deps.readUsersRecent(similar.map(({ user }) => user)));
    } catch {
      degraded.add(DegradedReason.RecallPartial);
    }
  }
  const content = seeds.length > 0 && active(Channel.Content) ? deps.content.similarToItems(seeds, depthOf(Channel.Content)) : [];
  const lists = recallChannels({
    profile,
    seeds,
    neighbours,
    similarUsersRecent,
    similar,
    content,
    snapshot: deps.snapshot(),
    eligible,
    limits: { perChannel: depthOf, topAffinities: deps.params.topAffinities },
  });
  const weights = coldStart && seeds.length === 0 ? COLD_START_WEIGHTS : variant.weights;
  const fused = fuseChannels(lists, weights, deps.params.candidates);

  const ranked = await rankCandidates(fused, { profile, scene: request.scene, seedRecall: seedRecallOf(seeds, neighbours) }, variant.modelName, deps, nowMs, degraded);
  const shaped = capPerIndustry(ranked.items, request.limit, variant.maxPerIndustry, deps.catalogue);
  const shown = new Set(shaped.map(({ item }) => item));
  const unshown = sampleUnshown(ranked.items.filter(({ item }) => !shown.has(item)), deps.unshownSampleRate, `${profile.user}:${nowMs}`);
  const logged = loggedItems([shaped, unshown], ranked);
  return {
    items: logged.groups[0] ?? [],
    unshown: logged.groups[1] ?? [],
    model: ranked.model,
    featureNames: logged.featureNames,
    degraded: [...degraded],
    newestEventMs: profile.lastEventMs,
    coldStart,
    candidates: fused.length,
  };
}

export { isTimeout };
export type { FusedCandidate };
