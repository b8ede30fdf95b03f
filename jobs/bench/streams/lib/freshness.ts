import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import { kafkaClientOptions, kafkaUserVariables, ownedKey, parseStateVersion, type KafkaConfig, type RedisConfig } from '@streamrec/foundation';
import { repoRoot } from '@streamrec/foundation/process';
import { featuresManifest } from '@streamrec/features';
import { processorGroupIds } from '@streamrec/streams-common';
import { deleteVersionKeys, summarize, type Summary } from './bench-support.js';
import { startTrickle, type TrickleResult } from './trickle.js';
import { createTopicsReady } from '@streamrec/foundation/kafka';

export interface FreshnessSettings {
  /** The bench's Kafka user (admin); the normalize and features children connect as it too. */
  readonly kafka: KafkaConfig;
  readonly redis: RedisConfig;
  /** The merged stack environment (ports, the application user's credentials). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The environment the normalize and features children start from. */
  readonly childEnv: Readonly<Record<string, string | undefined>>;
  readonly samples: number;
  /** Favourites per second committed in the background while the samples are timed (0: none). */
  readonly trickle: number;
  readonly suffix: string;
  readonly log: (line: string) => void;
}

export interface FreshnessReport {
  readonly chain: string;
  readonly samples: number;
  readonly lost: number;
  /** Milliseconds from the INSERT's commit acknowledgement to the Redis field being readable. */
  readonly freshnessMs: Summary & { readonly p50: number; readonly p90: number };
  readonly pollIntervalMs: number;
  /** The background load the samples were timed under; absent when `trickle` was 0. */
  readonly trickle?: TrickleResult;
  readonly raw: readonly number[];
}

const POLL_MS = 2;
/** Bench-owned user ids (far above the demo data's), one per sample, so a sample's key is new. */
const firstUserId = 970_000_000 + Math.floor(Math.random() * 1_000_000) * 10;
/** The trickle's users: a range of their own above the samples' (one per row, 10,000,000 at most). */
const firstTrickleUserId = 980_000_000 + Math.floor(Math.random() * 1_000) * 10_000_000;

/**
 * The live chain: a favourite committed in MariaDB (shop.favorites, through SQL) → Debezium (binlog) →
 * cdc.shop.favorites → normalize → events.interactions.v1 → features user stage → Redis
 * `user:<u>:counts` field `favorite`. normalize and features run as child processes
 * (`tsx streams/<p>/src/main.ts`) with their own consumer groups starting at the latest offsets and a
 * fresh state version; features' repartition output goes to a bench topic (STREAMREC_FEATURES_TOPICS).
 * With `trickle` > 0 the samples are timed while favourites of other bench users are committed at that
 * rate on another connection (`startTrickle`), through the same chain.
 */
