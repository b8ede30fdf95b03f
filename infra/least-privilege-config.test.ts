import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadResources } from './k8s/tools/k8s-model.js';
import { checkRedisAccess, redisPasswordReceivers } from './k8s/tools/manifest-checks.js';

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

  it('render-acl.sh adds the replication user (and keeps CONFIG GET from the monitor) only when its password is set', () => {
    const roles = { STREAMREC_REDIS_ADMIN_PASSWORD: 'a', STREAMREC_REDIS_PROCESSOR_PASSWORD: 'p', STREAMREC_REDIS_API_PASSWORD: 'i', STREAMREC_REDIS_MONITOR_PASSWORD: 'm' };
    const render = (extra: Record<string, string>): string[] => {
      const result = spawnSync('sh', [join(root, 'infra', 'redis', 'render-acl.sh')], { encoding: 'utf8', env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...roles, ...extra } });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      return result.stdout.trimEnd().split('\n');
    };
    // The local stack and compose: the default user and the four roles, nothing else.
    const plain = render({});
    expect(plain.map((line) => line.split(' ')[1])).toEqual(['default', 'streamrec-admin', 'streamrec-processor', 'streamrec-api', 'streamrec-monitor']);
    expect(plain.find((line) => line.startsWith('user streamrec-monitor '))).toMatch(/\+config\|get \+slowlog\|get .*\+memory\|stats$/);
    // Kubernetes: the same lines but the monitor's, plus the replication user.
    const replicated = render({ STREAMREC_REDIS_REPLICATION_PASSWORD: 'r' });
    expect(replicated.slice(1, 4)).toEqual(plain.slice(1, 4));
    expect(replicated[4]).toBe(`${plain[4] ?? ''} -config|get +cluster|info`);
    expect(replicated[5]).toMatch(/^user streamrec-replication on #[0-9a-f]{64} resetchannels -@all \+psync \+replconf \+ping$/);
    expect(replicated).toHaveLength(6);
  });

  // The same on Kubernetes; infra/k8s/manifests.test.ts runs checkRedisAccess on both overlays as kustomize renders them.
  it('Kubernetes runs Redis with the same ACL file, and each role password reaches only its role', () => {
    const base = loadResources(join(root, 'infra', 'k8s', 'base'));
    expect(checkRedisAccess(base)).toEqual([]);
    expect(read('infra/k8s/base/redis/render-acl.generated.yaml')).toContain('GENERATED from infra/redis/render-acl.sh');
    // Which workloads receive which Redis password (the Redis pods: the renderer all, the probes and the exporter the monitor's).
    expect(redisPasswordReceivers(base)).toEqual({
      STREAMREC_REDIS_ADMIN_PASSWORD: ['Job/redis-cluster-init', 'StatefulSet/redis'],
      STREAMREC_REDIS_PROCESSOR_PASSWORD: ['Deployment/clickhouse-sink', 'Deployment/cooccurrence', 'Deployment/features', 'Deployment/normalize', 'Deployment/trending', 'StatefulSet/redis'],
      STREAMREC_REDIS_API_PASSWORD: ['Deployment/api', 'StatefulSet/redis'],
      STREAMREC_REDIS_MONITOR_PASSWORD: ['StatefulSet/redis'],
      STREAMREC_REDIS_REPLICATION_PASSWORD: ['StatefulSet/redis'],
    });
  });
});
