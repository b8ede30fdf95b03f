import type { ItemId, ItemInfo, UserId } from '@streamrec/streams-common';
import { defaultFeaturesParams } from '@streamrec/features';
import { CHANNELS, type ChannelWeights } from './recall/channels.js';
import { CircuitBreaker } from './ranking/circuit-breaker.js';
import { unknownItemStats } from './ranking/item-stats.js';
import { emptySnapshot, type PopularSnapshot } from './recall/popular-snapshot.js';
import type { RankerModel } from './serving/ports.js';
import type { RecommendDependencies } from './serving/recommend.js';
import type { ServeDependencies } from './serving/serve-recommendations.js';
import type { UserProfile } from './serving/user-profile.js';

export const item = (id: string | number): ItemId => String(id) as ItemId;
export const user = (id: string): UserId => id as UserId;
export const NOW = Date.UTC(2026, 10, 26, 12);

export const equalWeights: ChannelWeights = Object.fromEntries(CHANNELS.map((channel) => [channel, 1]));

/** Items 1..40: industries alternate finance/retail, tags by decade. */
export function testCatalogue(): Map<string, ItemInfo> {
  const catalogue = new Map<string, ItemInfo>();
  for (let id = 1; id <= 40; id += 1) catalogue.set(String(id), { industry: id % 2 === 0 ? 'finance' : 'retail', tags: [`tag${Math.floor(id / 10)}`], price: id * 10, available: true });
  return catalogue;
}

export function profileOf(overrides: Partial<UserProfile> = {}): UserProfile {
  return {
    user: user('u1'),
    recent: [
      { item: item(1), timeMs: NOW - 1_000 },
      { item: item(2), timeMs: NOW - 60_000 },
    ],
    purchased: new Set(),
    tagAffinity: [{ name: 'tag1', value: 3 }],
    industryAffinity: [{ name: 'finance', value: 2 }],
    priceAffinity: [],
    counts: { view: 5, click: 2 },
    lastEventMs: NOW - 1_000,
    stats: {},
    activeDays: 1,
    sessions: 1,
    account: null,
    ...overrides,
  };
}

const flat = (entries: [number, number][]): string[] => entries.flatMap(([id, score]) => [String(id), String(score)]);

/** A linear "model" that ranks by one feature, to see ranking take effect. */
export function modelRankingBy(feature: string, version = 'm1'): RankerModel {
  return {
    name: 'ranker',
    version,
    featureNames: [feature],
    score: (features, rows) => Promise.resolve(Float32Array.from({ length: rows }, (_, row) => features[row] ?? 0)),
  };
}

export interface FakeWorld {
  readonly catalogue: Map<string, ItemInfo>;
  profile: UserProfile | Error;
  neighbours: Error | undefined;
  itemStats: Error | undefined;
  models: Map<string, RankerModel>;
  snapshot: PopularSnapshot;
  readonly breaker: CircuitBreaker;
  clock: number;
}

export function fakeWorld(): FakeWorld {
  const world: FakeWorld = {
    catalogue: testCatalogue(),
    profile: profileOf(),
    neighbours: undefined,
    itemStats: undefined,
    models: new Map(),
    snapshot: { ...emptySnapshot, builtAtMs: NOW, popular: [30, 31, 32, 33].map((id, rank) => ({ item: item(id), score: 100 - rank })), trending: [34, 35].map((id) => ({ item: item(id), score: 5 })) },
    breaker: new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1_000, now: () => world.clock }),
    clock: NOW,
  };
  return world;
}

export function recommendDeps(world: FakeWorld): RecommendDependencies {
  return {
    readProfile: () => (world.profile instanceof Error ? Promise.reject(world.profile) : Promise.resolve(world.profile)),
    readNeighbours: (seeds) => {
      if (world.neighbours !== undefined) return Promise.reject(world.neighbours);
      const cooccurrence = new Map(seeds.map((seed) => [seed, seed === item(1) ? flat([[10, 9], [11, 3]]) : flat([[12, 4]])] as const));
      const transition = new Map(seeds.map((seed) => [seed, seed === item(1) ? flat([[13, 2]]) : []] as const));
      const recentUsers = new Map(seeds.map((seed) => [seed, ['u1', 'u2']] as const));
      return Promise.resolve({ cooccurrence, transition, recentUsers });
    },
    readUsersRecent: (users) => Promise.resolve(new Map(users.map((other) => [other, ['14', '1']] as const))),
    readItemStats: () => (world.itemStats !== undefined ? Promise.reject(world.itemStats) : Promise.resolve(() => unknownItemStats)),
    content: { similarToItems: () => [{ item: item(15), score: 0.8 }], size: 40 },
    catalogue: (id) => world.catalogue.get(id),
    catalogueReady: () => true,
    snapshot: () => world.snapshot,
    models: { current: (name) => world.models.get(name) },
    breakerFor: () => world.breaker,
    runStage: (_stage, work) => work(),
    decay: defaultFeaturesParams,
    priceBucketOf: () => undefined,
    params: { candidates: 400, perChannel: 50, seeds: 10, seedDecay: 0.85, topAffinities: 3, similarUsers: 20, coldStartInteractions: 3 },
    priceBucketIndexOf: (price) => (price === null ? -1 : price === 0 ? 0 : 1),
    industrySize: () => 20,
    unshownSampleRate: 0,
  };
}

export function serveDeps(world: FakeWorld, answers = new Map<string, readonly { item: ItemId; score: number; channels: readonly never[] }[]>()): ServeDependencies & { published: unknown[] } {
  const published: unknown[] = [];
  let next = 0;
  return {
    ...recommendDeps(world),
    clock: () => world.clock,
    newRequestId: () => `req-${(next += 1)}`,
    assign: () => ({ experiment: 'exp', variant: 'control', weights: equalWeights, modelName: 'ranker', maxPerIndustry: 10 }),
    lastAnswers: { get: (id) => answers.get(id), remember: (id, items) => answers.set(id, items as never) },
    onAnswer: (answer) => published.push(answer),
    published,
  };
}
