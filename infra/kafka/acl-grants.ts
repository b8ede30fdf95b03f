import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * infra/kafka/acls.sh as data, for the deployments that cannot source it: the Strimzi KafkaUsers
 * (infra/k8s/tools/generated-files.ts renders them) and the checks of compose and Kubernetes. The file
 * is sourced by bash, as the local stack's kafka_provision does, so what is read here is what the local
 * broker gets. Each grant line is parsed as AclCommand parses it, for the options acls.sh uses; any
 * other option is refused rather than guessed.
 */

/** Resource types a grant may name, spelled as Strimzi's ACL rules spell them. */
export const ACL_RESOURCE_TYPES = ['topic', 'group', 'transactionalId', 'cluster'] as const;
export type AclResourceType = (typeof ACL_RESOURCE_TYPES)[number];

/** Operations Strimzi's ACL rules accept (AclCommand takes them in any case). */
export const ACL_OPERATIONS = ['Read', 'Write', 'Create', 'Delete', 'Alter', 'Describe', 'ClusterAction', 'AlterConfigs', 'DescribeConfigs', 'IdempotentWrite', 'All'] as const;
export type AclOperation = (typeof ACL_OPERATIONS)[number];

/** `literal` or `prefix` (Strimzi's words for AclCommand's literal and prefixed). */
export type AclPatternType = 'literal' | 'prefix';

/** The one name AclCommand gives the cluster resource. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';

export interface AclResource {
  readonly type: AclResourceType;
  readonly name: string;
  readonly patternType: AclPatternType;
}

/** One line of kafka_acl_grants: every operation on every resource, allowed from any host. */
export interface AclGrant {
  readonly role: string;
  readonly operations: readonly AclOperation[];
  readonly resources: readonly AclResource[];
}

export interface KafkaAcls {
  /** KAFKA_SUPER_ROLES: super users (`super.users`), no ACLs needed. */
  readonly superRoles: readonly string[];
  /** KAFKA_CLIENT_ROLES: one SCRAM-SHA-512 user each, `streamrec-<role>`. */
  readonly clientRoles: readonly string[];
  readonly grants: readonly AclGrant[];
}

/** One ACL as the broker stores it; the unit the deployments are compared in. */
export interface AclEntry {
  readonly principal: string;
  readonly resourceType: AclResourceType;
  readonly name: string;
  readonly patternType: AclPatternType;
  readonly operation: AclOperation;
  readonly host: string;
}

/**
 * The super role that is the broker's own identity (its controller and inter-broker traffic). Compose
 * gives it a PLAIN user as the local stack does; on Kubernetes Strimzi's brokers and operators use their
 * own certificates instead, so it has no KafkaUser there.
 */
export const BROKER_ROLE = 'broker';

/** The Kafka user of a role: `streamrec-<role>` (packages/foundation kafkaUserOf, acls.sh). */
export function kafkaUserOf(role: string): string {
  return `streamrec-${role}`;
}

const RESOURCE_OPTIONS: Readonly<Record<string, AclResourceType>> = { '--topic': 'topic', '--group': 'group', '--transactional-id': 'transactionalId' };
const PATTERN_TYPES: Readonly<Record<string, AclPatternType>> = { literal: 'literal', prefixed: 'prefix' };

/**
 * The AclCommand arguments of one grant line (after the role). AclCommand's defaults apply: a literal
 * pattern unless `--resource-pattern-type` says otherwise, any host.
 */
