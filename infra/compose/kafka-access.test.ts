// Kafka's logins and ACLs in infra/compose, against infra/kafka/acls.sh (what the local stack applies):
// the broker takes SASL logins only and denies what no ACL allows, kafka-init creates exactly acls.sh's
// users and grants (run here with stand-in Kafka tools), each service logs in as its own role. No Docker:
// whether the images start with these settings is not tested here (docs/deployment.md).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { aclDifferences, aclEntries, kafkaUserOf, readKafkaAcls } from '../kafka/acl-grants.js';
import { kafkaPasswordVariable } from '../kafka/kafka-clients.js';
import { kafkaUserAclEntries } from '../k8s/tools/kafka-checks.js';
import { loadResources } from '../k8s/tools/k8s-model.js';
import { environmentOf, servicesOf } from './compose-checks.js';
import { checkConnectWorker, checkKafkaBroker, checkKafkaLogins, kafkaEnvironmentName, runKafkaInit } from './kafka-checks.js';

const composeDir = dirname(fileURLToPath(import.meta.url));
const root = join(composeDir, '..', '..');
const composeText = readFileSync(join(composeDir, 'docker-compose.yml'), 'utf8');
const load = (): unknown => parse(composeText, { merge: true }) as unknown;
const acls = readKafkaAcls(root);
const connectWorker = readFileSync(join(composeDir, 'connect', 'connect-distributed.properties'), 'utf8');
/** The values .env.example gives, standing in for a real .env. */
const envExample = new Map(
  readFileSync(join(composeDir, '.env.example'), 'utf8')
    .split('\n')
    .map((line) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1] ?? '', match[2] ?? '']),
);

/** Which services get which Kafka password variable. */
function holders(compose: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, service] of Object.entries(servicesOf(compose))) {
    for (const variable of environmentOf(service).keys()) if (/^STREAMREC_KAFKA_[A-Z]+_PASSWORD$/.test(variable)) (out[variable] ??= []).push(name);
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}

describe('Kafka in docker compose: SCRAM logins and ACLs from infra/kafka/acls.sh', () => {
  it('the broker takes SASL logins only (SCRAM-SHA-512 for clients), denies what no ACL allows, with acls.sh\'s super users', () => {
    expect(checkKafkaBroker(load(), acls)).toEqual([]);
    const env = environmentOf(servicesOf(load())['kafka'] ?? {});
    expect(env.get('KAFKA_LISTENERS')).not.toMatch(/(^|,)PLAINTEXT:/);
    expect(env.get('KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND')).toBe('false');
    expect(kafkaEnvironmentName('listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config')).toBe('KAFKA_LISTENER_NAME_SASL__PLAINTEXT_SCRAM___SHA___512_SASL_JAAS_CONFIG');
  });

  it('kafka-init creates a SCRAM user for every client role of acls.sh and exactly its grants, the same ACLs as the Kubernetes KafkaUsers', () => {
    const run = runKafkaInit(load(), composeDir, envExample);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // Each user with its own role's password.
    expect(Object.fromEntries(run.scramUsers)).toEqual(Object.fromEntries(acls.clientRoles.map((role) => [kafkaUserOf(role), envExample.get(kafkaPasswordVariable(role))])));
    expect(aclDifferences(run.acls, aclEntries(acls), 'kafka-init')).toEqual([]);
    const kubernetes = loadResources(join(root, 'infra', 'k8s', 'base'))
      .filter((object) => object.kind === 'KafkaUser')
      .flatMap((user) => kafkaUserAclEntries(user).entries);
    expect(aclDifferences(run.acls, kubernetes, 'compose vs Kubernetes')).toEqual([]);
  });

  it('kafka-init refuses to start without a role\'s password', () => {
    const run = runKafkaInit(load(), composeDir, new Map([...envExample].filter(([name]) => name !== 'STREAMREC_KAFKA_API_PASSWORD')));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('STREAMREC_KAFKA_API_PASSWORD is not set');
  });

  it('each service logs in as its own role, with a password interpolated from .env; Connect\'s worker and clients as streamrec-connect', () => {
    expect(checkKafkaLogins(load(), acls)).toEqual([]);
    expect(checkConnectWorker(connectWorker)).toEqual([]);
    // Who holds which Kafka password (docs/OPERATIONS.md "Who may do what"): kafka-init all of them to
    // create the users; the operators' tools (topics-init, connector-init, dq) the admin's.
    expect(holders(load())).toEqual({
      STREAMREC_KAFKA_BROKER_PASSWORD: ['kafka', 'kafka-init'],
      STREAMREC_KAFKA_ADMIN_PASSWORD: ['connector-init', 'dq', 'kafka-init', 'topics-init'],
      STREAMREC_KAFKA_PROCESSOR_PASSWORD: ['clickhouse-sink', 'cooccurrence', 'features', 'kafka-init', 'normalize', 'trending'],
      STREAMREC_KAFKA_API_PASSWORD: ['api', 'kafka-init'],
      STREAMREC_KAFKA_MODEL_PASSWORD: ['kafka-init', 'model-bootstrap', 'retrain'],
      STREAMREC_KAFKA_CONNECT_PASSWORD: ['connect', 'kafka-init'],
    });
  });
});

