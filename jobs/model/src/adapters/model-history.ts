import type { Kafka } from 'kafkajs';
import { AppError, ErrorCode } from '@streamrec/foundation';
import type { ModelPublication } from '@streamrec/schemas';
import { chooseRollbackTarget, versionsOf, type HistoryVersion, type ServingVersion } from '../domain/model-history.js';
import { sha256Hex } from '../publication.js';
import { publishModel, publishToHistory, readModelTopic, type ModelTopicRecord, type TopicPosition } from './model-topic.js';

/** The two topics a publication goes to: the history (every version) and the serving topic (newest per name). */
export interface ModelTopics {
  /** models.published.v1: compacted by name, what the API serves. */
  readonly published: string;
  /** models.history.v1: compacted by `<name>:<version>`, every version ever published. */
  readonly history: string;
}

/**
 * Publishes to the history first, then to the serving topic: a version that serves is always in the
 * history (a failure between the two leaves a history entry that never served, which is harmless).
 */
export async function publishWithHistory(kafka: Kafka, topics: ModelTopics, publication: ModelPublication): Promise<{ history: TopicPosition; published: TopicPosition }> {
  const history = await publishToHistory(kafka, topics.history, publication);
  const published = await publishModel(kafka, topics.published, publication);
  return { history, published };
}

/** The publication serving `name` now: the last record of that key, if it is a publication (not a tombstone). */
export function servingPublication(records: readonly ModelTopicRecord[], name: string): ModelPublication | undefined {
  const last = records.filter((record) => record.key === name).at(-1);
  return last?.kind === 'publication' ? last.publication : undefined;
}

/** Every version of `name` in the history topic, newest first. */
export async function readModelHistory(kafka: Kafka, historyTopic: string, name: string): Promise<HistoryVersion[]> {
  const records = await readModelTopic(kafka, historyTopic);
  return versionsOf(
    records.map((record) => ({ key: record.key, offset: record.offset, ...(record.kind === 'publication' ? { publication: record.publication } : {}) })),
    name,
  );
}

export interface RollbackResult {
  /** The version that served before the rollback (undefined: nothing served). */
  readonly from: string | undefined;
  readonly to: ModelPublication;
  readonly position: TopicPosition;
}

/**
 * Republishes a version from the history to the serving topic exactly as it was published (same ONNX
 * bytes, sha256, version, metrics, lineage and publication time). `to` picks the version; by default the
 * one published before the version serving now. The bytes are checked against their sha256 first, so a
 * damaged history record is never served. `check` may refuse the model (e.g. load it in onnxruntime).
 */
export async function rollbackModel(
  kafka: Kafka,
  topics: ModelTopics,
  options: { readonly name: string; readonly to?: string | undefined; readonly check?: (publication: ModelPublication) => Promise<void> },
): Promise<RollbackResult> {
  const current = servingPublication(await readModelTopic(kafka, topics.published), options.name);
  const versions = await readModelHistory(kafka, topics.history, options.name);
  const serving: ServingVersion | undefined = current === undefined ? undefined : { version: current.version, published_at: current.published_at };
  const choice = chooseRollbackTarget(versions, options.name, serving, options.to);
  if (!choice.ok) throw new AppError(ErrorCode.InvalidArgument, `cannot roll back ${options.name}: ${choice.message}`);
  const target = choice.target.publication;
  const actual = sha256Hex(target.onnx);
  if (actual !== target.sha256) {
    throw new AppError(ErrorCode.ModelInvalid, `history record ${options.name}@${target.version} is damaged: its ONNX bytes hash to ${actual}, the record says ${target.sha256}`);
  }
  await options.check?.(target);
  const position = await publishModel(kafka, topics.published, target);
  return { from: current?.version, to: target, position };
}
