import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Producer } from 'kafkajs';
import type { Redis } from 'ioredis';
import { parseStateVersion } from '@streamrec/foundation';
import { createEventCodec } from '@streamrec/schemas/avro';
import { decimalFromString, type Interaction, type InteractionAction, type ItemChange } from '@streamrec/schemas';
import { startFeatures, type RunningFeatures } from '@streamrec/features/app';
import { parseFeaturesConfig } from '@streamrec/features/app';
import { startCooccurrence, type RunningCooccurrence } from '@streamrec/cooccurrence/app';
import { parseCooccurrenceConfig } from '@streamrec/cooccurrence/app';
import { sha256Hex } from '@streamrec/api/app';
import { parseApiConfig, type ApiConfigInput } from '@streamrec/api/app';
import { startApi, type RunningApi } from '@streamrec/api/app';
import { cleanUpProcessTest, processTestConfig } from './process-test.js';
import { createRedis, redisAs } from './redis.js';
import { createKafka, kafkaAdmin, repoRoot, stackEnv, uniqueSuffix } from './stack.js';
import { SwitchableProxy } from './switchable-proxy.js';
import { processorGroupIds } from '@streamrec/streams-common';
import { featuresManifest } from '@streamrec/features';
import { cooccurrenceManifest } from '@streamrec/cooccurrence';
import { createTopicsReady } from '@streamrec/foundation/kafka';

/** Plaintext keys of the test API (their sha256 is what the API's keys file holds). */
const secret = (letter: string): string => letter.repeat(43);
export const worldKeys = { read: `sr_reader_${secret('r')}`, events: `sr_beacon_${secret('e')}`, admin: `sr_ops_${secret('a')}`, limited: `sr_tiny_${secret('t')}`, every: `sr_fuzz_${secret('f')}` } as const;

/** 40 datasets: industries and tags cycle, so affinity channels have something to find. */
export const CATALOGUE_SIZE = 40;
const industries = ['finance', 'retail', 'energy', 'health'];
const tags = ['rates', 'stocks', 'shops', 'power', 'daily', 'hospital'];
const titles = ['interest rate curves', 'equity prices', 'store footfall', 'power grid load', 'daily weather', 'hospital admissions'];

export function catalogueItem(id: number, overrides: Partial<ItemChange> = {}): ItemChange {
  const base = Date.now() - 86_400_000;
  return {
    id,
    title: `${titles[id % titles.length] ?? ''} ${id}`,
    description: `dataset number ${id} about ${titles[id % titles.length] ?? ''}`,
    tags: [tags[id % tags.length] ?? 'daily'],
    industry: industries[id % industries.length] ?? 'finance',
    price: decimalFromString(`${(id % 5) * 40}.00`),
    status: 'listed',
    available: true,
    deleted: false,
    created_at: base,
    updated_at: base,
    source_version: 1,
    ...overrides,
  };
}

export interface ApiWorld {
  readonly api: RunningApi;
  /** The public listener (the /v1 routes). */
  readonly url: string;
  /** The operations listener: /readyz, /metrics, /admin/*, /docs. */
  readonly opsUrl: string;
  readonly version: string;
  readonly topics: { readonly interactions: string; readonly items: string; readonly exposures: string; readonly models: string; readonly users: string };
  readonly redisProxy: SwitchableProxy;
  readonly redis: Redis;
  readonly producer: Producer;
  readonly dataDir: string;
  readonly experimentsFile: string;
  /** GET with a key (default: the read key); parsed JSON and status. */
  get<T = Record<string, unknown>>(path: string, key?: string): Promise<{ status: number; body: T }>;
  post<T = Record<string, unknown>>(path: string, body: unknown, key: string): Promise<{ status: number; body: T }>;
  /** GET on the operations listener (readiness, admin status). */
  opsGet<T = Record<string, unknown>>(path: string, key?: string): Promise<{ status: number; body: T }>;
  /** POST on the operations listener (admin reload). */
  opsPost<T = Record<string, unknown>>(path: string, body: unknown, key: string): Promise<{ status: number; body: T }>;
  sendInteractions(interactions: readonly Interaction[]): Promise<void>;
  stop(): Promise<void>;
}

const interactionCodec = createEventCodec('events.interactions.v1');
const itemCodec = createEventCodec('events.items.v1');

export function interaction(user: string, item: number, action: InteractionAction, eventTime: number, id: string): Interaction {
  return { event_id: id, user_id: user, visitor_id: null, item_id: item, action, event_time: eventTime, source: 'shop', session_id: null, price: null, quantity: null, request_id: null, ingest_time: eventTime };
}

/**
 * The API on the real stack with its own world: test-owned topics (catalogue, interactions, exposures,
 * models), the features and co-occurrence processors writing a test state version, Redis behind a
 * proxy the test can take down, and keys, experiments and data directory in a temp dir.
 */
