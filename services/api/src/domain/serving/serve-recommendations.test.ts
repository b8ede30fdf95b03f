import { describe, expect, it } from 'vitest';
import { RANKING_FEATURES } from '@streamrec/ranking';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { Channel } from '../recall/channels.js';
import { DegradedReason } from './degradation.js';
import { serveRecommendations } from './serve-recommendations.js';
import { fakeWorld, item, modelRankingBy, profileOf, serveDeps, user } from '../test-fixtures.js';

const request = { user: user('u1'), limit: 5, scene: 'home', exclude: new Set([item(11)]), excludeSeen: false };

describe('serving recommendations', () => {
  it('recalls from every channel, ranks with the variant’s model and names the channels of each item', async () => {
    const world = fakeWorld();
    world.models.set('ranker', modelRankingBy('ch_content'));
    const answer = await serveRecommendations(request, serveDeps(world));
    expect(answer.degraded).toEqual([]);
    expect(answer.model).toEqual({ name: 'ranker', version: 'm1' });
    expect(answer.items[0]).toMatchObject({ item: item(15), channels: [Channel.Content] });
    // The answer logs every ranking feature (a later model may use what this one does not), not only the model's.
    expect(answer.items[0]?.features).toHaveLength(RANKING_FEATURES.length);
    expect(answer.items[0]?.features[RANKING_FEATURES.indexOf('ch_content')]).toBe(1);
    const channels = new Set(answer.items.flatMap(({ channels: names }) => names));
    expect(channels).toContain(Channel.Cooccurrence);
    expect(answer.items.map(({ item: id }) => id)).not.toContain(item(11));
    expect(answer.featureNames).toEqual(RANKING_FEATURES);
    expect(answer.newestEventMs).toBe(profileOf().lastEventMs);
  });

  it('never returns purchased, excluded or unavailable items, nor the seen ones when asked', async () => {
    const world = fakeWorld();
    world.profile = profileOf({ purchased: new Set([item(10)]) });
    world.catalogue.set('12', { industry: null, tags: [], price: 1, available: false });
    const answer = await serveRecommendations({ ...request, limit: 40, excludeSeen: true }, serveDeps(world));
    const ids = answer.items.map(({ item: id }) => id);
    for (const hidden of ['10', '11', '12', '1', '2']) expect(ids).not.toContain(hidden);
    expect(ids.length).toBeGreaterThan(5);
  });

  it('serves the fused recall order when no model is published, and says so', async () => {
    const world = fakeWorld();
    const answer = await serveRecommendations(request, serveDeps(world));
    expect(answer.model).toBeNull();
    expect(answer.degraded).toEqual([DegradedReason.RankerUnavailable]);
    expect(answer.items[0]?.item).toBe(item(10));
    expect(answer.featureNames.length).toBeGreaterThan(30);
  });

  it('opens the breaker when the model fails, serves recall order meanwhile, and closes after a good probe', async () => {
    const world = fakeWorld();
    const failing = { ...modelRankingBy('ch_content'), score: () => Promise.reject(new Error('onnx runtime error')) };
    world.models.set('ranker', failing);
    const deps = serveDeps(world);
    expect((await serveRecommendations(request, deps)).degraded).toEqual([DegradedReason.RankerFailed]);
    expect((await serveRecommendations(request, deps)).degraded).toEqual([DegradedReason.RankerFailed]);
    expect((await serveRecommendations(request, deps)).degraded).toEqual([DegradedReason.RankerBreakerOpen]);
    world.models.set('ranker', modelRankingBy('ch_content', 'm2'));
    world.clock += 1_000;
    const probe = await serveRecommendations(request, deps);
    expect(probe.degraded).toEqual([]);
    expect(probe.model?.version).toBe('m2');
    expect(world.breaker.state).toBe('closed');
  });

  it('a ranking timeout degrades to recall order with ranker_timeout', async () => {
    const world = fakeWorld();
    world.models.set('ranker', modelRankingBy('ch_content'));
    const deps = serveDeps(world);
    const answer = await serveRecommendations(request, {
      ...deps,
      runStage: (stage, work) => (stage === 'ranking' ? Promise.reject(new AppError(ErrorCode.Timeout, 'ranking exceeded its budget')) : work()),
    });
    expect(answer.degraded).toEqual([DegradedReason.RankerTimeout]);
    expect(answer.items.length).toBe(5);
  });

  it('Redis down: serves the user’s last good answer, else the popular list — never fails', async () => {
    const world = fakeWorld();
    world.models.set('ranker', modelRankingBy('ch_content'));
    const deps = serveDeps(world);
    const good = await serveRecommendations(request, deps);
    world.profile = new AppError(ErrorCode.DependencyUnavailable, 'connection refused');
    const cached = await serveRecommendations(request, deps);
    expect(cached.degraded).toEqual([DegradedReason.RedisUnavailable, DegradedReason.FallbackUserCache]);
    expect(cached.items.map(({ item: id }) => id)).toEqual(good.items.map(({ item: id }) => id));
    const stranger = await serveRecommendations({ ...request, user: user('u9') }, deps);
    expect(stranger.degraded).toEqual([DegradedReason.RedisUnavailable, DegradedReason.FallbackPopular]);
    expect(stranger.items.map(({ item: id }) => id)).toEqual(['30', '31', '32', '33']);
    // Popular-list scores reach the client as a share of the list's best (the raw decayed sums grow without bound).
    const scores = stranger.items.map(({ score }) => score);
    expect(scores[0]).toBe(1);
    expect(scores.every((score, index) => score > 0 && score <= 1 && (index === 0 || score <= scores[index - 1]!))).toBe(true);
  });

  it('a profile read timeout is counted as redis_timeout', async () => {
    const world = fakeWorld();
    world.profile = new AppError(ErrorCode.Timeout, 'redis_profile exceeded its 15 ms budget');
    expect((await serveRecommendations(request, serveDeps(world))).degraded).toEqual([DegradedReason.RedisTimeout, DegradedReason.FallbackPopular]);
  });

  it('a failed neighbour read keeps the other channels and marks recall_partial', async () => {
    const world = fakeWorld();
    world.models.set('ranker', modelRankingBy('ch_content'));
    world.neighbours = new AppError(ErrorCode.DependencyUnavailable, 'timeout');
    const answer = await serveRecommendations(request, serveDeps(world));
    expect(answer.degraded).toEqual([DegradedReason.RecallPartial]);
    expect(answer.items.some(({ channels }) => channels.includes(Channel.Cooccurrence))).toBe(false);
    expect(answer.items.length).toBe(5);
  });

  it('a cold user with no history gets trending and popular', async () => {
    const world = fakeWorld();
    world.profile = profileOf({ recent: [], tagAffinity: [], industryAffinity: [], counts: {}, lastEventMs: null });
    const answer = await serveRecommendations(request, serveDeps(world));
    expect(answer.coldStart).toBe(true);
    expect(new Set(answer.items.flatMap(({ channels }) => channels))).toEqual(new Set([Channel.Trending, Channel.Popular]));
  });

  it('takes each channel’s candidate count from the variant: 0 switches a channel off', async () => {
    const world = fakeWorld();
    const deps = serveDeps(world);
    const base = deps.assign(user('u1'), 'home');
    const answer = await serveRecommendations({ ...request, limit: 40 }, { ...deps, assign: () => ({ ...base, candidates: { [Channel.Content]: 0, [Channel.Popular]: 1 } }) });
    const channels = answer.items.flatMap(({ channels: names }) => names);
    expect(channels).not.toContain(Channel.Content);
    expect(channels.filter((channel) => channel === Channel.Popular)).toHaveLength(1);
  });

  it('reads no neighbour lists when no channel that needs them can contribute', async () => {
    const world = fakeWorld();
    world.neighbours = new AppError(ErrorCode.DependencyUnavailable, 'would fail if read');
    const deps = serveDeps(world);
    const base = deps.assign(user('u1'), 'home');
    const answer = await serveRecommendations(request, { ...deps, assign: () => ({ ...base, weights: { [Channel.Popular]: 1, [Channel.Content]: 1 } }) });
    expect(answer.degraded).not.toContain(DegradedReason.RecallPartial);
    expect(new Set(answer.items.flatMap(({ channels }) => channels))).toEqual(new Set([Channel.Popular, Channel.Content]));
  });

  it('hands every answer to the exposure log, degraded or not', async () => {
    const world = fakeWorld();
    const deps = serveDeps(world);
    await serveRecommendations(request, deps);
    world.profile = new Error('down');
    await serveRecommendations(request, deps);
    expect(deps.published).toHaveLength(2);
  });
});
