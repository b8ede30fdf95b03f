/**
 * Integration (needs the local stack's Kafka and Redis only; no MariaDB or Connect: the test writes
 * Debezium-shaped change events to the cdc.matomo.* topics itself): streams/normalize with a state
 * cache of 10 entries per store, fed far more distinct actions and visitors than that, gives the same
 * interactions and the same Redis state as a run whose cache holds everything — in-process with a
 * restart, and as a child process killed with -9 mid-stream — while its caches stay at 10 entries.
 *
 * Every run reads exactly the same records in the same order: the test produces them in phases of one
 * topic-partition each and waits for the run to apply a phase before producing the next, so the
 * cross-topic interleaving (which decides parking and stitching) is the same in every run. Each run
 * starts at its own records (STREAMREC_NORMALIZE_START_AT), and comparisons are restricted to the
 * test's own ids, so change events others write to the shared topics meanwhile cannot disturb them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Partitioners, type Producer } from 'kafkajs';
import type { Redis } from 'ioredis';
import { parseStateVersion, seededRandom, type StateVersion } from '@streamrec/foundation';
import { createRootLogger } from '@streamrec/foundation/process';
import { AvroSchemaName, createEventCodec } from '@streamrec/schemas/avro';
import type { Interaction } from '@streamrec/schemas';
import { keyedVisitorPseudonym, loadNormalizeConfig, normalizeOffsetsKey, offsetField, startNormalize, type RunningNormalize } from '@streamrec/normalize/app';
import { createRedis, scanKeys } from '../helpers/redis.js';
import { createKafka, kafkaAdminVariables, uniqueSuffix } from '../helpers/stack.js';
import { StreamChild } from '../helpers/stream-child.js';
import { TopicTail } from '../helpers/topic-tail.js';
import { waitFor } from '../helpers/wait-for.js';

const CAPACITY = 10;
const suffix = uniqueSuffix();
const kafka = createKafka('test-normalize-bounded');
const log = createRootLogger({ name: 'normalize-bounded-test', level: 'warn', pretty: false });
const interactionCodec = createEventCodec(AvroSchemaName.Interactions);
const topics = { action: 'cdc.matomo.matomo_log_action', linkVisitAction: 'cdc.matomo.matomo_log_link_visit_action', visit: 'cdc.matomo.matomo_log_visit' } as const;

// Test-owned id ranges, far from the demo data's and random per run.
const { random } = Math;
const actionBase = 3_000_000_000 + Math.floor(random() * 1_000_000) * 1_000; // uint32
const itemBase = 900_000_000 + Math.floor(random() * 1_000) * 10_000;
const linkVisitActionBase = 800_000_000_000 + Math.floor(random() * 1_000_000) * 10_000;
const userBase = 9_100_000_000 + Math.floor(random() * 1_000_000) * 1_000;
const visitorPrefix = Math.floor(random() * 0xffffff).toString(16).padStart(6, '0');
const DISTINCT = { pages: 80, visitors: 60, users: 15 } as const;
const CATEGORY = actionBase + 900;
const DOWNLOAD = actionBase + 901;
const pageAction = (k: number): number => actionBase + k;
const nameAction = (k: number): number => actionBase + 400 + k;
const visitorOf = (k: number): string => `${visitorPrefix}${k.toString(16).padStart(10, '0')}`;
/** What normalize writes for the test's visitors: their keyed pseudonyms (the stack's key, which every process here loads). */
const visitorPseudonym = keyedVisitorPseudonym(loadNormalizeConfig({ ...kafkaAdminVariables }).visitorPseudonymKey);
const testVisitors: ReadonlySet<string> = new Set(Array.from({ length: DISTINCT.visitors + 1 }, (_, k) => visitorPseudonym(visitorOf(k))));

type Row = Record<string, unknown>;
interface Phase {
  readonly topic: string;
  readonly rows: readonly Row[];
}

/**
 * Phases of Matomo rows over many more distinct actions and visitors than the cache holds: pageviews
 * and download events (some before their actions arrive: parked), visits that log visitors in
 * (stitching), and re-deliveries of earlier rows.
 */