export async function startApiWorld(overrides: Partial<ApiConfigInput> = {}): Promise<ApiWorld> {
  const suffix = uniqueSuffix();
  const version = parseStateVersion(`v${900_000 + Math.floor(Math.random() * 90_000)}`);
  const groupVersion = `test-${suffix}`;
  const topics = { interactions: `test.api.interactions.${suffix}`, items: `test.api.items.${suffix}`, exposures: `test.api.exposures.${suffix}`, models: `test.api.models.${suffix}`, users: `test.api.users.${suffix}` };
  const kafka = createKafka(`test-api-${suffix}`);
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsReady(admin, {
    topics: [
      { topic: topics.interactions, numPartitions: 6 },
      { topic: topics.items, numPartitions: 3 },
      { topic: topics.exposures, numPartitions: 6 },
      { topic: topics.users, numPartitions: 3 },
      { topic: topics.models, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'max.message.bytes', value: '67108864' }] },
    ],
  });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const items = Array.from({ length: CATALOGUE_SIZE }, (_, index) => catalogueItem(index + 1));
  await producer.send({ topic: topics.items, acks: -1, messages: items.map((item) => ({ key: String(item.id), value: itemCodec.encode(item) })) });

  const redis = createRedis();
  const host = stackEnv['STREAMREC_HOST'] ?? '127.0.0.1';
  const redisProxy = new SwitchableProxy(host, Number(stackEnv['STREAMREC_REDIS_PORT'] ?? '16379'));
  await redisProxy.up();
  const silent = pino({ level: 'silent' });
  const processorTopics = { interactions: topics.interactions, items: topics.items, exposures: topics.exposures, users: topics.users };
  const common = { ...processTestConfig('api', { suffix, version, groupVersion }), startFrom: 'earliest' };
  const features: RunningFeatures = await startFeatures(parseFeaturesConfig({ ...common, topics: processorTopics }), silent);
  const cooccurrence: RunningCooccurrence = await startCooccurrence(parseCooccurrenceConfig({ ...common, topics: { interactions: topics.interactions } }), silent);

  const dataDir = await mkdtemp(join(tmpdir(), 'streamrec-api-'));
  const keysFile = join(dataDir, 'api-keys.yaml');
  const hash = (key: string): string => sha256Hex(key.slice(key.lastIndexOf('_') + 1));
  await writeFile(
    keysFile,
    `keys:
  - { id: reader, sha256: ${hash(worldKeys.read)}, scopes: [read] }
  - { id: beacon, sha256: ${hash(worldKeys.events)}, scopes: [events] }
  - { id: ops, sha256: ${hash(worldKeys.admin)}, scopes: [admin] }
  - { id: tiny, sha256: ${hash(worldKeys.limited)}, scopes: [read], rate_limit: { max: 3, window_seconds: 60 } }
  - { id: fuzz, sha256: ${hash(worldKeys.every)}, scopes: [read, events, admin] }
`,
  );
  const experimentsFile = join(dataDir, 'experiments.yaml');
  await copyFile(join(repoRoot, 'config', 'experiments.yaml'), experimentsFile);
  const config = parseApiConfig({
    host,
    port: 0,
    ops: { host, port: 0 },
    kafka: { ...kafkaAdmin, clientId: `test-api-${suffix}` },
    redis: { ...redisAs('api'), host, port: redisProxy.port },
    topics: { interactions: topics.interactions, items: topics.items, exposures: topics.exposures, models: topics.models },
    stateVersion: version,
    paths: { experiments: experimentsFile, apiKeys: keysFile, dataDir },
    // Generous budgets: the CI machine runs the processors in the same process.
    budgetsMs: { redis_profile: 500, redis_recall: 500, redis_features: 500, ranking: 500 },
    snapshot: { refreshMs: 300 },
    breaker: { failureThreshold: 2, cooldownMs: 1_000 },
    exposures: { flushEveryMs: 50 },
    log: { level: 'silent' },
    ...overrides,
  });
  const api = await startApi(config, silent);
  await api.ready();

  const request = async <T>(method: 'GET' | 'POST', path: string, key: string | undefined, body?: unknown, base = api.url): Promise<{ status: number; body: T }> => {
    const headers: Record<string, string> = key === undefined ? {} : { 'x-api-key': key };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, body: (await response.json()) as T };
  };
  return {
    api,
    url: api.url,
    opsUrl: api.opsUrl,
    version,
    topics,
    redisProxy,
    redis,
    producer,
    dataDir,
    experimentsFile,
    get: (path, key = worldKeys.read) => request('GET', path, key),
    post: (path, body, key) => request('POST', path, key, body),
    opsGet: (path, key) => request('GET', path, key, undefined, api.opsUrl),
    opsPost: (path, body, key) => request('POST', path, key, body, api.opsUrl),
    sendInteractions: async (list) => {
      await producer.send({ topic: topics.interactions, acks: -1, messages: list.map((value) => ({ key: value.user_id, value: interactionCodec.encode(value) })) });
    },
    stop: async () => {
      await api.stop();
      await cooccurrence.stop();
      await features.stop();
      await redisProxy.down();
      await producer.disconnect();
      await cleanUpProcessTest(kafka, redis, {
        groups: [...processorGroupIds(featuresManifest, groupVersion), ...processorGroupIds(cooccurrenceManifest, groupVersion)],
        topics: Object.values(topics),
        version,
      });
      await redis.quit();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
