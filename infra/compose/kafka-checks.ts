import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { entryOf } from '../docker/deployables.js';
import { aclEntries, kafkaUserOf, parseGrantArguments, type AclEntry, type KafkaAcls } from '../kafka/acl-grants.js';
import { CONNECT_ROLE, KAFKA_CLIENT_ENTRIES, isKafkaCredentialVariable, kafkaPasswordVariable } from '../kafka/kafka-clients.js';
import { asArray, isRecord, text } from '../k8s/tools/k8s-model.js';
import { environmentOf, servicesOf, type Problems } from './compose-checks.js';

/**
 * Kafka's logins and ACLs in infra/compose, against infra/kafka/acls.sh (what the local stack applies):
 * the broker takes SASL logins only (SCRAM-SHA-512 for clients) and denies what no ACL allows, kafka-init
 * creates acls.sh's users and grants, every service logs in as its own role with a password interpolated
 * from .env. infra/compose/kafka-access.test.ts runs them.
 */

const BROKER_PASSWORD = 'STREAMREC_KAFKA_BROKER_PASSWORD';
const STANDARD_AUTHORIZER = 'org.apache.kafka.metadata.authorizer.StandardAuthorizer';
type Service = Record<string, unknown>;

const words = (service: Service): string[] => [service['entrypoint'], service['command']].flatMap((value) => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []));
const isBroker = (service: Service): boolean => environmentOf(service).has('KAFKA_PROCESS_ROLES');
const isKafkaInit = (service: Service): boolean => words(service).some((word) => word.endsWith('/kafka-access.sh')) && words(service).includes('provision');
const isConnect = (service: Service): boolean => text(service['image']).startsWith('streamrec/connect:');

/** `NAME://host:port,…` as [name, address] pairs. */
function listenersOf(value: string): [string, string][] {
  return value
    .split(',')
    .filter((listener) => listener.includes('://'))
    .map((listener) => [listener.slice(0, listener.indexOf('://')), listener.slice(listener.indexOf('://') + 3)]);
}

/** The environment name of a broker setting, as the apache/kafka image reads it (`.` → `_`, `_` → `__`, `-` → `___`). */
export function kafkaEnvironmentName(property: string): string {
  return `KAFKA_${property.replace(/_/g, '__').replace(/-/g, '___').replace(/\./g, '_').toUpperCase()}`;
}

/** Every listener takes SASL (SCRAM-SHA-512 for clients), the authorizer denies by default, super users are acls.sh's. */
export function checkKafkaBroker(compose: unknown, acls: KafkaAcls): Problems {
  const services = servicesOf(compose);
  const brokers = Object.entries(services).filter(([, service]) => isBroker(service));
  if (brokers.length === 0) return ['no Kafka broker service (KAFKA_PROCESS_ROLES)'];
  const problems: Problems = [];
  const advertisedAddresses = new Set<string>();
  for (const [name, service] of brokers) {
    const env = environmentOf(service);
    const protocols = new Map((env.get('KAFKA_LISTENER_SECURITY_PROTOCOL_MAP') ?? '').split(',').map((pair) => pair.split(':') as [string, string]));
    const protocolOf = (listener: string): string => protocols.get(listener) ?? listener;
    for (const variable of ['KAFKA_LISTENERS', 'KAFKA_ADVERTISED_LISTENERS']) {
      for (const [listener] of listenersOf(env.get(variable) ?? '')) {
        const protocol = protocolOf(listener);
        if (!protocol.startsWith('SASL_')) problems.push(`${name}: ${variable} listener ${listener} is ${protocol}: anyone on the network gets in without a login`);
      }
    }
    const mechanisms = (env.get('KAFKA_SASL_ENABLED_MECHANISMS') ?? '').split(',');
    if (!mechanisms.includes('SCRAM-SHA-512')) problems.push(`${name}: KAFKA_SASL_ENABLED_MECHANISMS must include SCRAM-SHA-512 (the clients' mechanism)`);
    for (const [listener, address] of listenersOf(env.get('KAFKA_ADVERTISED_LISTENERS') ?? '')) {
      advertisedAddresses.add(address);
      const jaas = kafkaEnvironmentName(`listener.name.${listener.toLowerCase()}.scram-sha-512.sasl.jaas.config`);
      if (!(env.get(jaas) ?? '').includes('ScramLoginModule required')) problems.push(`${name}: listener ${listener} has no SCRAM-SHA-512 login module (${jaas})`);
    }
    if (env.get('KAFKA_AUTHORIZER_CLASS_NAME') !== STANDARD_AUTHORIZER) problems.push(`${name}: KAFKA_AUTHORIZER_CLASS_NAME must be ${STANDARD_AUTHORIZER}: without an authorizer every login may do everything`);
    if (env.get('KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND') !== 'false') problems.push(`${name}: KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND must be "false": what no ACL allows is denied`);
    const superUsers = (env.get('KAFKA_SUPER_USERS') ?? '').split(';').filter(Boolean).sort();
    const expected = acls.superRoles.map((role) => `User:${kafkaUserOf(role)}`).sort();
    if (JSON.stringify(superUsers) !== JSON.stringify(expected)) problems.push(`${name}: KAFKA_SUPER_USERS ${superUsers.join(';') || '(none)'}, infra/kafka/acls.sh says ${expected.join(';')}`);
  }
  // Clients bootstrap from an advertised (SASL) address.
  for (const [name, service] of Object.entries(services)) {
    const env = environmentOf(service);
    for (const variable of ['STREAMREC_KAFKA_BROKERS', 'STREAMREC_NORMALIZE_BROKERS']) {
      for (const address of (env.get(variable) ?? '').split(',').filter(Boolean)) {
        if (!advertisedAddresses.has(address)) problems.push(`${name}: ${variable} ${address} is not an advertised listener (${[...advertisedAddresses].join(', ')})`);
      }
    }
  }
  return problems;
}

