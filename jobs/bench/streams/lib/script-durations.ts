import type { Redis } from 'ioredis';

/** How long Redis ran the apply scripts of one stage run (issue 14: none longer than 5 ms, as a p99). */
export interface ScriptDurations {
  /** EVAL/EVALSHA calls during the run (INFO commandstats), every client's. */
  readonly calls: number;
  /** Of those, how many ran longer than 5 ms (SLOWLOG). */
  readonly over5ms: number;
  /** The longest one, in ms (0 when none ran longer than the 1 ms the slow log keeps). */
  readonly longestMs: number;
}

/** The slow log keeps every command slower than this while a run is watched. */
const SLOWER_THAN_MICROS = 1_000;
const OVER_MICROS = 5_000;
const KEPT_ENTRIES = 100_000;

/**
 * Watches script durations with Redis's slow log: every command over 1 ms is kept (up to 100,000 entries)
 * from now until `stop`, which reads the script entries and restores the server's slow-log settings.
 * Needs the admin user (CONFIG, SLOWLOG). Other clients' scripts count too: run on a quiet stack.
 */
export async function watchScriptDurations(redis: Redis): Promise<{ stop(): Promise<ScriptDurations> }> {
  const previous = await Promise.all([configValue(redis, 'slowlog-log-slower-than'), configValue(redis, 'slowlog-max-len')]);
  await redis.config('SET', 'slowlog-log-slower-than', String(SLOWER_THAN_MICROS));
  await redis.config('SET', 'slowlog-max-len', String(KEPT_ENTRIES));
  await redis.call('SLOWLOG', 'RESET');
  const callsBefore = await scriptCalls(redis);
  return {
    async stop() {
      const calls = (await scriptCalls(redis)) - callsBefore;
      const entries = (await redis.call('SLOWLOG', 'GET', String(KEPT_ENTRIES))) as unknown[];
      await redis.config('SET', 'slowlog-log-slower-than', previous[0]);
      await redis.config('SET', 'slowlog-max-len', previous[1]);
      const micros = entries.flatMap((entry) => {
        const [, , duration, args] = entry as [unknown, unknown, number, unknown[]];
        const command = typeof args[0] === 'string' ? args[0].toLowerCase() : '';
        return command === 'evalsha' || command === 'eval' ? [Number(duration)] : [];
      });
      return { calls, over5ms: micros.filter((value) => value > OVER_MICROS).length, longestMs: micros.reduce((longest, value) => Math.max(longest, value), 0) / 1000 };
    },
  };
}

async function configValue(redis: Redis, name: string): Promise<string> {
  const [, value] = (await redis.config('GET', name)) as [string, string];
  return value;
}

async function scriptCalls(redis: Redis): Promise<number> {
  const text = await redis.info('commandstats');
  let calls = 0;
  for (const match of text.matchAll(/cmdstat_(?:evalsha|eval):calls=(\d+)/g)) calls += Number(match[1]);
  return calls;
}
