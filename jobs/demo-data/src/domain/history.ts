import type { Catalogue } from './catalogue-index.js';
import { toHex } from './hash.js';
import { EventAction } from './matomo.js';
import { anonymousInterests, interestsOf, type Interests, type User } from './population.js';
import type { Rng } from './rng.js';
import { generateSession } from './session.js';
import { NO_HISTORY, historyAfter, type SessionRecord, type VisitorHistory } from './session-model.js';
import { MS_PER_DAY, MS_PER_HOUR, addMs, type DatasetId, type TimeWindow } from './types.js';
import { anonymousVisitor, userVisitor, type VisitorProfile } from './visitor.js';

export interface HistoryInput {
  readonly rng: Rng;
  readonly catalogue: Catalogue;
  readonly users: readonly User[];
  readonly window: TimeWindow;
  readonly anonymousVisitsPerDay: number;
}

export const HISTORY_SHAPE = {
  /** Visits of a known device where the person did not log in. */
  loggedOutShare: 0.08,
  /** Chance per day, in the 3 days before sign-up, of an anonymous visit on the future account's device. */
  preSignupVisitChance: 0.25,
  returningAnonymousShare: 0.3,
  secondDeviceShare: 0.35,
  minGapBetweenVisitsMs: MS_PER_HOUR,
  /** No visit starts this close to the window's end, so no action lands after it. */
  quietTailMs: 2 * MS_PER_HOUR,
} as const;

/** Relative traffic per local hour of the day (0–23). */
const HOUR_WEIGHTS = [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1.2, 2, 3, 3.5, 3.2, 2.5, 3, 3.4, 3.2, 3, 2.6, 2.2, 2.6, 3, 2.8, 2, 1.3];
const MAX_HOUR_WEIGHT = Math.max(...HOUR_WEIGHTS);

interface Account {
  readonly user: User;
  readonly interests: Interests;
  readonly devices: readonly VisitorProfile[];
  readonly owned: Set<DatasetId>;
  readonly favorites: Set<DatasetId>;
}

interface PlannedVisit {
  readonly key: string;
  readonly startAt: Date;
  readonly visitor: VisitorProfile;
  readonly interests: Interests;
  /** Owner of the device (null for strangers); `loggedIn` says whether they signed in. */
  readonly account: Account | null;
  readonly loggedIn: boolean;
}

/**
 * The history of a marketplace, visit by visit in time order, one day at a time. State that
 * outlives a visit (what a person owns or favourited, what Matomo knows about a device) is kept
 * here and fed into the next visit.
 */
export function* generateHistory(input: HistoryInput): Generator<SessionRecord> {
  const { rng, window } = input;
  const accounts = input.users.map((user): Account => {
    const interests = interestsOf(user);
    const devices = Array.from({ length: interests.deviceCount }, (_, i) => userVisitor(user.email, i, user.country));
    return { user, interests, devices, owned: new Set(), favorites: new Set() };
  });
  const histories = new Map<string, VisitorHistory>();
  const strangers: { visitor: VisitorProfile; interests: Interests }[] = [];
  const days = Math.ceil((window.end.getTime() - window.start.getTime()) / MS_PER_DAY);
  const lastStart = window.end.getTime() - HISTORY_SHAPE.quietTailMs;

  for (let day = 0; day < days; day++) {
    const dayRng = rng.fork(`day-${day}`);
    const slotStart = addMs(window.start, day * MS_PER_DAY);
    const plans = [
      ...accounts.flatMap((account) => planAccountDay(dayRng.fork(`u${account.user.id}`), account, slotStart, day)),
      ...planStrangers(dayRng.fork('strangers'), input, strangers, histories, slotStart, day),
    ]
      .filter((plan) => plan.startAt.getTime() < lastStart && plan.startAt >= window.start)
      .sort((a, b) => a.startAt.getTime() - b.startAt.getTime() || (a.key < b.key ? -1 : 1));

    for (const plan of plans) {
      const historyKey = toHex(plan.visitor.idvisitor);
      const account = plan.account;
      const session = generateSession(rng.fork(`visit-${plan.key}`), {
        key: plan.key,
        startAt: plan.startAt,
        visitor: plan.visitor,
        user: plan.loggedIn && account ? account.user : null,
        interests: plan.interests,
        history: histories.get(historyKey) ?? NO_HISTORY,
        owned: account?.owned ?? new Set(),
        favorites: account?.favorites ?? new Set(),
        catalogue: input.catalogue,
        refundHorizon: window.end,
      });
      histories.set(historyKey, historyAfter(session));
      if (account && session.userId !== null) remember(account, session);
      yield session;
    }
  }
}

