import { AppError, ErrorCode } from '@streamrec/foundation';
import { Catalogue } from './domain/catalogue-index.js';
import type { Dataset } from './domain/catalogue.js';
import { toHex } from './domain/hash.js';
import { planTrickleMutation, type TrickleMutation } from './domain/mutations.js';
import { anonymousInterests, interestsOf, type Interests, type User } from './domain/population.js';
import { HISTORY_SHAPE } from './domain/history.js';
import { retimeStep } from './domain/retime.js';
import { Rng } from './domain/rng.js';
import { generateSession } from './domain/session.js';
import type { SessionRecord, VisitorHistory } from './domain/session-model.js';
import type { RunSummary } from './domain/tally.js';
import type { DatasetId, UserId } from './domain/types.js';
import { anonymousVisitor, userVisitor, type VisitorProfile } from './domain/visitor.js';
import { WeightedTable } from './domain/weighted-table.js';

export interface TrickleWorld {
  /** Listed and unlisted datasets (unlisted ones may be listed again). */
  readonly datasets: readonly Dataset[];
  readonly users: readonly User[];
  /** Observed popularity (e.g. past views) per dataset; the long tail continues from it. */
  readonly popularity: ReadonlyMap<DatasetId, number>;
  readonly maxUserId: number;
  readonly maxVisitId: number;
}

export interface VisitorState {
  readonly history: VisitorHistory;
  readonly owned: ReadonlySet<DatasetId>;
  readonly favorites: ReadonlySet<DatasetId>;
}

export type MutationOutcome =
  | { readonly kind: 'dataset'; readonly dataset: Dataset }
  | { readonly kind: 'user'; readonly user: User }
  | { readonly kind: 'applied' }
  | { readonly kind: 'skipped' };

/** What a trickle run needs from the databases; every write call is one transaction. */
export interface TrickleStore {
  loadWorld(): Promise<TrickleWorld>;
  visitorState(visitor: VisitorProfile, userId: UserId | null): Promise<VisitorState>;
  writeStep(session: SessionRecord, stepIndex: number): Promise<void>;
  endSession(sessionKey: string): void;
  applyMutation(mutation: TrickleMutation, at: Date): Promise<MutationOutcome>;
  summary(): RunSummary;
}

