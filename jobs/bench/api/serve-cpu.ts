/**
 * CPU per answer of the serving path, in process: the real API (`startApi`: Redis, Kafka, ONNX, usearch)
 * in this process, answers asked one at a time through its `recommend` service (no HTTP, no other
 * client), so every CPU microsecond between two answers belongs to the answer: the Redis round trips'
 * client side, recall, fusion, features, the ranker and the exposure (built, encoded and produced).
 *
 *   npx tsx jobs/bench/api/serve-cpu.ts --out FILE [--answers N] [--runs R] [--users U] [--no-profile]
 *
 * Stage shares come from one extra profiled run (node:inspector), each sampled frame put in the stage
 * its file belongs to (`stageOfFrame`); µs per stage = share × the unprofiled CPU per answer.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Session } from 'node:inspector/promises';
import { Redis } from 'ioredis';
import { createRootLogger } from '@streamrec/foundation/process';
import { loadRedisConfig } from '@streamrec/foundation';
import { loadApiConfig, startApi } from '@streamrec/api/app';
import { sampleUsers } from './sample-users.js';
import { writeBenchKey } from './api-child.js';
import { stageShares, type StageShare } from './serve-stages.js';
import { loadBenchEnvironment } from '../streams/config.js';

const HELP = `CPU per answer of the serving path, in process (local stack with state and a published ranker)

  npx tsx jobs/bench/api/serve-cpu.ts --out FILE [options]

  --out FILE      where the JSON goes (required)
  --answers N     answers per run (default 2000)
  --runs R        measured runs (default 3); medians are over runs
  --warmup N      answers before the first run (default 1000)
  --users U       users sampled from the active state version, 10 % of them cold ids (default 2000)
  --no-profile    skip the profiled run that splits the CPU by stage
  --help          this text
`;

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    answers: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1000' },
    users: { type: 'string', default: '2000' },
    'no-profile': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const fail = (message: string): never => {
  process.stderr.write(`${message}\n\n${HELP}`);
  process.exit(2);
};
const positive = (name: string, text: string | undefined): number => {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fail(`--${name} must be a positive integer`);
};
const out = values.out ?? fail('--out is required');
const answers = positive('answers', values.answers);
const runs = positive('runs', values.runs);
const warmup = positive('warmup', values.warmup);
const userCount = positive('users', values.users);

const progress = (line: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

interface RunFigures {
  readonly answers: number;
  readonly cpuMicrosPerAnswer: number;
  readonly wallMicrosPerAnswer: number;
  /** Per answer, from process.cpuUsage around each call (includes the background work that ran in between). */
  readonly cpuMicrosP50: number;
  readonly cpuMicrosP99: number;
  readonly degradedShare: number;
  readonly degraded: Record<string, number>;
  readonly meanCandidates: number;
}

