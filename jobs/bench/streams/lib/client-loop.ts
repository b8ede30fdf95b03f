/**
 * Child process of the streams benchmark: one consume loop over the bench's interactions topic with
 * kafkajs or @platformatic/kafka, the same work per message (Avro single-object decode, no state), a
 * fresh group from the earliest offset, same fetch settings as the shared batch consumer (max wait
 * 50 ms, 4 MiB per partition). Prints `{ client, messages, seconds, cpuSeconds }`.
 * Argument: JSON `{ client, brokers, topic, group, expected, platformaticEntry }`.
 */
import { Kafka, logLevel } from 'kafkajs';
import { kafkaClientOptions, loadKafkaConfig } from '@streamrec/foundation';
import { createEventCodec } from '@streamrec/schemas/avro';
import { loadBenchEnvironment } from '../config.js';

interface ClientLoopSpec {
  readonly client: 'kafkajs' | 'platformatic';
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly group: string;
  readonly expected: number;
  /** Absolute path of @platformatic/kafka's entry module (not a dependency of the repo yet). */
  readonly platformaticEntry: string;
}

/** The few members of @platformatic/kafka this loop uses (it is loaded by path, so typed here). */
interface PlatformaticModule {
  Consumer: new (options: Record<string, unknown>) => {
    consume(options: Record<string, unknown>): Promise<{ on(event: 'data', listener: (message: { value: Buffer }) => void): void; on(event: 'error', listener: (error: Error) => void): void }>;
    close(force?: boolean): Promise<void>;
  };
}

const spec = JSON.parse(process.argv[2] ?? '{}') as ClientLoopSpec;
// The brokers come from the spec, the credentials (admin: the bench's own topic and groups) from the stack's env.
const kafkaConfig = { ...loadKafkaConfig(loadBenchEnvironment().stack, 'admin', 'bench client loop'), brokers: spec.brokers };
const codec = createEventCodec('events.interactions.v1');
let count = 0;
let checksum = 0;
let firstAt: number | undefined;
let cpuAtFirst: NodeJS.CpuUsage | undefined;
let finish: () => void = () => undefined;
const finished = new Promise<void>((resolve) => (finish = resolve));

/** The clock starts once the group is joined: the first fetch counts, the join protocol does not. */
function startClock(): void {
  if (firstAt !== undefined) return;
  firstAt = performance.now();
  cpuAtFirst = process.cpuUsage();
}

function handle(value: Buffer | null): void {
  startClock();
  if (value !== null) checksum += codec.decode(value).item_id;
  count += 1;
  if (count >= spec.expected) finish();
}

let stop: () => Promise<void>;
if (spec.client === 'kafkajs') {
  const kafka = new Kafka({ clientId: 'bench-kafkajs', ...kafkaClientOptions(kafkaConfig), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: spec.group, maxWaitTimeInMs: 50, maxBytesPerPartition: 4 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topics: [spec.topic], fromBeginning: true });
  consumer.on(consumer.events.GROUP_JOIN, () => startClock());
  await consumer.run({
    eachBatchAutoResolve: true,
    autoCommit: false,
    eachBatch: ({ batch }) => {
      for (const message of batch.messages) handle(message.value);
      return Promise.resolve();
    },
  });
  stop = () => consumer.disconnect();
} else {
  polyfillPromiseWithResolvers();
  const { Consumer } = (await import(spec.platformaticEntry)) as PlatformaticModule;
  // The same SCRAM-SHA-512 login as kafkajs's, in @platformatic/kafka's spelling.
  const { username, password } = kafkaConfig;
  const sasl = username === undefined || password === undefined ? {} : { sasl: { mechanism: 'SCRAM-SHA-512', username, password } };
  const consumer = new Consumer({ groupId: spec.group, clientId: 'bench-platformatic', bootstrapBrokers: [...kafkaConfig.brokers], ...sasl });
  const stream = await consumer.consume({ topics: [spec.topic], mode: 'earliest', autocommit: false, maxWaitTime: 50, maxBytesPerPartition: 4 * 1024 * 1024, maxBytes: 10 * 1024 * 1024 });
  startClock(); // consume() resolves once the group is joined
  stream.on('error', (error) => process.stderr.write(`${error.message}\n`));
  stream.on('data', (message) => handle(message.value));
  stop = () => consumer.close(true);
}
/** @platformatic/kafka 2.12 declares Node >= 22.22 and calls Promise.withResolvers (Node 22+); the repo runs Node 20. */
function polyfillPromiseWithResolvers(): void {
  const promise = Promise as unknown as { withResolvers?: () => unknown };
  promise.withResolvers ??= () => {
    let resolve: (value: unknown) => void = () => undefined;
    let reject: (reason: unknown) => void = () => undefined;
    const created = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise: created, resolve, reject };
  };
}

await finished;
const seconds = (performance.now() - (firstAt ?? 0)) / 1000;
const cpu = process.cpuUsage(cpuAtFirst);
await stop().catch(() => undefined);
process.stdout.write(`${JSON.stringify({ client: spec.client, messages: count, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, checksum })}\n`);
process.exit(0);
