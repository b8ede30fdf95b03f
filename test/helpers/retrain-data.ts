import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Kafka } from 'kafkajs';
import { kafkaAdminVariables, repoRoot } from './stack.js';
import { createTopicsReady } from '@streamrec/foundation/kafka';

/**
 * Crafted exposures and interactions for the retrain tests, written straight into ClickHouse with a
 * test-owned kafka_topic marker and user ids under a unique prefix, so the job (with --user-prefix) trains
 * on them alone and the cleanup removes exactly them.
 */
export interface CraftedItem {
  readonly itemId: number;
  readonly features: readonly number[];
  readonly shown?: 0 | 1;
  /** The score it was served with (default 0.5). */
  readonly score?: number;
}

export interface CraftedExposure {
  readonly requestId: string;
  readonly userId: string;
  readonly timeMs: number;
  readonly featureNames: readonly string[];
  readonly items: readonly CraftedItem[];
  readonly degraded?: readonly string[];
  readonly experiment?: string;
  readonly variant?: string;
}

export interface CraftedInteraction {
  readonly userId: string;
  readonly itemId: number;
  readonly action: 'view' | 'click' | 'download' | 'favorite' | 'cart' | 'purchase';
  readonly timeMs: number;
}

export async function insertExposures(clickhouse: ClickHouseClient, marker: string, exposures: readonly CraftedExposure[]): Promise<void> {
  const values = exposures.map((exposure, index) => ({
    request_id: exposure.requestId,
    user_id: exposure.userId,
    event_time_ms: exposure.timeMs,
    scene: 'home',
    experiment: exposure.experiment ?? '',
    variant: exposure.variant ?? '',
    model_name: 'ranker',
    model_version: 'test',
    degraded_reasons: [...(exposure.degraded ?? [])],
    latency_ms: 5,
    feature_names: [...exposure.featureNames],
    'items.item_id': exposure.items.map((item) => item.itemId),
    'items.position': exposure.items.map((_, position) => position),
    'items.channel': exposure.items.map(() => 'popular'),
    'items.score': exposure.items.map((item) => item.score ?? 0.5),
    'items.features': exposure.items.map((item) => [...item.features]),
    'items.shown': exposure.items.map((item) => item.shown ?? 1),
    ingest_time_ms: exposure.timeMs + 10,
    kafka_topic: marker,
    kafka_partition: 0,
    kafka_offset: index,
  }));
  for (let start = 0; start < values.length; start += 5000) await clickhouse.insert({ table: 'streamrec.exposures', values: values.slice(start, start + 5000), format: 'JSONEachRow' });
}

export async function insertInteractions(clickhouse: ClickHouseClient, marker: string, interactions: readonly CraftedInteraction[]): Promise<void> {
  const values = interactions.map((interaction, index) => ({
    event_id: `${marker}:${index}`,
    user_id: interaction.userId,
    visitor_id: '',
    item_id: interaction.itemId,
    action: interaction.action,
    event_time_ms: interaction.timeMs,
    source: 'beacon',
    session_id: '',
    price: null,
    quantity: null,
    request_id: '',
    ingest_time_ms: interaction.timeMs + 10,
    kafka_topic: marker,
    kafka_partition: 0,
    kafka_offset: index,
  }));
  for (let start = 0; start < values.length; start += 5000) await clickhouse.insert({ table: 'streamrec.interactions', values: values.slice(start, start + 5000), format: 'JSONEachRow' });
}

/** Removes the test's rows (mutations; best effort) from the raw tables, the daily views and model_runs. */
export async function deleteCraftedRows(clickhouse: ClickHouseClient, options: { readonly marker: string; readonly items: { readonly first: number; readonly last: number }; readonly modelNames?: readonly string[] }): Promise<void> {
  if (!/^[a-z0-9._-]+$/.test(options.marker)) throw new RangeError(`marker ${options.marker} is not a plain name`);
  const { first, last } = options.items;
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last)) throw new RangeError('item range must be integers');
  const statements = [
    `ALTER TABLE streamrec.exposures DELETE WHERE kafka_topic = '${options.marker}'`,
    `ALTER TABLE streamrec.interactions DELETE WHERE kafka_topic = '${options.marker}'`,
    `ALTER TABLE streamrec.exposures_daily DELETE WHERE item_id BETWEEN ${first} AND ${last}`,
    `ALTER TABLE streamrec.interactions_daily DELETE WHERE item_id BETWEEN ${first} AND ${last}`,
    ...(options.modelNames ?? []).map((name) => {
      if (!/^[a-z0-9_-]+$/.test(name)) throw new RangeError(`model name ${name} is not a plain name`);
      return `ALTER TABLE streamrec.model_runs DELETE WHERE model_name = '${name}'`;
    }),
  ];
  for (const query of statements) await clickhouse.command({ query }).catch(() => undefined);
}

