import { AppError, ErrorCode, isAppError } from '@streamrec/foundation';
import { describe, expect, it } from 'vitest';
import type { Dataset } from './domain/catalogue.js';
import { NO_PLANTED_EFFECTS, type PlantedEffects } from './domain/planted-effects.js';
import { interestsOf } from './domain/population.js';
import type { OrderPlan } from './domain/session-model.js';
import { ChangeTally } from './domain/tally.js';
import { buildTestWorld } from './domain/test-world.js';
import type { DatasetId, UserId } from './domain/types.js';
import type { BeaconEvent, RecommendationAnswer, StorefrontApi, TrafficOptions, TrafficStore, TrafficWorld } from './traffic-ports.js';
import { runTraffic } from './traffic.js';
import type { Clock } from './trickle.js';

const world = buildTestWorld(4, { datasets: 300, users: 200, days: 1, anonymousVisitsPerDay: 1 });
const listed = world.datasets.filter((dataset) => dataset.status === 'listed');
const START = Date.parse('2025-03-01T12:00:00Z');

class FakeStore implements TrafficStore {
  readonly placed: { id: number; order: OrderPlan; at: number }[] = [];
  readonly settled: { id: number; status: string; at: number }[] = [];
  constructor(private readonly clock: Clock, private readonly trafficWorld: TrafficWorld = { users: world.users, datasets: listed.slice(20) }) {}
  loadTrafficWorld(): Promise<TrafficWorld> {
    return Promise.resolve(this.trafficWorld);
  }
  findDatasets(ids: readonly DatasetId[]): Promise<Dataset[]> {
    return Promise.resolve(world.datasets.filter((dataset) => ids.includes(dataset.id)));
  }
  placeOrder(order: OrderPlan): Promise<number> {
    this.placed.push({ id: this.placed.length + 1, order, at: this.clock.now().getTime() });
    return Promise.resolve(this.placed.length);
  }
  settleOrder(orderId: number, order: OrderPlan): Promise<void> {
    this.settled.push({ id: orderId, status: order.status, at: this.clock.now().getTime() });
    return Promise.resolve();
  }
  summary() {
    return new ChangeTally().summary();
  }
}

/** The API: ten of the listed datasets per answer (the first twenty the simulator must look up), variants by user parity. */
class FakeApi implements StorefrontApi {
  readonly asked: { userId: UserId; scene: string; answer: RecommendationAnswer }[] = [];
  readonly events: { event: BeaconEvent; at: number }[] = [];
  failRecommend: (() => Error) | null = null;
  /** The first attempt of the first this many beacons gets a 429. */
  rateLimitFirst = 0;
  /** Each beacon's attempts fail with this until it has failed `failures` times (then it is taken). */
  failEvent: { error: () => Error; failures: number } | null = null;
  private readonly failed = new Map<string, number>();
  private readonly limited = new Set<string>();
  constructor(private readonly clock: Clock) {}
  checkReachable(): Promise<void> {
    return Promise.resolve();
  }
  recommend(userId: UserId, scene: string, limit: number): Promise<RecommendationAnswer> {
    if (this.failRecommend) return Promise.reject(this.failRecommend());
    const offset = (this.asked.length * 7) % (listed.length - limit);
    const answer: RecommendationAnswer = {
      requestId: `req-${this.asked.length}`,
      items: listed.slice(offset, offset + limit).map((dataset, position) => ({ itemId: dataset.id, position })),
      experiment: scene === 'cart' ? null : { id: 'exp', variant: userId % 2 === 0 ? 'treatment' : 'control' },
    };
    this.asked.push({ userId, scene, answer });
    return Promise.resolve(answer);
  }
  sendEvent(event: BeaconEvent): Promise<void> {
    if (this.limited.size < this.rateLimitFirst && !this.limited.has(event.eventId)) {
      this.limited.add(event.eventId);
      return Promise.reject(new AppError(ErrorCode.RateLimited, 'slow down', { retriable: true, details: { retryAfterMs: 1_000 } }));
    }
    if (this.failEvent && (this.failed.get(event.eventId) ?? 0) < this.failEvent.failures) {
      this.failed.set(event.eventId, (this.failed.get(event.eventId) ?? 0) + 1);
      return Promise.reject(this.failEvent.error());
    }
    this.events.push({ event, at: this.clock.now().getTime() });
    return Promise.resolve();
  }
}

/** Virtual time: sleeping advances the clock at once; `onTick` may abort. */
function fakeClock(onTick: (now: number) => void = () => undefined): Clock {
  let now = START;
  return {
    now: () => new Date(now),
    sleep: (ms, signal) => {
      if (!signal.aborted) now += ms;
      onTick(now);
      return Promise.resolve();
    },
  };
}

