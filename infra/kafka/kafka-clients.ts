/**
 * Who logs in to Kafka as what, for the checks of compose and Kubernetes: the role each entry point of
 * our images uses (the role its config passes to packages/foundation's kafkaConfigInput or
 * loadKafkaConfig; the stream processors' shared config passes `processor`), and the variables that carry
 * Kafka credentials. infra/kafka/acl-grants.test.ts checks the table against the config code.
 */
export interface KafkaClientEntry {
  /** The role of infra/kafka/acls.sh it logs in as (`streamrec-<role>`). */
  readonly role: string;
  /** The source directory whose config decides the role. */
  readonly config: string;
}

/** Entry points (infra/docker/deployables.ts) that talk to Kafka; any other entry gets no Kafka login. */
export const KAFKA_CLIENT_ENTRIES: Readonly<Record<string, KafkaClientEntry>> = {
  'streams/normalize/src/main.ts': { role: 'processor', config: 'streams/normalize/src' },
  'streams/features/src/main.ts': { role: 'processor', config: 'streams/features/src' },
  'streams/cooccurrence/src/main.ts': { role: 'processor', config: 'streams/cooccurrence/src' },
  'streams/trending/src/main.ts': { role: 'processor', config: 'streams/trending/src' },
  'streams/clickhouse-sink/src/main.ts': { role: 'processor', config: 'streams/clickhouse-sink/src' },
  'services/api/src/main.ts': { role: 'api', config: 'services/api/src' },
  'jobs/retrain/src/cli.ts': { role: 'model', config: 'jobs/retrain/src' },
  // The model CLI publishing the bootstrap ranker.
  'infra/docker/scripts/model-bootstrap.sh': { role: 'model', config: 'jobs/model/src' },
  // Operators' tools, super users in acls.sh: the data-quality report, the topic tool, and the connector
  // tool (which reads Kafka only when an update adds tables and it recovers the schema history).
  'jobs/dq/src/cli.ts': { role: 'admin', config: 'jobs/dq/src' },
  'infra/topics/src/cli.ts': { role: 'admin', config: 'infra/topics/src' },
  'connectors/src/cli.ts': { role: 'admin', config: 'connectors/src' },
};

/** The Kafka Connect workers (and Debezium's schema-history clients) log in as this role. */
export const CONNECT_ROLE = 'connect';

/** The variable the TypeScript code reads a role's password from (user `streamrec-<role>`). */
export function kafkaPasswordVariable(role: string): string {
  return `STREAMREC_KAFKA_${role.toUpperCase()}_PASSWORD`;
}

/**
 * Variables that decide a Kafka login: a role's password, or the named-user pair that makes a client
 * someone else (packages/foundation kafkaConfigInput), which no deployed container may set.
 */
export function isKafkaCredentialVariable(name: string): boolean {
  return /^STREAMREC_KAFKA_[A-Z]+_PASSWORD$/.test(name) || name === 'STREAMREC_KAFKA_USER' || name === 'STREAMREC_KAFKA_PASSWORD';
}