/** A compacted topic shaped like models.published.v1 (one partition, 64 MiB messages). */
export async function createModelTopics(kafka: Kafka, names: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicsReady(admin, {
      topics: names.map((topic) => ({
        topic,
        numPartitions: 1,
        configEntries: [
          { name: 'cleanup.policy', value: 'compact' },
          { name: 'max.message.bytes', value: '67108864' },
        ],
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(kafka: Kafka, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [...names] });
  } finally {
    await admin.disconnect();
  }
}

const execFileAsync = promisify(execFile);

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a job CLI (`jobs/<job>/src/cli.ts`) under tsx, as `npm run <job> --` does. */
export async function runJobCli(job: 'retrain' | 'model', args: readonly string[], env: Readonly<Record<string, string>>, timeoutMs = 150_000): Promise<CliResult> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ['--import', 'tsx', `jobs/${job}/src/cli.ts`, ...args], {
      cwd: repoRoot,
      // As the admin: the job runs on the test's own test.* topics, outside the model role's ACLs (models.*).
      env: { ...process.env, ...kafkaAdminVariables, ...env },
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** The columns of the planted data: cross_tag_affinity decides the label, the others are noise. */
export const PLANTED_FEATURES = ['cross_tag_affinity', 'fused_score', 'item_ctr', 'item_popularity_log'] as const;

export interface PlantedOptions {
  readonly prefix: string;
  readonly startMs: number;
  readonly requests: number;
  readonly itemsPerRequest: number;
  readonly firstItem: number;
  readonly spacingMs: number;
  readonly random: () => number;
}

/**
 * Requests whose items are clicked, carted or bought exactly when cross_tag_affinity is high (> 0.8, 0.9,
 * 0.95), within 30 minutes after the exposure — and bought *before* the exposure when it is low, which
 * a training set that leaked earlier interactions into labels would learn backwards. Every tenth request
 * logs its features in another order with an extra non-ranking name (the job maps them by name).
 */
export function plantedData(options: PlantedOptions): { exposures: CraftedExposure[]; interactions: CraftedInteraction[]; lastItem: number } {
  const exposures: CraftedExposure[] = [];
  const interactions: CraftedInteraction[] = [];
  let itemId = options.firstItem;
  for (let request = 0; request < options.requests; request += 1) {
    const userId = `${options.prefix}u${request % 37}`;
    const timeMs = options.startMs + request * options.spacingMs;
    const reordered = request % 10 === 9;
    const items: CraftedItem[] = [];
    for (let slot = 0; slot < options.itemsPerRequest; slot += 1) {
      itemId += 1;
      const affinity = options.random();
      const noise = [options.random(), options.random(), options.random() * 5];
      items.push({ itemId, features: reordered ? [noise[1] ?? 0, 0.123, affinity, noise[0] ?? 0, noise[2] ?? 0] : [affinity, ...noise], shown: slot < 6 ? 1 : 0 });
      const action = affinity > 0.95 ? 'purchase' : affinity > 0.9 ? 'cart' : affinity > 0.8 ? 'click' : undefined;
      if (action !== undefined) interactions.push({ userId, itemId, action, timeMs: timeMs + 1_000 + Math.floor(options.random() * 1_800_000) });
      if (affinity < 0.3) interactions.push({ userId, itemId, action: 'purchase', timeMs: timeMs - 60_000 });
    }
    exposures.push({
      requestId: `${options.prefix}r${request}`,
      userId,
      timeMs,
      featureNames: reordered ? ['item_ctr', 'debug_rank', 'cross_tag_affinity', 'fused_score', 'item_popularity_log'] : [...PLANTED_FEATURES],
      items,
    });
  }
  return { exposures, interactions, lastItem: itemId };
}
