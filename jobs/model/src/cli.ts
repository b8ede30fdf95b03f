/**
 * The model CLI (`npm run model -- --help`): publishes ranker models to models.history.v1 and
 * models.published.v1, lists what they hold, and rolls back to an earlier version. Progress and
 * results go to stdout, errors to stderr; exit 0 ok, 1 failed, 2 usage.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { AppError, ErrorCode, kafkaClientOptions } from '@streamrec/foundation';
import { repoRoot, runCli } from '@streamrec/foundation/process';
import { loadOnnxRanker } from '@streamrec/ranking/runtime';
import { RANKING_FEATURES, renderFeaturesDoc } from '@streamrec/ranking';
import { readModelTopic, unpublishModel, type ModelTopicRecord } from './adapters/model-topic.js';
import { publishWithHistory, rollbackModel, servingPublication } from './adapters/model-history.js';
import { versionsOf } from './domain/model-history.js';
import { importanceGain } from './domain/importance.js';
import { parseCommandLine, type Command } from './cli-args.js';
import { loadModelJobConfig, type ModelJobConfig } from './config.js';
import { loadModelSigner } from './adapters/model-signer.js';
import { bootstrapLinearWeights } from './domain/bootstrap-ranker.js';
import { linearRankerModel, syntheticTrees, treeEnsembleRankerModel } from '@streamrec/ranking';
import { buildPublication, type PublicationInput } from './publication.js';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function kafkaFor(config: ModelJobConfig): Kafka {
  return new Kafka({ clientId: 'streamrec-model', ...kafkaClientOptions(config.kafka), logLevel: logLevel.NOTHING, connectionTimeout: 5_000, retry: { retries: 3 } });
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function timestampVersion(prefix: string): string {
  return `${prefix}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

/** Loads the model with the API's own checks (feature names, shapes, a warm-up run) so nothing is published that the API would refuse. */
async function checkServable(input: PublicationInput): Promise<void> {
  const ranker = await loadOnnxRanker({ name: input.name, version: input.version, featureNames: input.featureNames, onnx: input.onnx });
  await ranker.release();
}

interface TopicOptions {
  readonly topic: string | undefined;
  readonly historyTopic: string | undefined;
}

function topicsOf(config: ModelJobConfig, options: TopicOptions): { published: string; history: string } {
  return { published: options.topic ?? config.topic, history: options.historyTopic ?? config.historyTopic };
}

async function publish(config: ModelJobConfig, options: TopicOptions, input: PublicationInput): Promise<void> {
  await checkServable(input);
  const signer = await loadModelSigner(config.signingKeyFile);
  const publication = signer.sign(buildPublication(input));
  const topics = topicsOf(config, options);
  if (!signer.signs) out('unsigned: STREAMREC_MODEL_SIGNING_KEY_FILE is not set (an API that verifies signatures will refuse this model)');
  out(`publishing ${publication.name}@${publication.version}: ${publication.onnx.length} bytes, sha256 ${publication.sha256}, ${publication.feature_names.length} features → ${topics.history}, ${topics.published}`);
  const position = await publishWithHistory(kafkaFor(config), topics, publication);
  out(`published at partition ${position.published.partition} offset ${position.published.offset} (history offset ${position.history.offset})`);
}

async function writeModel(path: string, onnx: Uint8Array): Promise<void> {
  await writeFile(path, onnx);
  out(`wrote ${onnx.length} bytes to ${path}`);
}

function describeRecord(record: ModelTopicRecord, current: boolean): string {
  const where = `${record.partition}:${record.offset}`.padEnd(8);
  const marker = current ? '*' : ' ';
  const name = (record.key ?? '(no key)').padEnd(16);
  switch (record.kind) {
    case 'tombstone':
      return `${marker} ${where} ${name} (tombstone: unloaded)`;
    case 'undecodable':
      return `${marker} ${where} ${name} (undecodable, ${record.bytes} bytes: ${record.reason})`;
    case 'publication': {
      const p = record.publication;
      const metrics = Object.entries(p.metrics).map(([key, value]) => `${key}=${value}`).join(' ');
      return [
        `${marker} ${where} ${name} ${p.version}  ${p.format}  ${p.onnx.length} bytes  sha256 ${p.sha256}  published ${new Date(p.published_at).toISOString()}`,
        `      features (${p.feature_names.length}): ${p.feature_names.join(',')}`,
        ...(metrics === '' ? [] : [`      metrics: ${metrics}`]),
        ...(Object.keys(p.lineage).length === 0 ? [] : [`      lineage: ${JSON.stringify(p.lineage)}`]),
      ].join('\n');
    }
  }
}

