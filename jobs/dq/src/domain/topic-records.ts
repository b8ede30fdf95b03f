import { ascending, quantileSorted } from './statistics.js';
import type { TopicRecord } from './measurements.js';

/** Dead letters per processor, code and reason; the parts of dlq.<processor> records the report shows. */
export interface DeadLetterCount {
  readonly processor: string;
  readonly code: string;
  readonly reason: string;
  readonly count: number;
}

const decoder = new TextDecoder('utf-8');

function json(value: Uint8Array | null): unknown {
  if (value === null) return undefined;
  try {
    return JSON.parse(decoder.decode(value)) as unknown;
  } catch {
    return undefined;
  }
}

const field = (object: unknown, key: string): unknown => (typeof object === 'object' && object !== null ? (object as Record<string, unknown>)[key] : undefined);

/** Reasons can carry ids ("… offset 123 …"): long ones are cut so the counts group and labels stay short. */
export const REASON_LENGTH = 80;

/**
 * Counts dead letters (foundation's DeadLetter JSON: processor, code, reason) per processor, code and
 * reason, most frequent first. A record that is not such JSON still counts, as "unreadable dead letter",
 * under the processor its topic names. A letter is sent at least once: a processor that crashed after
 * sending a batch's letters and before applying the batch sends them again, so letters naming the same
 * source record (topic, partition, offset) and code count once.
 */
export function countDeadLetters(records: readonly TopicRecord[], prefix: string): DeadLetterCount[] {
  const counts = new Map<string, DeadLetterCount>();
  const seen = new Set<string>();
  for (const record of records) {
    const letter = json(record.value);
    const identity = letterIdentity(letter);
    if (identity !== undefined) {
      if (seen.has(identity)) continue;
      seen.add(identity);
    }
    const topicProcessor = record.topic.startsWith(prefix) ? record.topic.slice(prefix.length) : record.topic;
    const processor = typeof field(letter, 'processor') === 'string' ? (field(letter, 'processor') as string) : topicProcessor;
    const code = typeof field(letter, 'code') === 'string' ? (field(letter, 'code') as string) : '';
    const rawReason = typeof field(letter, 'reason') === 'string' ? (field(letter, 'reason') as string) : record.value === null ? 'tombstone' : 'unreadable dead letter';
    const reason = rawReason.length > REASON_LENGTH ? `${rawReason.slice(0, REASON_LENGTH - 1)}…` : rawReason;
    const key = JSON.stringify([processor, code, reason]);
    const previous = counts.get(key);
    counts.set(key, { processor, code, reason, count: (previous?.count ?? 0) + 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.processor.localeCompare(b.processor) || a.reason.localeCompare(b.reason));
}

/** processor, source topic/partition/offset and code of a DeadLetter JSON; undefined when any is missing. */
function letterIdentity(letter: unknown): string | undefined {
  const source = field(letter, 'source');
  const parts = [field(letter, 'processor'), field(letter, 'code'), field(source, 'topic'), field(source, 'partition'), field(source, 'offset')];
  if (parts.some((part) => typeof part !== 'string' && typeof part !== 'number')) return undefined;
  return JSON.stringify(parts);
}

export interface CdcLagSample {
  readonly topic: string;
  readonly lagMs: number;
}

/** Debezium `source.snapshot` values of changes read from the binlog (snapshot reads say true/first/last/…). */
const STREAMED = new Set(['false', undefined]);

/**
 * CDC lag of one Debezium envelope: the Kafka record's timestamp (when Connect produced it) minus
 * `source.ts_ms` (the binlog event's time). MariaDB stamps binlog events in whole seconds, with the time
 * the statement started, so a sample overstates the lag by up to 1 s, plus whatever the transaction ran
 * after the statement. Snapshot reads (op "r"), tombstones and records without the fields give no sample.
 */
export function cdcLagSample(record: TopicRecord): CdcLagSample | undefined {
  const envelope = json(record.value);
  const source = field(envelope, 'source');
  const committedMs = field(source, 'ts_ms');
  const op = field(envelope, 'op');
  const snapshot = field(source, 'snapshot');
  if (typeof committedMs !== 'number' || !Number.isFinite(committedMs) || committedMs <= 0) return undefined;
  if (op === 'r' || !STREAMED.has(typeof snapshot === 'string' ? snapshot : undefined)) return undefined;
  if (!Number.isFinite(record.timestampMs)) return undefined;
  return { topic: record.topic, lagMs: Math.max(0, record.timestampMs - committedMs) };
}

export interface LagSummary {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

export function summariseLag(lags: readonly number[]): LagSummary {
  const sorted = ascending(lags);
  return { samples: sorted.length, p50Ms: quantileSorted(sorted, 0.5), p95Ms: quantileSorted(sorted, 0.95), maxMs: sorted.at(-1) ?? Number.NaN };
}

/** CDC lag per topic and over all topics. */
export function cdcLag(records: readonly TopicRecord[]): { overall: LagSummary; perTopic: (LagSummary & { readonly topic: string })[] } {
  const samples = records.map(cdcLagSample).filter((sample): sample is CdcLagSample => sample !== undefined);
  const topics = [...new Set(samples.map((sample) => sample.topic))].sort();
  return {
    overall: summariseLag(samples.map((sample) => sample.lagMs)),
    perTopic: topics.map((topic) => ({ topic, ...summariseLag(samples.filter((sample) => sample.topic === topic).map((sample) => sample.lagMs)) })),
  };
}
