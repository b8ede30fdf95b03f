// Integration: needs the local stack (npm run setup). Degradation paths of the API on real Redis, Kafka, ONNX and ClickHouse.
import { RANKING_FEATURES } from '@streamrec/ranking';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { ClickHouseClient } from '@clickhouse/client';
import { encodeOnnxModel, linearRankerModel, OnnxDataType, OPSET_ONNX, RANKER_INPUT, RANKER_OUTPUT } from '@streamrec/ranking';
import { rankerInput, rankerOutput } from '@streamrec/ranking';
import { buildPublication } from '@streamrec/model/app';
import { publishModel } from '@streamrec/model/app';
import { startClickHouseSink, type RunningClickHouseSink } from '@streamrec/clickhouse-sink/app';
import { parseClickHouseSinkConfig } from '@streamrec/clickhouse-sink/app';
import { interaction, startApiWorld, worldKeys, type ApiWorld } from '../helpers/api-world.js';
import { createClickHouse } from '../helpers/clickhouse.js';
import { processTestConfig } from '../helpers/process-test.js';
import { createKafka, stackEnv, uniqueSuffix } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';
import { createTopicsReady } from '@streamrec/foundation/kafka';

interface RecommendationBody {
  readonly request_id: string;
  readonly items: { item_id: string; channels: string[] }[];
  readonly model: { name: string; version: string } | null;
  readonly degraded_reasons: string[];
}

const kafka = createKafka('test-api-degradation');
const suffix = uniqueSuffix();
const sinkTopics = { interactions: `test.apisink.i.${suffix}`, items: `test.apisink.it.${suffix}`, users: `test.apisink.u.${suffix}`, orders: `test.apisink.o.${suffix}`, orderItems: `test.apisink.oi.${suffix}` };
let world: ApiWorld;
let sink: RunningClickHouseSink | undefined;
let clickhouse: ClickHouseClient;
const recommend = (user: string) => world.get<RecommendationBody>(`/v1/recommendations?user_id=${user}&limit=8`);

/** sqrt(0.9 − channel_count): finite on the registry's warm-up rows (values < 0.9), NaN on every real candidate. */
function nanAtServingModel(): Uint8Array {
  return encodeOnnxModel({
    producerName: 'test',
    producerVersion: '1',
    doc: 'breaks at serving time only',
    opsets: [OPSET_ONNX],
    metadata: {},
    graph: {
      name: 'nan_at_serving',
      inputs: [rankerInput(1)],
      outputs: [rankerOutput()],
      initializers: [
        { name: 'minus_one', dataType: OnnxDataType.Float, dims: [1, 1], values: [-1] },
        { name: 'bias', dataType: OnnxDataType.Float, dims: [1], values: [0.9] },
      ],
      nodes: [
        { opType: 'MatMul', name: 'negate', inputs: [RANKER_INPUT, 'minus_one'], outputs: ['negated'] },
        { opType: 'Add', name: 'shift', inputs: ['negated', 'bias'], outputs: ['shifted'] },
        { opType: 'Sqrt', name: 'root', inputs: ['shifted'], outputs: [RANKER_OUTPUT] },
      ],
    },
  });
}

async function publish(version: string, onnx: Uint8Array, featureNames: readonly string[]): Promise<void> {
  await publishModel(kafka, world.topics.models, buildPublication({ name: 'ranker', version, onnx, featureNames }));
}

const goodModel = (): Uint8Array => linearRankerModel({ featureNames: ['fused_score', 'ch_transition'], weights: [1, 0.5], bias: 0 });

