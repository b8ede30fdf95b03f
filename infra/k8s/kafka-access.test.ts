// Kafka's logins and ACLs in the Kubernetes manifests, against infra/kafka/acls.sh (what the local stack
// applies): the clients' listener takes SCRAM-SHA-512 only, the authorizer denies by default, one
// KafkaUser per client role with exactly its grants, each workload logs in as its own role. The base as
// written here; infra/k8s/manifests.test.ts runs the same checks on both overlays as kustomize renders
// them. No cluster: whether Strimzi accepts the resources is not tested (docs/deployment.md).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aclEntries, kafkaUserOf, readKafkaAcls } from '../kafka/acl-grants.js';
import { checkKafkaAuthorization, checkKafkaLogins, checkKafkaUsers, kafkaLoginReceivers, kafkaUserAclEntries } from './tools/kafka-checks.js';
import { asArray, at, loadResources, type K8sObject } from './tools/k8s-model.js';

const root = join(import.meta.dirname, '..', '..');
const acls = readKafkaAcls(root);
const base = loadResources(join(import.meta.dirname, 'base'));

const find = (objects: K8sObject[], kind: string, name: string): Record<string, unknown> => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (found === undefined) throw new Error(`${kind}/${name} missing`);
  return found;
};
/** The env list of a workload's first container (a CronJob's through its job template). */
const envOf = (object: Record<string, unknown>): Record<string, unknown>[] => {
  const spec = object['kind'] === 'CronJob' ? at(object, 'spec', 'jobTemplate', 'spec', 'template', 'spec') : at(object, 'spec', 'template', 'spec');
  return asArray(at(spec, 'containers', 0, 'env')) as Record<string, unknown>[];
};
const secretRef = (name: string, key: string): Record<string, unknown> => ({ valueFrom: { secretKeyRef: { name, key } } });

describe('Kafka on Kubernetes: SCRAM logins and ACLs from infra/kafka/acls.sh', () => {
  it('the clients\' listener takes SCRAM-SHA-512 only, and the simple authorizer denies what no ACL allows', () => {
    expect(checkKafkaAuthorization(base, acls)).toEqual([]);
    const kafka = find(base, 'Kafka', 'streamrec');
    expect(asArray(at(kafka, 'spec', 'kafka', 'listeners')).map((listener) => [at(listener, 'port'), at(listener, 'authentication', 'type')])).toEqual([[9092, 'scram-sha-512']]);
    expect(at(kafka, 'spec', 'kafka', 'authorization')).toEqual({ type: 'simple', superUsers: ['streamrec-admin'] });
    expect(at(kafka, 'spec', 'kafka', 'config', 'allow.everyone.if.no.acl.found')).toBe(false);
  });

  it('every client role of acls.sh has a SCRAM-SHA-512 KafkaUser with exactly the ACLs acls.sh grants it', () => {
    expect(checkKafkaUsers(base, acls)).toEqual([]);
    const users = base.filter((object) => object.kind === 'KafkaUser');
    expect(users.map((user) => user.metadata.name).sort()).toEqual(acls.clientRoles.map(kafkaUserOf).sort());
    for (const role of acls.clientRoles) {
      const { entries } = kafkaUserAclEntries(find(base, 'KafkaUser', kafkaUserOf(role)) as K8sObject);
      expect(entries.length, role).toBe(aclEntries(acls, role).length);
    }
    // The prefixed grants stay prefixed, the literal ones literal (acls.sh's api lines are literal).
    const api = kafkaUserAclEntries(find(base, 'KafkaUser', 'streamrec-api') as K8sObject).entries;
    expect(api.filter((entry) => entry.resourceType === 'topic').every((entry) => entry.patternType === 'literal')).toBe(true);
    expect(api.filter((entry) => entry.resourceType === 'group').every((entry) => entry.patternType === 'prefix')).toBe(true);
  });

  it('each workload that talks to Kafka logs in as its own role, with the password from that role\'s KafkaUser Secret', () => {
    expect(checkKafkaLogins(base)).toEqual([]);
    // Who holds which Kafka login (docs/OPERATIONS.md "Who may do what"): dq is an operators' tool, the admin.
    expect(kafkaLoginReceivers(base)).toEqual({
      'streamrec-processor': ['Deployment/clickhouse-sink', 'Deployment/cooccurrence', 'Deployment/features', 'Deployment/normalize', 'Deployment/trending'],
      'streamrec-api': ['Deployment/api'],
      'streamrec-model': ['CronJob/retrain', 'Job/model-bootstrap'],
      'streamrec-admin': ['CronJob/dq'],
      'streamrec-connect': ['KafkaConnect/streamrec-connect'],
    });
  });
});

