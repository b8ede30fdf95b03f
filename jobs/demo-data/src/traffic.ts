import { AppError, ErrorCode, formatCount } from '@streamrec/foundation';
import { Catalogue } from './domain/catalogue-index.js';
import { effectsFor } from './domain/planted-effects.js';
import { interestsOf, type User } from './domain/population.js';
import { reactToAnswer, type Shopper } from './domain/reaction.js';
import { Rng } from './domain/rng.js';
import { NO_VARIANT, TrafficTally, type TrafficSummary } from './domain/traffic-tally.js';
import { asDatasetId, type DatasetId, type UserId } from './domain/types.js';
import { WeightedTable } from './domain/weighted-table.js';
import type { RecommendationAnswer, StorefrontApi, TrafficOptions, TrafficProgress, TrafficStore, TrafficWorld } from './traffic-ports.js';
import { PlannedWork, RunHealth } from './traffic-work.js';
import type { Clock } from './trickle.js';

const PROGRESS_EVERY_MS = 5_000;
const MAX_REQUESTS_IN_FLIGHT = 32;
/** Shortest sleep of the pacing loop, so it always yields to I/O. */
const MIN_SLEEP_MS = 2;

interface ShopperState extends Shopper {
  readonly favorites: Set<DatasetId>;
  readonly owned: Set<DatasetId>;
}

/**
 * Storefront traffic against the serving API: users of the demo population, drawn by activity, ask
 * for recommendations at a fixed rate and react to each answer (domain/reaction.ts). Their beacons are
 * sent when they happen (the answer's time plus the reaction's delays); their orders are written to the
 * shop at checkout time, so purchases arrive through CDC. On stop, what is still planned is done at
 * once, stamped with its planned time (at most a few minutes ahead, which the API accepts).
 */
