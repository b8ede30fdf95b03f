/**
 * Memory soak of the API (issue 15, item 6): an API process of its own (own ports and data directory, the
 * local stack's Kafka and Redis) answers round after round of recommendations for users it has never seen,
 * each answer a new entry of its last-answer cache and an exposure through its queue. After each round a
 * full collection runs in the process (lib/gc-probe.ts) and its heap used and RSS are read, with
 * `answer_cache_entries` and `exposures_queued` from its /metrics. The cache is bounded
 * (answerCache.capacity) and the queue too (exposures.maxQueued), so memory must stop growing once the
 * cache is full. See --help.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { sha256Hex } from '@streamrec/api/app';
import { repoRoot } from '@streamrec/foundation/process';
import { loadBenchEnvironment } from '../streams/config.js';
import { metricValue, soakTable, summarizeSoak, type SoakSample } from './lib/soak-summary.js';
import { startSoakedProcess, type SoakedProcess } from './lib/soaked-process.js';

const help = `API memory soak (the local stack must be running: Kafka and Redis; npm run setup)

Usage: npm run bench:soak-api -- [options]

Starts an API of its own (ports 19184/19185 by default, data directory under .stack/) and asks it, round
after round, for the recommendations of PER_ROUND users it has never seen (new answer-cache entries, one
exposure each, sent to serving.exposures.v1). After each round it waits for the exposures to be sent, runs
a full garbage collection in the process and reads its heap used and RSS and its answer-cache entries
(/metrics), and prints a table, the growth per 100,000 answers over the second half of the rounds, and
JSON with --out.

Options:
  --rounds N          rounds (default 10)
  --per-round N       new users asked per round (default 5000)
  --capacity N        the API's answer-cache capacity (default 20000, so the soak fills it; the API's own
                      default is 100000); a capacity above everything asked runs it unbounded
  --concurrency N     requests in flight (default 16)
  --port P            the soaked API's port; its operations port is P+1 (default 19184)
  --out FILE          write the samples and the summary as JSON
  --help              this text
`;

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    'per-round': { type: 'string', default: '5000' },
    capacity: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '16' },
    port: { type: 'string', default: '19184' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(help);
  process.exit(0);
}
const positive = (name: string, text: string | undefined, fallback: number): number => {
  const value = Number(text ?? fallback);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return value;
};
const rounds = positive('rounds', values.rounds, 10);
const perRound = positive('per-round', values['per-round'], 5_000);
const capacity = positive('capacity', values.capacity, 20_000);
const concurrency = positive('concurrency', values.concurrency, 16);
const port = positive('port', values.port, 19_184);

const { stack, inherited } = loadBenchEnvironment();
/** A read key of the soak's own, with a rate limit no round reaches (the development key allows 6,000 a minute). */
const apiKey = `sr_soak_${randomBytes(32).toString('base64url')}`;
const host = stack['STREAMREC_HOST'] ?? '127.0.0.1';
const run = randomBytes(4).toString('hex');
const dataDir = join(repoRoot, '.stack', `bench-soak-api-${run}`);
const apiUrl = `http://${host}:${port}`;
const opsUrl = `http://${host}:${port + 1}`;

function startApi(): SoakedProcess {
  mkdirSync(dataDir, { recursive: true });
  const keysFile = join(dataDir, 'api-keys.yaml');
  const secret = apiKey.slice(apiKey.lastIndexOf('_') + 1);
  writeFileSync(keysFile, `keys:\n  - { id: soak, sha256: ${sha256Hex(secret)}, scopes: [read], rate_limit: { max: 10000000, window_seconds: 60 } }\n`, { mode: 0o600 });
  return startSoakedProcess('api', join('services', 'api', 'src', 'main.ts'), run, {
    ...inherited,
    STREAMREC_API_KEYS_FILE: keysFile,
    STREAMREC_API_PORT: String(port),
    STREAMREC_API_OPS_PORT: String(port + 1),
    STREAMREC_API_DATA_DIR: dataDir,
    STREAMREC_API_SETTINGS: JSON.stringify({ answerCache: { capacity } }),
    STREAMREC_LOG_LEVEL: 'warn',
  });
}