function phases(seed: number): Phase[] {
  const next = seededRandom(seed);
  const pick = (n: number): number => 1 + Math.floor(next() * n);
  const result: Phase[] = [{ topic: topics.action, rows: [actionRow(CATEGORY, 10, 'dataset'), actionRow(DOWNLOAD, 11, 'download')] }];
  let linkVisitAction = linkVisitActionBase;
  for (let phase = 0; phase < 24; phase += 1) {
    const at = Date.UTC(2026, 0, 5) + phase * 60_000;
    const rows: Row[] = [];
    const kind = phase % 3;
    for (let n = 0; n < 30; n += 1) {
      const visitor = visitorOf(pick(DISTINCT.visitors));
      const item = pick(DISTINCT.pages);
      if (kind === 0) rows.push(next() < 0.5 ? actionRow(pageAction(item), 1, `market.example.com/datasets/${itemBase + item}`) : actionRow(nameAction(item), 12, String(itemBase + item)));
      else if (kind === 1) {
        linkVisitAction += 1;
        const event = next() < 0.3;
        rows.push({
          idlink_va: linkVisitAction,
          idvisitor: visitor,
          idvisit: linkVisitAction,
          server_time: at + n,
          idaction_url: event ? 0 : pageAction(item),
          idaction_name: event ? nameAction(item) : null,
          idaction_event_category: event ? CATEGORY : null,
          idaction_event_action: event ? DOWNLOAD : null,
          custom_float: null,
        });
      } else {
        const user = next() < 0.2 ? null : String(userBase + pick(DISTINCT.users));
        rows.push({ idvisit: linkVisitActionBase + phase * 100 + n, idvisitor: visitor, user_id: user, visit_last_action_time: at + n });
      }
    }
    // Debezium is at-least-once: some rows of the phase again.
    rows.push(...rows.filter(() => next() < 0.1));
    result.push({ topic: kind === 0 ? topics.action : kind === 1 ? topics.linkVisitAction : topics.visit, rows });
  }
  return result;
}

function actionRow(idaction: number, type: number, name: string): Row {
  return { idaction, name, type };
}

let position = 4;
function envelope(topic: string, row: Row): string {
  position += 100;
  const table = topic.split('.')[2];
  return JSON.stringify({
    before: null,
    after: row,
    op: 'c',
    ts_ms: Date.now(),
    source: { version: '3.5.0.Final', connector: 'mariadb', name: 'cdc', ts_ms: Date.now(), snapshot: 'false', db: 'matomo', table, server_id: 1, file: 'binlog.000001', pos: position, row: 0 },
    transaction: null,
  });
}

/** Whether a state field or value belongs to the test (its action ids, visitors or link_visit_action ids). */
function owned(text: string): boolean {
  for (const visitor of testVisitors) if (text.includes(visitor)) return true;
  return (text.match(/\d{9,}/g) ?? []).some((digits) => {
    const id = Number(digits);
    return (id >= actionBase && id < actionBase + 1_000) || (id > linkVisitActionBase && id < linkVisitActionBase + 10_000);
  });
}

/** The test-owned part of a state version: store → sorted [field, value] pairs (offsets and ring cursors left out). */
async function ownedState(redis: Redis, version: StateVersion): Promise<Record<string, [string, string][]>> {
  const state: Record<string, [string, string][]> = {};
  for (const key of await scanKeys(redis, `sr:${version}:{normalize}:*`)) {
    const store = key.slice(`sr:${version}:{normalize}:`.length);
    if (store === 'offsets' || store === 'cursors') continue;
    const fields = Object.entries(await redis.hgetall(key)).filter(([field, value]) => owned(field) || owned(value));
    // Ring slots: which test keys hold a slot, not which slot (others' records may take slots in between).
    state[store] = store === 'ringSlots' ? fields.map(([field, value]): [string, string] => [field.split(':')[0] ?? '', value]).sort() : fields.sort();
  }
  return state;
}