beforeAll(async () => {
  world = await startApiWorld();
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsReady(admin, { topics: Object.values(sinkTopics).map((topic) => ({ topic, numPartitions: 1 })) });
  await admin.disconnect();
  clickhouse = createClickHouse();
  sink = await startClickHouseSink(
    parseClickHouseSinkConfig({
      ...processTestConfig('clickhouse-sink', { suffix, version: world.version, groupVersion: `test-${suffix}` }),
      startFrom: 'earliest',
      topics: { ...sinkTopics, exposures: world.topics.exposures },
      clickhouse: { url: `http://${stackEnv['STREAMREC_HOST'] ?? '127.0.0.1'}:${stackEnv['STREAMREC_CLICKHOUSE_HTTP_PORT'] ?? '18123'}`, username: stackEnv['STREAMREC_CLICKHOUSE_USER'], password: stackEnv['STREAMREC_CLICKHOUSE_PASSWORD'] },
      flush: { maxRows: 1_000, maxDelayMs: 200 },
    }),
    pino({ level: 'silent' }),
  );
  const now = Date.now();
  const seeded = [];
  for (let index = 0; index < 20; index += 1) {
    seeded.push(interaction(`crowd-${index}`, 1 + (index % 4), 'view', now - 3_600_000 + index * 1_000, `seed:${index}:a`));
    seeded.push(interaction(`crowd-${index}`, 5 + (index % 4), 'view', now - 3_600_000 + index * 1_000 + 500, `seed:${index}:b`));
  }
  seeded.push(interaction('regular', 1, 'view', now - 60_000, 'seed:regular'));
  await world.sendInteractions(seeded);
  await waitFor(async () => (await recommend('regular')).body.items.some(({ channels }) => channels.includes('cooccurrence')), { timeoutMs: 60_000, description: 'seeded state' });
});

afterAll(async () => {
  await sink?.stop();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: Object.values(sinkTopics) }).catch(() => undefined);
  await admin.deleteGroups([`clickhouse-sink-test-${suffix}`]).catch(() => undefined);
  await admin.disconnect();
  await clickhouse?.close();
  await world?.stop();
});

