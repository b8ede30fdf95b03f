import { createRootLogger } from '@streamrec/foundation/process';
import { parseStateVersion, type StateVersion } from '@streamrec/foundation';
import { loadNormalizeConfig, startNormalize, type NormalizeConfig, type RunningNormalize } from '@streamrec/normalize/app';
import { createRedis, scanKeys } from './redis.js';
import { kafkaAdminVariables } from './stack.js';

/** A normalize process inside the test, on a state version and a consumer group of its own. */
export interface OwnNormalize {
  readonly config: NormalizeConfig;
  readonly version: StateVersion;
  /** The running process (a new one after `restart`). */
  processor(): RunningNormalize;
  /** Stops the process and starts it again on the same version and group (it resumes at its stored offsets). */
  restart(): Promise<void>;
  /** Stops it and deletes its Redis state. */
  stop(): Promise<void>;
}

/**
 * Starts normalize on a fresh state version (`v<versionBase + random>`) and group `test-<name>-<suffix>` at
 * the latest offsets, and waits until the group has joined and fetched: from then on the test's rows are
 * sure to be read, without catching up on the demo data. `settings`: more STREAMREC_NORMALIZE_* variables.
 */
export async function startOwnNormalize(name: string, suffix: string, versionBase: number, settings: Readonly<Record<string, string>> = {}): Promise<OwnNormalize> {
  const version = parseStateVersion(`v${versionBase + Math.floor(Math.random() * 90_000)}`);
  const config = loadNormalizeConfig({
    ...kafkaAdminVariables,
    ...settings,
    STREAMREC_NORMALIZE_STATE_VERSION: version,
    STREAMREC_NORMALIZE_GROUP_ID: `test-${name}-${suffix}`,
    STREAMREC_NORMALIZE_FROM_BEGINNING: 'false',
    STREAMREC_NORMALIZE_MAX_RETRY_DELAY_MS: '1000',
  });
  const log = createRootLogger({ name: `${name}-test`, level: 'warn', pretty: false });
  let running = await startNormalize(config, { log, serveMetrics: false });
  await running.fetching();
  return {
    config,
    version,
    processor: () => running,
    restart: async () => {
      await running.stop();
      running = await startNormalize(config, { log, serveMetrics: false });
    },
    stop: async () => {
      await running.stop();
      const redis = createRedis();
      const keys = await scanKeys(redis, `sr:${version}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}
