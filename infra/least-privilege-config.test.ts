import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The least-privilege settings (issue 15, item 10) in every way the project deploys: the local stack's
 * scripts, compose and the Kubernetes manifests. test/integration/least-privilege.test.ts proves the
 * local ones on the running servers; this keeps the other two from drifting back.
 */
const root = join(import.meta.dirname, '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

const cdcGrants = ['infra/local/components/mariadb.sh', 'infra/compose/mariadb/initdb/10-streamrec.sh', 'infra/k8s/overlays/local/mariadb/initdb.generated.yaml'];
const connectWorkers = ['infra/local/components/connect.sh', 'infra/compose/connect/connect-distributed.properties', 'infra/k8s/base/kafka/connect.yaml'];
const clickHouseUsers = ['infra/local/components/clickhouse.sh', 'infra/compose/clickhouse/users.d/streamrec.xml', 'infra/k8s/base/clickhouse/config.generated.yaml'];
const connectors = ['connectors/config/cdc-mariadb.json', 'infra/compose/connectors/cdc-mariadb.json', 'infra/k8s/base/kafka/connector.generated.yaml'];

describe('least privilege, as deployed locally, by compose and on Kubernetes', () => {
  it.each(cdcGrants)('%s: the CDC user reads only shop and matomo (no SELECT on *.*)', (path) => {
    const text = read(path);
    const cdcLines = text.split('\n').filter((line) => /GRANT .* TO '(\$cdc|debezium)'/.test(line));
    expect(cdcLines.length).toBeGreaterThanOrEqual(3);
    for (const line of cdcLines) if (line.includes('ON *.*')) expect(line).not.toMatch(/\b(SELECT|ALL|INSERT|UPDATE|DELETE|LOCK TABLES)\b/);
    expect(cdcLines.some((line) => /SELECT, LOCK TABLES ON shop\.\*/.test(line))).toBe(true);
    expect(cdcLines.some((line) => /SELECT, LOCK TABLES ON matomo\.\*/.test(line))).toBe(true);
  });

  it.each(connectWorkers)('%s: connectors may not override their clients', (path) => {
    expect(read(path)).toMatch(/connector\.client\.config\.override\.policy[=:] ?None/);
    expect(read(path)).not.toMatch(/override\.policy[=:] ?(All|Principal)/);
  });

  it.each(connectors)('%s: the connector itself overrides nothing', (path) => {
    expect(read(path)).not.toMatch(/(producer|consumer|admin)\.override\./);
  });

  it.each(clickHouseUsers)('%s: the ClickHouse application user is limited to the streamrec database', (path) => {
    const text = read(path);
    const user = /<(\$STREAMREC_CLICKHOUSE_USER|streamrec)>([\s\S]*?)<\/\1>/.exec(text)?.[2] ?? '';
    expect(user).toContain('<allow_databases><database>streamrec</database></allow_databases>');
    expect(user).toContain('<profile>app</profile>');
  });

  it('the local stack and compose run Redis with the same ACL file (nobody in without a user), and each role password reaches only its role', () => {
    expect(read('infra/local/components/redis.sh')).toContain('infra/redis/render-acl.sh');
    const compose = read('infra/compose/docker-compose.yml');
    expect(compose).toContain('../redis/render-acl.sh:/etc/streamrec/render-acl.sh:ro');
    expect(compose).toContain('--aclfile /data/users.acl');
    const acl = read('infra/redis/render-acl.sh');
    expect(acl).toMatch(/echo "user default on #\$unguessable ~\* &\* \+@all"/);
    expect(acl).not.toMatch(/>\$/); // never a clear password in the file, only #<sha256>
    // Which compose services receive which Redis password (anchors merged, as compose reads them).
    const parsed = parse(compose, { merge: true }) as { services: Record<string, { environment?: Record<string, unknown> }> };
    const receivers = (variable: string): string[] => Object.entries(parsed.services).filter(([, service]) => service.environment !== undefined && variable in service.environment).map(([name]) => name);
    expect(receivers('STREAMREC_REDIS_ADMIN_PASSWORD')).toEqual(['redis']);
    expect(receivers('STREAMREC_REDIS_API_PASSWORD').sort()).toEqual(['api', 'redis']);
    expect(receivers('STREAMREC_REDIS_MONITOR_PASSWORD')).toEqual(['redis']);
    expect(parsed.services['redis-exporter']?.environment).toMatchObject({ REDIS_USER: 'streamrec-monitor' });
    expect(receivers('STREAMREC_REDIS_PROCESSOR_PASSWORD').sort()).toEqual(['clickhouse-sink', 'cooccurrence', 'features', 'normalize', 'redis', 'trending']);
  });
});