/** The Kafka passwords a service may get: its role's; all of them for kafka-init; the broker's own for the broker. */
function expectedCredentials(service: Service, acls: KafkaAcls): string[] {
  if (isBroker(service)) return [BROKER_PASSWORD];
  if (isKafkaInit(service)) return [BROKER_PASSWORD, ...acls.clientRoles.map(kafkaPasswordVariable)];
  if (isConnect(service)) return [kafkaPasswordVariable(CONNECT_ROLE)];
  const entry = entryOf(words(service));
  const role = entry === undefined ? undefined : KAFKA_CLIENT_ENTRIES[entry]?.role;
  return role === undefined ? [] : [kafkaPasswordVariable(role)];
}

/** The services a service waits for, directly or through the ones it waits for. */
function waitsFor(services: Record<string, Service>, name: string, seen = new Set<string>()): Set<string> {
  const dependsOn = services[name]?.['depends_on'];
  for (const target of Object.keys(isRecord(dependsOn) ? dependsOn : {})) {
    if (seen.has(target)) continue;
    seen.add(target);
    waitsFor(services, target, seen);
  }
  return seen;
}

/**
 * Each service gets exactly the Kafka passwords of its role (none when it does not talk to Kafka),
 * interpolated from .env under their own name, and no named user; Kafka clients wait for kafka-init;
 * the Connect workers' schema-history clients log in too.
 */
export function checkKafkaLogins(compose: unknown, acls: KafkaAcls): Problems {
  const problems: Problems = [];
  const services = servicesOf(compose);
  const init = Object.entries(services).find(([, service]) => isKafkaInit(service))?.[0];
  if (init === undefined) problems.push('no kafka-init service (kafka-access.sh provision): nobody creates the Kafka users');
  for (const [name, service] of Object.entries(services)) {
    const env = environmentOf(service);
    const expected = expectedCredentials(service, acls);
    for (const [variable, value] of env) {
      if (!isKafkaCredentialVariable(variable)) continue;
      if (!expected.includes(variable)) problems.push(`${name}: gets ${variable}, but may have ${expected.length === 0 ? 'no Kafka login' : `only ${expected.join(', ')}`}`);
      // The message never repeats the value: it may be a real secret.
      else if (!value.startsWith(`\${${variable}:?`)) problems.push(`${name}: ${variable} must be interpolated from .env as \${${variable}:?…} (its own variable, required)`);
    }
    for (const variable of expected) if (!env.has(variable)) problems.push(`${name}: lacks ${variable}`);
    const client = expected.some((variable) => variable !== BROKER_PASSWORD);
    if (client && init !== undefined && name !== init && !waitsFor(services, name).has(init)) problems.push(`${name}: logs in to Kafka but does not wait for ${init} (its user may not exist yet)`);
    if (isConnect(service) && env.get('STREAMREC_KAFKA_SECURITY_PROTOCOL') !== 'SASL_PLAINTEXT') problems.push(`${name}: STREAMREC_KAFKA_SECURITY_PROTOCOL is ${String(env.get('STREAMREC_KAFKA_SECURITY_PROTOCOL'))}; the schema history's clients must log in (SASL_PLAINTEXT)`);
  }
  return problems;
}

