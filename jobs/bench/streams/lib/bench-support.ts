import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { Kafka } from 'kafkajs';
import type { Redis } from 'ioredis';
import { createEventCodec } from '@streamrec/schemas/avro';
import { type Interaction } from '@streamrec/schemas';

export interface MachineDescription {
  readonly cpus: number;
  readonly model: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly loadAverageAtStart: readonly number[];
}

export function describeMachine(loadAverage: readonly number[]): MachineDescription {
  const list = cpus();
  return {
    cpus: list.length,
    model: list[0]?.model ?? 'unknown',
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverageAtStart: loadAverage.map((value) => Number(value.toFixed(2))),
  };
}

export interface Summary {
  readonly median: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number;
}

/** Nearest-rank percentiles; with few runs p99 is the worst run (by rate: the slowest). */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  const round = (value: number): number => Number(value.toFixed(value >= 100 ? 0 : 3));
  return { median: round(median(sorted)), p99: round(rank(0.99)), min: round(sorted[0] ?? Number.NaN), max: round(sorted.at(-1) ?? Number.NaN), samples: sorted.length };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface RateSummary {
  readonly median: number;
  /** The slow tail: the rate of the 99th-percentile run by duration (with few runs, the slowest run). */
  readonly p99: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number;
}

export function summarizeRate(values: readonly number[]): RateSummary {
  const sorted = [...values].sort((a, b) => a - b);
  const slow = sorted[Math.max(0, Math.ceil(0.01 * sorted.length) - 1)] ?? Number.NaN;
  return { median: Math.round(median(sorted)), p99: Math.round(slow), min: Math.round(sorted[0] ?? Number.NaN), max: Math.round(sorted.at(-1) ?? Number.NaN), samples: sorted.length };
}

export const tasksetAvailable = existsSync('/usr/bin/taskset') || existsSync('/bin/taskset');

export interface ChildOptions {
  /** The environment the child starts from (STREAMREC_LOG_LEVEL is set to warn). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Core to pin the child to (`taskset -c`), or undefined to let the scheduler decide. */
  readonly core: number | undefined;
  readonly cpuProfileDir: string | undefined;
}

/** Runs `node --import tsx <script> <arg>` (pinned when asked) and parses the last stdout line as JSON. */
export function runChild<T>(script: string, arg: string, options: ChildOptions): Promise<T> {
  const nodeArgs = ['--import', 'tsx', ...(options.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`]), script, arg];
  const [command, args] = options.core !== undefined && tasksetAvailable ? ['taskset', ['-c', String(options.core), process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...options.env, STREAMREC_LOG_LEVEL: 'warn' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`${script} exited with ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${script} printed no result: ${line}`));
      }
    });
  });
}

const actions = ['view', 'view', 'view', 'click', 'click', 'download', 'favorite', 'cart', 'purchase'] as const;

/**
 * N synthetic interactions (5,000 users, 2,000 catalogue items, the burst bench's mix), keyed by user
 * on a bench-owned 6-partition topic. Event times are an hour old and 1 ms apart, so every
 * co-occurrence window pairs (the expensive case for the co-occurrence stages).
 */
export async function produceInteractions(kafka: Kafka, topic: string, count: number, tag: string, progress: (done: number) => void): Promise<void> {
  const codec = createEventCodec('events.interactions.v1');
  const producer = kafka.producer();
  await producer.connect();
  const base = Date.now() - 3_600_000;
  try {
    for (let start = 0; start < count; start += 5_000) {
      const messages = Array.from({ length: Math.min(5_000, count - start) }, (_, index) => {
        const n = start + index;
        const value: Interaction = {
          event_id: `bench:${tag}:${n}`,
          user_id: String(n % 5_000),
          visitor_id: null,
          item_id: 1 + ((n * 7_919) % 2_000),
          action: actions[n % actions.length]!,
          event_time: base + n,
          source: 'beacon',
          session_id: null,
          price: null,
          quantity: null,
          request_id: n % 10 === 0 ? `req-${n}` : null,
          ingest_time: base + n + 100,
        };
        return { key: value.user_id, value: codec.encode(value) };
      });
      await producer.send({ topic, acks: -1, messages });
      progress(start + messages.length);
    }
  } finally {
    await producer.disconnect();
  }
}

export async function deleteVersionKeys(redis: Redis, version: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `sr:${version}:*`, 'COUNT', 2_000);
    if (keys.length > 0) deleted += await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
