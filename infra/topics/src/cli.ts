import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import kafkajs, { Kafka, logLevel, type Admin } from 'kafkajs';

// kafkajs is CommonJS and Node's ESM loader does not see this export by name.
const { ConfigResourceTypes } = kafkajs;
import { isAppError, kafkaClientOptions, kafkaEnvironmentVariables } from '@streamrec/foundation';
import { loadTopicsConfig } from './config.js';
import { appliedConfig, checkBrokers, durabilityProfile, parseTopicsFile, planTopics, type ExistingTopic, type TopicPlan } from './topic-spec.js';
import { tailTopic } from './tail.js';
import { createTopicsReady } from '@streamrec/foundation/kafka';

const usage = `Usage: npm run topics -- <command>

Commands:
  apply [--profile P] [--dry-run]
            create the topics declared in schemas/topics.json that are missing (with their configs,
            the profile's replication factor and min.insync.replicas), add partitions where more are
            declared, set min.insync.replicas where it drifted; never deletes or shrinks. Refuses a
            cluster with fewer brokers than the profile's replication factor. --dry-run prints the plan.
  list      every topic with its partitions and message count (sum of high - low watermarks)
  tail <topic> [-n N]
            the last N records (default 10) of each partition as JSON lines: dead letters and CDC
            envelopes as JSON, owned Avro topics decoded; does not wait for new records

Options:
  --profile P  durability profile of schemas/topics.json: local (1 replica, min ISR 1; the default, or
               STREAMREC_TOPICS_PROFILE) or production (3 replicas, min ISR 2)
  --dry-run    apply: print what would change, change nothing
  -h, --help   this help

Environment (infra/local/stack.env and .stack/secrets.env fill them in locally):
${Object.entries({
  ...kafkaEnvironmentVariables('admin'),
  STREAMREC_TOPICS_FILE: 'the declared topics (default schemas/topics.json)',
  STREAMREC_TOPICS_PROFILE: 'durability profile when --profile is not given (default local)',
})
  .map(([name, text]) => `  ${name.padEnd(32)}${text}`)
  .join('\n')}`;

/** Partitions, replicas and min.insync.replicas of the declared topics that exist. */
async function existingTopics(admin: Admin, declared: readonly string[]): Promise<ExistingTopic[]> {
  const metadata = await admin.fetchTopicMetadata({ topics: [] });
  const present = metadata.topics.filter((topic) => declared.includes(topic.name));
  if (present.length === 0) return [];
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((topic) => ({ type: ConfigResourceTypes.TOPIC, name: topic.name, configNames: ['min.insync.replicas'] })),
  });
  const minInsync = new Map(configs.resources.map((resource) => [resource.resourceName, resource.configEntries.find((entry) => entry.configName === 'min.insync.replicas')?.configValue]));
  return present.map((topic) => {
    const minInsyncReplicas = minInsync.get(topic.name);
    return { name: topic.name, partitions: topic.partitions.length, replicationFactor: topic.partitions[0]?.replicas.length ?? 0, ...(minInsyncReplicas === undefined ? {} : { minInsyncReplicas }) };
  });
}

function printPlan(plan: TopicPlan, prefix: string): void {
  for (const topic of plan.create) process.stdout.write(`${prefix}created ${topic.name} (${topic.partitions} partitions)\n`);
  for (const change of plan.addPartitions) process.stdout.write(`${prefix}grew ${change.name}: ${change.from} → ${change.to} partitions\n`);
  for (const change of plan.setMinInsync) process.stdout.write(`${prefix}set ${change.name} min.insync.replicas: ${change.from} → ${change.to}\n`);
  for (const problem of plan.cannotShrink) {
    process.stderr.write(`warning: ${problem.name} has ${problem.existing} partitions, ${problem.declared} declared; Kafka cannot shrink a topic\n`);
  }
  for (const problem of plan.replicationDiffers) {
    process.stderr.write(`warning: ${problem.name} has ${problem.existing} replicas, the profile ${problem.declared}; apply does not reassign partitions (kafka-reassign-partitions.sh)\n`);
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' }, count: { type: 'string', short: 'n', default: '10' }, profile: { type: 'string' }, 'dry-run': { type: 'boolean' } } });
  const [command] = positionals;
  if (values.help === true || command === undefined) {
    process.stdout.write(`${usage}\n`);
    return values.help === true ? 0 : 2;
  }
  const config = loadTopicsConfig();
  const kafka = new Kafka({ clientId: 'streamrec-topics', ...kafkaClientOptions(config.kafka), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (command === 'apply') {
      const file = parseTopicsFile(JSON.parse(await readFile(config.topicsFile, 'utf8')) as unknown, config.topicsFile);
      const profile = durabilityProfile(file, values.profile ?? config.profile);
      checkBrokers(profile, (await admin.describeCluster()).brokers.length);
      const plan = planTopics(file.topics, await existingTopics(admin, file.topics.map((topic) => topic.name)), profile);
      const dryRun = values['dry-run'] === true;
      if (!dryRun && plan.create.length > 0) {
        await createTopicsReady(admin, {
          topics: plan.create.map((topic) => ({
            topic: topic.name,
            numPartitions: topic.partitions,
            replicationFactor: profile.replicationFactor,
            configEntries: Object.entries(appliedConfig(topic, profile)).map(([name, value]) => ({ name, value })),
          })),
        });
      }
      if (!dryRun && plan.addPartitions.length > 0) {
        await admin.createPartitions({ topicPartitions: plan.addPartitions.map((change) => ({ topic: change.name, count: change.to })) });
      }
      if (!dryRun && plan.setMinInsync.length > 0) {
        // AlterConfigs replaces a topic's whole set of overrides: send the declared set with the profile's value.
        const byName = new Map(file.topics.map((topic) => [topic.name, topic]));
        await admin.alterConfigs({
          validateOnly: false,
          resources: plan.setMinInsync.map((change) => ({
            type: ConfigResourceTypes.TOPIC,
            name: change.name,
            configEntries: Object.entries(appliedConfig(byName.get(change.name)!, profile)).map(([name, value]) => ({ name, value })),
          })),
        });
      }
      printPlan(plan, dryRun ? 'would have ' : '');
      process.stdout.write(
        `topics (profile ${profile.name}: ${profile.replicationFactor} replicas, min.insync.replicas ${profile.minInsyncReplicas}): ${file.topics.length} declared, ${plan.create.length} created, ${plan.addPartitions.length} grown, ${plan.setMinInsync.length} min.insync.replicas set${dryRun ? ' (dry run: nothing changed)' : ''}\n`,
      );
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