export async function measureFreshness(settings: FreshnessSettings): Promise<FreshnessReport> {
  const { env, log } = settings;
  const version = parseStateVersion(`v${960_000 + Math.floor(Math.random() * 9_000)}`);
  const normalizeVersion = parseStateVersion(`v${950_000 + Math.floor(Math.random() * 9_000)}`);
  const activityTopic = `bench.${settings.suffix}.fresh-activity`;
  const groups = { normalize: `bench-normalize-${settings.suffix}`, features: `bench-fresh-${settings.suffix}` };
  const kafka = new Kafka({ clientId: 'bench-freshness', ...kafkaClientOptions(settings.kafka), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsReady(admin, { topics: [{ topic: activityTopic, numPartitions: 6 }] });
  const redis = new Redis(settings.redis);
  const db = await connectShop(env);
  const common = { STREAMREC_LOG_LEVEL: 'warn' };
  // Their groups and the activity topic are the bench's own: the children use its Kafka user (admin), not the
  // processor role's; their Redis credentials stay the processor role's (inherited, or .stack/secrets.env).
  const childEnv = { ...settings.childEnv, ...kafkaUserVariables(settings.kafka) };
  const children = [
    startChild('normalize', childEnv, {
      ...common,
      STREAMREC_NORMALIZE_GROUP_ID: groups.normalize,
      STREAMREC_NORMALIZE_FROM_BEGINNING: 'false',
      STREAMREC_NORMALIZE_STATE_VERSION: normalizeVersion,
      STREAMREC_NORMALIZE_METRICS_PORT: '0',
      STREAMREC_NORMALIZE_LOG_LEVEL: 'warn',
    }),
    startChild('features', childEnv, {
      ...common,
      STREAMREC_FEATURES_STATE_VERSION: version,
      STREAMREC_FEATURES_GROUP_VERSION: `bench-${settings.suffix}`,
      STREAMREC_FEATURES_START_FROM: 'latest',
      STREAMREC_FEATURES_METRICS_PORT: '0',
      STREAMREC_FEATURES_TOPICS: JSON.stringify({ itemActivity: activityTopic }),
    }),
  ];
  const userIds: number[] = [];
  let trickleRows = 0;
  try {
    const [rows] = await db.query('SELECT id FROM datasets ORDER BY id LIMIT 200');
    const datasets = (rows as { id: number }[]).map((row) => Number(row.id));
    if (datasets.length === 0) throw new Error('shop.datasets is empty: load the demo data (npm run setup)');
    const favouriteVisible = async (user: number, timeoutMs: number): Promise<number | undefined> => {
      const key = ownedKey(version, 6, 'user', String(user), 'counts');
      const deadline = performance.now() + timeoutMs;
      while (performance.now() < deadline) {
        if ((await redis.hget(key, 'favorite')) !== null) return performance.now();
        await sleep(POLL_MS); // the measurement's polling period, not a wait for a result
      }
      return undefined;
    };
    const insertFavourite = async (): Promise<{ user: number; committedAt: number }> => {
      const user = firstUserId + userIds.length;
      userIds.push(user);
      const dataset = datasets[userIds.length % datasets.length]!;
      await db.execute('INSERT INTO favorites (user_id, dataset_id) VALUES (?, ?)', [user, dataset]); // autocommit
      return { user, committedAt: performance.now() };
    };

    log('freshness: waiting until the chain delivers (warm-up favourites every 3 s, up to 120 s)');
    const warmUpUntil = performance.now() + 120_000;
    for (;;) {
      const { user } = await insertFavourite();
      if ((await favouriteVisible(user, 3_000)) !== undefined) break;
      if (performance.now() > warmUpUntil || children.some((child) => child.exitCode !== null)) throw new Error('the chain did not deliver a warm-up favourite within 120 s');
    }
    const latencies: number[] = [];
    let lost = 0;
    const trickleDb = settings.trickle > 0 ? await connectShop(env) : undefined;
    const trickle = trickleDb === undefined ? undefined : startTrickle(trickleDb, { ratePerSecond: settings.trickle, firstUserId: firstTrickleUserId, datasets });
    if (trickle !== undefined) {
      log(`freshness: a trickle of ${settings.trickle} favourites/s runs; the samples start after 5 s of it`);
      await sleep(5_000); // the chain reaches its steady state under the load before the first sample
    }
    for (let sample = 1; sample <= settings.samples; sample += 1) {
      await sleep(100 + Math.random() * 200); // spread the commits over Debezium's and the consumers' poll phases
      const { user, committedAt } = await insertFavourite();
      const visibleAt = await favouriteVisible(user, 10_000);
      if (visibleAt === undefined) lost += 1;
      else latencies.push(visibleAt - committedAt);
      if (sample % 10 === 0 || sample === settings.samples) log(`  freshness ${sample}/${settings.samples}: last ${visibleAt === undefined ? 'lost' : `${Math.round(visibleAt - committedAt)} ms`}`);
    }
    let trickleResult: TrickleResult | undefined;
    if (trickle !== undefined) {
      try {
        trickleResult = await trickle.stop();
      } finally {
        await trickleDb?.end();
      }
      trickleRows = trickleResult.rows;
      log(`freshness: the trickle committed ${trickleResult.rows} favourites in ${trickleResult.seconds} s (${trickleResult.achievedPerSecond}/s)`);
    }
    const summary = summarize(latencies);
    const percentile = (q: number): number => {
      const sorted = [...latencies].sort((a, b) => a - b);
      return Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN);
    };
    return {
      chain: 'MariaDB INSERT shop.favorites (autocommit) → Debezium → cdc.shop.favorites → normalize → events.interactions.v1 → features user stage → Redis user:<u>:counts.favorite',
      samples: settings.samples,
      lost,
      freshnessMs: { ...summary, p50: percentile(0.5), p90: percentile(0.9) },
      pollIntervalMs: POLL_MS,
      ...(trickleResult === undefined ? {} : { trickle: trickleResult }),
      raw: latencies.map((value) => Math.round(value)),
    };
  } finally {
    await Promise.all(children.map(stopChild));
    if (userIds.length > 0) await db.query('DELETE FROM favorites WHERE user_id BETWEEN ? AND ?', [firstUserId, firstUserId + userIds.length]).catch(() => undefined);
    if (trickleRows > 0) await db.query('DELETE FROM favorites WHERE user_id BETWEEN ? AND ?', [firstTrickleUserId, firstTrickleUserId + trickleRows]).catch(() => undefined);
    await db.end();
    await admin.deleteTopics({ topics: [activityTopic] }).catch(() => undefined);
    await admin.deleteGroups([groups.normalize, ...processorGroupIds(featuresManifest, `bench-${settings.suffix}`)]).catch(() => undefined);
    await admin.disconnect();
    await deleteVersionKeys(redis, version);
    await deleteVersionKeys(redis, normalizeVersion);
    await redis.quit();
  }
}

/** A connection to the shop database as the application user. */
function connectShop(env: Readonly<Record<string, string | undefined>>): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: env['STREAMREC_HOST'] ?? '127.0.0.1',
    port: Number(env['STREAMREC_MARIADB_PORT'] ?? '13306'),
    user: env['STREAMREC_MARIADB_APP_USER'],
    password: env['STREAMREC_MARIADB_APP_PASSWORD'],
    database: 'shop',
    timezone: 'Z',
  });
}

function startChild(name: 'normalize' | 'features', inherited: Readonly<Record<string, string | undefined>>, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', `streams/${name}/src/main.ts`], { cwd: repoRoot, env: { ...inherited, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timeout);
}
