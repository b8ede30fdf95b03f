import type { Redis } from 'ioredis';
import { defaultActiveVersion, readActiveVersion } from '@streamrec/foundation/redis';
import { type Logger } from '@streamrec/foundation/process';
import { type StateVersion } from '@streamrec/foundation';

export interface ActiveVersionFollower {
  current(): StateVersion;
  stop(): void;
}

/**
 * Follows `sr:active-version` (a replay's `switch`) with one GET every `refreshMs` instead of one per
 * request; until the first read succeeds (or while Redis is down) the last known version stays.
 */
export async function followActiveVersion(redis: Redis, refreshMs: number, log: Logger, pinned?: StateVersion): Promise<ActiveVersionFollower> {
  if (pinned !== undefined) {
    log.info({ version: pinned }, 'state version pinned by configuration');
    return { current: () => pinned, stop: () => undefined };
  }
  let version: StateVersion = defaultActiveVersion;
  const read = async (): Promise<void> => {
    try {
      const next = await readActiveVersion(redis);
      if (next !== version) log.info({ from: version, to: next }, 'active state version changed');
      version = next;
    } catch (error) {
      log.debug({ err: error }, 'active version not read; keeping the last one');
    }
  };
  await read();
  const timer = setInterval(() => void read(), refreshMs);
  timer.unref();
  return { current: () => version, stop: () => clearInterval(timer) };
}
