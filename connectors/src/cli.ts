import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { createRootLogger } from '@streamrec/foundation/process';
import { isAppError, kafkaClientOptions, type KafkaConfig } from '@streamrec/foundation';
import { signalTopic as signalTopicName } from '@streamrec/cdc';
import { createConnectRestClient } from './adapters/connect-rest-client.js';
import { applyConnectors } from './apply-connectors.js';
import { schemaHistoryTopic } from './adapters/schema-history-topic.js';
import { openSignalTableWriter } from './adapters/signal-table-writer.js';
import { startSignalTopicReader } from './adapters/signal-topic-reader.js';
import { resnapshot } from './resnapshot.js';
import { recoverSchemaHistory } from './schema-history-recovery.js';
import { snapshotBySignal } from './snapshot-by-signal.js';
import { loadConnectorsConfig, loadHistoryKafkaConfig, loadSignalConfig, signalEnvironmentVariables } from './config.js';
import { judgeReadiness } from './domain/connector-status.js';
import { loadConnectorSpecs } from './load-specs.js';
import type { ConnectorSpec } from './domain/connector-spec.js';

const usage = `Usage: npm run connectors -- <command> [options]

Registers the Debezium connectors of connectors/config/*.json with Kafka Connect.

Commands:
  apply [FILE...]     create or update each connector (all files by default) and wait until
                      every task is RUNNING; exits non-zero with the failure trace otherwise. An
                      update that adds tables first recovers the schema history (snapshot.mode
                      recovery: the structure of every captured table, no data; needs Kafka)
  status              state of every connector and task on the Connect cluster
  delete NAME         remove a connector (its offsets stay in Connect's offsets topic)
  resnapshot NAME     recovery when the binlog the connector needs was purged (docs/OPERATIONS.md):
                      stop it, delete its stored offsets, resume it; Debezium takes a new snapshot
                      of every captured table, then streams. Waits until it streams again
  snapshot NAME       a full re-snapshot of the running connector through Debezium's signal table
                      (shop.debezium_signal): a blocking snapshot of every captured table, the binlog
                      paused meanwhile and resumed where it was; no offset is deleted, nothing skipped.
                      Waits until the snapshot is done (its marker row reaches cdc.shop.debezium_signal)

Options:
  --timeout SEC       how long apply waits for RUNNING, resnapshot and snapshot for the snapshot
                      (default 120)
  -h, --help          this help

Environment: STREAMREC_CONNECT_URL (default http://127.0.0.1:$STREAMREC_CONNECT_PORT from infra/local/stack.env)
snapshot (and apply, when it recovers a schema history: the Kafka ones) also read:
${Object.entries(signalEnvironmentVariables).map(([name, text]) => `  ${name}: ${text}`).join('\n')}`;

function timeoutMsOf(text: string | undefined): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('--timeout must be a positive number of seconds');
  return seconds * 1000;
}

/** Kafka as the tool reaches it (the admin role): the signal topic and the schema history. */
function kafkaClient(config: KafkaConfig): Kafka {
  return new Kafka({ clientId: 'streamrec-connectors', ...kafkaClientOptions(config), logLevel: logLevel.NOTHING, connectionTimeout: 5_000, retry: { retries: 3 } });
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { timeout: { type: 'string', default: '120' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, ...rest] = positionals;
  if (values.help === true || command === undefined) {
    process.stdout.write(`${usage}\n`);
    return command === undefined && values.help !== true ? 2 : 0;
  }
  const config = loadConnectorsConfig();
  const log = createRootLogger({ name: 'connectors', level: config.logLevel, pretty: config.prettyLogs });
  const connect = createConnectRestClient(config.connectUrl);

  switch (command) {
    case 'apply': {
      const specs = await loadConnectorSpecs(config.configDir, rest);
      const options = { timeoutMs: timeoutMsOf(values.timeout), pollMs: 500 };
      const base = { connect, log, sleep, now: Date.now };
      // Only an update adding tables reads the schema history topic (Kafka, as the admin role).
      const history = () => Promise.resolve(schemaHistoryTopic(kafkaClient(loadHistoryKafkaConfig())));
      const recover = (spec: ConnectorSpec, added: readonly string[]) => recoverSchemaHistory(spec, added, options, { ...base, history });
      const results = await applyConnectors(specs, options, { ...base, recover });
      for (const result of results) process.stdout.write(`${result.name}: ${result.plan.action}, ${result.state}\n`);
      return 0;
    }
    case 'status': {
      for (const name of await connect.list()) {
        const status = await connect.getStatus(name);
        if (status !== undefined) process.stdout.write(`${judgeReadiness(status).summary}\n`);
      }
      return 0;
    }
    case 'resnapshot': {
      const [name] = rest;
      if (name === undefined) {
        process.stderr.write('resnapshot needs a connector name\n');
        return 2;
      }
      const { seconds } = await resnapshot(name, { timeoutMs: timeoutMsOf(values.timeout), pollMs: 1000 }, { connect, log, sleep, now: Date.now });
      process.stdout.write(`${name}: new snapshot taken, streaming again (${seconds.toFixed(0)} s)\n`);
      return 0;
    }
    case 'snapshot': {
      const [name] = rest;
      if (name === undefined) {
        process.stderr.write('snapshot needs a connector name\n');
        return 2;
      }
      const signalConfig = loadSignalConfig();
      const newId = (): string => `snapshot-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}-${randomBytes(4).toString('hex')}`;
      const kafka = kafkaClient(signalConfig.kafka);
      const signalTopic = await startSignalTopicReader(kafka, signalTopicName, `streamrec-connectors-snapshot-${randomBytes(6).toString('hex')}`);
      try {
        const signals = await openSignalTableWriter(signalConfig.mariadb);
        try {
          const { id, seconds } = await snapshotBySignal(name, { timeoutMs: timeoutMsOf(values.timeout), pollMs: 500 }, { connect, log, sleep, now: Date.now, signals, signalTopic, newId });
          process.stdout.write(`${name}: blocking snapshot ${id} done, streaming again (${seconds.toFixed(0)} s)\n`);
        } finally {
          await signals.close();
        }
      } finally {
        await signalTopic.close();
      }
      return 0;
    }
    case 'delete': {
      const [name] = rest;
      if (name === undefined) {
        process.stderr.write('delete needs a connector name\n');
        return 2;
      }
      await connect.remove(name);
      process.stdout.write(`${name}: deleted\n`);
      return 0;
    }
    default:
      process.stderr.write(`unknown command '${command}'\n\n${usage}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = isAppError(error) ? `${error.code}: ${error.message}` : String(error);
    process.stderr.write(`connectors: ${message}\n`);
    process.exitCode = 1;
  },
);
