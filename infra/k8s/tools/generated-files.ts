import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, isScalar, isSeq, stringify, visit } from 'yaml';
import { kafkaUserOf, readKafkaAcls, type AclGrant, type KafkaAcls } from '../../kafka/acl-grants.js';

/**
 * The Kubernetes files that copy a source of truth kept elsewhere in the repository, rendered from
 * it. Kustomize reads only files under a kustomization's own directory, so schemas/topics.json, the
 * connector config, the ClickHouse DDL and config, the experiments file, the JMX exporter rules,
 * Redis's ACL renderer and Kafka's users and ACLs (infra/kafka/acls.sh) are copied into
 * `*.generated.yaml` files by `node --import tsx infra/k8s/tools/generate.ts`, and
 * infra/k8s/manifests.test.ts fails when a committed copy differs from what this renders.
 */

/** Strimzi cluster names the generated resources belong to. */
export const KAFKA_CLUSTER = 'streamrec';
export const CONNECT_CLUSTER = 'streamrec-connect';

/** Connector settings that differ from connectors/config/cdc-mariadb.json, and why. */
export const CONNECTOR_OVERRIDES: Readonly<Record<string, { value: string; why: string }>> = {
  'database.hostname': {
    value: '${env:STREAMREC_MARIADB_HOST}',
    why: 'the local stack has one host for everything (STREAMREC_HOST); here MariaDB and Kafka are different hosts',
  },
  'schema.history.internal.kafka.bootstrap.servers': {
    value: '${env:STREAMREC_KAFKA_BROKERS}',
    why: 'the Kafka bootstrap service, not the local host:port',
  },
};

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly config: Readonly<Record<string, string>>;
}

export interface ConnectorFile {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
}

const HEADER = (source: string): string =>
  `# GENERATED from ${source} by \`node --import tsx infra/k8s/tools/generate.ts\`; do not edit.\n` +
  '# infra/k8s/manifests.test.ts fails when this file and its source disagree.\n';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown, what: string): Record<string, string> {
  if (!isRecord(value)) throw new TypeError(`${what} must be an object`);
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw new TypeError(`${what}.${key} must be a string`);
    out[key] = entry;
  }
  return out;
}

export function readTopics(root: string): TopicSpec[] {
  const parsed = JSON.parse(readFileSync(join(root, 'schemas', 'topics.json'), 'utf8')) as unknown;
  if (!isRecord(parsed) || !Array.isArray(parsed['topics'])) throw new TypeError('schemas/topics.json: no topics array');
  return parsed['topics'].map((topic: unknown, index) => {
    if (!isRecord(topic) || typeof topic['name'] !== 'string' || typeof topic['partitions'] !== 'number') {
      throw new TypeError(`schemas/topics.json: topic ${index} needs a name and partitions`);
    }
    return { name: topic['name'], partitions: topic['partitions'], config: stringRecord(topic['config'] ?? {}, `topics[${index}].config`) };
  });
}

export function readConnector(root: string): ConnectorFile {
  const parsed = JSON.parse(readFileSync(join(root, 'connectors', 'config', 'cdc-mariadb.json'), 'utf8')) as unknown;
  if (!isRecord(parsed) || typeof parsed['name'] !== 'string') throw new TypeError('cdc-mariadb.json: no name');
  return { name: parsed['name'], config: stringRecord(parsed['config'], 'cdc-mariadb.json config') };
}

/** Kubernetes names allow [a-z0-9.-]; Kafka topic names also allow "_" (kept in spec.topicName). */
export function topicResourceName(topic: string): string {
  return topic.toLowerCase().replace(/_/g, '-');
}

function documents(header: string, docs: readonly unknown[]): string {
  return header + docs.map((doc) => `---\n${stringify(doc, { lineWidth: 0 })}`).join('');
}

export function renderTopics(topics: readonly TopicSpec[]): string {
  return documents(
    HEADER('schemas/topics.json') +
      '# Replicas 1 here; overlays/production patches every KafkaTopic to 3 replicas with min.insync.replicas 2.\n',
    topics.map((topic) => ({
      apiVersion: 'kafka.strimzi.io/v1beta2',
      kind: 'KafkaTopic',
      metadata: { name: topicResourceName(topic.name), labels: { 'strimzi.io/cluster': KAFKA_CLUSTER } },
      spec: { topicName: topic.name, partitions: topic.partitions, replicas: 1, config: { ...topic.config } },
    })),
  );
}

export function renderConnector(connector: ConnectorFile): string {
  const { 'connector.class': connectorClass, 'tasks.max': tasksMax, ...rest } = connector.config;
  if (connectorClass === undefined || tasksMax === undefined) throw new TypeError('cdc-mariadb.json: connector.class and tasks.max are required');
  const config: Record<string, string> = { ...rest };
  for (const [key, override] of Object.entries(CONNECTOR_OVERRIDES)) config[key] = override.value;
  const notes = Object.entries(CONNECTOR_OVERRIDES)
    .map(([key, override]) => `#   ${key}: ${override.value} (${override.why})\n`)
    .join('');
  return documents(
    HEADER('connectors/config/cdc-mariadb.json') +
      '# Differences from that file: name → metadata.name, connector.class → spec.class, tasks.max →\n' +
      '# spec.tasksMax (Strimzi keeps them outside config), and\n' +
      notes +
      '# The password stays ${env:STREAMREC_MARIADB_CDC_PASSWORD}: the Connect workers get it from the\n' +
      '# streamrec-mariadb Secret (connect.yaml). overlays/production raises topic.creation.default.replication.factor to 3.\n',
    [
      {
        apiVersion: 'kafka.strimzi.io/v1beta2',
        kind: 'KafkaConnector',
        metadata: { name: connector.name, labels: { 'strimzi.io/cluster': CONNECT_CLUSTER } },
        spec: { class: connectorClass, tasksMax: Number(tasksMax), config },
      },
    ],
  );
}