describe('degradation on the real stack', () => {
  it('Redis stopped → 200 with degraded: the user’s last answer, else popular; back to the full path when Redis returns', async () => {
    const healthy = await recommend('regular');
    expect(healthy.body.degraded_reasons).not.toContain('redis_unavailable');
    await world.api.parts.snapshot.refresh();
    await world.redisProxy.down();
    try {
      const cached = await recommend('regular');
      expect(cached.status).toBe(200);
      expect(cached.body.degraded_reasons).toEqual(['redis_unavailable', 'fallback_user_cache']);
      expect(cached.body.items.map(({ item_id }) => item_id)).toEqual(healthy.body.items.map(({ item_id }) => item_id));
      const stranger = await recommend('never-seen');
      expect(stranger.status).toBe(200);
      expect(stranger.body.degraded_reasons).toEqual(['redis_unavailable', 'fallback_popular']);
      expect(stranger.body.items.length).toBeGreaterThan(0);
      const popular = await world.get<{ degraded_reasons: string[]; items: unknown[] }>('/v1/popular?window=24h');
      expect(popular.status).toBe(200);
      expect(popular.body.degraded_reasons).toContain('fallback_popular');
      // Item 17's neighbour lists were never read (not cached), so they need Redis.
      const similar = await world.get<{ degraded_reasons: string[]; items: unknown[] }>('/v1/items/17/similar');
      expect(similar.status).toBe(200);
      expect(similar.body.degraded_reasons).toEqual(['recall_partial']);
      const readiness = await world.opsGet<{ ready: boolean; checks: { redis: { ok: boolean } } }>('/readyz');
      expect(readiness.body).toMatchObject({ ready: true, checks: { redis: { ok: false } } });
      // The degradation is on the exposure that ClickHouse receives.
      await waitFor(
        async () => {
          const rows = await clickhouse.query({ query: `SELECT degraded_reasons FROM streamrec.exposures WHERE request_id = '${cached.body.request_id}'`, format: 'JSONEachRow' });
          const [row] = await rows.json<{ degraded_reasons: string[] }>();
          return row?.degraded_reasons.join(',') === 'redis_unavailable,fallback_user_cache';
        },
        { timeoutMs: 20_000, description: 'the degraded exposure in ClickHouse' },
      );
    } finally {
      await world.redisProxy.up();
    }
    await waitFor(async () => !(await recommend('regular')).body.degraded_reasons.includes('redis_unavailable'), { timeoutMs: 15_000, description: 'Redis reads to recover' });
  });

  it('exposures arrive in ClickHouse with the shown items, channels, scores and the features each was ranked with', async () => {
    await publish('good-1', goodModel(), ['fused_score', 'ch_transition']);
    const answer = await waitFor(async () => {
      const response = await recommend('regular');
      return response.body.model?.version === 'good-1' && response.body.degraded_reasons.length === 0 ? response.body : undefined;
    }, { timeoutMs: 30_000, description: 'the published model to serve' });
    const row = await waitFor(
      async () => {
        const result = await clickhouse.query({
          // Shown items first; then the sampled ranked candidates that were not shown (shown = 0).
          query: `SELECT user_id, model_version, feature_names, arrayFilter((x, flag) -> flag = 1, items.item_id, items.shown) AS ids, arrayFilter((x, flag) -> flag = 1, items.channel, items.shown) AS channels, items.features AS features, items.shown AS shown_flags FROM streamrec.exposures WHERE request_id = '${answer.request_id}'`,
          format: 'JSONEachRow',
        });
        return (await result.json<{ user_id: string; model_version: string; feature_names: string[]; ids: string[]; channels: string[]; features: number[][]; shown_flags: number[] }>())[0];
      },
      { timeoutMs: 20_000, description: 'the exposure row in ClickHouse' },
    );
    // Every ranking feature is logged, not only the serving model's two: a later model learns from all of them.
    expect(row).toMatchObject({ user_id: 'regular', model_version: 'good-1', feature_names: [...RANKING_FEATURES] });
    expect(row.ids.map(String)).toEqual(answer.items.map(({ item_id }) => item_id));
    expect(row.channels).toEqual(answer.items.map(({ channels }) => channels[0]));
    expect(row.features.every((vector) => vector.length === RANKING_FEATURES.length)).toBe(true);
    expect(row.shown_flags.slice(0, answer.items.length).every((flag) => flag === 1)).toBe(true);
    expect(row.shown_flags.slice(answer.items.length).every((flag) => flag === 0)).toBe(true);
  });

  it('a broken model → fused recall order, the breaker opens; a good model closes it after the cooldown', async () => {
    await publish('broken-1', nanAtServingModel(), ['channel_count']);
    const failures = await waitFor(async () => {
      const { body } = await recommend('regular');
      return body.degraded_reasons.includes('ranker_failed') ? body : undefined;
    }, { timeoutMs: 30_000, description: 'the broken model to be loaded and fail' });
    expect(failures.model).toBeNull();
    expect(failures.items.length).toBeGreaterThan(0);
    const open = await waitFor(async () => {
      const { body } = await recommend('regular');
      return body.degraded_reasons.includes('ranker_breaker_open') ? body : undefined;
    }, { timeoutMs: 10_000, description: 'the breaker to open' });
    expect(open.items.length).toBeGreaterThan(0);
    const status = await world.opsGet<{ breakers: Record<string, string> }>('/admin/status', worldKeys.admin);
    expect(status.body.breakers['ranker']).toBe('open');

    await publish('good-2', goodModel(), ['fused_score', 'ch_transition']);
    const recovered = await waitFor(async () => {
      const { body } = await recommend('regular');
      return body.model?.version === 'good-2' && body.degraded_reasons.length === 0 ? body : undefined;
    }, { timeoutMs: 30_000, description: 'the breaker to close on the good model' });
    expect(recovered.items.length).toBeGreaterThan(0);
    expect((await world.opsGet<{ breakers: Record<string, string> }>('/admin/status', worldKeys.admin)).body.breakers['ranker']).toBe('closed');
    const metrics = await fetch(`${world.opsUrl}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(/recommendation_degraded_total\{reason="ranker_failed",service="api"\} [1-9]/);
    expect(metrics).toMatch(/recommendation_degraded_total\{reason="ranker_breaker_open",service="api"\} [1-9]/);
  });
});
