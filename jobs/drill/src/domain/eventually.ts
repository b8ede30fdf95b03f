/** Time as the drills see it: injected, so the waiting logic is tested without real sleeps. */
export interface DrillTime {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** One look at the system: whether the awaited condition holds, and what was seen (for the report). */
export interface Observation {
  readonly ok: boolean;
  readonly seen: string;
}

export interface WaitOptions {
  readonly timeoutMs: number;
  /** Between looks (default 2 s). */
  readonly intervalMs?: number;
}

/**
 * Looks until the condition holds or the deadline passes; a look that throws counts as "not yet" (a
 * component being restarted refuses connections). Resolves to what was seen when it held; rejects with
 * the last observation, so a failed drill says what the system looked like instead.
 */
export async function eventually(what: string, look: () => Promise<Observation>, options: WaitOptions, time: DrillTime): Promise<string> {
  const deadline = time.now() + options.timeoutMs;
  let last = 'nothing observed yet';
  for (;;) {
    try {
      const observation = await look();
      if (observation.ok) return observation.seen;
      last = observation.seen;
    } catch (error) {
      last = `error: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (time.now() >= deadline) throw new Error(`${what}: not within ${Math.round(options.timeoutMs / 1000)} s (last seen: ${last})`);
    await time.sleep(Math.min(options.intervalMs ?? 2_000, Math.max(0, deadline - time.now())));
  }
}
