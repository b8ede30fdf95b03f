/**
 * The API's model registry against the real local stack (Kafka; `npm run stack:up`, `npm run topics -- apply`):
 * each test publishes into a topic of its own, created with the declared config of models.published.v1.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventCodec } from '@streamrec/schemas/avro';
import { createModelLoadGuard, startModelRegistry, type ModelLoadLimits, type ModelRegistry, type ModelRegistryDependencies } from '@streamrec/api/app';
import { loadOnnxRanker } from '@streamrec/ranking/runtime';
import type { ModelRejectionReason } from '@streamrec/ranking';
import { publishModel, publishRaw, unpublishModel, type TopicPosition } from '@streamrec/model/app';
import { encodeOnnxModel, linearRankerModel, linearRankerScore, OPSET_ONNX, syntheticTrees, treeEnsembleRankerModel, treeEnsembleScore, type LinearRankerSpec } from '@streamrec/ranking';
import { buildPublication, ed25519Signer, sha256Hex } from '@streamrec/model/app';
import { createKafka, repoRoot, uniqueSuffix } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';
import { createTopicsReady } from '@streamrec/foundation/kafka';

const kafka = createKafka('model-registry-test');
const MODEL = 'ranker';

interface DeclaredTopic {
  name: string;
  partitions: number;
  config: Record<string, string>;
}
const declared = (JSON.parse(readFileSync(join(repoRoot, 'schemas', 'topics.json'), 'utf8')) as { topics: DeclaredTopic[] }).topics.find(
  (topic) => topic.name === 'models.published.v1',
);
if (declared === undefined) throw new Error('schemas/topics.json does not declare models.published.v1');
const modelsTopic = declared;

const linear = (bias: number): LinearRankerSpec => ({ featureNames: ['ch_transition', 'item_ctr', 'fused_score'], weights: [1.5, -2, 0.25], bias });
const publicationOf = (version: string, spec: LinearRankerSpec) =>
  buildPublication({ name: MODEL, version, onnx: linearRankerModel(spec), featureNames: spec.featureNames, metrics: { auc: 0.7 }, lineage: { trainer: 'test' } });

const created: { topics: string[]; registries: ModelRegistry[] } = { topics: [], registries: [] };

async function createModelsTopic(): Promise<string> {
  const topic = `test.models.${uniqueSuffix()}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicsReady(admin, {
      topics: [{ topic, numPartitions: modelsTopic.partitions, configEntries: Object.entries(modelsTopic.config).map(([name, value]) => ({ name, value })) }],
    });
  } finally {
    await admin.disconnect();
  }
  created.topics.push(topic);
  return topic;
}

interface Recorded {
  loaded: string[];
  rejected: { name: string; reason: ModelRejectionReason }[];
}

async function startRegistry(topic: string, extra: Partial<ModelRegistryDependencies> = {}): Promise<{ registry: ModelRegistry; recorded: Recorded }> {
  const recorded: Recorded = { loaded: [], rejected: [] };
  const registry = await startModelRegistry(
    {
      kafka,
      log: pino({ level: 'silent' }),
      metrics: { loaded: (name, version) => recorded.loaded.push(`${name}@${version}`), rejected: (name, reason) => recorded.rejected.push({ name, reason }) },
      ...extra,
    },
    { topic, releaseDelayMs: 0 },
  );
  created.registries.push(registry);
  return { registry, recorded };
}

const serving = (registry: ModelRegistry): string | undefined => registry.current(MODEL)?.version;

async function waitForVersion(registry: ModelRegistry, version: string | undefined): Promise<void> {
  await waitFor(() => serving(registry) === version, { timeoutMs: 30_000, description: `${MODEL} serving ${version ?? 'nothing'} (now ${serving(registry) ?? 'nothing'})` });
}

async function waitForRejection(registry: ModelRegistry, position: TopicPosition): Promise<ModelRejectionReason> {
  return waitFor(() => {
    const rejection = registry.status().rejections[MODEL];
    return rejection?.offset === position.offset ? rejection.reason : undefined;
  }, { timeoutMs: 30_000, description: `the rejection of offset ${position.offset}` });
}

afterEach(async () => {
  await Promise.all(created.registries.splice(0).map((registry) => registry.stop()));
  const topics = created.topics.splice(0);
  if (topics.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
});

describe('model registry (needs the local stack)', () => {
  it('serves a published model, scores like the hand computation, and swaps in a newer version', async () => {
    const topic = await createModelsTopic();
    const { registry, recorded } = await startRegistry(topic);
    await registry.caughtUp();
    expect(registry.current(MODEL)).toBeUndefined();

    await publishModel(kafka, topic, publicationOf('v1', linear(-0.5)));
    await waitForVersion(registry, 'v1');
    const row = [1, 0.5, 2];
    const [score] = await (registry.current(MODEL)?.score(Float32Array.from(row), 1) ?? Promise.resolve(new Float32Array()));
    expect(score).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 5);

    await publishModel(kafka, topic, publicationOf('v2', linear(1)));
    await waitForVersion(registry, 'v2');
    const [newer] = await (registry.current(MODEL)?.score(Float32Array.from(row), 1) ?? Promise.resolve(new Float32Array()));
    expect(newer).toBeCloseTo(linearRankerScore(linear(1), row), 5);
    expect(recorded.loaded).toEqual([`${MODEL}@v1`, `${MODEL}@v2`]);
    expect(registry.status().models[MODEL]).toMatchObject({ version: 'v2', feature_count: 3 });
  });

  it('keeps the previous version serving when a publication is broken, and reports why', async () => {
    const topic = await createModelsTopic();
    const { registry, recorded } = await startRegistry(topic);
    await publishModel(kafka, topic, publicationOf('good', linear(0)));
    await waitForVersion(registry, 'good');

    const mismatch = { ...publicationOf('bad-checksum', linear(2)), sha256: sha256Hex(new Uint8Array([1, 2, 3])) };
    const garbageBytes = Buffer.from('this is not an ONNX model, whatever its checksum says');
    const garbage = { ...publicationOf('garbage', linear(2)), onnx: garbageBytes, sha256: sha256Hex(garbageBytes) };
    const unknownFeature = buildPublication({ name: MODEL, version: 'unknown-feature', onnx: linearRankerModel({ ...linear(2), featureNames: ['ch_transition', 'item_ctr', 'shoe_size'] }), featureNames: ['ch_transition', 'item_ctr', 'shoe_size'] });
    const cases: [() => Promise<TopicPosition>, ModelRejectionReason][] = [
      [() => publishModel(kafka, topic, mismatch), 'checksum_mismatch'],
      [() => publishModel(kafka, topic, garbage), 'invalid_model'],
      [() => publishModel(kafka, topic, unknownFeature), 'unknown_feature'],
      [() => publishRaw(kafka, topic, MODEL, Buffer.from('not avro at all')), 'undecodable'],
    ];
    for (const [publish, reason] of cases) {
      // One at a time: status() keeps the last rejection per name.
      expect(await waitForRejection(registry, await publish())).toBe(reason);
      expect(serving(registry)).toBe('good');
    }
    expect(recorded.rejected).toEqual(cases.map(([, reason]) => ({ name: MODEL, reason })));
    expect(registry.status().rejections[MODEL]?.message).toMatch(/single-object marker C3 01/);
    const [score] = await (registry.current(MODEL)?.score(Float32Array.from([0, 0, 0]), 1) ?? Promise.resolve(new Float32Array()));
    expect(score).toBeCloseTo(0.5, 6);
  });

  it('with a verification key, serves only publications signed with its private key', async () => {
    const publisher = generateKeyPairSync('ed25519');
    const stranger = generateKeyPairSync('ed25519');
    const topic = await createModelsTopic();
    const { registry, recorded } = await startRegistry(topic, { verifyKey: publisher.publicKey });
    await publishModel(kafka, topic, ed25519Signer(publisher.privateKey).sign(publicationOf('signed', linear(0))));
    await waitForVersion(registry, 'signed');

    const signedThenAltered = { ...ed25519Signer(publisher.privateKey).sign(publicationOf('altered', linear(1))), version: 'altered-later' };
    const cases: [() => Promise<TopicPosition>, ModelRejectionReason][] = [
      [() => publishModel(kafka, topic, publicationOf('unsigned', linear(2))), 'unsigned'],
      [() => publishModel(kafka, topic, ed25519Signer(stranger.privateKey).sign(publicationOf('stranger', linear(2)))), 'signature_invalid'],
      [() => publishModel(kafka, topic, signedThenAltered), 'signature_invalid'],
    ];
    for (const [publish, reason] of cases) {
      expect(await waitForRejection(registry, await publish())).toBe(reason);
      expect(serving(registry)).toBe('signed');
    }
    expect(recorded.rejected).toEqual(cases.map(([, reason]) => ({ name: MODEL, reason })));
    // Rejections leave the registry able to take the next signed version.
    await publishModel(kafka, topic, ed25519Signer(publisher.privateKey).sign(publicationOf('signed-2', linear(3))));
    await waitForVersion(registry, 'signed-2');
  });

  it('unloads a model on a tombstone', async () => {
    const topic = await createModelsTopic();
    const { registry } = await startRegistry(topic);
    await publishModel(kafka, topic, publicationOf('v1', linear(0)));
    await waitForVersion(registry, 'v1');
    await unpublishModel(kafka, topic, MODEL);
    await waitForVersion(registry, undefined);
    expect(registry.status().models).toEqual({});
  });

  it('on a restart re-reads the topic and serves the last valid publication in offset order', async () => {
    const topic = await createModelsTopic();
    await publishModel(kafka, topic, publicationOf('v2', linear(1)));
    await publishModel(kafka, topic, publicationOf('v1-republished', linear(0)));
    await publishModel(kafka, topic, { ...publicationOf('v3-corrupt', linear(3)), sha256: '0'.repeat(64) });
    const { registry, recorded } = await startRegistry(topic);
    await registry.caughtUp();
    expect(serving(registry)).toBe('v1-republished');
    expect(recorded.loaded).toEqual([`${MODEL}@v2`, `${MODEL}@v1-republished`]);
    expect(registry.status()).toMatchObject({ caught_up: true, rejections: { [MODEL]: { version: 'v3-corrupt', reason: 'checksum_mismatch' } } });
  });

  it('serves a tree ensemble larger than the broker-wide message limit (topic max.message.bytes)', async () => {
    const topic = await createModelsTopic();
    const featureNames = ['ch_transition', 'ch_cooccurrence', 'item_ctr', 'fused_score'];
    const spec = { featureNames, trees: syntheticTrees({ trees: 200, depth: 6, featureCount: featureNames.length, seed: 3 }) };
    const trees = treeEnsembleRankerModel(spec);
    // 20 MiB of metadata on top: more than the broker's message.max.bytes (16 MiB), less than the topic's 64 MiB.
    const padded = encodeOnnxModel({ opsets: [OPSET_ONNX], graph: { name: 'probe', nodes: [], inputs: [], outputs: [] }, metadata: { padding: 'x'.repeat(20 * 1024 * 1024) } });
    expect(padded.length).toBeGreaterThan(20 * 1024 * 1024);
    const big = new Uint8Array(trees.length + padded.length - 2);
    big.set(trees);
    // A ModelProto is a list of fields, so appending the padded model's metadata field (after its ir_version) keeps it valid.
    big.set(padded.subarray(2), trees.length);
    const { registry } = await startRegistry(topic);
    const publication = buildPublication({ name: MODEL, version: 'big-trees', onnx: big, featureNames });
    expect(createEventCodec('models.published.v1').encode(publication).length).toBeGreaterThan(20 * 1024 * 1024);
    await publishModel(kafka, topic, publication);
    await waitForVersion(registry, 'big-trees');
    const row = [0.2, 0.9, 0.4, 0.6];
    const [score] = await (registry.current(MODEL)?.score(Float32Array.from(row), 1) ?? Promise.resolve(new Float32Array()));
    expect(score).toBeCloseTo(treeEnsembleScore(spec, row), 4);
  });

  it('refuses a model over models.maxBytes and one that loads longer than models.loadTimeoutMs, releasing it when it ends', async () => {
    const topic = await createModelsTopic();
    const small = publicationOf('small', linear(0));
    // The slow load waits 8 s; the limit of 3 s leaves a tiny linear model ample time even on a busy machine.
    const limits: ModelLoadLimits = { maxBytes: small.onnx.length, loadTimeoutMs: 3_000, quarantineAfterCrashes: 2 };
    const released: string[] = [];
    const { registry } = await startRegistry(topic, {
      loadGuard: await createModelLoadGuard(limits, pino({ level: 'silent' })),
      loadRanker: async (source) => {
        const ranker = await loadOnnxRanker(source);
        if (source.version !== 'slow') return ranker;
        await new Promise((resolve) => setTimeout(resolve, 8_000));
        const release = ranker.release.bind(ranker);
        return Object.assign(ranker, {
          release: async () => {
            released.push(source.version);
            await release();
          },
        });
      },
    });
    await publishModel(kafka, topic, small);
    await waitForVersion(registry, 'small');
    const bigger = buildPublication({ name: MODEL, version: 'bigger', onnx: treeEnsembleRankerModel({ featureNames: linear(0).featureNames, trees: syntheticTrees({ trees: 5, depth: 3, featureCount: 3, seed: 1 }) }), featureNames: linear(0).featureNames });
    expect(bigger.onnx.length).toBeGreaterThan(small.onnx.length);
    expect(await waitForRejection(registry, await publishModel(kafka, topic, bigger))).toBe('too_large');
    expect(registry.status().rejections[MODEL]?.message).toMatch(/more than models\.maxBytes/);
    const slow = { ...publicationOf('slow', linear(0)), version: 'slow' };
    expect(await waitForRejection(registry, await publishModel(kafka, topic, slow))).toBe('load_timeout');
    expect(serving(registry)).toBe('small');
    await waitFor(() => released.includes('slow'), { timeoutMs: 30_000, description: 'the late session to be released' });
  });

  it('a model whose load kills the process is quarantined after two crashes, so a restart serves again instead of crash-looping', async () => {
    const topic = await createModelsTopic();
    const dir = mkdtempSync(join(tmpdir(), 'streamrec-model-journal-'));
    const journal = join(dir, 'model-loads.json');
    try {
      await publishModel(kafka, topic, publicationOf('v1', linear(0)));
      const crashing = publicationOf('v2-crashes', linear(5));
      await publishModel(kafka, topic, crashing);
      const child = (): Promise<{ signal: string | null; status?: { models: Record<string, { version: string }>; rejections: Record<string, { version: string; reason: string; message: string }> } }> =>
        new Promise((resolve) => {
          execFile(process.execPath, ['--import', 'tsx', join('test', 'helpers', 'model-registry-child.ts'), topic, journal, crashing.sha256], { cwd: repoRoot, timeout: 120_000 }, (error, stdout) => {
            const signal = error === null ? null : (error.signal ?? `exit ${String(error.code)}`);
            resolve(stdout.trim() === '' ? { signal } : { signal, status: JSON.parse(stdout.trim().split('\n').pop()!) as never });
          });
        });
      expect((await child()).signal).toBe('SIGKILL');
      expect(JSON.parse(readFileSync(journal, 'utf8'))).toEqual({ [crashing.sha256]: 1 });
      expect((await child()).signal).toBe('SIGKILL');
      const third = await child();
      expect(third.signal).toBeNull();
      expect(third.status?.models[MODEL]?.version).toBe('v1');
      expect(third.status?.rejections[MODEL]).toMatchObject({ version: 'v2-crashes', reason: 'quarantined' });
      expect(third.status?.rejections[MODEL]?.message).toMatch(/stopped this process 2 times; quarantined/);
      // Other bytes are not affected: a fixed version published after it loads.
      await publishModel(kafka, topic, publicationOf('v3', linear(1)));
      expect((await child()).status?.models[MODEL]?.version).toBe('v3');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