export function parseGrantArguments(role: string, words: readonly string[]): AclGrant {
  const where = `acls.sh grant of ${role}: ${words.join(' ')}`;
  const operations: AclOperation[] = [];
  const named: { type: AclResourceType; name: string }[] = [];
  let cluster = false;
  let patternType: AclPatternType = 'literal';
  for (let index = 0; index < words.length; index += 1) {
    const option = words[index] ?? '';
    const value = (): string => {
      const next = words[index + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`${where}: ${option} needs a value`);
      index += 1;
      return next;
    };
    const resourceType = RESOURCE_OPTIONS[option];
    if (option === '--operation') {
      const name = value();
      const operation = ACL_OPERATIONS.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
      if (operation === undefined) throw new Error(`${where}: unknown operation ${name}`);
      if (!operations.includes(operation)) operations.push(operation);
    } else if (resourceType !== undefined) {
      named.push({ type: resourceType, name: value() });
    } else if (option === '--cluster') {
      cluster = true;
    } else if (option === '--resource-pattern-type') {
      const name = value();
      const parsed = PATTERN_TYPES[name.toLowerCase()];
      if (parsed === undefined) throw new Error(`${where}: pattern type ${name} cannot be granted (literal or prefixed)`);
      patternType = parsed;
    } else {
      throw new Error(`${where}: ${option} is not an option the deployments know how to translate`);
    }
  }
  if (operations.length === 0) throw new Error(`${where}: no --operation`);
  if (named.length === 0 && !cluster) throw new Error(`${where}: no resource`);
  if (cluster && patternType !== 'literal') throw new Error(`${where}: the cluster resource is literal only`);
  const resources: AclResource[] = named.map((resource) => ({ ...resource, patternType }));
  if (cluster) resources.push({ type: 'cluster', name: CLUSTER_RESOURCE_NAME, patternType: 'literal' });
  return { role, operations, resources };
}

/** The roles and grants of an acls.sh, as bash sees them after sourcing it. */
export function readKafkaAclsFile(path: string): KafkaAcls {
  const script = 'set -euo pipefail; source "$1"; printf "%s\\n" "${KAFKA_SUPER_ROLES[*]}" "${KAFKA_CLIENT_ROLES[*]}"; kafka_acl_grants';
  const result = spawnSync('bash', ['-c', script, 'acls', path], { encoding: 'utf8', env: { PATH: '/usr/local/bin:/usr/bin:/bin' }, timeout: 30_000 });
  if (result.status !== 0) throw new Error(`sourcing ${path} failed: ${result.stderr}`);
  const [superLine = '', clientLine = '', ...grantLines] = result.stdout.split('\n');
  const words = (line: string): string[] => line.split(/\s+/).filter((word) => word !== '');
  const superRoles = words(superLine);
  const clientRoles = words(clientLine);
  const grants = grantLines
    .map(words)
    .filter((line) => line.length > 0)
    .map(([role = '', ...rest]) => {
      // kafka_provision would add ACLs for a user that has no credentials: a typo.
      if (!clientRoles.includes(role)) throw new Error(`${path}: a grant for ${role}, which is not in KAFKA_CLIENT_ROLES`);
      return parseGrantArguments(role, rest);
    });
  for (const role of superRoles) if (!/^[a-z]+$/.test(role)) throw new Error(`${path}: super role ${role} is not a lowercase word`);
  for (const role of clientRoles) if (!/^[a-z]+$/.test(role)) throw new Error(`${path}: client role ${role} is not a lowercase word`);
  return { superRoles, clientRoles, grants };
}

/** infra/kafka/acls.sh of the repository at `root`. */
export function readKafkaAcls(root: string): KafkaAcls {
  return readKafkaAclsFile(join(root, 'infra', 'kafka', 'acls.sh'));
}

/** Every ACL the grants add (one per resource and operation), for one role or all. */
export function aclEntries(acls: Pick<KafkaAcls, 'grants'>, role?: string): AclEntry[] {
  return acls.grants
    .filter((grant) => role === undefined || grant.role === role)
    .flatMap((grant) =>
      grant.resources.flatMap((resource) =>
        grant.operations.map((operation) => ({ principal: `User:${kafkaUserOf(grant.role)}`, resourceType: resource.type, name: resource.name, patternType: resource.patternType, operation, host: '*' })),
      ),
    );
}

/** An entry as one sortable line (`User:x topic prefix:events. Read from *`), for set comparisons and messages. */
export function aclEntryText(entry: AclEntry): string {
  return `${entry.principal} ${entry.resourceType} ${entry.patternType}:${entry.name} ${entry.operation} from ${entry.host}`;
}

/** The differences between two ACL sets, as sentences (empty when they are equal). */
export function aclDifferences(actual: readonly AclEntry[], expected: readonly AclEntry[], where: string): string[] {
  const have = new Set(actual.map(aclEntryText));
  const want = new Set(expected.map(aclEntryText));
  return [
    ...[...want].filter((entry) => !have.has(entry)).sort().map((entry) => `${where}: lacks ${entry} (infra/kafka/acls.sh grants it)`),
    ...[...have].filter((entry) => !want.has(entry)).sort().map((entry) => `${where}: has ${entry}, which infra/kafka/acls.sh does not grant`),
  ];
}