const options = (overrides: Partial<TrafficOptions> = {}): TrafficOptions => ({
  seed: 5,
  requestsPerSecond: 20,
  durationMs: null,
  maxRequests: 400,
  scenes: ['home', 'item_detail', 'cart'],
  limit: 10,
  expectedUsers: null,
  effects: NO_PLANTED_EFFECTS,
  writeOrders: true,
  signal: new AbortController().signal,
  ...overrides,
});

async function simulate(overrides: Partial<TrafficOptions> = {}, clock = fakeClock()) {
  const api = new FakeApi(clock);
  const store = new FakeStore(clock);
  const summary = await runTraffic(store, api, clock, options(overrides), () => undefined);
  return { api, store, summary, clock };
}

const clicksPerAnswer = (api: FakeApi, variant: string): number => {
  const answers = api.asked.filter((asked) => asked.answer.experiment?.variant === variant).map((asked) => asked.answer.requestId);
  const clicks = api.events.filter(({ event }) => event.action === 'click' && answers.includes(event.requestId)).length;
  return clicks / answers.length;
};

describe('runTraffic', () => {
  it('asks at the rate and answers each recommendation with beacons that carry its request_id, on time', async () => {
    const { api, summary, clock } = await simulate();
    expect(summary.requests).toEqual({ sent: 400, answered: 400, empty: 0, failed: 0 });
    const served = new Map(api.asked.map(({ userId, answer }) => [answer.requestId, userId]));
    expect(api.events.length).toBeGreaterThan(100);
    expect(summary.events.sent).toBe(api.events.length);
    expect(new Set(api.events.map(({ event }) => event.eventId)).size).toBe(api.events.length);
    for (const { event, at } of api.events) {
      expect(served.get(event.requestId)).toBe(event.userId);
      // Sent when it happens, except the tail still planned at the last request (19.95 s), sent at once.
      if (at < START + 19_950) expect(at).toBeGreaterThanOrEqual(event.eventTime);
    }
    expect(clock.now().getTime() - START).toBeGreaterThanOrEqual(19_950);
    expect(Object.values(summary.answersByVariant).reduce((a, b) => a + b, 0)).toBe(400);
    expect(summary.answersByVariant['none']).toBeGreaterThan(0);
    expect(Object.values(summary.events.byAction).reduce((a, b) => a + b, 0)).toBe(summary.events.sent);
  });

  it('draws active users more often, and the same seed replays the same users, scenes and reactions', async () => {
    const first = await simulate();
    const again = await simulate();
    const activity = (userId: UserId): number => interestsOf(world.users.find((user) => user.id === userId)!).sessionsPerDay;
    const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(first.api.asked.map(({ userId }) => activity(userId)))).toBeGreaterThan(1.3 * mean(world.users.map((user) => activity(user.id))));
    expect(again.api.asked.map(({ userId, scene }) => `${userId}/${scene}`)).toEqual(first.api.asked.map(({ userId, scene }) => `${userId}/${scene}`));
    expect(again.api.events.map(({ event }) => event)).toEqual(first.api.events.map(({ event }) => event));
    const other = await simulate({ seed: 6 });
    expect(other.api.asked.map(({ userId }) => userId)).not.toEqual(first.api.asked.map(({ userId }) => userId));
  });

  it('a planted lift raises the variant’s clicks; a dropped variant sends nothing', async () => {
    const base = await simulate({ maxRequests: 1_500, requestsPerSecond: 100 });
    const effects: PlantedEffects = { lift: new Map([['treatment', 3]]), drop: new Map([['control', 1]]) };
    const planted = await simulate({ maxRequests: 1_500, requestsPerSecond: 100, effects });
    expect(clicksPerAnswer(planted.api, 'treatment')).toBeGreaterThan(2.2 * clicksPerAnswer(base.api, 'treatment'));
    expect(planted.summary.events.byVariant['control']).toBeUndefined();
    expect(planted.summary.events.suppressed).toBe(base.summary.events.byVariant['control']);
    expect(planted.summary.events.byVariant['none']).toBe(base.summary.events.byVariant['none']);
  });

  it('writes orders at checkout time, settles them at payment time, and none with orders off', async () => {
    const { store, summary } = await simulate({ maxRequests: 1_500, requestsPerSecond: 100 });
    expect(store.placed.length).toBeGreaterThan(0);
    expect(summary.orders.written).toBe(store.placed.length);
    expect(summary.orders.planned).toBe(store.placed.length);
    for (const { order, at } of store.placed) if (at < START + 14_990) expect(at).toBeGreaterThanOrEqual(order.createdAt.getTime());
    for (const { id, status, at } of store.settled) {
      const placed = store.placed.find((order) => order.id === id)!;
      expect(status).toBe(placed.order.status);
      // At payment time, or at once when the run stops (its last request is at 14.99 s).
      expect(at).toBeGreaterThanOrEqual(Math.min(placed.order.settledAt.getTime(), START + 14_990));
    }
    expect(summary.orders.paid + summary.orders.cancelled + summary.orders.pending).toBe(store.placed.length);
    const off = await simulate({ maxRequests: 1_500, requestsPerSecond: 100, writeOrders: false });
    expect(off.store.placed).toEqual([]);
    expect(off.summary.orders.planned).toBe(summary.orders.planned);
  });

  it('retries a rate-limited beacon with the same event_id', async () => {
    const clock = fakeClock();
    const api = new FakeApi(clock);
    api.rateLimitFirst = 3;
    const summary = await runTraffic(new FakeStore(clock), api, clock, options({ maxRequests: 50 }), () => undefined);
    expect(summary.errors['REC_RATE_LIMITED']).toBe(3);
    expect(summary.events.failed).toBe(0);
    const ids = api.events.map(({ event }) => event.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(summary.events.sent).toBe(ids.length);
  });

  it('retries a beacon that timed out or got a 5xx with the same event_id, and gives up after four attempts', async () => {
    const clock = fakeClock();
    const api = new FakeApi(clock);
    api.failEvent = { error: () => new AppError(ErrorCode.Timeout, 'no answer within 5000 ms', { retriable: true }), failures: 3 };
    const summary = await runTraffic(new FakeStore(clock), api, clock, options({ maxRequests: 50 }), () => undefined);
    expect(summary.events.failed).toBe(0);
    expect(summary.events.sent).toBe(api.events.length);
    expect(summary.errors['REC_TIMEOUT']).toBe(3 * api.events.length);
    const ids = api.events.map(({ event }) => event.eventId);
    expect(new Set(ids).size).toBe(ids.length);

    const down = new FakeApi(clock);
    down.failEvent = { error: () => new AppError(ErrorCode.DependencyUnavailable, 'the API failed (HTTP 503)', { retriable: true }), failures: 4 };
    const lost = await runTraffic(new FakeStore(clock), down, clock, options({ maxRequests: 50 }), () => undefined);
    expect(down.events).toEqual([]);
    expect(lost.events.failed).toBeGreaterThan(0);
    expect(lost.errors['REC_DEPENDENCY_UNAVAILABLE']).toBe(4 * lost.events.failed);

    const refused = new FakeApi(clock);
    refused.failEvent = { error: () => new AppError(ErrorCode.PayloadInvalid, 'HTTP 400'), failures: 1 };
    const once = await runTraffic(new FakeStore(clock), refused, clock, options({ maxRequests: 50 }), () => undefined);
    expect(once.errors['REC_PAYLOAD_INVALID']).toBe(once.events.failed);
    expect(refused.events).toEqual([]);
  });

  it('on SIGINT stops asking and sends what users still had planned at once', async () => {
    const controller = new AbortController();
    const clock = fakeClock((now) => now >= START + 5_000 && controller.abort());
    const { api, summary } = await simulate({ maxRequests: null, signal: controller.signal }, clock);
    expect(summary.requests.sent).toBeGreaterThan(90);
    expect(summary.requests.sent).toBeLessThan(110);
    expect(summary.events.sent).toBe(api.events.length);
    expect(api.events.some(({ event, at }) => event.eventTime > at)).toBe(true);
  });

  it('a refused key or an API that is gone ends the run with the coded error', async () => {
    const clock = fakeClock();
    const api = new FakeApi(clock);
    api.failRecommend = () => new AppError(ErrorCode.Unauthorized, 'bad key');
    await expect(runTraffic(new FakeStore(clock), api, clock, options(), () => undefined)).rejects.toMatchObject({ code: ErrorCode.Unauthorized });
    api.failRecommend = () => new AppError(ErrorCode.DependencyUnavailable, 'gone', { details: { unreachable: true } });
    const error: unknown = await runTraffic(new FakeStore(clock), api, clock, options(), () => undefined).catch((caught: unknown) => caught);
    expect(isAppError(error, ErrorCode.DependencyUnavailable)).toBe(true);
  });

  it('refuses to run with fewer users than the --scale creates', async () => {
    const error: unknown = await simulate({ expectedUsers: 2_000 }).catch((caught: unknown) => caught);
    expect(isAppError(error, ErrorCode.InvalidArgument)).toBe(true);
    expect((error as Error).message).toContain('200 users');
  });
});
