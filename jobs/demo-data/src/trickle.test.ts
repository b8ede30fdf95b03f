import { ErrorCode, isAppError } from '@streamrec/foundation';
import { describe, expect, it } from 'vitest';
import { toHex } from './domain/hash.js';
import type { TrickleMutation } from './domain/mutations.js';
import { NO_HISTORY, type SessionRecord } from './domain/session-model.js';
import { ChangeTally } from './domain/tally.js';
import { buildTestWorld } from './domain/test-world.js';
import { runTrickle, type Clock, type MutationOutcome, type TrickleStore, type TrickleWorld, type VisitorState } from './trickle.js';

const world = buildTestWorld(4, { datasets: 300, users: 200, days: 1, anonymousVisitsPerDay: 1 });

/** Records every step; checks that visits advance in order and never overlap for one visitor. */
class FakeTrickleStore implements TrickleStore {
  readonly written = new Map<string, number>();
  readonly open = new Map<string, string>();
  readonly mutations: TrickleMutation[] = [];
  overlaps = 0;
  outOfOrder = 0;
  steps = 0;

  constructor(private readonly world: TrickleWorld) {}

  loadWorld(): Promise<TrickleWorld> {
    return Promise.resolve(this.world);
  }
  visitorState(): Promise<VisitorState> {
    return Promise.resolve({ history: NO_HISTORY, owned: new Set(), favorites: new Set() });
  }
  writeStep(session: SessionRecord, stepIndex: number): Promise<void> {
    const expected = this.written.get(session.key) ?? 0;
    if (stepIndex !== expected) this.outOfOrder++;
    if (stepIndex === 0) {
      const visitor = toHex(session.visitor.idvisitor);
      if ([...this.open.values()].includes(visitor)) this.overlaps++;
      this.open.set(session.key, visitor);
    }
    this.written.set(session.key, stepIndex + 1);
    this.steps++;
    return Promise.resolve();
  }
  endSession(sessionKey: string): void {
    this.open.delete(sessionKey);
  }
  applyMutation(mutation: TrickleMutation): Promise<MutationOutcome> {
    this.mutations.push(mutation);
    return Promise.resolve({ kind: 'skipped' });
  }
  summary() {
    return new ChangeTally().summary();
  }
}

/** Virtual time: sleeping advances the clock instantly. */
function fakeClock(start: number): Clock & { elapsed(): number } {
  let now = start;
  return {
    now: () => new Date(now),
    sleep: (ms) => {
      now += ms;
      return Promise.resolve();
    },
    elapsed: () => now - start,
  };
}

const trickleWorld: TrickleWorld = {
  datasets: world.datasets,
  users: world.users,
  popularity: new Map(),
  maxUserId: world.users.length,
  maxVisitId: 0,
};
const noProgress = (): void => undefined;

describe('runTrickle', () => {
  it('produces events at the requested rate for the requested duration', async () => {
    const store = new FakeTrickleStore(trickleWorld);
    const clock = fakeClock(Date.parse('2024-06-01T00:00:00Z'));
    const signal = new AbortController().signal;
    await runTrickle(store, clock, { seed: 1, eventsPerSecond: 50, durationMs: 10_000, signal }, noProgress);
    const events = store.steps + store.mutations.length;
    expect(events).toBeGreaterThanOrEqual(495);
    expect(events).toBeLessThanOrEqual(505);
    expect(store.mutations.length).toBeGreaterThan(3);
    expect(clock.elapsed()).toBeLessThanOrEqual(10_000);
  });

  it('advances each visit step by step and never runs two visits of one visitor at once', async () => {
    const store = new FakeTrickleStore(trickleWorld);
    const signal = new AbortController().signal;
    await runTrickle(store, fakeClock(0), { seed: 2, eventsPerSecond: 20, durationMs: 60_000, signal }, noProgress);
    expect(store.outOfOrder).toBe(0);
    expect(store.overlaps).toBe(0);
    expect(store.written.size).toBeGreaterThan(50);
  });

  it('stops when aborted, after the step in progress', async () => {
    const store = new FakeTrickleStore(trickleWorld);
    const controller = new AbortController();
    const writeStep = store.writeStep.bind(store);
    store.writeStep = async (session, index) => {
      await writeStep(session, index);
      if (store.steps === 25) controller.abort();
    };
    await runTrickle(store, fakeClock(0), { seed: 3, eventsPerSecond: 10, durationMs: null, signal: controller.signal }, noProgress);
    expect(store.steps).toBe(25);
  });

  it('refuses to start without a catalogue or users', async () => {
    const store = new FakeTrickleStore({ ...trickleWorld, users: [] });
    const signal = new AbortController().signal;
    const error = await runTrickle(store, fakeClock(0), { seed: 1, eventsPerSecond: 5, durationMs: 1000, signal }, noProgress).catch(
      (e: unknown) => e,
    );
    expect(isAppError(error, ErrorCode.InvalidArgument)).toBe(true);
  });
});
