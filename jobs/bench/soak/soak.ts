/**
 * Memory soak of normalize (issue 15, item 6): a normalize process of its own (own state version and
 * consumer group, started at the soak's own records) is fed round after round of new Matomo actions and
 * new logged-in visitors, the two stores that grow with the source. After each round is applied, a
 * full collection runs in the process (lib/gc-probe.ts, on SIGUSR2) and its heap used and RSS are read. The caches are bounded (STREAMREC_NORMALIZE_STATE_CACHE_CAPACITY), so memory must stop
 * growing once they are full; `--capacity` large runs it as the unbounded maps were before. See --help.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Redis } from 'ioredis';
import { kafkaClientOptions, kafkaUserVariables, loadKafkaConfig, loadRedisConfig, parseStateVersion } from '@streamrec/foundation';
import { normalizeOffsetsKey, offsetField } from '@streamrec/normalize/app';
import { loadBenchEnvironment } from '../streams/config.js';
import { insertEnvelope, soakRound, soakTopics, type SoakIds } from './lib/soak-rows.js';
import { metricValue, soakTable, summarizeSoak, type SoakSample } from './lib/soak-summary.js';
import { startSoakedProcess, type SoakedProcess } from './lib/soaked-process.js';

const help = `normalize memory soak (the local stack must be running: Kafka and Redis)

Usage: npm run bench:soak -- [options]

Feeds a normalize process of its own with ROUNDS rounds of PER_ROUND new Matomo log_action rows and
PER_ROUND new logged-in visitors (visits with a user id), written to cdc.matomo.matomo_log_action and
cdc.matomo.matomo_log_visit. After each round is applied it runs a full garbage collection in the
process and reads its heap used and RSS, and its state cache entries (/metrics), and prints a table, the growth per 100,000 entries over the
second half of the rounds, and JSON with --out.

The rows are pages outside the catalogue and visits of users the shop does not have: no interaction is
emitted. A live normalize (npm run setup) reads them too and keeps them in its Redis state.

Options:
  --rounds N          rounds (default 12)
  --per-round N       new actions and new visitors per round (default 20000)
  --capacity N        normalize's state cache capacity per store (default: normalize's own, 100000);
                      a capacity above everything fed runs it as the unbounded maps were
  --metrics-port P    the soaked normalize's /metrics port (default 19181)
  --out FILE          write the samples and the summary as JSON
  --help              this text
`;

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '12' },
    'per-round': { type: 'string', default: '20000' },
    capacity: { type: 'string' },
    'metrics-port': { type: 'string', default: '19181' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(help);
  process.exit(0);
}
const positive = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return value;
};
const rounds = positive('rounds', values.rounds) ?? 12;
const perRound = positive('per-round', values['per-round']) ?? 20_000;
const capacity = positive('capacity', values.capacity);
const metricsPort = positive('metrics-port', values['metrics-port']) ?? 19_181;

const { stack, inherited } = loadBenchEnvironment();
const kafkaConfig = loadKafkaConfig(stack, 'admin', 'bench soak');
const kafka = new Kafka({ clientId: 'bench-soak', ...kafkaClientOptions(kafkaConfig), logLevel: logLevel.NOTHING });
const redis = new Redis(loadRedisConfig(stack, 'admin', 'bench soak'));
const run = randomBytes(4).toString('hex');
const version = parseStateVersion(`v${900_000 + Math.floor(Math.random() * 90_000)}`);
const group = `bench-soak-${run}`;
const random = Math.random;
const ids: SoakIds = {
  actionBase: 3_500_000_000 + Math.floor(random() * 1_000) * 100_000,
  visitBase: 700_000_000_000 + Math.floor(random() * 1_000_000) * 1_000_000,
  userBase: 9_200_000_000 + Math.floor(random() * 1_000_000) * 10_000,
  visitorPrefix: randomBytes(3).toString('hex'),
};

function startNormalize(): SoakedProcess {
  return startSoakedProcess('normalize', join('streams', 'normalize', 'src', 'main.ts'), run, {
    ...inherited,
    ...kafkaUserVariables(kafkaConfig),
    STREAMREC_NORMALIZE_STATE_VERSION: version,
    STREAMREC_NORMALIZE_GROUP_ID: group,
    STREAMREC_NORMALIZE_START_AT: String(Date.now()),
    STREAMREC_NORMALIZE_METRICS_PORT: String(metricsPort),
    STREAMREC_NORMALIZE_LOG_LEVEL: 'warn',
    ...(capacity === undefined ? {} : { STREAMREC_NORMALIZE_STATE_CACHE_CAPACITY: String(capacity) }),
  });
}

async function metrics(): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { signal: AbortSignal.timeout(2_000) });
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

/** Produces the rows to partition 0 in chunks; returns the offset of the last one. */
async function produce(producer: Producer, topic: string, rows: readonly Record<string, unknown>[], position: { value: number }): Promise<bigint> {
  const table = topic.split('.')[2] ?? '';
  let last = -1n;
  for (let start = 0; start < rows.length; start += 2_000) {
    const messages = rows.slice(start, start + 2_000).map((row) => {
      position.value += 100;
      return { partition: 0, key: null, value: insertEnvelope(table, row, position.value, Date.now()) };
    });
    const [meta] = await producer.send({ topic, acks: -1, messages });
    last = BigInt(meta?.baseOffset ?? '0') + BigInt(messages.length - 1);
  }
  return last;
}