/** What a run emitted about the test's visitors, without the ingest time (a wall clock), as sorted JSON. */
function ownedInteractions(tail: TopicTail): string[] {
  return tail
    .of(AvroSchemaName.Interactions)
    .flatMap((record) => {
      try {
        return [interactionCodec.decode(record.value ?? Buffer.alloc(0))];
      } catch {
        return [];
      }
    })
    .filter((interaction: Interaction) => interaction.visitor_id !== null && testVisitors.has(interaction.visitor_id))
    .map((interaction) => JSON.stringify({ ...interaction, ingest_time: 0 }))
    .sort();
}

interface RunResult {
  readonly interactions: string[];
  readonly state: Record<string, [string, string][]>;
}

interface RunControl {
  /** Called after each phase is produced (and before it is applied): restarts, kills. */
  afterProduce?(phase: number): Promise<void>;
}

let redis: Redis;
let producer: Producer;
const versions: StateVersion[] = [];
const groups: string[] = [];
const children: StreamChild[] = [];

const newVersion = (): StateVersion => {
  const version = parseStateVersion(`v${900_000 + Math.floor(Math.random() * 90_000)}`);
  versions.push(version);
  return version;
};

/** Produces the phases one by one, each waited for until `version` stored its last offset, and collects the run's outputs. */
async function feed(version: StateVersion, control: RunControl = {}): Promise<RunResult> {
  const tail = new TopicTail(kafka, [AvroSchemaName.Interactions]);
  await tail.start();
  try {
    for (const [index, phase] of phases(17).entries()) {
      const [meta] = await producer.send({ topic: phase.topic, acks: -1, messages: phase.rows.map((row) => ({ partition: 0, key: null, value: envelope(phase.topic, row) })) });
      const last = BigInt(meta?.baseOffset ?? '0') + BigInt(phase.rows.length - 1);
      await control.afterProduce?.(index);
      await waitFor(async () => BigInt((await redis.hget(normalizeOffsetsKey(version), offsetField(phase.topic, 0))) ?? '-1') >= last, {
        timeoutMs: 90_000,
        description: `phase ${index} (${phase.topic}) applied by ${version}`,
      });
    }
    await waitFor(() => tail.caughtUp(AvroSchemaName.Interactions), { timeoutMs: 20_000, description: 'the tail to read every interaction' });
    return { interactions: ownedInteractions(tail), state: await ownedState(redis, version) };
  } finally {
    await tail.stop();
  }
}

function inProcessConfig(version: StateVersion, capacity: number) {
  const groupId = `test-normalize-bounded-${version}-${suffix}`;
  groups.push(groupId);
  return loadNormalizeConfig({
    ...kafkaAdminVariables,
    STREAMREC_NORMALIZE_STATE_VERSION: version,
    STREAMREC_NORMALIZE_GROUP_ID: groupId,
    STREAMREC_NORMALIZE_FROM_BEGINNING: 'false',
    STREAMREC_NORMALIZE_START_AT: String(Date.now()),
    STREAMREC_NORMALIZE_MAX_RETRY_DELAY_MS: '1000',
    STREAMREC_NORMALIZE_STATE_CACHE_CAPACITY: String(capacity),
  });
}

/** The value of a gauge or counter of a running normaliser, per `store` label. */
async function metricByStore(processor: RunningNormalize, name: string): Promise<Map<string, number>> {
  const metric = await processor.metrics.registry.getSingleMetric(name)?.get();
  return new Map((metric?.values ?? []).map((sample) => [String(sample.labels['store']), sample.value]));
}

beforeAll(async () => {
  redis = createRedis();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
});