describe('the Kafka checks catch broken manifests', () => {
  const clone = (): K8sObject[] => structuredClone(base);

  it('a plain-text listener, no authorizer, everyone allowed, another super user, no User Operator', () => {
    const objects = clone();
    const kafka = find(objects, 'Kafka', 'streamrec');
    const spec = at(kafka, 'spec', 'kafka') as Record<string, unknown>;
    (spec['listeners'] as unknown[]).push({ name: 'plain', port: 9094, type: 'internal', tls: false, networkPolicyPeers: [] });
    (spec['config'] as Record<string, unknown>)['allow.everyone.if.no.acl.found'] = true;
    (spec['authorization'] as Record<string, unknown>)['superUsers'] = ['streamrec-admin', 'streamrec-processor'];
    delete (at(kafka, 'spec', 'entityOperator') as Record<string, unknown>)['userOperator'];
    const problems = checkKafkaAuthorization(objects, acls).join('\n');
    expect(problems).toMatch(/listener plain \(port 9094\) takes PLAINTEXT clients without authentication/);
    expect(problems).toMatch(/allow.everyone.if.no.acl.found is true/);
    expect(problems).toMatch(/superUsers streamrec-admin, streamrec-processor, infra\/kafka\/acls.sh says streamrec-admin/);
    expect(problems).toMatch(/entityOperator.userOperator is needed/);
    delete spec['authorization'];
    expect(checkKafkaAuthorization(objects, acls).join('\n')).toMatch(/authorization must be simple/);
  });

  it('a KafkaUser with a grant missing, one too many, a prefix turned literal; a role without a user, a user without a role', () => {
    const objects = clone();
    const processorAcls = at(find(objects, 'KafkaUser', 'streamrec-processor'), 'spec', 'authorization', 'acls') as Record<string, unknown>[];
    processorAcls.splice(processorAcls.findIndex((rule) => at(rule, 'resource', 'type') === 'transactionalId'), 1);
    processorAcls.push({ resource: { type: 'topic', name: 'models.', patternType: 'prefix' }, operations: ['Write'] });
    const apiRule = asArray(at(find(objects, 'KafkaUser', 'streamrec-api'), 'spec', 'authorization', 'acls')).find((rule) => at(rule, 'resource', 'type') === 'group');
    delete (at(apiRule, 'resource') as Record<string, unknown>)['patternType'];
    const withoutModel = objects.filter((object) => !(object.kind === 'KafkaUser' && object.metadata.name === 'streamrec-model'));
    withoutModel.push({ apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaUser', metadata: { name: 'streamrec-everyone', labels: { 'strimzi.io/cluster': 'streamrec' } }, spec: { authentication: { type: 'scram-sha-512' } } });
    const problems = checkKafkaUsers(withoutModel, acls).join('\n');
    expect(problems).toMatch(/KafkaUser\/streamrec-processor: lacks User:streamrec-processor transactionalId prefix:cooccurrence- Write from \*/);
    expect(problems).toMatch(/KafkaUser\/streamrec-processor: has User:streamrec-processor topic prefix:models\. Write from \*, which infra\/kafka\/acls.sh does not grant/);
    expect(problems).toMatch(/KafkaUser\/streamrec-api: has User:streamrec-api group literal:streamrec-api- Read/);
    expect(problems).toMatch(/client role model of infra\/kafka\/acls.sh has no KafkaUser streamrec-model/);
    expect(problems).toMatch(/KafkaUser\/streamrec-everyone is not a client role/);
  });

  it('a workload with another role\'s password, the admin\'s, a literal one, none, or a named user; Connect without its login', () => {
    const objects = clone();
    // The API's variable fed from the admin's Secret; features with the admin's variable besides its own.
    Object.assign(envOf(find(objects, 'Deployment', 'api')).find((entry) => entry['name'] === 'STREAMREC_KAFKA_API_PASSWORD') ?? {}, secretRef('streamrec-admin', 'password'));
    envOf(find(objects, 'Deployment', 'features')).push({ name: 'STREAMREC_KAFKA_ADMIN_PASSWORD', ...secretRef('streamrec-admin', 'password') });
    // A literal password, a missing one, a named user.
    const trending = envOf(find(objects, 'Deployment', 'trending')).find((entry) => entry['name'] === 'STREAMREC_KAFKA_PROCESSOR_PASSWORD') ?? {};
    delete trending['valueFrom'];
    trending['value'] = 'hunter2';
    const retrain = envOf(find(objects, 'CronJob', 'retrain'));
    retrain.splice(retrain.findIndex((entry) => entry['name'] === 'STREAMREC_KAFKA_MODEL_PASSWORD'), 1);
    envOf(find(objects, 'CronJob', 'dq')).push({ name: 'STREAMREC_KAFKA_USER', value: 'streamrec-processor' });
    // A container that does not talk to Kafka, given a Kafka Secret under another name.
    envOf(find(objects, 'Job', 'redis-cluster-init')).push({ name: 'X', ...secretRef('streamrec-connect', 'password') });
    const connect = find(objects, 'KafkaConnect', 'streamrec-connect');
    delete (connect['spec'] as Record<string, unknown>)['authentication'];
    const protocol = asArray(at(connect, 'spec', 'template', 'connectContainer', 'env')).find((entry) => at(entry, 'name') === 'STREAMREC_KAFKA_SECURITY_PROTOCOL') as Record<string, unknown>;
    protocol['value'] = 'PLAINTEXT';
    const problems = checkKafkaLogins(objects).join('\n');
    expect(problems).toMatch(/Deployment\/api container api: STREAMREC_KAFKA_API_PASSWORD must come from the Secret of KafkaUser streamrec-api \(key password\), not streamrec-admin\/password/);
    expect(problems).toMatch(/Deployment\/features container features: gets STREAMREC_KAFKA_ADMIN_PASSWORD \(from Secret streamrec-admin\), but may have only STREAMREC_KAFKA_PROCESSOR_PASSWORD/);
    expect(problems).toMatch(/Deployment\/trending container trending: STREAMREC_KAFKA_PROCESSOR_PASSWORD must come from the Secret of KafkaUser streamrec-processor \(key password\), not a value/);
    expect(problems).toMatch(/CronJob\/retrain container retrain: lacks STREAMREC_KAFKA_MODEL_PASSWORD/);
    expect(problems).toMatch(/CronJob\/dq container dq: gets STREAMREC_KAFKA_USER, but may have only STREAMREC_KAFKA_ADMIN_PASSWORD/);
    expect(problems).toMatch(/Job\/redis-cluster-init container cluster-init: gets X \(from Secret streamrec-connect\), but may have no Kafka login/);
    expect(problems).toMatch(/KafkaConnect\/streamrec-connect: authentication must be scram-sha-512 as streamrec-connect/);
    expect(problems).toMatch(/KafkaConnect\/streamrec-connect connectContainer: STREAMREC_KAFKA_SECURITY_PROTOCOL is PLAINTEXT/);
  });

  it('a pod that may reach Kafka without logging in, and one that logs in but may not reach it', () => {
    const objects = clone();
    const labels = (kind: string, name: string): Record<string, unknown> => at(find(objects, kind, name), 'spec', 'template', 'metadata', 'labels') as Record<string, unknown>;
    labels('StatefulSet', 'redis')['streamrec.io/kafka-client'] = 'true';
    delete labels('Deployment', 'api')['streamrec.io/kafka-client'];
    const problems = checkKafkaLogins(objects).join('\n');
    expect(problems).toMatch(/StatefulSet\/redis: labelled streamrec.io\/kafka-client but none of its containers logs in/);
    expect(problems).toMatch(/Deployment\/api: logs in to Kafka but lacks the label streamrec.io\/kafka-client/);
  });
});