/** A grant as Strimzi ACL rules: one rule per resource, with the grant's operations (any host). */
function strimziAclRules(grant: AclGrant): unknown[] {
  return grant.resources.map((resource) => ({
    resource: resource.type === 'cluster' ? { type: 'cluster' } : { type: resource.type, name: resource.name, patternType: resource.patternType },
    operations: [...grant.operations],
  }));
}

/**
 * One KafkaUser per client role of infra/kafka/acls.sh, SCRAM-SHA-512, with the ACLs its grants list.
 * The super roles' users get none (they are `superUsers` in kafka.yaml); the broker role has no
 * KafkaUser: Strimzi's brokers and operators use their own certificates.
 */
export function renderKafkaUsers(acls: KafkaAcls): string {
  return documents(
    HEADER('infra/kafka/acls.sh') +
      '# One SCRAM-SHA-512 KafkaUser per client role (KAFKA_CLIENT_ROLES), with the ACLs kafka_acl_grants gives\n' +
      '# it; the User Operator creates a Secret of the same name (keys password and sasl.jaas.config), which\n' +
      '# the role\'s workloads read (STREAMREC_KAFKA_<ROLE>_PASSWORD). Super roles get no ACLs: kafka.yaml\n' +
      '# lists them as superUsers.\n',
    acls.clientRoles.map((role) => {
      const grants = acls.grants.filter((grant) => grant.role === role);
      const superUser = acls.superRoles.includes(role);
      return oneRulePerLine({
        apiVersion: 'kafka.strimzi.io/v1beta2',
        kind: 'KafkaUser',
        metadata: { name: kafkaUserOf(role), labels: { 'strimzi.io/cluster': KAFKA_CLUSTER } },
        spec: {
          authentication: { type: 'scram-sha-512' },
          ...(superUser && grants.length === 0 ? {} : { authorization: { type: 'simple', acls: grants.flatMap(strimziAclRules) } }),
        },
      });
    }),
  );
}

/** A KafkaUser whose ACL rules print as two short lines each (`resource: {…}`, `operations: […]`). */
function oneRulePerLine(user: unknown): Document {
  const doc = new Document(user);
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key)) return;
      if (pair.key.value === 'resource' && isMap(pair.value)) pair.value.flow = true;
      if (pair.key.value === 'operations' && isSeq(pair.value)) pair.value.flow = true;
    },
  });
  return doc;
}

function configMap(name: string, data: Record<string, string>): unknown {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

function filesIn(dir: string, suffix: string): Record<string, string> {
  const data: Record<string, string> = {};
  for (const file of readdirSync(dir).filter((name) => name.endsWith(suffix)).sort()) data[file] = readFileSync(join(dir, file), 'utf8');
  return data;
}

/** Every generated file, by path relative to the repository root, with its content. */
export function renderGeneratedFiles(root: string): Map<string, string> {
  const read = (...parts: string[]): string => readFileSync(join(root, ...parts), 'utf8');
  const files = new Map<string, string>();
  files.set('infra/k8s/base/kafka/topics.generated.yaml', renderTopics(readTopics(root)));
  files.set('infra/k8s/base/kafka/connector.generated.yaml', renderConnector(readConnector(root)));
  files.set('infra/k8s/base/kafka/users.generated.yaml', renderKafkaUsers(readKafkaAcls(root)));
  files.set(
    'infra/k8s/base/kafka/metrics-config.generated.yaml',
    documents(HEADER('infra/compose/kafka/jmx-exporter.yml and infra/compose/connect/jmx-exporter.yml'), [
      configMap('kafka-metrics', { 'kafka-metrics-config.yml': read('infra', 'compose', 'kafka', 'jmx-exporter.yml') }),
      configMap('connect-metrics', { 'connect-metrics-config.yml': read('infra', 'compose', 'connect', 'jmx-exporter.yml') }),
    ]),
  );
  files.set(
    'infra/k8s/base/clickhouse/config.generated.yaml',
    documents(HEADER('infra/compose/clickhouse/{config.d,users.d}/streamrec.xml and schemas/clickhouse/*.sql'), [
      configMap('clickhouse-config', {
        'config.xml': read('infra', 'compose', 'clickhouse', 'config.d', 'streamrec.xml'),
        'users.xml': read('infra', 'compose', 'clickhouse', 'users.d', 'streamrec.xml'),
      }),
      configMap('clickhouse-ddl', filesIn(join(root, 'schemas', 'clickhouse'), '.sql')),
    ]),
  );
  files.set(
    'infra/k8s/base/redis/render-acl.generated.yaml',
    documents(HEADER('infra/redis/render-acl.sh') + '# The Redis pods run it at start (redis.yaml, init container render-acl), as the local stack and compose do.\n', [
      configMap('redis-render-acl', { 'render-acl.sh': read('infra', 'redis', 'render-acl.sh') }),
    ]),
  );
  files.set(
    'infra/k8s/base/apps/api-experiments.generated.yaml',
    documents(HEADER('config/experiments.yaml'), [configMap('api-experiments', { 'experiments.yaml': read('config', 'experiments.yaml') })]),
  );
  files.set(
    'infra/k8s/overlays/local/mariadb/initdb.generated.yaml',
    documents(HEADER('infra/compose/mariadb/initdb/10-streamrec.sh and schemas/sql/*.sql'), [
      configMap('mariadb-initdb', { '10-streamrec.sh': read('infra', 'compose', 'mariadb', 'initdb', '10-streamrec.sh') }),
      configMap('mariadb-sql', filesIn(join(root, 'schemas', 'sql'), '.sql')),
    ]),
  );
  return files;
}