const { stack: env } = loadBenchEnvironment();
const workDir = await mkdtemp(join(tmpdir(), 'serve-cpu-'));
const keysFile = join(workDir, 'api-keys.yaml');
writeBenchKey(keysFile);
const config = loadApiConfig({ ...env, STREAMREC_API_PORT: '0', STREAMREC_API_OPS_PORT: '0', STREAMREC_API_KEYS_FILE: keysFile, STREAMREC_API_DATA_DIR: join(workDir, 'api-data') });
const log = createRootLogger({ level: 'warn', pretty: false, name: 'serve-cpu', fd: 2 });
const admin = new Redis({ ...loadRedisConfig(env, 'admin', 'bench'), lazyConnect: false, maxRetriesPerRequest: 2 });
const api = await startApi(config, log);
try {
  await api.ready();
  const sample = await sampleUsers(admin, userCount, 0.1, 42);
  progress(`users: ${sample.known.length} known (of ${sample.knownUsersInRedis} in ${sample.version}) + ${sample.unknown.length} unknown; model ${JSON.stringify(api.parts.models.status().models)}`);
  let next = 0;
  const nextUser = (): string => sample.ordered[next++ % sample.ordered.length] as string;
  const answerOnce = () => api.services.recommend({ user: nextUser() as never, scene: 'home', limit: 20, exclude: new Set(), excludeSeen: false });

  progress(`warm-up: ${warmup} answers`);
  for (let index = 0; index < warmup; index += 1) await answerOnce();

  const measure = async (count: number): Promise<RunFigures> => {
    const perAnswer = new Float64Array(count);
    const degraded: Record<string, number> = {};
    let degradedAnswers = 0;
    let candidates = 0;
    const wallStart = performance.now();
    const cpuStart = process.cpuUsage();
    for (let index = 0; index < count; index += 1) {
      const before = process.cpuUsage();
      const answer = await answerOnce();
      const used = process.cpuUsage(before);
      perAnswer[index] = used.user + used.system;
      candidates += answer.candidates;
      if (answer.degraded.length > 0) degradedAnswers += 1;
      for (const reason of answer.degraded) degraded[reason] = (degraded[reason] ?? 0) + 1;
    }
    const cpu = process.cpuUsage(cpuStart);
    const wall = (performance.now() - wallStart) * 1_000;
    perAnswer.sort();
    return {
      answers: count,
      cpuMicrosPerAnswer: round((cpu.user + cpu.system) / count),
      wallMicrosPerAnswer: round(wall / count),
      cpuMicrosP50: round(perAnswer[Math.floor(count * 0.5)] ?? 0),
      cpuMicrosP99: round(perAnswer[Math.min(count - 1, Math.floor(count * 0.99))] ?? 0),
      degradedShare: Number((degradedAnswers / count).toFixed(4)),
      degraded: Object.fromEntries(Object.entries(degraded).map(([reason, times]) => [reason, Number((times / count).toFixed(4))])),
      meanCandidates: round(candidates / count),
    };
  };

  const measured: RunFigures[] = [];
  for (let run = 1; run <= runs; run += 1) {
    const figures = await measure(answers);
    measured.push(figures);
    progress(`run ${run}/${runs}: ${figures.cpuMicrosPerAnswer} µs CPU per answer (p50 ${figures.cpuMicrosP50}, p99 ${figures.cpuMicrosP99}), ${figures.wallMicrosPerAnswer} µs wall, degraded ${figures.degradedShare}, candidates ${figures.meanCandidates}`);
  }
  const medianCpu = median(measured.map((run) => run.cpuMicrosPerAnswer));

  let stages: StageShare[] | null = null;
  if (!values['no-profile']) {
    progress(`profiled run: ${answers} answers`);
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    await measure(answers);
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    stages = stageShares(profile, medianCpu);
    await writeFile(`${out}.cpuprofile`, JSON.stringify(profile));
    for (const stage of stages) progress(`  ${stage.stage.padEnd(10)} ${String(stage.microsPerAnswer).padStart(6)} µs  ${(stage.share * 100).toFixed(1)} %`);
  }

  const report = {
    what: 'CPU per answer of the serving path in process (services.recommend, one answer at a time)',
    settings: { answers, runs, warmup, users: userCount, stateVersion: sample.version, models: api.parts.models.status().models },
    cpuMicrosPerAnswer: { median: medianCpu, max: Math.max(...measured.map((run) => run.cpuMicrosPerAnswer)) },
    cpuMicrosP99: { median: median(measured.map((run) => run.cpuMicrosP99)) },
    wallMicrosPerAnswer: { median: median(measured.map((run) => run.wallMicrosPerAnswer)) },
    target: { cpuMicrosPerAnswer: 1_000, met: medianCpu <= 1_000 },
    stages,
    runs: measured,
  };
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  progress(`wrote ${out}`);
  process.stdout.write(`serve CPU per answer: median ${medianCpu} µs over ${runs} runs of ${answers} (target ≤ 1000 µs: ${report.target.met ? 'met' : 'NOT MET'})\n`);
} finally {
  await api.stop();
  admin.disconnect();
  await rm(workDir, { recursive: true, force: true });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return round(sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