async function metrics(): Promise<string | undefined> {
  try {
    const response = await fetch(`${opsUrl}/metrics`, { signal: AbortSignal.timeout(2_000) });
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

/** Asks for the recommendations of `count` new users, `concurrency` at a time; answers by HTTP status. */
async function ask(round: number, count: number, statuses: Map<number, number>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < count; index = next++) {
      const response = await fetch(`${apiUrl}/v1/recommendations?user_id=soak-${run}-${round}-${index}`, { headers: { 'x-api-key': apiKey } });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
}

/** `exposures_total{result="sent"}` of an exposition. */
function sentExposures(text: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith('exposures_total{') && candidate.includes('result="sent"'));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

/** Waits until every answer so far has its exposure sent (the gauges refresh every 5 s). */
async function exposuresSent(answers: number, api: SoakedProcess, statuses: ReadonlyMap<number, number>): Promise<string> {
  const refused = [...statuses].filter(([status]) => status !== 200);
  if (refused.length > 0) throw new Error(`answers that were not 200: ${JSON.stringify(Object.fromEntries(refused))}`);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const crash = api.exited();
    if (crash !== undefined) throw new Error(crash);
    const text = await metrics();
    const sent = text === undefined ? undefined : sentExposures(text);
    if (text !== undefined && (sent ?? 0) >= answers) return text;
    if (Date.now() > deadline) {
      const counts = (text ?? '').split('\n').filter((line) => line.startsWith('exposures_total{') || line.startsWith('recommendation_degraded_total{')).join('; ');
      throw new Error(`the soaked API sent ${sent ?? 'no'} exposures of ${answers} within 120 s (${counts}); see ${api.logFile}`);
    }
    await sleep(250);
  }
}

async function sample(api: SoakedProcess, round: number, answers: number, seconds: number, statuses: ReadonlyMap<number, number>): Promise<SoakSample> {
  await exposuresSent(answers, api, statuses);
  await sleep(5_200); // one refresh of the cache and queue gauges after the round
  const text = await metrics();
  if (text === undefined) throw new Error(`no metrics from the soaked API on ${opsUrl}`);
  const memory = await api.collectedMemory();
  return { round, fed: answers, seconds, heapUsedBytes: memory.heapUsed, rssBytes: memory.rss, cacheEntries: metricValue(text, 'answer_cache_entries') ?? 0 };
}

async function main(): Promise<void> {
  const api = startApi();
  const samples: SoakSample[] = [];
  const statuses = new Map<number, number>();
  try {
    const started = Date.now();
    while ((await fetch(`${opsUrl}/readyz`).then((response) => response.status, () => 0)) !== 200) {
      const crash = api.exited();
      if (crash !== undefined) throw new Error(crash);
      if (Date.now() - started > 180_000) throw new Error(`the soaked API was not ready on ${opsUrl} within 180 s; see ${api.logFile}`);
      await sleep(500);
    }
    process.stderr.write(`soak: API on ${apiUrl} (answer cache capacity ${capacity.toLocaleString('en-US')}), ${rounds} rounds of ${perRound.toLocaleString('en-US')} new users\n`);
    samples.push(await sample(api, 0, 0, 0, statuses));
    for (let round = 1; round <= rounds; round += 1) {
      const began = performance.now();
      await ask(round, perRound, statuses);
      const current = await sample(api, round, round * perRound, (performance.now() - began) / 1000, statuses);
      samples.push(current);
      process.stderr.write(
        `soak: round ${round}/${rounds}: ${current.fed.toLocaleString('en-US')} answers, cache ${current.cacheEntries.toLocaleString('en-US')}, heap ${(current.heapUsedBytes / 2 ** 20).toFixed(1)} MiB, RSS ${(current.rssBytes / 2 ** 20).toFixed(1)} MiB (${current.seconds.toFixed(1)} s)\n`,
      );
    }
  } finally {
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const summary = summarizeSoak(samples.slice(1));
  process.stdout.write(`${soakTable(samples)}\n\n`);
  process.stdout.write(
    `growth over the second half: heap ${summary.heapMiBPer100k.toFixed(2)} MiB, RSS ${summary.rssMiBPer100k.toFixed(2)} MiB per 100,000 answers; answer-cache entries at most ${summary.maxCacheEntries.toLocaleString('en-US')}\n`,
  );
  if (values.out !== undefined) writeFileSync(values.out, `${JSON.stringify({ capacity, rounds, perRound, samples, summary }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
