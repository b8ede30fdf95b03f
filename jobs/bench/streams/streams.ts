/**
 * The streams benchmark (needs the local stack; not a timed test). Writes its figures as JSON.
 *
 *   npx tsx jobs/bench/streams/streams.ts --out FILE [--events N] [--runs R] [--core C] [--only SECTION,...]
 *
 * Sections: `throughput` (events/s per processor stage, one stage process at a time pinned to one
 * core, over N pre-produced interactions on a bench-owned topic into a fresh state version per run),
 * `clients` (kafkajs vs @platformatic/kafka on the same consume loop), `freshness` (MariaDB commit →
 * Debezium → normalize → features → Redis key visible). See --help.
 */
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { kafkaClientOptions, loadKafkaConfig, loadRedisConfig } from '@streamrec/foundation';
import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import { describeMachine, produceInteractions, tasksetAvailable } from './lib/bench-support.js';
import { measureThroughput } from './lib/throughput.js';
import { compareClients } from './lib/client-compare.js';
import { measureFreshness } from './lib/freshness.js';
import { loadBenchEnvironment } from './config.js';
import { createTopicsReady } from '@streamrec/foundation/kafka';

const help = `streams benchmark (local stack must be running)

  npx tsx jobs/bench/streams/streams.ts --out FILE [options]

  --out FILE              where the JSON goes (required)
  --events N              interactions pre-produced for the throughput and client sections (default 50000)
  --runs R                runs per measurement; medians and p99 are over runs (default 3)
  --concurrency N         partitions a stage processes at the same time (default 3, the processors' default)
  --core C                core the measured child processes are pinned to with taskset (default: last core; -1 = no pinning)
  --only LIST             comma-separated subset of throughput,clients,freshness (default all)
  --freshness-samples K   MariaDB commits timed for freshness (default 40)
  --trickle N             favourites per second committed in the background while they are timed (default 1000,
                          issue 14's load; 0 = none)
  --platformatic PATH     directory holding node_modules/@platformatic/kafka (default /tmp/pk, or the repo's own)
  --cpu-prof DIR          write a .cpuprofile of every measured child into DIR
  --pairs on|off          whether the co-occurrence user stage commits its pair increments (Kafka transactions), as
                          the process does (default on; off measures the stage without them)
  --help                  this text
`;

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    events: { type: 'string', default: '50000' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '3' },
    core: { type: 'string' },
    only: { type: 'string', default: 'throughput,clients,freshness' },
    'freshness-samples': { type: 'string', default: '40' },
    trickle: { type: 'string', default: '1000' },
    pairs: { type: 'string', default: 'on' },
    platformatic: { type: 'string' },
    'cpu-prof': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(help);
  process.exit(0);
}
if (values.out === undefined) {
  process.stderr.write(`--out FILE is required\n\n${help}`);
  process.exit(2);
}
const events = Number(values.events);
const runs = Number(values.runs);
const partitionConcurrency = Number(values.concurrency);
const machine = describeMachine(loadavg());
const coreArg = values.core === undefined ? machine.cpus - 1 : Number(values.core);
const core = coreArg < 0 ? undefined : coreArg;
const sections = new Set(values.only.split(',').map((section) => section.trim()));
if (values.pairs !== 'on' && values.pairs !== 'off') {
  process.stderr.write('--pairs must be on or off\n');
  process.exit(2);
}
const pairs = values.pairs === 'on';
const trickle = Number(values.trickle);
if (!Number.isInteger(trickle) || trickle < 0 || trickle > 20_000) {
  process.stderr.write('--trickle must be an integer from 0 to 20000 (favourites per second)\n');
  process.exit(2);
}
if (!Number.isInteger(events) || events < 1 || !Number.isInteger(runs) || runs < 1 || !Number.isInteger(partitionConcurrency) || partitionConcurrency < 1) {
  process.stderr.write('--events, --runs and --concurrency must be positive integers\n');
  process.exit(2);
}

const { stack: env, inherited } = loadBenchEnvironment();
const kafkaConfig = loadKafkaConfig(env, 'admin', 'bench');
// Only where Kafka is goes to the stage and client children (in argv): they read their credentials from the stack's env.
const { brokers } = kafkaConfig;
const redisAddress = loadRedisConfig(env, 'admin', 'bench');
const log = (line: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};
const suffix = `${Date.now().toString(36)}${process.pid}`;
const kafka = new Kafka({ clientId: 'streams-bench', ...kafkaClientOptions(kafkaConfig), logLevel: logLevel.NOTHING });
const redis = new Redis(redisAddress);
const admin = kafka.admin();
const interactionsTopic = `bench.${suffix}.interactions`;
const child = { env: inherited, core, cpuProfileDir: values['cpu-prof'] };
const report: Record<string, unknown> = {
  benchmark: 'streams',
  startedAt: new Date().toISOString(),
  machine,
  settings: { events, runs, partitionConcurrency, pairs, pinnedCore: tasksetAvailable ? (core ?? null) : null, pinning: tasksetAvailable && core !== undefined ? 'taskset -c' : 'none (one process at a time)' },
};

await admin.connect();
try {
  if (sections.has('throughput') || sections.has('clients')) {
    await createTopicsReady(admin, { topics: [{ topic: interactionsTopic, numPartitions: 6 }] });
    log(`producing ${events} interactions to ${interactionsTopic}`);
    await produceInteractions(kafka, interactionsTopic, events, suffix, (done) => {
      if (done % 50_000 === 0 || done === events) log(`  produced ${done}/${events}`);
    });
  }
  if (sections.has('throughput')) {
    log(`throughput: ${runs} run(s) × 4 stages, one stage process at a time${core === undefined ? '' : `, pinned to core ${core}`}`);
    report['throughput'] = await measureThroughput(kafka, redis, events, {
      brokers,
      // Only where Redis is: the stage children read their credentials from the stack's env, never argv.
      redis: { host: redisAddress.host, port: redisAddress.port },
      interactionsTopic,
      itemsTopic: 'events.items.v1',
      suffix,
      runs,
      partitionConcurrency,
      pairs,
      child,
      log,
    });
  }
  if (sections.has('clients')) {
    log(`clients: kafkajs vs @platformatic/kafka, ${runs} run(s) each, same topic and decode`);
    report['clients'] = await compareClients({ brokers, topic: interactionsTopic, expected: events, runs, suffix, child, platformaticDir: values.platformatic, log });
  }
  if (sections.has('freshness')) {
    log(`freshness: ${values['freshness-samples']} MariaDB commits through Debezium → normalize → features${trickle > 0 ? `, under a trickle of ${trickle}/s` : ''}`);
    report['freshness'] = await measureFreshness({ kafka: kafkaConfig, redis: redisAddress, env, childEnv: inherited, samples: Number(values['freshness-samples']), trickle, suffix, log });
  }
} finally {
  await admin.deleteTopics({ topics: [interactionsTopic] }).catch(() => undefined);
  await admin.disconnect();
  await redis.quit();
}
report['finishedAt'] = new Date().toISOString();
await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
log(`wrote ${values.out}`);