async function appliedUpTo(topic: string, last: bigint, deadline: number, exited: () => string | undefined): Promise<void> {
  for (;;) {
    const crash = exited();
    if (crash !== undefined) throw new Error(crash);
    const stored = await redis.hget(normalizeOffsetsKey(version), offsetField(topic, 0));
    if (stored !== null && BigInt(stored) >= last) return;
    if (Date.now() > deadline) throw new Error(`normalize did not apply ${topic} up to offset ${last} in time (stored ${stored ?? 'none'})`);
    await sleep(100);
  }
}

/** Heap used and RSS right after a full collection in the process, and its cache entries (/metrics). */
async function sample(normalize: SoakedProcess, round: number, fed: number, seconds: number): Promise<SoakSample> {
  const text = await metrics();
  if (text === undefined) throw new Error(`no metrics from the soaked normalize on port ${metricsPort}`);
  const memory = await normalize.collectedMemory();
  return { round, fed, seconds, heapUsedBytes: memory.heapUsed, rssBytes: memory.rss, cacheEntries: metricValue(text, 'normalize_state_cache_entries') ?? 0 };
}

async function cleanUp(): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `sr:${version}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups([group]).catch(() => undefined);
  await admin.disconnect();
}

async function main(): Promise<void> {
  const normalize = startNormalize();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const samples: SoakSample[] = [];
  try {
    const started = Date.now();
    while ((await metrics()) === undefined) {
      const crash = normalize.exited();
      if (crash !== undefined) throw new Error(crash);
      if (Date.now() - started > 120_000) throw new Error(`the soaked normalize served no /metrics on port ${metricsPort} within 120 s; see ${normalize.logFile}`);
      await sleep(250);
    }
    process.stderr.write(`soak: normalize ${version} (group ${group}, cache capacity ${capacity ?? 'default'}), ${rounds} rounds of ${perRound.toLocaleString('en-US')} actions + visitors\n`);
    samples.push(await sample(normalize, 0, 0, 0));
    const position = { value: 4 };
    for (let round = 1; round <= rounds; round += 1) {
      const rows = soakRound(ids, round - 1, perRound, Date.now());
      const began = performance.now();
      const lastAction = await produce(producer, soakTopics.action, rows.actions, position);
      const lastVisit = await produce(producer, soakTopics.visit, rows.visits, position);
      const deadline = Date.now() + 600_000;
      await appliedUpTo(soakTopics.action, lastAction, deadline, normalize.exited);
      await appliedUpTo(soakTopics.visit, lastVisit, deadline, normalize.exited);
      const current = await sample(normalize, round, round * perRound * 2, (performance.now() - began) / 1000);
      samples.push(current);
      process.stderr.write(
        `soak: round ${round}/${rounds}: ${current.fed.toLocaleString('en-US')} entries fed, cache ${current.cacheEntries.toLocaleString('en-US')}, heap ${(current.heapUsedBytes / 2 ** 20).toFixed(1)} MiB, RSS ${(current.rssBytes / 2 ** 20).toFixed(1)} MiB (${current.seconds.toFixed(1)} s)\n`,
      );
    }
  } finally {
    await producer.disconnect();
    await normalize.stop();
    await cleanUp();
    redis.disconnect();
  }
  const summary = summarizeSoak(samples.slice(1));
  process.stdout.write(`${soakTable(samples)}\n\n`);
  process.stdout.write(
    `growth over the second half: heap ${summary.heapMiBPer100k.toFixed(2)} MiB, RSS ${summary.rssMiBPer100k.toFixed(2)} MiB per 100,000 entries fed; cache entries at most ${summary.maxCacheEntries.toLocaleString('en-US')}\n`,
  );
  if (values.out !== undefined) writeFileSync(values.out, `${JSON.stringify({ version, capacity: capacity ?? null, rounds, perRound, samples, summary }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
