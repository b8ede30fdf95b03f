import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { isAppError } from '@streamrec/foundation';
import { loadTopicsConfig } from './config.js';
import { parseTopicSpecs, planTopics } from './topic-spec.js';
import { tailTopic } from './tail.js';

const usage = `Usage: npm run topics -- <command>

Commands:
  apply     create the topics declared in schemas/topics.json that are missing (with their configs)
            and add partitions where more are declared; never deletes or shrinks
  list      every topic with its partitions and message count (sum of high - low watermarks)
  tail <topic> [-n N]
            the last N records (default 10) of each partition as JSON lines: dead letters and CDC
            envelopes as JSON, owned Avro topics decoded; does not wait for new records

Options:
  -h, --help  this help

Environment: STREAMREC_KAFKA_BROKERS (default 127.0.0.1:$STREAMREC_KAFKA_PORT from infra/local/stack.env)`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' }, count: { type: 'string', short: 'n', default: '10' } } });
  const [command] = positionals;
  if (values.help === true || command === undefined) {
    process.stdout.write(`${usage}\n`);
    return values.help === true ? 0 : 2;
  }
  const config = loadTopicsConfig();
  const kafka = new Kafka({ clientId: 'streamrec-topics', brokers: [...config.brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (command === 'apply') {
      const declared = parseTopicSpecs(JSON.parse(await readFile(config.topicsFile, 'utf8')) as unknown, config.topicsFile);
      const metadata = await admin.fetchTopicMetadata({ topics: [] });
      const plan = planTopics(declared, metadata.topics.map((topic) => ({ name: topic.name, partitions: topic.partitions.length })));
      if (plan.create.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: plan.create.map((topic) => ({
            topic: topic.name,
            numPartitions: topic.partitions,
            replicationFactor: -1,
            configEntries: Object.entries(topic.config).map(([name, value]) => ({ name, value })),
          })),
        });
      }
      if (plan.addPartitions.length > 0) {
        await admin.createPartitions({ topicPartitions: plan.addPartitions.map((change) => ({ topic: change.name, count: change.to })) });
      }
      for (const topic of plan.create) process.stdout.write(`created ${topic.name} (${topic.partitions} partitions)\n`);
      for (const change of plan.addPartitions) process.stdout.write(`grew ${change.name}: ${change.from} → ${change.to} partitions\n`);
      for (const problem of plan.cannotShrink) {
        process.stderr.write(`warning: ${problem.name} has ${problem.existing} partitions, ${problem.declared} declared; Kafka cannot shrink a topic\n`);
      }
      process.stdout.write(`topics: ${declared.length} declared, ${plan.create.length} created, ${plan.addPartitions.length} grown\n`);
      return 0;
    }
    if (command === 'list') {
      const names = (await admin.listTopics()).sort();
      for (const name of names) {
        const offsets = await admin.fetchTopicOffsets(name);
        const messages = offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
        process.stdout.write(`${name.padEnd(48)} ${String(offsets.length).padStart(3)} partitions ${String(messages).padStart(10)} messages\n`);
      }
      return 0;
    }
    if (command === 'tail') {
      const topic = positionals[1];
      const count = Number(values.count);
      if (topic === undefined || !Number.isInteger(count) || count < 1) {
        process.stderr.write(`tail needs a topic and a positive -n\n\n${usage}\n`);
        return 2;
      }
      if (!(await admin.listTopics()).includes(topic)) {
        process.stderr.write(`no topic '${topic}'\n`);
        return 1;
      }
      const printed = await tailTopic(kafka, admin, topic, count, (line) => process.stdout.write(`${line}\n`));
      process.stderr.write(`${printed} records\n`);
      return 0;
    }
    process.stderr.write(`unknown command '${command}'\n\n${usage}\n`);
    return 2;
  } finally {
    await admin.disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`topics: ${isAppError(error) ? `${error.code}: ${error.message}` : String(error)}\n`);
    process.exitCode = 1;
  },
);
