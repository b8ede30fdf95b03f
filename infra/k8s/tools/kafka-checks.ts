import { BROKER_ROLE, CLUSTER_RESOURCE_NAME, aclDifferences, aclEntries, kafkaUserOf, type AclEntry, type AclOperation, type AclResourceType, type KafkaAcls } from '../../kafka/acl-grants.js';
import { CONNECT_ROLE, KAFKA_CLIENT_ENTRIES, isKafkaCredentialVariable, kafkaPasswordVariable } from '../../kafka/kafka-clients.js';
import { entryOf } from '../../docker/deployables.js';
import { asArray, at, containersOf, isRecord, podLabels, text, workloads, type Container, type K8sObject } from './k8s-model.js';

/**
 * Kafka's logins and ACLs on Kubernetes, against infra/kafka/acls.sh (the local stack's source): every
 * listener takes SCRAM-SHA-512 only, the authorizer denies what no ACL allows, one KafkaUser per client
 * role carries exactly its grants, and every workload logs in as its own role with the password from
 * that role's KafkaUser Secret. infra/k8s/kafka-access.test.ts runs them on the base as written,
 * infra/k8s/manifests.test.ts on each overlay as kustomize renders it.
 */

export type Problems = string[];

/** The key of the User Operator's Secret that holds a SCRAM user's password. */
export const KAFKA_USER_PASSWORD_KEY = 'password';
const KAFKA_CLIENT_LABEL = 'streamrec.io/kafka-client';

const id = (object: K8sObject): string => `${object.kind}/${object.metadata.name}`;
const kafkaUsers = (objects: readonly K8sObject[]): K8sObject[] => objects.filter((object) => object.kind === 'KafkaUser');

/** The Secrets the User Operator creates: one per SCRAM KafkaUser, named after it, with these keys. */
export function kafkaUserSecrets(objects: readonly K8sObject[]): Map<string, Set<string>> {
  const secrets = new Map<string, Set<string>>();
  for (const user of kafkaUsers(objects)) {
    if (at(user, 'spec', 'authentication', 'type') === 'scram-sha-512') secrets.set(user.metadata.name, new Set([KAFKA_USER_PASSWORD_KEY, 'sasl.jaas.config']));
  }
  return secrets;
}

/** Client listeners take SCRAM-SHA-512 only; the simple authorizer denies by default; super users are acls.sh's. */
export function checkKafkaAuthorization(objects: readonly K8sObject[], acls: KafkaAcls): Problems {
  const kafka = objects.find((object) => object.kind === 'Kafka');
  if (kafka === undefined) return ['no Kafka resource'];
  const problems: Problems = [];
  const where = id(kafka);
  const listeners = asArray(at(kafka, 'spec', 'kafka', 'listeners'));
  if (listeners.length === 0) problems.push(`${where}: no listeners`);
  for (const listener of listeners) {
    const authentication = text(at(listener, 'authentication', 'type'));
    if (authentication !== 'scram-sha-512') {
      const protocol = at(listener, 'tls') === true ? 'SSL' : 'PLAINTEXT';
      problems.push(`${where}: listener ${text(at(listener, 'name'))} (port ${text(at(listener, 'port'))}) takes ${authentication === '' ? `${protocol} clients without authentication` : `${authentication} logins`}; clients must log in with scram-sha-512`);
    }
  }
  if (at(kafka, 'spec', 'kafka', 'authorization', 'type') !== 'simple') problems.push(`${where}: spec.kafka.authorization must be simple (StandardAuthorizer): without it every client may do everything`);
  const allowEveryone = at(kafka, 'spec', 'kafka', 'config', 'allow.everyone.if.no.acl.found');
  if (allowEveryone !== undefined && text(allowEveryone) !== 'false') problems.push(`${where}: allow.everyone.if.no.acl.found is ${text(allowEveryone)}: what no ACL allows must be denied`);
  const superUsers = asArray(at(kafka, 'spec', 'kafka', 'authorization', 'superUsers')).map(String).sort();
  const expected = acls.superRoles.filter((role) => role !== BROKER_ROLE).map(kafkaUserOf).sort();
  if (JSON.stringify(superUsers) !== JSON.stringify(expected)) problems.push(`${where}: superUsers ${superUsers.join(', ') || '(none)'}, infra/kafka/acls.sh says ${expected.join(', ') || '(none)'} (its super roles but ${BROKER_ROLE})`);
  if (!isRecord(at(kafka, 'spec', 'entityOperator', 'userOperator'))) problems.push(`${where}: entityOperator.userOperator is needed to create the KafkaUsers`);
  return problems;
}