export async function runTraffic(
  store: TrafficStore,
  api: StorefrontApi,
  clock: Clock,
  options: TrafficOptions,
  progress: TrafficProgress,
): Promise<TrafficSummary> {
  const world = await store.loadTrafficWorld();
  checkPopulation(world, options.expectedUsers);
  await api.checkReachable();

  const catalogue = new Catalogue(world.datasets, () => 1);
  const shoppers = new Map<UserId, ShopperState>();
  const shopperOf = (user: User): ShopperState => {
    let shopper = shoppers.get(user.id);
    if (!shopper) {
      shopper = { id: user.id, industry: user.industry, interests: interestsOf(user), favorites: new Set(), owned: new Set() };
      shoppers.set(user.id, shopper);
    }
    return shopper;
  };
  const audience = new WeightedTable(world.users, (user) => shopperOf(user).interests.sessionsPerDay);
  const rng = new Rng(`traffic/${options.seed}`);
  const started = clock.now().getTime();
  // Event ids differ between runs (a repeated id counts once downstream); what happens does not.
  const runKey = `${options.seed}-${started.toString(36)}`;
  const tally = new TrafficTally();
  const health = new RunHealth();
  const work = new PlannedWork(store, api, clock, tally, health, options.signal, (order) => {
    const buyer = shoppers.get(order.userId);
    for (const item of order.items) buyer?.owned.add(item.datasetId);
  });
  const requests = new Set<Promise<void>>();
  let requestsInFlight = 0;

  const react = async (index: number, requestRng: Rng, user: User, answer: RecommendationAnswer): Promise<void> => {
    const servedAt = clock.now();
    const variant = answer.experiment?.variant ?? null;
    tally.answer(variant ?? NO_VARIANT, answer.items.length);
    const items = answer.items.map((item) => ({ itemId: asDatasetId(item.itemId), position: item.position }));
    const unknown = items.map((item) => item.itemId).filter((id) => catalogue.get(id) === undefined);
    if (unknown.length > 0) {
      await work.findDatasets(unknown).then(
        (found) => found.forEach((dataset) => catalogue.put(dataset, 1)),
        (error: unknown) => tally.error(health.classify(error)),
      );
    }
    const shopper = shopperOf(user);
    const reaction = reactToAnswer(
      requestRng.fork('reaction'),
      shopper,
      { requestId: answer.requestId, servedAt, items },
      (id) => catalogue.get(id),
      effectsFor(options.effects, options.seed, variant, user.id),
    );
    reaction.favorited.forEach((id) => shopper.favorites.add(id));
    tally.eventsSuppressed(reaction.suppressed);
    reaction.events.forEach((event, k) => {
      const beacon = {
        eventId: `sim-${runKey}-${index}-${k}`,
        userId: user.id,
        itemId: event.datasetId,
        action: event.action,
        eventTime: event.at.getTime(),
        requestId: answer.requestId,
        sessionId: `sim-${runKey}-u${user.id}`,
      };
      work.planEvent(beacon, variant ?? NO_VARIANT);
    });
    if (reaction.order) {
      tally.orderPlanned();
      if (options.writeOrders) work.planOrder(reaction.order);
    }
  };

  const issue = async (index: number): Promise<void> => {
    // Who asks, in which scene, and how they react depend on the seed and the request's index only.
    const requestRng = rng.fork(`request-${index}`);
    const user = audience.draw(requestRng);
    if (!user) return;
    const scene = requestRng.pick(options.scenes);
    tally.requestSent();
    requestsInFlight++;
    let answer: RecommendationAnswer;
    try {
      answer = await api.recommend(user.id, scene, options.limit);
      health.requestAnswered();
    } catch (error) {
      tally.requestFailed(health.requestFailed(error));
      return;
    } finally {
      requestsInFlight--;
    }
    await react(index, requestRng, user, answer);
  };
  const track = (request: Promise<void>): void => {
    requests.add(request);
    void request.finally(() => requests.delete(request));
  };

  const deadline = options.durationMs === null ? null : started + options.durationMs;
  const dueAt = (index: number): number => started + (index * 1000) / options.requestsPerSecond;
  let issued = 0;
  const done = (): boolean =>
    options.signal.aborted ||
    health.fatal !== null ||
    (options.maxRequests !== null && issued >= options.maxRequests) ||
    (deadline !== null && clock.now().getTime() >= deadline);
  let last = { at: started, requests: 0 };
  const report = (now: number): void => {
    const remainingSeconds =
      options.maxRequests !== null ? (options.maxRequests - issued) / options.requestsPerSecond : deadline !== null ? (deadline - now) / 1000 : null;
    progress({
      requests: tally.requestsSent,
      answered: tally.answered,
      requestsPerSecond: Math.round(((tally.requestsSent - last.requests) * 10_000) / Math.max(1, now - last.at)) / 10,
      eventsSent: tally.eventsSent,
      ordersWritten: tally.ordersWritten,
      failures: tally.failures,
      scheduled: work.scheduled,
      elapsedMs: now - started,
      etaSeconds: remainingSeconds === null ? null : Math.max(0, Math.ceil(remainingSeconds)),
    });
    last = { at: now, requests: tally.requestsSent };
  };

  while (!done()) {
    const now = clock.now().getTime();
    while (!done() && dueAt(issued) <= now && requestsInFlight < MAX_REQUESTS_IN_FLIGHT) track(issue(issued++));
    work.dispatch(now);
    if (now - last.at >= PROGRESS_EVERY_MS) report(now);
    if (done()) break;
    const wakeAt = Math.min(dueAt(issued), work.nextAt() ?? Infinity, deadline ?? Infinity);
    await clock.sleep(Math.max(MIN_SLEEP_MS, wakeAt - now), options.signal);
  }
  // Stopping: answers in flight still get their reactions, then everything planned is done now.
  await Promise.allSettled([...requests]);
  await work.drain();
  if (health.fatal !== null) throw health.fatal;
  report(clock.now().getTime());
  return tally.summary(store.summary().tables, clock.now().getTime() - started);
}

function checkPopulation(world: TrafficWorld, expectedUsers: number | null): void {
  if (world.users.length === 0 || world.datasets.length === 0) {
    throw new AppError(ErrorCode.InvalidArgument, 'nothing to simulate: the shop has no users or no datasets (run `bulk` first)');
  }
  if (expectedUsers !== null && world.users.length < expectedUsers) {
    throw new AppError(
      ErrorCode.InvalidArgument,
      `the shop has ${formatCount(BigInt(world.users.length))} users, fewer than a bulk run of that --scale creates ` +
        `(${formatCount(BigInt(expectedUsers))}): run \`bulk\` with that scale first, or pass the scale you loaded`,
    );
  }
}
