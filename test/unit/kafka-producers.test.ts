// Repository-wide check of schemas/topics.json's durability rule: every Kafka producer the system runs is
// idempotent and every send waits for all in-sync replicas (acks -1), so a retried send is written once
// and an acknowledged record survives the loss of a broker (min.insync.replicas of the profile).
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@streamrec/foundation/process';
import { callArguments, typeScriptSources } from '../helpers/source-scan.js';

/**
 * The renewing producer makes kafkajs producers from its caller's config and forwards its caller's records:
 * the config (`renewingProducer(kafka, { idempotent: true, … })`) and the sends are checked where they are written.
 */
const PASS_THROUGH = 'packages/foundation/src/kafka/renewing-producer.ts';
/** Tools that write only their own throwaway topics (benchmarks, the offline evaluation). */
const TOOLS = ['jobs/bench/', 'jobs/eval/'];
const ROOTS = ['packages', 'services', 'streams', 'jobs', 'connectors', 'infra'];

const files = ROOTS.flatMap((root) => typeScriptSources(join(repoRoot, root)))
  .map((path) => ({ path: relative(repoRoot, path), text: readFileSync(path, 'utf8') }))
  .filter(({ path }) => !TOOLS.some((tool) => path.startsWith(tool)));

describe('Kafka producers are idempotent and wait for every in-sync replica', () => {
  it('every kafka.producer(...) of the system sets idempotent: true', () => {
    const producers = files
      .filter(({ path }) => path !== PASS_THROUGH)
      .flatMap(({ path, text }) => ['.producer(', 'renewingProducer('].flatMap((marker) => callArguments(text, marker).map((args) => ({ path, args }))));
    expect(producers.length).toBeGreaterThanOrEqual(7);
    expect(producers.filter(({ args }) => !/idempotent: true/.test(args)).map(({ path, args }) => `${path}: producer(${args})`)).toEqual([]);
  });

  it('every producer send and sendBatch passes acks: -1', () => {
    const sends = files.filter(({ path }) => path !== PASS_THROUGH).flatMap(({ path, text }) =>
      ['producer.send(', 'producer.producer.send(', 'transaction.send(', '.sendBatch('].flatMap((marker) => callArguments(text, marker).map((args) => ({ path, args }))),
    );
    expect(sends.length).toBeGreaterThanOrEqual(7);
    expect(sends.filter(({ args }) => !/acks: -1/.test(args)).map(({ path, args }) => `${path}: send(${args.slice(0, 80)})`)).toEqual([]);
  });

  it('the connector and the Connect worker ask the same of their producers', () => {
    const connector = JSON.parse(readFileSync(join(repoRoot, 'connectors', 'config', 'cdc-mariadb.json'), 'utf8')) as { config: Record<string, string> };
    expect(connector.config).toMatchObject({ 'schema.history.internal.producer.acks': 'all', 'schema.history.internal.producer.enable.idempotence': 'true' });
    for (const workerFile of [['infra', 'local', 'components', 'connect.sh'], ['infra', 'compose', 'connect', 'connect-distributed.properties']]) {
      const worker = readFileSync(join(repoRoot, ...workerFile), 'utf8');
      expect(worker, workerFile.join('/')).toMatch(/^producer\.acks=all$/m);
      expect(worker, workerFile.join('/')).toMatch(/^producer\.enable\.idempotence=true$/m);
    }
    const strimzi = readFileSync(join(repoRoot, 'infra', 'k8s', 'base', 'kafka', 'connect.yaml'), 'utf8');
    expect(strimzi).toMatch(/^ {4}producer\.acks: all$/m);
    expect(strimzi).toMatch(/^ {4}producer\.enable\.idempotence: true$/m);
  });
});
