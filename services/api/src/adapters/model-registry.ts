import { createHash, randomUUID, verify, type KeyObject } from 'node:crypto';
import type { Consumer, ConsumerRunConfig, Kafka, KafkaMessage } from 'kafkajs';
import { isAppError } from '@streamrec/foundation';
import { keepConsumerRunning, nonEmptyEndOffsets } from '@streamrec/foundation/kafka';
import { type Logger } from '@streamrec/foundation/process';
import { createEventCodec } from '@streamrec/schemas/avro';
import { type ModelPublication } from '@streamrec/schemas';
import {
  checkPublication,
  MODEL_SIGNATURE_LINEAGE_KEY,
  ModelRejectionReason,
  signedContent,
  withModel,
  type LoadedModelStatus,
  type ModelRejection,
  type ModelRegistryStatus,
} from '@streamrec/ranking';
import type { RankerModel, RankerModels } from '../domain/serving/ports.js';
import { loadOnnxRanker, type OnnxRanker, type OnnxRankerSource } from '@streamrec/ranking/runtime';
import { createModelLoadGuard, DEFAULT_MODEL_LOAD_LIMITS, ModelLoadTimeout, type ModelLoadGuard } from './model-load-guard.js';

/** Callbacks the API wires to prom-client counters. */
export interface ModelRegistryMetrics {
  loaded(name: string, version: string): void;
  rejected(name: string, reason: ModelRejectionReason): void;
  /** A tombstone removed the name: nothing serves it any more. */
  unloaded?(name: string): void;
}

export interface ModelRegistryOptions {
  /** models.published.v1, or a test's own copy. */
  readonly topic: string;
  /** A group of its own per process (default: a random one): every instance reads the whole compacted topic; nothing is committed. */
  readonly groupId?: string;
  /** How long a replaced or unloaded model stays usable by requests that already hold it (default 10 s). */
  readonly releaseDelayMs?: number;
}

export interface ModelRegistryDependencies {
  readonly kafka: Kafka;
  readonly log: Logger;
  readonly metrics: ModelRegistryMetrics;
  /** Epoch milliseconds (default Date.now). */
  readonly now?: () => number;
  /** Loads verified bytes into a warmed-up ranker (default: the onnxruntime adapter). */
  readonly loadRanker?: (source: OnnxRankerSource) => Promise<OnnxRanker>;
  /** Size and time bounds on a load, and the crash quarantine (default: the default bounds, no quarantine). */
  readonly loadGuard?: ModelLoadGuard;
  /**
   * The publishers' Ed25519 public key: when given, a publication without a valid signature
   * (`lineage.signature_ed25519`) is refused before its bytes are loaded. Undefined: not verified.
   */
  readonly verifyKey?: KeyObject;
}

export interface ModelRegistry extends RankerModels {
  /** Resolves once every publication present at start was applied (loaded or rejected). */
  caughtUp(): Promise<void>;
  isCaughtUp(): boolean;
  status(): ModelRegistryStatus;
  /** Stops consuming and releases every model. */
  stop(): Promise<void>;
}

interface ServingModel {
  readonly ranker: OnnxRanker;
  readonly status: LoadedModelStatus;
}

/** Records of up to the topic's max.message.bytes (64 MiB) must fit in one fetch. */
const MAX_FETCH_BYTES = 80 * 1024 * 1024;
const NO_KEY = '(no key)';

/**
 * Serves the latest valid publication per model name from the compacted models.published.v1: reads it
 * from the beginning on every start, then follows new publications. Each one is decoded, its checksum
 * and format checked, loaded and warmed up, and only then swapped in (one assignment of a new table), so a
 * broken publication leaves the previous model serving; it is logged, counted and kept in `status()`.
 * Records apply in offset order (one partition per key), so on a re-read the last one wins, as compaction
 * would have it. A tombstone unloads the name.
 */
