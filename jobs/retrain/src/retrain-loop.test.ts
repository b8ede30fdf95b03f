import { describe, expect, it } from 'vitest';
import { runLoop, type LoopDependencies } from './retrain-loop.js';
import type { RunSummary } from './run-summary.js';

const summary = (status: RunSummary['status']): RunSummary => ({ status }) as RunSummary;

function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    advance: (ms: number) => void (now += ms),
    sleeps,
    sleep: (ms: number) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

describe('retrain loop', () => {
  it('runs every period from each start, goes on after a failed or crashing run, and stops between runs', async () => {
    const clock = fakeClock();
    const stop = new AbortController();
    const outcomes: string[] = [];
    let call = 0;
    const deps: LoopDependencies = {
      now: clock.now,
      sleep: clock.sleep,
      runOnce: () => {
        call += 1;
        clock.advance(call === 2 ? 10_000 : 1_000); // the second run takes longer than the period
        if (call === 3) return Promise.reject(new Error('boom'));
        if (call === 4) stop.abort();
        return Promise.resolve(summary(call === 1 ? 'failed' : 'published'));
      },
      onRun: (result) => outcomes.push(result.status),
      onError: (error) => outcomes.push(`error: ${(error as Error).message}`),
    };
    const runs = await runLoop(deps, 5_000, { stop: stop.signal, abortRun: new AbortController().signal });
    expect(runs).toBe(4);
    expect(outcomes).toEqual(['failed', 'published', 'error: boom', 'published']);
    // run 1 took 1 s → waits 4 s; run 2 took 10 s → no wait; run 3 took 1 s → waits 4 s; stopped after run 4
    expect(clock.sleeps).toEqual([4_000, 4_000]);
  });

  it('does not start a run once stopped while waiting', async () => {
    const stop = new AbortController();
    let runs = 0;
    const count = await runLoop(
      {
        now: () => 0,
        sleep: () => {
          stop.abort();
          return Promise.resolve();
        },
        runOnce: () => {
          runs += 1;
          return Promise.resolve(summary('rejected'));
        },
        onRun: () => undefined,
        onError: () => undefined,
      },
      60_000,
      { stop: stop.signal, abortRun: new AbortController().signal },
    );
    expect(count).toBe(1);
    expect(runs).toBe(1);
  });

  it('hands the abort signal to the run', async () => {
    const stop = new AbortController();
    const abortRun = new AbortController();
    let seen: AbortSignal | undefined;
    await runLoop(
      {
        now: () => 0,
        sleep: () => Promise.resolve(),
        runOnce: (signal) => {
          seen = signal;
          stop.abort();
          return Promise.resolve(summary('failed'));
        },
        onRun: () => undefined,
        onError: () => undefined,
      },
      1,
      { stop: stop.signal, abortRun: abortRun.signal },
    );
    expect(seen).toBe(abortRun.signal);
  });
});