afterAll(async () => {
  for (const child of children) await child.stop();
  await producer.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups(groups).catch(() => undefined);
  await admin.disconnect();
  for (const version of versions) {
    const keys = await scanKeys(redis, `sr:${version}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await redis.quit();
});

describe('streams/normalize with a bounded state cache', () => {
  let reference: RunResult;

  beforeAll(async () => {
    // The reference: a cache large enough to hold everything, as the whole state in memory did.
    const version = newVersion();
    const processor = await startNormalize(inProcessConfig(version, 1_000_000), { log, serveMetrics: false });
    try {
      await processor.fetching();
      reference = await feed(version);
    } finally {
      await processor.stop();
    }
    // The scenario is not trivial: parked rows, stitched copies, and many more keys than the cache holds.
    expect(reference.interactions.length).toBeGreaterThan(200);
    expect(reference.interactions.some((json) => json.includes('"event_id":"stitch:'))).toBe(true);
    expect(reference.state['actions']?.length).toBeGreaterThan(5 * CAPACITY);
    expect(reference.state['visitors']?.length).toBeGreaterThan(CAPACITY);
  });

  it('with 10 entries per store gives the same interactions and Redis state as the unbounded run, across a restart, its caches staying at 10', async () => {
    const version = newVersion();
    const config = inProcessConfig(version, CAPACITY);
    let processor = await startNormalize(config, { log, serveMetrics: false });
    const largest = new Map<string, number>();
    const sample = async (): Promise<void> => {
      for (const [store, entries] of await metricByStore(processor, 'normalize_state_cache_entries')) largest.set(store, Math.max(largest.get(store) ?? 0, entries));
    };
    let misses = 0;
    try {
      await processor.fetching();
      const result = await feed(version, {
        async afterProduce(phase) {
          await sample();
          if (phase !== 12) return;
          // A restart: empty caches, the resident state loaded again, everything else read lazily.
          misses += [...(await metricByStore(processor, 'normalize_state_cache_misses_total')).values()].reduce((a, b) => a + b, 0);
          await processor.stop();
          processor = await startNormalize(config, { log, serveMetrics: false });
        },
      });
      await sample();
      expect(result.interactions).toEqual(reference.interactions);
      expect(result.state).toEqual(reference.state);
      expect(largest.get('actions')).toBe(CAPACITY);
      expect(largest.get('visitors')).toBe(CAPACITY);
      for (const entries of largest.values()) expect(entries).toBeLessThanOrEqual(CAPACITY);
      const hits = await metricByStore(processor, 'normalize_state_cache_hits_total');
      const evictions = await metricByStore(processor, 'normalize_state_cache_evictions_total');
      misses += [...(await metricByStore(processor, 'normalize_state_cache_misses_total')).values()].reduce((a, b) => a + b, 0);
      expect(hits.get('actions')).toBeGreaterThan(0);
      expect(evictions.get('actions')).toBeGreaterThan(0);
      expect(misses).toBeGreaterThan(reference.state['actions']?.length ?? 0); // evicted keys were read again
    } finally {
      await processor.stop();
    }
  });

  it('with 10 entries per store gives the same interactions and Redis state after a kill -9 mid-stream', async () => {
    const version = newVersion();
    const groupId = `test-normalize-bounded-kill-${version}-${suffix}`;
    groups.push(groupId);
    const child = new StreamChild(
      'normalize',
      {
        STREAMREC_NORMALIZE_STATE_VERSION: version,
        STREAMREC_NORMALIZE_GROUP_ID: groupId,
        STREAMREC_NORMALIZE_FROM_BEGINNING: 'false',
        STREAMREC_NORMALIZE_START_AT: String(Date.now()),
        STREAMREC_NORMALIZE_MAX_RETRY_DELAY_MS: '1000',
        STREAMREC_NORMALIZE_STATE_CACHE_CAPACITY: String(CAPACITY),
        STREAMREC_NORMALIZE_METRICS_PORT: '0',
        STREAMREC_NORMALIZE_LOG_LEVEL: 'warn',
      },
      join(tmpdir(), `normalize-bounded-${suffix}.log`),
    );
    children.push(child);
    // No need to wait for the group to join: the child starts at START_AT, before the first phase.
    child.start();
    const result = await feed(version, {
      async afterProduce(phase) {
        if (child.crashed !== undefined) throw new Error(child.crashed);
        if (phase !== 10) return;
        await child.kill9();
        child.start();
      },
    });
    await child.stop();
    expect(child.kills).toBe(1);
    // A batch in flight at the kill is produced again (same ids, same content): compare distinct events.
    expect([...new Set(result.interactions)]).toEqual([...new Set(reference.interactions)]);
    expect(result.state).toEqual(reference.state);
  });
});