describe('the compose Kafka checks catch broken files', () => {
  const mutate = (change: (services: Record<string, Record<string, unknown>>) => void): unknown => {
    const compose = load();
    change(servicesOf(compose));
    return compose;
  };
  const envOf = (services: Record<string, Record<string, unknown>>, name: string): Record<string, string> => services[name]?.['environment'] as Record<string, string>;

  it('a PLAINTEXT listener, no authorizer, everyone allowed, a super user acls.sh does not name, a client on the controller port', () => {
    const compose = mutate((services) => {
      const env = envOf(services, 'kafka');
      env['KAFKA_LISTENERS'] = 'PLAINTEXT://:9092,CONTROLLER://:9093';
      env['KAFKA_LISTENER_SECURITY_PROTOCOL_MAP'] = 'CONTROLLER:SASL_PLAINTEXT,PLAINTEXT:PLAINTEXT';
      delete env['KAFKA_AUTHORIZER_CLASS_NAME'];
      env['KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND'] = 'true';
      env['KAFKA_SUPER_USERS'] = 'User:streamrec-broker;User:streamrec-admin;User:streamrec-api';
      envOf(services, 'features')['STREAMREC_KAFKA_BROKERS'] = 'kafka:9093';
    });
    const problems = checkKafkaBroker(compose, acls).join('\n');
    expect(problems).toMatch(/kafka: KAFKA_LISTENERS listener PLAINTEXT is PLAINTEXT/);
    expect(problems).toMatch(/kafka: KAFKA_AUTHORIZER_CLASS_NAME must be/);
    expect(problems).toMatch(/kafka: KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND must be "false"/);
    expect(problems).toMatch(/kafka: KAFKA_SUPER_USERS User:streamrec-admin;User:streamrec-api;User:streamrec-broker, infra\/kafka\/acls.sh says/);
    expect(problems).toMatch(/features: STREAMREC_KAFKA_BROKERS kafka:9093 is not an advertised listener/);
  });

  it('another role\'s password, a literal one, a missing one, a named user, a password where no Kafka login belongs, a client not waiting for kafka-init', () => {
    const compose = mutate((services) => {
      envOf(services, 'api')['STREAMREC_KAFKA_ADMIN_PASSWORD'] = '${STREAMREC_KAFKA_ADMIN_PASSWORD:?x}';
      envOf(services, 'trending')['STREAMREC_KAFKA_PROCESSOR_PASSWORD'] = 'hunter2';
      delete envOf(services, 'retrain')['STREAMREC_KAFKA_MODEL_PASSWORD'];
      envOf(services, 'dq')['STREAMREC_KAFKA_USER'] = 'streamrec-processor';
      envOf(services, 'clickhouse')['STREAMREC_KAFKA_API_PASSWORD'] = '${STREAMREC_KAFKA_API_PASSWORD:?x}';
      // Fed from another role's variable under its own name.
      envOf(services, 'features')['STREAMREC_KAFKA_PROCESSOR_PASSWORD'] = '${STREAMREC_KAFKA_ADMIN_PASSWORD:?x}';
      delete (services['dq']?.['depends_on'] as Record<string, unknown>)['kafka-init'];
      envOf(services, 'connect')['STREAMREC_KAFKA_SECURITY_PROTOCOL'] = 'PLAINTEXT';
    });
    const problems = checkKafkaLogins(compose, acls).join('\n');
    expect(problems).toMatch(/api: gets STREAMREC_KAFKA_ADMIN_PASSWORD, but may have only STREAMREC_KAFKA_API_PASSWORD/);
    expect(problems).toMatch(/trending: STREAMREC_KAFKA_PROCESSOR_PASSWORD must be interpolated from .env/);
    expect(problems).not.toMatch(/hunter2/);
    expect(problems).toMatch(/retrain: lacks STREAMREC_KAFKA_MODEL_PASSWORD/);
    expect(problems).toMatch(/dq: gets STREAMREC_KAFKA_USER, but may have only STREAMREC_KAFKA_ADMIN_PASSWORD/);
    expect(problems).toMatch(/clickhouse: gets STREAMREC_KAFKA_API_PASSWORD, but may have no Kafka login/);
    expect(problems).toMatch(/features: STREAMREC_KAFKA_PROCESSOR_PASSWORD must be interpolated from .env as \$\{STREAMREC_KAFKA_PROCESSOR_PASSWORD:\?…\}/);
    expect(problems).toMatch(/dq: logs in to Kafka but does not wait for kafka-init/);
    expect(problems).toMatch(/connect: STREAMREC_KAFKA_SECURITY_PROTOCOL is PLAINTEXT/);
  });

  it('a Connect worker client without its login, or with the password written into the file', () => {
    const withoutAdmin = connectWorker.replace(/^admin\.sasl\.jaas\.config=.*$/m, '');
    expect(checkConnectWorker(withoutAdmin).join('\n')).toMatch(/admin\.sasl\.jaas\.config must log in as streamrec-connect/);
    const literal = connectWorker.replace('${env:STREAMREC_KAFKA_CONNECT_PASSWORD}', 'hunter2');
    expect(checkConnectWorker(literal).join('\n')).toMatch(/connect-distributed.properties: sasl\.jaas\.config must log in as streamrec-connect/);
  });

  it('kafka-init reading another acls file than infra/kafka/acls.sh', () => {
    const compose = mutate((services) => {
      const init = services['kafka-init'] ?? {};
      init['volumes'] = ['./kafka/kafka-access.sh:/etc/streamrec/kafka-access.sh:ro', '../redis/render-acl.sh:/etc/streamrec/acls.sh:ro'];
    });
    expect(runKafkaInit(compose, composeDir, envExample).status).not.toBe(0);
  });
});