/** A KafkaUser's ACL rules as the entries the broker stores (Strimzi's defaults: literal, any host, allow). */
export function kafkaUserAclEntries(user: K8sObject): { entries: AclEntry[]; problems: Problems } {
  const entries: AclEntry[] = [];
  const problems: Problems = [];
  for (const rule of asArray(at(user, 'spec', 'authorization', 'acls'))) {
    if (text(at(rule, 'type'), 'allow') !== 'allow') problems.push(`${id(user)}: a ${text(at(rule, 'type'))} rule; acls.sh only allows`);
    const resourceType = text(at(rule, 'resource', 'type')) as AclResourceType;
    const operations = [...asArray(at(rule, 'operations')), ...(at(rule, 'operation') === undefined ? [] : [at(rule, 'operation')])].map(String) as AclOperation[];
    for (const operation of operations) {
      entries.push({
        principal: `User:${user.metadata.name}`,
        resourceType,
        name: resourceType === 'cluster' ? CLUSTER_RESOURCE_NAME : text(at(rule, 'resource', 'name')),
        patternType: resourceType === 'cluster' ? 'literal' : text(at(rule, 'resource', 'patternType'), 'literal') === 'prefix' ? 'prefix' : 'literal',
        operation,
        host: text(at(rule, 'host'), '*'),
      });
    }
  }
  return { entries, problems };
}

/** One SCRAM-SHA-512 KafkaUser per client role of acls.sh, with exactly the ACLs its grants add, and no other user. */
export function checkKafkaUsers(objects: readonly K8sObject[], acls: KafkaAcls): Problems {
  const problems: Problems = [];
  const cluster = objects.find((object) => object.kind === 'Kafka')?.metadata.name;
  const users = kafkaUsers(objects);
  for (const role of acls.clientRoles) {
    const name = kafkaUserOf(role);
    const user = users.find((candidate) => candidate.metadata.name === name);
    if (user === undefined) {
      problems.push(`client role ${role} of infra/kafka/acls.sh has no KafkaUser ${name}`);
      continue;
    }
    if (user.metadata.labels?.['strimzi.io/cluster'] !== cluster) problems.push(`${id(user)}: label strimzi.io/cluster is ${String(user.metadata.labels?.['strimzi.io/cluster'])}, expected ${String(cluster)}`);
    if (at(user, 'spec', 'authentication', 'type') !== 'scram-sha-512') problems.push(`${id(user)}: authentication must be scram-sha-512`);
    const authorization = at(user, 'spec', 'authorization', 'type');
    if (authorization !== undefined && authorization !== 'simple') problems.push(`${id(user)}: authorization ${text(authorization)}, expected simple`);
    const { entries, problems: ruleProblems } = kafkaUserAclEntries(user);
    problems.push(...ruleProblems, ...aclDifferences(entries, aclEntries(acls, role), id(user)));
  }
  for (const user of users) if (!acls.clientRoles.some((role) => kafkaUserOf(role) === user.metadata.name)) problems.push(`${id(user)} is not a client role of infra/kafka/acls.sh`);
  return problems;
}

interface KafkaCredential {
  readonly variable: string;
  readonly secret?: string;
  readonly key?: string;
}

/** The variables of a container that carry a Kafka login, and any other reference to a KafkaUser's Secret. */
function kafkaCredentialsOf(env: readonly unknown[], userSecrets: ReadonlySet<string>): KafkaCredential[] {
  const out: KafkaCredential[] = [];
  for (const entry of env) {
    const variable = text(at(entry, 'name'));
    const ref = at(entry, 'valueFrom', 'secretKeyRef');
    const secret = isRecord(ref) ? text(ref['name']) : undefined;
    if (isKafkaCredentialVariable(variable) || (secret !== undefined && userSecrets.has(secret))) out.push({ variable, ...(secret === undefined ? {} : { secret, key: text(at(ref, 'key')) }) });
  }
  return out;
}

/** Exactly the role's password, in the variable the code reads, from the role's KafkaUser Secret; nothing else. */
function checkLogin(where: string, credentials: readonly KafkaCredential[], role: string | undefined): Problems {
  const problems: Problems = [];
  const variable = role === undefined ? undefined : kafkaPasswordVariable(role);
  for (const credential of credentials) {
    if (credential.variable !== variable) {
      problems.push(`${where}: gets ${credential.variable}${credential.secret === undefined ? '' : ` (from Secret ${credential.secret})`}, but may have ${variable === undefined ? 'no Kafka login' : `only ${variable}`}`);
    } else if (credential.secret !== kafkaUserOf(role ?? '') || credential.key !== KAFKA_USER_PASSWORD_KEY) {
      problems.push(`${where}: ${credential.variable} must come from the Secret of KafkaUser ${kafkaUserOf(role ?? '')} (key ${KAFKA_USER_PASSWORD_KEY}), not ${credential.secret === undefined ? 'a value' : `${credential.secret}/${String(credential.key)}`}`);
    }
  }
  if (variable !== undefined && !credentials.some((credential) => credential.variable === variable)) problems.push(`${where}: lacks ${variable} (the password of ${kafkaUserOf(role ?? '')})`);
  return problems;
}