export interface Clock {
  now(): Date;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface TrickleOptions {
  readonly seed: number;
  readonly eventsPerSecond: number;
  readonly durationMs: number | null;
  /** Abort to stop: the step being written finishes (its transaction commits) first. */
  readonly signal: AbortSignal;
}

export type TrickleProgress = (event: { readonly events: number; readonly openVisits: number; readonly elapsedMs: number }) => void;

/** Share of events that change catalogue, accounts or orders instead of advancing a visit. */
export const MUTATION_SHARE = 0.03;
/**
 * Open visits kept at about 4 s worth of events, so each visit advances every ~4 s and an average
 * visit (~8 steps) lasts about half a minute; a free slot is refilled with this chance per event,
 * which spreads the start-up over the first seconds instead of opening every visit at once.
 */
const OPEN_VISIT_SECONDS = 4;
const REFILL_CHANCE = 0.5;
const PROGRESS_EVERY_MS = 5_000;

interface LiveSession {
  record: SessionRecord;
  next: number;
  readonly visitorKey: string;
  readonly userId: UserId | null;
}

/**
 * Continuous traffic at a fixed rate: many visits open at once, each advancing one step per
 * event, interleaved with catalogue changes, sign-ups and refunds. Safe after a bulk run and
 * repeatedly: ids come from auto-increment, log_action rows are reused, state is read from the DB.
 */
export async function runTrickle(
  store: TrickleStore,
  clock: Clock,
  options: TrickleOptions,
  progress: TrickleProgress,
): Promise<RunSummary> {
  const world = await store.loadWorld();
  const catalogue = new Catalogue(world.datasets, (dataset) => (world.popularity.get(dataset.id) ?? 0) + 1);
  if (catalogue.listed().length === 0 || world.users.length === 0) {
    throw new AppError(ErrorCode.InvalidArgument, 'nothing to trickle on: no listed datasets or no users (run `bulk` first)');
  }
  const rng = new Rng(`trickle/${options.seed}/${world.maxUserId}/${world.maxVisitId}`);
  const users = [...world.users];
  const interestCache = new Map<UserId, Interests>();
  const interestsFor = (user: User): Interests => {
    let interests = interestCache.get(user.id);
    if (!interests) interestCache.set(user.id, (interests = interestsOf(user)));
    return interests;
  };
  let audience = new WeightedTable(users, (user) => interestsFor(user).sessionsPerDay);
  const strangers: { visitor: VisitorProfile; interests: Interests }[] = [];
  const live: LiveSession[] = [];
  const openVisitors = new Set<string>();
  const openUsers = new Set<UserId>();
  const poolSize = Math.max(2, Math.min(400, Math.round(options.eventsPerSecond * OPEN_VISIT_SECONDS)));
  let nextUserNumber = world.maxUserId + 1;

  const startVisit = async (tickRng: Rng, key: string, now: Date): Promise<void> => {
    let visitor: VisitorProfile;
    let interests: Interests;
    let user: User | null = null;
    let owner: User | null = null;
    const roll = tickRng.next();
    const account = roll < 0.65 ? audience.draw(tickRng) : undefined;
    if (account && !openUsers.has(account.id)) {
      owner = account;
      interests = interestsFor(account);
      const device = interests.deviceCount > 1 && tickRng.chance(HISTORY_SHAPE.secondDeviceShare) ? 1 : 0;
      visitor = userVisitor(account.email, device, account.country);
      user = tickRng.chance(HISTORY_SHAPE.loggedOutShare) ? null : account;
    } else if (roll < 0.8 && strangers.length > 0) {
      ({ visitor, interests } = tickRng.pick(strangers));
    } else {
      visitor = anonymousVisitor(tickRng.fork('visitor'));
      interests = anonymousInterests(tickRng, catalogue.clusterWeights());
      strangers.push({ visitor, interests });
    }
    const visitorKey = toHex(visitor.idvisitor);
    if (openVisitors.has(visitorKey)) return;
    const state = await store.visitorState(visitor, user?.id ?? null);
    const record = generateSession(tickRng.fork('visit'), {
      key,
      startAt: now,
      visitor,
      user,
      interests,
      history: state.history,
      owned: state.owned,
      favorites: state.favorites,
      catalogue,
      refundHorizon: now,
    });
    live.push({ record, next: 0, visitorKey, userId: owner?.id ?? null });
    openVisitors.add(visitorKey);
    if (owner) openUsers.add(owner.id);
  };

  const applyOutcome = (outcome: MutationOutcome, mutation: TrickleMutation): void => {
    if (outcome.kind === 'dataset') catalogue.put(outcome.dataset, 1);
    if (outcome.kind === 'user') {
      users.push(outcome.user);
      audience = new WeightedTable(users, (candidate) => interestsFor(candidate).sessionsPerDay);
      nextUserNumber++;
    }
    if (outcome.kind !== 'applied') return;
    if (mutation.kind === 'price') catalogue.update(mutation.datasetId, { priceCents: mutation.priceCents });
    if (mutation.kind === 'status') catalogue.update(mutation.datasetId, { status: mutation.status });
    if (mutation.kind === 'delete') catalogue.remove(mutation.datasetId);
  };

  const started = clock.now().getTime();
  const deadline = options.durationMs === null ? null : started + options.durationMs;
  let events = 0;
  let lastProgress = started;
  while (!options.signal.aborted && (deadline === null || clock.now().getTime() < deadline)) {
    const tickRng = rng.fork(`tick-${events}`);
    const now = clock.now();
    if (tickRng.chance(MUTATION_SHARE)) {
      const mutation = planTrickleMutation(tickRng, catalogue, now, nextUserNumber);
      applyOutcome(await store.applyMutation(mutation, now), mutation);
    } else {
      if (live.length === 0 || (live.length < poolSize && tickRng.chance(REFILL_CHANCE))) {
        await startVisit(tickRng, `t${events}`, now);
      }
      const session = live.length > 0 ? live[tickRng.int(live.length)] : undefined;
      if (session) {
        session.record = retimeStep(session.record, session.next, now);
        await store.writeStep(session.record, session.next);
        session.next++;
        if (session.next >= session.record.steps.length) {
          live.splice(live.indexOf(session), 1);
          openVisitors.delete(session.visitorKey);
          if (session.userId !== null) openUsers.delete(session.userId);
          store.endSession(session.record.key);
        }
      }
    }
    events++;
    const elapsed = clock.now().getTime() - started;
    if (clock.now().getTime() - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = clock.now().getTime();
      progress({ events, openVisits: live.length, elapsedMs: elapsed });
    }
    const due = (events * 1000) / options.eventsPerSecond - elapsed;
    const wait = deadline === null ? due : Math.min(due, deadline - clock.now().getTime());
    if (wait > 0) await clock.sleep(wait, options.signal);
  }
  progress({ events, openVisits: live.length, elapsedMs: clock.now().getTime() - started });
  return store.summary();
}
