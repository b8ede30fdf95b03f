import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, ErrorCode, type StateVersion } from '@streamrec/foundation';
import { type Logger } from '@streamrec/foundation/process';
import { generateApiKey } from '@streamrec/api/app';
import { parseApiConfig } from '@streamrec/api/app';
import { startApi, type RunningApi } from '@streamrec/api/app';
import type { SnapshotPopularity } from '../domain/stages.js';
import type { EvalStack } from '../config.js';
import type { EvalTopics } from './eval-topics.js';

export interface EvalApiKeys {
  readonly read: string;
  readonly admin: string;
}

/** Fresh keys for this run: the plaintext stays in memory, the keys file holds their sha256. */
export async function writeEvalKeys(dataDir: string): Promise<{ file: string; keys: EvalApiKeys }> {
  const read = generateApiKey('evalreader');
  const admin = generateApiKey('evalops');
  const file = join(dataDir, 'api-keys.yaml');
  // No rate limit worth the name: the harness is the only client.
  await writeFile(
    file,
    `keys:\n  - { id: evalreader, sha256: ${read.sha256}, scopes: [read], rate_limit: { max: 100000000, window_seconds: 60 } }\n  - { id: evalops, sha256: ${admin.sha256}, scopes: [admin] }\n`,
  );
  return { file, keys: { read: read.key, admin: admin.key } };
}

export interface EvalApiSettings {
  readonly version: StateVersion;
  readonly topics: EvalTopics;
  readonly dataDir: string;
  readonly experimentsFile: string;
  readonly keysFile: string;
  readonly popularity: SnapshotPopularity;
  /** Items in the catalogue: the popular snapshot reads this deep. */
  readonly items: number;
  /** Longest history excluded in one request. */
  readonly maxExclude: number;
  /** Popular lists at least this long (a user's history is left out of them). */
  readonly listLimit: number;
  /** Merged over the API config (tuning: `recall`, `depths`, …), validated by the API's schema. */
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly featuresParams: unknown;
  readonly trendingParams: unknown;
}

/** The real API in this process, pinned to the run's state version and topics. */
export async function startEvalApi(stack: EvalStack, settings: EvalApiSettings, log: Logger): Promise<RunningApi> {
  const config = parseApiConfig({
    host: '127.0.0.1',
    port: 0,
    ops: { host: '127.0.0.1', port: 0 },
    kafka: { ...stack.kafka, clientId: `eval-api-${settings.version}` },
    redis: { ...stack.redis },
    topics: { interactions: settings.topics.interactions, items: settings.topics.items, exposures: settings.topics.exposures, models: settings.topics.models },
    stateVersion: settings.version,
    paths: { experiments: settings.experimentsFile, apiKeys: settings.keysFile, dataDir: settings.dataDir },
    // Measuring quality, not latency: a stage budget overrun would degrade answers and make runs differ.
    budgetsMs: { redis_profile: 5_000, redis_recall: 5_000, redis_features: 5_000, ranking: 5_000 },
    snapshot: { refreshMs: 500, depth: Math.max(5_000, settings.items), listLimit: settings.listLimit, popularity: settings.popularity },
    http: { maxExclude: Math.max(500, settings.maxExclude), docs: false },
    breaker: { failureThreshold: 1_000, cooldownMs: 1_000 },
    featuresParams: settings.featuresParams ?? {},
    trendingParams: settings.trendingParams ?? {},
    log: { level: 'silent' },
    // Recall stages log only what they show; the ranker stage's training answers override this.
    exposures: { unshownSampleRate: 0 },
    ...settings.overrides,
  });
  const api = await startApi(config, log);
  await api.ready();
  return api;
}

/** Until the popular list holds `expected` items (or every item, when fewer are popular), refreshing it now and then. */
export async function waitForPopularList(api: RunningApi, expected: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await api.parts.snapshot.refresh();
    const size = api.parts.snapshot.current().popular.length;
    if (size >= expected) return size;
    if (Date.now() > deadline) throw new AppError(ErrorCode.Timeout, `the API's popular list holds ${size} items, expected ${expected}`);
    await sleep(250);
  }
}

/** Hot reload of the experiments file through the admin endpoint, as an operator would. */
export async function reloadExperiments(api: RunningApi, adminKey: string): Promise<void> {
  const response = await fetch(`${api.opsUrl}/admin/experiments/reload`, { method: 'POST', headers: { 'x-api-key': adminKey } });
  if (response.status !== 200) throw new AppError(ErrorCode.ConfigInvalid, `the API rejected the stage's experiments file (${response.status}): ${await response.text()}`);
}
