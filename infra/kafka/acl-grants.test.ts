// infra/kafka/acls.sh read as data (what the KafkaUsers are generated from and compose is checked
// against), and the table of which entry point logs in as which role, checked against the config code.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deployableFor } from '../docker/deployables.js';
import { BROKER_ROLE, aclEntries, aclEntryText, parseGrantArguments, readKafkaAcls, readKafkaAclsFile } from './acl-grants.js';
import { KAFKA_CLIENT_ENTRIES } from './kafka-clients.js';

const root = join(import.meta.dirname, '..', '..');
const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const words = (line: string): string[] => line.split(' ');

describe('acls.sh grant lines, as AclCommand reads them', () => {
  it('every operation on every resource, prefixed where the line says so', () => {
    const grant = parseGrantArguments('processor', words('--operation Read --operation describe --topic cdc. --group features- --resource-pattern-type prefixed'));
    expect(grant).toEqual({
      role: 'processor',
      operations: ['Read', 'Describe'],
      resources: [
        { type: 'topic', name: 'cdc.', patternType: 'prefix' },
        { type: 'group', name: 'features-', patternType: 'prefix' },
      ],
    });
    expect(aclEntries({ grants: [grant] }).map(aclEntryText)).toEqual([
      'User:streamrec-processor topic prefix:cdc. Read from *',
      'User:streamrec-processor topic prefix:cdc. Describe from *',
      'User:streamrec-processor group prefix:features- Read from *',
      'User:streamrec-processor group prefix:features- Describe from *',
    ]);
  });

  it('literal without a pattern type (AclCommand\'s default), the cluster and transactional ids', () => {
    expect(parseGrantArguments('api', words('--operation Write --topic events.interactions.v1')).resources).toEqual([{ type: 'topic', name: 'events.interactions.v1', patternType: 'literal' }]);
    expect(parseGrantArguments('connect', words('--operation DescribeConfigs --cluster')).resources).toEqual([{ type: 'cluster', name: 'kafka-cluster', patternType: 'literal' }]);
    expect(parseGrantArguments('processor', words('--operation Write --transactional-id cooccurrence- --resource-pattern-type prefixed')).resources).toEqual([{ type: 'transactionalId', name: 'cooccurrence-', patternType: 'prefix' }]);
  });

  it('refuses what it cannot translate faithfully: other options, unknown operations, incomplete lines, a prefixed cluster', () => {
    expect(() => parseGrantArguments('api', words('--operation Read --topic x --allow-host 10.0.0.1'))).toThrow(/--allow-host is not an option/);
    expect(() => parseGrantArguments('api', words('--operation Reed --topic x'))).toThrow(/unknown operation Reed/);
    expect(() => parseGrantArguments('api', words('--topic x'))).toThrow(/no --operation/);
    expect(() => parseGrantArguments('api', words('--operation Read'))).toThrow(/no resource/);
    expect(() => parseGrantArguments('api', words('--operation Read --topic'))).toThrow(/--topic needs a value/);
    expect(() => parseGrantArguments('api', words('--operation Read --cluster --resource-pattern-type prefixed'))).toThrow(/cluster resource is literal only/);
  });
});

describe('infra/kafka/acls.sh as bash sources it', () => {
  const acls = readKafkaAcls(root);

  it('has the broker\'s own super role, a SCRAM user for every other super role, and grants for client roles only', () => {
    expect(acls.superRoles).toContain(BROKER_ROLE);
    expect(acls.clientRoles).not.toContain(BROKER_ROLE);
    for (const role of acls.superRoles.filter((name) => name !== BROKER_ROLE)) expect(acls.clientRoles).toContain(role);
    expect(acls.grants.length).toBeGreaterThan(0);
    for (const grant of acls.grants) expect(acls.clientRoles).toContain(grant.role);
    // Every client role but the super users has something to do.
    for (const role of acls.clientRoles.filter((name) => !acls.superRoles.includes(name))) expect(aclEntries(acls, role).length, role).toBeGreaterThan(0);
  });

  it('a grant for a role without credentials is a typo and refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamrec-acls-'));
    scratch.push(dir);
    const file = join(dir, 'acls.sh');
    writeFileSync(file, readFileSync(join(root, 'infra', 'kafka', 'acls.sh'), 'utf8').replace(/^api --operation Write/m, 'apu --operation Write'));
    expect(() => readKafkaAclsFile(file)).toThrow(/a grant for apu, which is not in KAFKA_CLIENT_ROLES/);
  });
});

describe('which entry point logs in as which Kafka role', () => {
  const acls = readKafkaAcls(root);
  const sources = (dir: string): string[] =>
    readdirSync(join(root, dir)).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(join(root, path)).isDirectory()) return sources(path);
      return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
    });

  it.each(Object.entries(KAFKA_CLIENT_ENTRIES))('%s: a deployable entry whose config asks for its role', (entry, { role, config }) => {
    expect(deployableFor(entry), 'described in infra/docker/deployables.ts').toBeDefined();
    expect(acls.clientRoles).toContain(role);
    const code = sources(config).map((path) => readFileSync(join(root, path), 'utf8')).join('\n');
    const asked = new Set([...code.matchAll(/(?:kafkaConfigInput|loadKafkaConfig)\([^']*'([a-z]+)'/g)].map((match) => match[1]));
    // The stream processors' shared config (packages/foundation processorConfigInput) asks for `processor`.
    if (/\bprocessorConfigInput\(/.test(code)) asked.add('processor');
    expect([...asked]).toEqual([role]);
  });
});
