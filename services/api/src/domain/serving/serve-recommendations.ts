import type { ItemId, UserId } from '@streamrec/streams-common';
import type { Channel as ChannelName } from '../recall/channels.js';
import { DegradedReason, fallbackAnswer, isFitForCache } from './degradation.js';
import { recommendFor, type RecommendDependencies, type RecommendRequest, type ServedItem, type VariantSettings } from './recommend.js';
import { isTimeout, Stage } from './stages.js';

export interface Assignment extends VariantSettings {
  readonly experiment: string | null;
  readonly variant: string | null;
}

export interface CachedAnswerItem {
  readonly item: ItemId;
  readonly score: number;
  readonly channels: readonly ChannelName[];
}

export interface ServeDependencies extends RecommendDependencies {
  readonly clock: () => number;
  readonly newRequestId: () => string;
  readonly assign: (user: UserId, scene: string) => Assignment;
  readonly lastAnswers: {
    get(user: UserId): readonly CachedAnswerItem[] | undefined;
    remember(user: UserId, items: readonly CachedAnswerItem[]): void;
  };
  readonly onAnswer: (answer: Answer) => void;
}

export interface ServeRequest extends RecommendRequest {
  readonly scene: string;
}

export interface Answer {
  readonly requestId: string;
  readonly user: UserId;
  readonly scene: string;
  readonly servedAtMs: number;
  readonly items: readonly ServedItem[];
  /** Ranked candidates not shown, sampled for training (empty on the fallback path). */
  readonly unshown: readonly ServedItem[];
  readonly model: { readonly name: string; readonly version: string } | null;
  readonly experiment: string | null;
  readonly variant: string | null;
  readonly featureNames: readonly string[];
  readonly degraded: readonly DegradedReason[];
  /** Event time of the newest event applied for this user (null: unknown user or state not read). */
  readonly newestEventMs: number | null;
  readonly coldStart: boolean;
  /** Fused candidates the ranker scored (0 on the fallback path). */
  readonly candidates: number;
  readonly latencyMs: number;
}


/**
 * One recommendation request end to end. Never rejects because a dependency failed: the profile
 * read failing (Redis slow or down) serves the user's last good answer, else the popular list.
 */
export async function serveRecommendations(request: ServeRequest, deps: ServeDependencies): Promise<Answer> {
  const started = deps.clock();
  const assignment = deps.assign(request.user, request.scene);
  const base = { requestId: deps.newRequestId(), user: request.user, scene: request.scene, servedAtMs: started, experiment: assignment.experiment, variant: assignment.variant };
  let answer: Answer;
  try {
    const profile = await deps.runStage(Stage.Profile, () => deps.readProfile(request.user));
    const result = await recommendFor(profile, request, assignment, deps, started);
    if (result.items.length > 0 && isFitForCache(result.degraded)) deps.lastAnswers.remember(request.user, result.items.map(({ item, score, channels }) => ({ item, score, channels })));
    answer = { ...base, ...result, latencyMs: deps.clock() - started };
  } catch (error) {
    const reason = isTimeout(error) ? DegradedReason.RedisTimeout : DegradedReason.RedisUnavailable;
    answer = { ...base, ...fallbackAnswer(request, deps, reason), latencyMs: deps.clock() - started };
  }
  deps.onAnswer(answer);
  return answer;
}