function planAccountDay(rng: Rng, account: Account, slotStart: Date, day: number): PlannedVisit[] {
  const { user, interests, devices } = account;
  const slotEnd = addMs(slotStart, MS_PER_DAY);
  const firstDevice = devices[0];
  if (!firstDevice) return [];
  const plan = (key: string, startAt: Date, visitor: VisitorProfile, loggedIn: boolean): PlannedVisit => ({
    key: `${day}-u${user.id}-${key}`,
    startAt,
    visitor,
    interests,
    account,
    loggedIn,
  });

  if (user.createdAt >= slotEnd) {
    // Browsing before signing up, on the device the account will use: the stitching case.
    const untilSignup = user.createdAt.getTime() - slotStart.getTime();
    if (untilSignup > 3 * MS_PER_DAY || !rng.chance(HISTORY_SHAPE.preSignupVisitChance)) return [];
    const startAt = instantInSlot(rng, slotStart, firstDevice.country.utcOffsetHours);
    return startAt < user.createdAt ? [plan('pre', startAt, firstDevice, false)] : [];
  }

  const times = Array.from({ length: rng.poisson(interests.sessionsPerDay) }, () =>
    instantInSlot(rng, slotStart, firstDevice.country.utcOffsetHours),
  );
  const signsUpToday = user.createdAt >= slotStart;
  const starts = spaced(signsUpToday ? [user.createdAt, ...times.filter((t) => t > user.createdAt)] : times);
  return starts.map((startAt, i) => {
    const signup = signsUpToday && i === 0;
    const device = devices.length > 1 && rng.chance(HISTORY_SHAPE.secondDeviceShare) && !signup ? devices[1] : firstDevice;
    const loggedIn = signup || !rng.chance(HISTORY_SHAPE.loggedOutShare);
    return plan(String(i), startAt, device ?? firstDevice, loggedIn);
  });
}

function planStrangers(
  rng: Rng,
  input: HistoryInput,
  strangers: { visitor: VisitorProfile; interests: Interests }[],
  histories: ReadonlyMap<string, VisitorHistory>,
  slotStart: Date,
  day: number,
): PlannedVisit[] {
  const plans: PlannedVisit[] = [];
  const count = rng.poisson(input.anonymousVisitsPerDay);
  const clusterWeights = input.catalogue.clusterWeights();
  const known = strangers.length;
  for (let i = 0; i < count; i++) {
    const returning = known > 0 && rng.chance(HISTORY_SHAPE.returningAnonymousShare);
    const stranger = returning
      ? (strangers[rng.int(known)] as (typeof strangers)[number])
      : { visitor: anonymousVisitor(rng.fork(`new-${i}`)), interests: anonymousInterests(rng, clusterWeights) };
    if (!returning) strangers.push(stranger);
    const startAt = instantInSlot(rng, slotStart, stranger.visitor.country.utcOffsetHours);
    const last = histories.get(toHex(stranger.visitor.idvisitor))?.lastVisitAt;
    if (last && startAt.getTime() - last.getTime() < HISTORY_SHAPE.minGapBetweenVisitsMs) continue;
    plans.push({ key: `${day}-a${i}`, startAt, ...stranger, account: null, loggedIn: false });
  }
  return plans;
}

/** A moment in the 24 h slot, more likely at the visitor's busy local hours. */
function instantInSlot(rng: Rng, slotStart: Date, utcOffsetHours: number): Date {
  for (;;) {
    const at = addMs(slotStart, Math.floor(rng.next() * MS_PER_DAY));
    const localHour = (at.getUTCHours() + utcOffsetHours + 24) % 24;
    if (rng.next() * MAX_HOUR_WEIGHT < (HOUR_WEIGHTS[localHour] ?? 1)) return at;
  }
}

/** Sorted starts at least an hour apart, so two visits of one person never overlap. */
function spaced(times: readonly Date[]): Date[] {
  const out: Date[] = [];
  for (const time of [...times].sort((a, b) => a.getTime() - b.getTime())) {
    const previous = out.at(-1);
    if (!previous || time.getTime() - previous.getTime() >= HISTORY_SHAPE.minGapBetweenVisitsMs) out.push(time);
  }
  return out;
}

function remember(account: Account, session: SessionRecord): void {
  for (const step of session.steps) {
    if (step.kind === 'event' && step.action === EventAction.Favorite) account.favorites.add(step.datasetId);
  }
  for (const order of session.orders) {
    if (order.paidAt !== null) for (const item of order.items) account.owned.add(item.datasetId);
  }
}