/** The Connect worker and each client it makes log in as streamrec-connect, the password through the env config provider. */
export function checkConnectWorker(properties: string): Problems {
  const settings = new Map(
    properties
      .split('\n')
      .filter((line) => line.includes('=') && !line.trimStart().startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1).trim()] as const),
  );
  const problems: Problems = [];
  const user = kafkaUserOf(CONNECT_ROLE);
  const password = `\${env:${kafkaPasswordVariable(CONNECT_ROLE)}}`;
  for (const prefix of ['', 'producer.', 'consumer.', 'admin.']) {
    if (settings.get(`${prefix}security.protocol`) !== 'SASL_PLAINTEXT') problems.push(`connect-distributed.properties: ${prefix}security.protocol must be SASL_PLAINTEXT`);
    if (settings.get(`${prefix}sasl.mechanism`) !== 'SCRAM-SHA-512') problems.push(`connect-distributed.properties: ${prefix}sasl.mechanism must be SCRAM-SHA-512`);
    const jaas = settings.get(`${prefix}sasl.jaas.config`) ?? '';
    if (!jaas.includes(`username="${user}"`) || !jaas.includes(`password="${password}"`)) problems.push(`connect-distributed.properties: ${prefix}sasl.jaas.config must log in as ${user} with password="${password}"`);
  }
  if (!(settings.get('config.providers') ?? '').split(',').includes('env') || settings.get('config.providers.env.class') !== 'org.apache.kafka.common.config.provider.EnvVarConfigProvider') {
    problems.push('connect-distributed.properties: the env config provider must be configured, or ${env:…} stays unresolved');
  }
  return problems;
}

/** What kafka-init did when run with stand-in Kafka tools: the SCRAM users it set and the ACLs it added. */
export interface KafkaInitRun {
  readonly status: number | null;
  readonly stderr: string;
  readonly scramUsers: ReadonlyMap<string, string>;
  readonly acls: readonly AclEntry[];
}

/**
 * Runs the kafka-init service's entrypoint on this machine (its mounted files mapped back to the
 * repository through its volumes) with stand-in kafka-configs.sh and kafka-acls.sh that record their
 * arguments, and its environment resolved from `env` the way compose interpolates `${VAR:?…}`.
 */
export function runKafkaInit(compose: unknown, composeDir: string, env: ReadonlyMap<string, string>): KafkaInitRun {
  const entry = Object.entries(servicesOf(compose)).find(([, service]) => isKafkaInit(service));
  if (entry === undefined) throw new Error('no kafka-init service');
  const [, service] = entry;
  const mounts = asArray(service['volumes']).map(String).map((volume) => volume.split(':'));
  const hostPath = (path: string): string => {
    const mount = mounts.find(([, target]) => target === path);
    return mount?.[0] === undefined ? path : resolve(composeDir, mount[0]);
  };
  const containerEnv: Record<string, string> = {};
  for (const [name, value] of environmentOf(service)) {
    const interpolated = /^\$\{([A-Z0-9_]+):\?[^}]*\}$/.exec(value)?.[1];
    const resolved = interpolated === undefined ? value : env.get(interpolated);
    if (resolved !== undefined) containerEnv[name] = resolved;
  }
  const dir = mkdtempSync(join(tmpdir(), 'streamrec-kafka-init-'));
  try {
    const log = join(dir, 'calls.log');
    for (const tool of ['kafka-configs.sh', 'kafka-acls.sh']) {
      writeFileSync(join(dir, tool), `#!/usr/bin/env bash\nprintf '%s' '${tool}' >> '${log}'\nprintf '\\t%s' "$@" >> '${log}'\necho >> '${log}'\n`);
      chmodSync(join(dir, tool), 0o755);
    }
    writeFileSync(log, '');
    const [command = '', ...args] = words(service).map(hostPath);
    const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000, env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...containerEnv, KAFKA_BIN: dir } });
    const scramUsers = new Map<string, string>();
    const acls: AclEntry[] = [];
    for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
      const [tool, ...argv] = line.split('\t');
      const option = (name: string): string | undefined => argv[argv.indexOf(name) + 1];
      if (tool === 'kafka-configs.sh') {
        const password = /^SCRAM-SHA-512=\[iterations=\d+,password=(.*)\]$/.exec(option('--add-config') ?? '')?.[1];
        scramUsers.set(option('--entity-name') ?? '?', password ?? '?');
      } else {
        const principal = option('--allow-principal') ?? '?';
        // What follows the connection and mode options is the grant itself, as AclCommand receives it.
        const grant = argv.slice(argv.indexOf('--allow-principal') + 2);
        acls.push(...aclEntries({ grants: [parseGrantArguments(principal.replace(/^User:streamrec-/, ''), grant)] }).map((acl) => ({ ...acl, principal })));
      }
    }
    return { status: result.status, stderr: result.stderr, scramUsers, acls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