/** The Kafka role a container logs in as: its entry point's (infra/kafka/kafka-clients.ts), or none. */
export function kafkaRoleOf(container: Container): string | undefined {
  const entry = entryOf([...asArray(at(container.raw, 'command')), ...asArray(at(container.raw, 'args'))].map(String));
  return entry === undefined ? undefined : KAFKA_CLIENT_ENTRIES[entry]?.role;
}

/**
 * Every workload that talks to Kafka logs in as its own role (the password of that role's KafkaUser,
 * nobody else's), every other container gets no Kafka login, pods may reach Kafka exactly when they log
 * in, and Connect logs in as streamrec-connect (the worker and the connector's schema-history clients).
 */
export function checkKafkaLogins(objects: readonly K8sObject[]): Problems {
  const problems: Problems = [];
  const userSecrets = new Set(kafkaUsers(objects).map((user) => user.metadata.name));
  for (const { object, template } of workloads(objects)) {
    let logsIn = false;
    for (const container of containersOf(template)) {
      const where = `${id(object)} container ${container.name}`;
      const role = kafkaRoleOf(container);
      logsIn ||= role !== undefined;
      problems.push(...checkLogin(where, kafkaCredentialsOf(asArray(at(container.raw, 'env')), userSecrets), role));
      for (const source of asArray(at(container.raw, 'envFrom'))) {
        const secret = text(at(source, 'secretRef', 'name'));
        if (userSecrets.has(secret)) problems.push(`${where}: loads the whole Secret ${secret} (envFrom); reference its password as the role's variable`);
      }
    }
    const reachable = podLabels(template)[KAFKA_CLIENT_LABEL] === 'true';
    if (reachable && !logsIn) problems.push(`${id(object)}: labelled ${KAFKA_CLIENT_LABEL} but none of its containers logs in to Kafka`);
    if (!reachable && logsIn) problems.push(`${id(object)}: logs in to Kafka but lacks the label ${KAFKA_CLIENT_LABEL} (the listener admits only those pods)`);
  }
  const user = kafkaUserOf(CONNECT_ROLE);
  for (const connect of objects.filter((object) => object.kind === 'KafkaConnect')) {
    const where = id(connect);
    const authentication = at(connect, 'spec', 'authentication');
    if (at(authentication, 'type') !== 'scram-sha-512' || at(authentication, 'username') !== user) problems.push(`${where}: authentication must be scram-sha-512 as ${user}`);
    if (at(authentication, 'passwordSecret', 'secretName') !== user || at(authentication, 'passwordSecret', 'password') !== KAFKA_USER_PASSWORD_KEY) {
      problems.push(`${where}: authentication.passwordSecret must be the Secret of KafkaUser ${user} (key ${KAFKA_USER_PASSWORD_KEY})`);
    }
    const env = asArray(at(connect, 'spec', 'template', 'connectContainer', 'env'));
    problems.push(...checkLogin(`${where} connectContainer`, kafkaCredentialsOf(env, userSecrets), CONNECT_ROLE));
    const protocol = env.find((entry) => at(entry, 'name') === 'STREAMREC_KAFKA_SECURITY_PROTOCOL');
    if (at(protocol, 'value') !== 'SASL_PLAINTEXT') problems.push(`${where} connectContainer: STREAMREC_KAFKA_SECURITY_PROTOCOL is ${String(at(protocol, 'value'))}; the schema history's clients must log in (SASL_PLAINTEXT)`);
  }
  return problems;
}

/** `Kind/name` of what references each KafkaUser's Secret (for the overview in the tests). */
export function kafkaLoginReceivers(objects: readonly K8sObject[]): Record<string, string[]> {
  const userSecrets = new Set(kafkaUsers(objects).map((user) => user.metadata.name));
  const receivers: Record<string, string[]> = {};
  const visit = (value: unknown, holder: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item) => visit(item, holder));
      return;
    }
    if (!isRecord(value)) return;
    const secret = text(at(value, 'secretKeyRef', 'name')) || text(at(value, 'passwordSecret', 'secretName')) || text(at(value, 'secretRef', 'name'));
    if (userSecrets.has(secret) && !(receivers[secret] ??= []).includes(holder)) receivers[secret]?.push(holder);
    for (const child of Object.values(value)) visit(child, holder);
  };
  for (const object of objects) if (object.kind !== 'KafkaUser') visit(object, id(object));
  for (const list of Object.values(receivers)) list.sort();
  return receivers;
}