async function execute(command: Exclude<Command, { kind: 'help' }>): Promise<void> {
  const config = loadModelJobConfig();
  switch (command.kind) {
    case 'publish': {
      let onnx: Buffer;
      try {
        onnx = await readFile(command.file);
      } catch (cause) {
        throw new AppError(ErrorCode.InvalidArgument, `cannot read ${command.file}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
      }
      const commit = gitCommit();
      const lineage = { ...(commit === undefined ? {} : { git_commit: commit }), source_file: command.file, ...command.lineage };
      await publish(config, command, { name: command.name, version: command.version, onnx, featureNames: command.features, metrics: command.metrics, lineage });
      return;
    }
    case 'bootstrap': {
      const weights = bootstrapLinearWeights();
      const onnx = linearRankerModel(weights);
      if (command.out !== undefined) return writeModel(command.out, onnx);
      const commit = gitCommit();
      await publish(config, command, {
        name: command.name,
        version: command.version ?? timestampVersion('bootstrap'),
        onnx,
        featureNames: weights.featureNames,
        lineage: { trainer: 'hand-weighted linear (jobs/model bootstrap)', ...(commit === undefined ? {} : { git_commit: commit }) },
      });
      return;
    }
    case 'synthetic-trees': {
      const featureNames = command.features ?? [...RANKING_FEATURES];
      const trees = syntheticTrees({ trees: command.trees, depth: command.depth, featureCount: featureNames.length, seed: command.seed });
      const onnx = treeEnsembleRankerModel({ featureNames, trees });
      if (command.out !== undefined) return writeModel(command.out, onnx);
      await publish(config, command, {
        name: command.name,
        version: command.version ?? `synthetic-t${command.trees}-d${command.depth}-s${command.seed}`,
        onnx,
        featureNames,
        lineage: { trainer: 'synthetic seeded trees (benchmark only, not trained)', trees: String(command.trees), depth: String(command.depth), seed: String(command.seed) },
      });
      return;
    }
    case 'list': {
      const topic = command.topic ?? config.topic;
      const records = await readModelTopic(kafkaFor(config), topic);
      const last = new Map(records.map((record) => [record.key, record]));
      out(`${topic}: ${records.length} records (* = the one that serves its name, if valid)`);
      for (const record of records) out(describeRecord(record, last.get(record.key) === record));
      return;
    }
    case 'history': {
      const topics = topicsOf(config, command);
      const kafka = kafkaFor(config);
      const served = await readModelTopic(kafka, topics.published);
      const history = (await readModelTopic(kafka, topics.history)).map((record) => ({
        key: record.key,
        offset: record.offset,
        ...(record.kind === 'publication' ? { publication: record.publication } : {}),
      }));
      const names = command.name === undefined ? [...new Set(history.flatMap((record) => (record.publication === undefined ? [] : [record.publication.name])))].sort() : [command.name];
      out(`${topics.history}: ${history.length} records (* = serving on ${topics.published} now)`);
      for (const name of names) {
        const serving = servingPublication(served, name);
        const versions = versionsOf(history, name);
        out(`${name}: ${versions.length} version${versions.length === 1 ? '' : 's'}${serving === undefined ? ', none serving' : ''}`);
        for (const { publication: p, offset } of versions) {
          const current = serving?.version === p.version && serving.sha256 === p.sha256;
          const ndcg = p.metrics['ndcg_at_10'];
          const runId = p.lineage['run_id'];
          out(
            `${current ? '*' : ' '} ${p.version.padEnd(40)} published ${new Date(p.published_at).toISOString()}  sha256 ${p.sha256.slice(0, 12)}  ${p.onnx.length} bytes  ${p.feature_names.length} features` +
              `${ndcg === undefined ? '' : `  ndcg@10 ${ndcg.toFixed(4)}`}${runId === undefined ? '' : `  run ${runId}`}  (offset ${offset})`,
          );
        }
      }
      return;
    }
    case 'features-doc': {
      const file = command.out ?? join(repoRoot, 'docs', 'features.md');
      let importance: { model: string; gain: Record<string, number> } | undefined;
      if (command.name !== undefined) {
        const topic = command.topic ?? config.topic;
        const serving = servingPublication(await readModelTopic(kafkaFor(config), topic), command.name);
        if (serving === undefined) throw new AppError(ErrorCode.NotFound, `no model is serving ${command.name} on ${topic}`);
        importance = { model: `${serving.name} ${serving.version}`, gain: importanceGain(serving.metrics) };
        if (Object.keys(importance.gain).length === 0) throw new AppError(ErrorCode.NotFound, `${serving.name} ${serving.version} carries no importance.gain.* metrics (a hand-built model?)`);
      }
      await writeFile(file, renderFeaturesDoc(importance));
      out(`wrote ${file}${importance === undefined ? '' : ` with the gain of ${importance.model}`}`);
      return;
    }
    case 'rollback': {
      const topics = topicsOf(config, command);
      const result = await rollbackModel(kafkaFor(config), topics, {
        name: command.name,
        to: command.to,
        check: (publication) => checkServable({ name: publication.name, version: publication.version, onnx: publication.onnx, featureNames: publication.feature_names }),
      });
      out(
        `rolled back ${command.name}: ${result.from ?? '(nothing serving)'} → ${result.to.version} (sha256 ${result.to.sha256}, published ${new Date(result.to.published_at).toISOString()}) at partition ${result.position.partition} offset ${result.position.offset} of ${topics.published}`,
      );
      return;
    }
    case 'unpublish': {
      const topic = command.topic ?? config.topic;
      const position = await unpublishModel(kafkaFor(config), topic, command.name);
      out(`tombstone for ${command.name} at partition ${position.partition} offset ${position.offset} of ${topic}`);
      return;
    }
  }
}

runCli({
  name: 'model',
  parse: parseCommandLine,
  execute,
  explain: (error) =>
    error instanceof Error && /KafkaJS|ECONNREFUSED|Connection/i.test(error.name + error.message)
      ? `cannot reach Kafka at ${loadModelJobConfig().kafka.brokers.join(',')} (is the stack up? npm run stack:status): ${error.message}`
      : undefined,
});