export async function startModelRegistry(deps: ModelRegistryDependencies, options: ModelRegistryOptions): Promise<ModelRegistry> {
  const { kafka, metrics } = deps;
  const log = deps.log.child({ component: 'model-registry', topic: options.topic });
  const now = deps.now ?? Date.now;
  const loadRanker = deps.loadRanker ?? ((source: OnnxRankerSource) => loadOnnxRanker(source));
  const releaseDelayMs = options.releaseDelayMs ?? 10_000;
  const codec = createEventCodec('models.published.v1');
  const guard = deps.loadGuard ?? (await createModelLoadGuard(DEFAULT_MODEL_LOAD_LIMITS, log));

  let table: ReadonlyMap<string, ServingModel> = new Map();
  const rejections = new Map<string, ModelRejection>();
  const retiring = new Map<ReturnType<typeof setTimeout>, OnnxRanker>();

  const retire = (model: ServingModel | undefined): void => {
    if (model === undefined) return;
    const timer = setTimeout(() => {
      retiring.delete(timer);
      model.ranker.release().catch((error: unknown) => log.warn({ err: error, model: model.ranker.name, version: model.ranker.version }, 'model release failed'));
    }, releaseDelayMs);
    timer.unref();
    retiring.set(timer, model.ranker);
  };

  const swap = (name: string, model: ServingModel | undefined): void => {
    const previous = table.get(name);
    table = withModel(table, name, model);
    retire(previous);
  };

  const reject = (name: string, version: string | null, reason: ModelRejectionReason, message: string, offset: string, error?: unknown): void => {
    rejections.set(name, { version, reason, message, at: now(), offset });
    metrics.rejected(name, reason);
    const serving = table.get(name)?.ranker.version ?? null;
    log.error({ model: name, version, reason, offset, serving, ...(error === undefined ? {} : { err: error }) }, `model publication rejected: ${message}`);
  };

  const apply = async (message: KafkaMessage): Promise<void> => {
    const key = message.key?.toString('utf8');
    if (message.value === null) {
      if (key === undefined) return;
      const previous = table.get(key);
      swap(key, undefined);
      metrics.unloaded?.(key);
      log.info({ model: key, offset: message.offset, unloaded: previous?.ranker.version ?? null }, 'model unloaded (tombstone)');
      return;
    }
    let publication: ModelPublication;
    try {
      publication = codec.decode(message.value);
    } catch (error) {
      if (!isAppError(error)) throw error;
      reject(key ?? NO_KEY, null, ModelRejectionReason.Undecodable, error.message, message.offset, error);
      return;
    }
    const name = key ?? NO_KEY;
    const sha256 = createHash('sha256').update(publication.onnx).digest('hex');
    const check = key === undefined ? { ok: false as const, reason: ModelRejectionReason.InvalidMetadata, message: 'record has no key' } : checkPublication(key, publication, sha256);
    if (!check.ok) {
      reject(name, publication.version, check.reason, check.message, message.offset);
      return;
    }
    const signature = deps.verifyKey === undefined ? undefined : signatureCheck(publication, deps.verifyKey);
    if (signature !== undefined) {
      reject(name, publication.version, signature.reason, signature.message, message.offset);
      return;
    }
    const label = `model ${name}@${publication.version}`;
    const admission = await guard.admit(sha256, publication.onnx.length, label);
    if (!admission.ok) {
      reject(name, publication.version, admission.reason, admission.message, message.offset);
      return;
    }
    // Settled when onnxruntime is done with the bytes, even after a timeout: only a load that never ends counts as a crash.
    const loading = loadRanker({ name, version: publication.version, featureNames: publication.feature_names, onnx: publication.onnx }).finally(() => guard.settle(sha256));
    let ranker: OnnxRanker;
    try {
      ranker = await guard.bounded(loading, (late) => late.release(), label);
    } catch (error) {
      const reason = error instanceof ModelLoadTimeout ? ModelRejectionReason.LoadTimeout : ModelRejectionReason.InvalidModel;
      reject(name, publication.version, reason, error instanceof Error ? error.message : String(error), message.offset, error);
      return;
    }
    const previous = table.get(name);
    swap(name, {
      ranker,
      status: {
        version: publication.version,
        loaded_at: now(),
        published_at: publication.published_at,
        feature_count: publication.feature_names.length,
        sha256,
      },
    });
    metrics.loaded(name, publication.version);
    log.info({ model: name, version: publication.version, previous: previous?.ranker.version ?? null, features: publication.feature_names.length, bytes: publication.onnx.length, offset: message.offset }, 'model loaded');
  };

  const pending = await nonEmptyEndOffsets(kafka, options.topic);
  let markCaughtUp: () => void = () => undefined;
  const caughtUp = new Promise<void>((resolve) => {
    markCaughtUp = resolve;
  });
  const settle = (): void => {
    if (pending.size > 0) return;
    log.info({ models: Object.fromEntries([...table].map(([name, model]) => [name, model.status.version])) }, 'models caught up');
    markCaughtUp();
  };

  const consumer: Consumer = kafka.consumer({
    groupId: options.groupId ?? `streamrec-api-models-${randomUUID()}`,
    maxWaitTimeInMs: 200,
    maxBytesPerPartition: MAX_FETCH_BYTES,
    maxBytes: MAX_FETCH_BYTES,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  const runConfig: ConsumerRunConfig = {
    autoCommit: false,
    eachBatch: async (payload) => {
      const { batch } = payload;
      for (const message of batch.messages) {
        if (!payload.isRunning() || payload.isStale()) return;
        await apply(message);
        await payload.heartbeat();
      }
      const target = pending.get(batch.partition);
      if (target !== undefined && BigInt(batch.lastOffset()) + 1n >= target) {
        pending.delete(batch.partition);
        settle();
      }
    },
  };
  // A broker restart can make kafkajs give up on the consumer for good; the API would then miss every
  // later publication (seen in the bad-model drill after the kafka-down drill).
  const stopRestarts = keepConsumerRunning(consumer, runConfig, log);
  await consumer.run(runConfig);
  settle();

  return {
    current: (name: string): RankerModel | undefined => table.get(name)?.ranker,
    caughtUp: () => caughtUp,
    isCaughtUp: () => pending.size === 0,
    status: (): ModelRegistryStatus => ({
      caught_up: pending.size === 0,
      models: Object.fromEntries([...table].map(([name, model]) => [name, model.status])),
      rejections: Object.fromEntries(rejections),
    }),
    stop: async () => {
      stopRestarts();
      await consumer.disconnect();
      const rankers = [...retiring.values(), ...[...table.values()].map((model) => model.ranker)];
      for (const timer of retiring.keys()) clearTimeout(timer);
      retiring.clear();
      table = new Map();
      await Promise.all(rankers.map((ranker) => ranker.release()));
    },
  };
}

/** Why a publication's signature does not verify against `key`, or undefined when it does. */
function signatureCheck(publication: ModelPublication, key: KeyObject): { readonly reason: ModelRejectionReason; readonly message: string } | undefined {
  const encoded = publication.lineage[MODEL_SIGNATURE_LINEAGE_KEY];
  if (encoded === undefined || encoded === '') return { reason: ModelRejectionReason.Unsigned, message: `no signature (lineage.${MODEL_SIGNATURE_LINEAGE_KEY}); this API accepts only signed models` };
  const valid = verify(null, signedContent(publication), key, Buffer.from(encoded, 'base64'));
  return valid ? undefined : { reason: ModelRejectionReason.SignatureInvalid, message: 'the signature does not verify against the configured public key (another key, or altered content)' };
}
