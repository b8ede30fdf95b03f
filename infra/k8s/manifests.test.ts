// Validates infra/k8s without a cluster: every YAML parses, kustomizations name only existing files,
// generated copies match their sources, and the semantic checks of tools/manifest-checks.ts pass on
// the base as written and on each overlay as kustomize renders it (kustomize, or kubectl's built-in
// one, when installed), where kubernetes-validate (PyPI) also checks the built-in kinds against the
// Kubernetes schemas when it is installed. No network, no cluster.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownVariables } from '../docker/deployables.js';
import { readKafkaAcls } from '../kafka/acl-grants.js';
import { readConnector, readTopics, renderGeneratedFiles } from './tools/generated-files.js';
import { checkKafkaAuthorization, checkKafkaLogins, checkKafkaUsers } from './tools/kafka-checks.js';
import { asArray, at, loadResources, missingReferences, parseObjects, parseYamlDocuments, readKustomization, type K8sObject } from './tools/k8s-model.js';
import {
  checkConnector,
  checkEnvironment,
  checkFlows,
  checkKafka,
  checkOperations,
  checkOperationsListeners,
  checkProcessorReplicas,
  checkRedisAccess,
  checkSecretReferences,
  checkTopics,
  checkWorkloads,
  declaredSecrets,
  type Flow,
} from './tools/manifest-checks.js';

const k8sDir = dirname(fileURLToPath(import.meta.url));
const root = join(k8sDir, '..', '..');
const NAMESPACE = 'streamrec';
const topics = readTopics(root);
/** schemas/topics.json's production durability profile: what overlays/production must apply. */
const productionProfile = (JSON.parse(readFileSync(join(root, 'schemas', 'topics.json'), 'utf8')) as { durability: { profiles: Record<string, { replication_factor: number; min_insync_replicas: number }> } }).durability.profiles['production']!;
const connector = readConnector(root);
const known = knownVariables(root);
const kafkaAcls = readKafkaAcls(root);

const PROCESSORS = [
  ['normalize', 19101],
  ['features', 19102],
  ['cooccurrence', 19103],
  ['trending', 19104],
  ['clickhouse-sink', 19105],
] as const;

/** What the system needs to reach (DESIGN data flow), and what nothing needs. */
const REQUIRED_FLOWS: Flow[] = [
  ...[...PROCESSORS.map(([name]) => name), 'api'].flatMap((name) => [
    { from: name, to: 'kafka', port: 9092 },
    { from: name, to: 'redis', port: 6379 },
  ]),
  ...['clickhouse-sink', 'retrain', 'dq'].map((name) => ({ from: name, to: 'clickhouse', port: 8123 })),
  { from: 'retrain', to: 'kafka', port: 9092 },
  { from: 'dq', to: 'kafka', port: 9092 },
  { from: 'dq', to: 'redis', port: 6379 },
  { from: 'model-bootstrap', to: 'kafka', port: 9092 },
  { from: 'connect', to: 'kafka', port: 9092 },
  { from: 'connect', to: 'mariadb', port: 3306 },
  { from: 'redis', to: 'redis', port: 16379 },
  { from: 'internet', to: 'api', port: 18080, portName: 'http' },
  ...PROCESSORS.map(([name, port]) => ({ from: 'monitoring', to: name, port, portName: 'metrics' })),
  // The API's operations listener (/metrics, /readyz, /admin, /docs); its public port needs no scrape.
  { from: 'monitoring', to: 'api', port: 18081, portName: 'ops' },
  { from: 'monitoring', to: 'redis', port: 9121, portName: 'metrics' },
  { from: 'monitoring', to: 'clickhouse', port: 9363, portName: 'metrics' },
  { from: 'monitoring', to: 'kafka', port: 9404 },
];
const FORBIDDEN_FLOWS: Flow[] = [
  { from: 'api', to: 'clickhouse', port: 8123 },
  { from: 'normalize', to: 'clickhouse', port: 8123 },
  { from: 'features', to: 'mariadb', port: 3306 },
  { from: 'api', to: 'mariadb', port: 3306 },
  { from: 'internet', to: 'redis', port: 6379 },
  { from: 'internet', to: 'clickhouse', port: 8123 },
  { from: 'monitoring', to: 'redis', port: 6379 },
  { from: 'monitoring', to: 'clickhouse', port: 8123, portName: 'http' },
  // Only the public listener is the front door; the operations one is for Prometheus and port-forwards.
  { from: 'internet', to: 'api', port: 18081, portName: 'ops' },
];

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml(\.example)?$/.test(name) ? [path] : [];
  });
}

/** Secrets an overlay's secretGenerator declares, with the keys its committed .example files list. */
function generatedSecrets(overlay: string): Map<string, Set<string>> {
  const declared = new Map<string, Set<string>>();
  for (const generator of asArray(readKustomization(overlay).raw['secretGenerator'])) {
    const keys = new Set<string>();
    for (const env of asArray(at(generator, 'envs')).map(String)) {
      for (const line of readFileSync(join(overlay, `${env}.example`), 'utf8').split('\n')) {
        const match = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(line.trim());
        if (match?.[1] !== undefined) keys.add(match[1]);
      }
    }
    for (const file of asArray(at(generator, 'files')).map(String)) keys.add(file.includes('=') ? file.slice(0, file.indexOf('=')) : basename(file));
    declared.set(String(at(generator, 'name')), keys);
  }
  return declared;
}

/** What overlays/local declares as written: its generated Secrets and the KafkaUsers' Secrets (the User Operator's). */
function localSecrets(objects: readonly K8sObject[]): Map<string, Set<string>> {
  return new Map([...generatedSecrets(join(k8sDir, 'overlays', 'local')), ...declaredSecrets(objects)]);
}

/** A validator on PATH, or installed by the project under .stack/bin (git-ignored). */
function tool(name: string): string {
  const local = join(root, '.stack', 'bin', name);
  return existsSync(local) ? local : name;
}

function findKustomize(): ((dir: string) => string) | undefined {
  for (const [command, prefix] of [
    [tool('kustomize'), ['build']],
    ['kubectl', ['kustomize']],
  ] as const) {
    const probe = spawnSync(command, command === 'kubectl' ? ['version', '--client'] : ['version'], { encoding: 'utf8', timeout: 20_000 });
    if (probe.status !== 0) continue;
    return (dir) => {
      const result = spawnSync(command, [...prefix, dir], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
      if (result.status !== 0) throw new Error(`${command} ${prefix.join(' ')} ${dir} failed:\n${result.stderr}`);
      return result.stdout;
    };
  }
  return undefined;
}

const kustomize = findKustomize();
const kubernetesValidateCommand = tool('kubernetes-validate');
const kubernetesValidate = spawnSync(kubernetesValidateCommand, ['--version'], { encoding: 'utf8', timeout: 30_000 }).status === 0;

describe('Kubernetes manifests as written', () => {
  const base = loadResources(join(k8sDir, 'base'));
  const local = loadResources(join(k8sDir, 'overlays', 'local'));
  const production = loadResources(join(k8sDir, 'overlays', 'production'));

  it('every YAML file under infra/k8s parses', () => {
    const files = yamlFiles(k8sDir);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) expect(() => parseYamlDocuments(readFileSync(file, 'utf8'), relative(root, file))).not.toThrow();
  });

  it('kustomizations name only files that exist (secret files through their committed .example)', () => {
    for (const dir of [join(k8sDir, 'base'), join(k8sDir, 'overlays', 'local'), join(k8sDir, 'overlays', 'production')]) {
      expect(missingReferences(dir, (path) => existsSync(path) || existsSync(`${path}.example`)), dir).toEqual([]);
    }
  });

  it('generated copies equal what their sources render (node --import tsx infra/k8s/tools/generate.ts)', () => {
    for (const [path, content] of renderGeneratedFiles(root)) expect(readFileSync(join(root, path), 'utf8'), `${path} is stale`).toBe(content);
  });

  it('workloads have resources, probes where they run long, and non-root hardened security contexts', () => {
    expect(checkWorkloads(local, root)).toEqual([]);
    expect(checkWorkloads(production, root)).toEqual([]);
  });

  it('KafkaTopic resources equal schemas/topics.json', () => {
    expect(checkTopics(base, topics, { replicas: 1 })).toEqual([]);
  });

  it('the KafkaConnector is connectors/config/cdc-mariadb.json apart from the documented differences', () => {
    expect(checkConnector(base, connector)).toEqual([]);
  });

  it('processor replicas stay within the partitions of their inputs, normalize alone', () => {
    expect(checkProcessorReplicas(base, topics)).toEqual([]);
  });

  it('every container sets the variables its entry point needs, and only variables the code reads', () => {
    expect(checkEnvironment(local, known, localSecrets(local))).toEqual([]);
    expect(checkEnvironment(production, known, declaredSecrets(production))).toEqual([]);
  });

  it('every secret reference resolves in both overlays (generator keys, ExternalSecret targets, KafkaUser Secrets)', () => {
    expect(checkSecretReferences(local, localSecrets(local))).toEqual([]);
    expect(checkSecretReferences(production, declaredSecrets(production))).toEqual([]);
    expect(local.filter((object) => object.kind === 'Secret')).toEqual([]);
  });

  it('Redis loads the ACL file rendered from infra/redis/render-acl.sh, and each container gets exactly its role\'s Redis password', () => {
    expect(checkRedisAccess(base)).toEqual([]);
    expect(checkRedisAccess(local)).toEqual([]);
    expect(checkRedisAccess(production)).toEqual([]);
  });

  it('only normalize references the visitor pseudonym Secret', () => {
    const referencing = base.filter((object) => JSON.stringify(object).includes('"streamrec-visitor-pseudonym"')).map((object) => `${object.kind}/${object.metadata.name}`);
    expect(referencing).toEqual(['Deployment/normalize']);
  });

  it('network policies deny by default and allow exactly the needed flows', () => {
    expect(checkFlows(base, NAMESPACE, [...REQUIRED_FLOWS, { from: 'redis-cluster-init', to: 'redis', port: 6379 }], FORBIDDEN_FLOWS)).toEqual([]);
    expect(checkFlows(local, NAMESPACE, [...REQUIRED_FLOWS, { from: 'demo-data', to: 'mariadb', port: 3306 }], FORBIDDEN_FLOWS)).toEqual([]);
  });

  it('PDBs, PodMonitors with the rules job labels, the API HPA and probes, single-run CronJobs', () => {
    expect(checkOperations(base)).toEqual([]);
  });

  it('the API operations listener: ready on it, scraped on it, exposed by no Service', () => {
    expect(checkOperationsListeners(base)).toEqual([]);
    const api = base.find((object) => object.kind === 'Deployment' && object.metadata.name === 'api');
    const container = at(api, 'spec', 'template', 'spec', 'containers', 0);
    const env = new Map(asArray(at(container, 'env')).map((entry) => [String(at(entry, 'name')), at(entry, 'value')]));
    expect(env.get('STREAMREC_API_PORT')).toBe('18080');
    expect(env.get('STREAMREC_API_OPS_HOST')).toBe('0.0.0.0');
    expect(env.get('STREAMREC_API_OPS_PORT')).toBe('18081');
    expect(asArray(at(container, 'ports'))).toEqual([
      { name: 'http', containerPort: 18080 },
      { name: 'ops', containerPort: 18081 },
    ]);
    expect(at(container, 'readinessProbe', 'httpGet')).toEqual({ path: '/readyz', port: 'ops' });
    const service = base.find((object) => object.kind === 'Service' && object.metadata.name === 'api');
    expect(asArray(at(service, 'spec', 'ports')).map((port) => at(port, 'targetPort'))).toEqual(['http']);
    const monitor = base.find((object) => object.kind === 'PodMonitor' && object.metadata.name === 'api');
    expect(asArray(at(monitor, 'spec', 'podMetricsEndpoints')).map((endpoint) => [at(endpoint, 'port'), at(endpoint, 'path')])).toEqual([['ops', '/metrics']]);
  });

  it('Kafka replication matches the node count', () => {
    expect(checkKafka(base, { nodes: 1, replicationFactor: 1, minIsr: 1 })).toEqual([]);
  });
});

describe('the checks catch broken manifests', () => {
  const base = loadResources(join(k8sDir, 'base'));
  const clone = (): K8sObject[] => structuredClone(base);
  const find = (objects: K8sObject[], kind: string, name: string): Record<string, unknown> => {
    const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
    if (found === undefined) throw new Error(`${kind}/${name} missing`);
    return found;
  };
  const container = (object: Record<string, unknown>): Record<string, unknown> => at(object, 'spec', 'template', 'spec', 'containers', 0) as Record<string, unknown>;

  it('a container without resources or probes, running as root', () => {
    const objects = clone();
    const features = container(find(objects, 'Deployment', 'features'));
    delete features['resources'];
    delete features['readinessProbe'];
    (at(find(objects, 'Deployment', 'features'), 'spec', 'template', 'spec', 'securityContext') as Record<string, unknown>)['runAsUser'] = 0;
    const problems = checkWorkloads(objects, root).join('\n');
    expect(problems).toMatch(/features container features: resources.requests.cpu missing/);
    expect(problems).toMatch(/features container features: readinessProbe missing/);
    expect(problems).toMatch(/features container features: runAsUser must be a non-zero uid/);
  });

  it('more processor instances than partitions, or a second normalize', () => {
    const objects = clone();
    (find(objects, 'Deployment', 'features')['spec'] as Record<string, unknown>)['replicas'] = 7;
    (find(objects, 'Deployment', 'normalize')['spec'] as Record<string, unknown>)['replicas'] = 2;
    const problems = checkProcessorReplicas(objects, topics).join('\n');
    expect(problems).toMatch(/features: 7 replicas, at most 6/);
    expect(problems).toMatch(/normalize: 2 replicas, at most 1/);
  });

  it('a topic whose partitions or config drifted from schemas/topics.json', () => {
    const objects = clone();
    const topic = find(objects, 'KafkaTopic', 'events.interactions.v1');
    (topic['spec'] as Record<string, unknown>)['partitions'] = 12;
    ((topic['spec'] as Record<string, unknown>)['config'] as Record<string, unknown>)['retention.ms'] = '1';
    const problems = checkTopics(objects, topics, { replicas: 1 }).join('\n');
    expect(problems).toMatch(/events.interactions.v1: partitions 12/);
    expect(problems).toMatch(/events.interactions.v1: config/);
  });

  it('a connector setting that differs, and an ${env:} the workers lack', () => {
    const objects = clone();
    const config = at(find(objects, 'KafkaConnector', 'cdc-mariadb'), 'spec', 'config') as Record<string, unknown>;
    config['snapshot.mode'] = 'never';
    config['database.user'] = '${env:STREAMREC_NOT_SET}';
    const problems = checkConnector(objects, connector).join('\n');
    expect(problems).toMatch(/snapshot.mode/);
    expect(problems).toMatch(/STREAMREC_NOT_SET\} is not set on the Connect workers/);
  });

  it('a missing or misspelt variable, and an undeclared secret', () => {
    const objects = clone();
    const sink = container(find(objects, 'Deployment', 'clickhouse-sink'));
    sink['env'] = asArray(sink['env']).filter((entry) => at(entry, 'name') !== 'STREAMREC_CLICKHOUSE_URL');
    (sink['env'] as unknown[]).push({ name: 'STREAMREC_CLICKHOUSE_SINK_FLUSH_MAX_ROW', value: '10' }, { name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } });
    const secrets = generatedSecrets(join(k8sDir, 'overlays', 'local'));
    expect(checkEnvironment(objects, known, secrets).join('\n')).toMatch(/STREAMREC_CLICKHOUSE_URL is not set/);
    expect(checkEnvironment(objects, known, secrets).join('\n')).toMatch(/STREAMREC_CLICKHOUSE_SINK_FLUSH_MAX_ROW is not read/);
    expect(checkSecretReferences(objects, secrets).join('\n')).toMatch(/secret nope is not declared/);
  });

  it('normalize without its visitor pseudonym key, or with the key as a plain value', () => {
    const secrets = generatedSecrets(join(k8sDir, 'overlays', 'local'));
    const without = clone();
    const normalize = container(find(without, 'Deployment', 'normalize'));
    normalize['env'] = asArray(normalize['env']).filter((entry) => at(entry, 'name') !== 'STREAMREC_VISITOR_PSEUDONYM_KEY');
    expect(checkEnvironment(without, known, secrets).join('\n')).toMatch(/normalize container normalize: STREAMREC_VISITOR_PSEUDONYM_KEY is not set/);
    const literal = clone();
    const env = asArray(container(find(literal, 'Deployment', 'normalize'))['env']);
    const entry = env.find((item) => at(item, 'name') === 'STREAMREC_VISITOR_PSEUDONYM_KEY') as Record<string, unknown>;
    delete entry['valueFrom'];
    entry['value'] = 'a-literal-key-of-at-least-32-characters';
    expect(checkEnvironment(literal, known, secrets).join('\n')).toMatch(/normalize container normalize: STREAMREC_VISITOR_PSEUDONYM_KEY is a secret: take it from a Secret/);
  });

  it('the API operations port behind the Service, scraped on the public port, readiness on the public port', () => {
    const objects = clone();
    ((find(objects, 'Service', 'api')['spec'] as Record<string, unknown>)['ports'] as unknown[]).push({ name: 'ops', port: 18081, targetPort: 'ops' });
    (at(find(objects, 'PodMonitor', 'api'), 'spec', 'podMetricsEndpoints', 0) as Record<string, unknown>)['port'] = 'http';
    (at(container(find(objects, 'Deployment', 'api')), 'readinessProbe', 'httpGet') as Record<string, unknown>)['port'] = 'http';
    const problems = checkOperationsListeners(objects).join('\n');
    expect(problems).toMatch(/Service\/api: exposes the operations port ops \(18081\)/);
    expect(problems).toMatch(/PodMonitor\/api: scrapes Deployment\/api on http, expected its operations port ops/);
    expect(problems).toMatch(/Deployment\/api container api: the readiness probe must use the operations port ops/);
    expect(checkOperations(objects).join('\n')).toMatch(/Service\/api: exposes the operations port/);
    const withoutOps = clone();
    const ports = at(container(find(withoutOps, 'Deployment', 'api')), 'ports') as unknown[];
    ports.splice(1, 1);
    expect(checkOperationsListeners(withoutOps).join('\n')).toMatch(/no named container port 18081 for the operations listener/);
  });

  it('a container with another role\'s Redis password, a Redis without aclfile or masteruser, redis-cli or the exporter without their login', () => {
    const redisSecret = (key: string): unknown => ({ valueFrom: { secretKeyRef: { name: 'streamrec-redis', key } } });
    const envOf = (object: Record<string, unknown>, name: string): Record<string, unknown>[] => {
      const spec = object['kind'] === 'CronJob' ? at(object, 'spec', 'jobTemplate', 'spec', 'template', 'spec') : at(object, 'spec', 'template', 'spec');
      const containers = [...asArray(at(spec, 'initContainers')), ...asArray(at(spec, 'containers'))];
      return asArray(at(containers.find((candidate) => at(candidate, 'name') === name), 'env')) as Record<string, unknown>[];
    };
    const objects = clone();
    envOf(find(objects, 'Deployment', 'api'), 'api').push({ name: 'STREAMREC_REDIS_ADMIN_PASSWORD', ...(redisSecret('STREAMREC_REDIS_ADMIN_PASSWORD') as object) });
    const features = envOf(find(objects, 'Deployment', 'features'), 'features').find((entry) => entry['name'] === 'STREAMREC_REDIS_PROCESSOR_PASSWORD');
    Object.assign(features ?? {}, redisSecret('STREAMREC_REDIS_API_PASSWORD'));
    envOf(find(objects, 'CronJob', 'dq'), 'dq').push({ name: 'STREAMREC_REDIS_PROCESSOR_PASSWORD', value: 'literal' });
    const trending = envOf(find(objects, 'Deployment', 'trending'), 'trending');
    trending.splice(trending.findIndex((entry) => entry['name'] === 'STREAMREC_REDIS_PROCESSOR_PASSWORD'), 1);
    const exporter = envOf(find(objects, 'StatefulSet', 'redis'), 'exporter');
    exporter.splice(exporter.findIndex((entry) => entry['name'] === 'REDIS_USER'), 1);
    const redis = container(find(objects, 'StatefulSet', 'redis'));
    (at(redis, 'readinessProbe', 'exec') as Record<string, unknown>)['command'] = ['redis-cli', 'ping'];
    const init = at(find(objects, 'Job', 'redis-cluster-init'), 'spec', 'template', 'spec', 'containers', 0) as Record<string, unknown>;
    init['command'] = ['sh', '-c', 'redis-cli --user streamrec-admin -a "$PASSWORD" --cluster create $nodes'];
    const config = at(find(objects, 'ConfigMap', 'redis-config'), 'data') as Record<string, string>;
    config['redis.conf'] = (config['redis.conf'] ?? '').replace(/^masteruser .*$/m, '');
    const problems = checkRedisAccess(objects).join('\n');
    expect(problems).toMatch(/Deployment\/api container api: gets STREAMREC_REDIS_ADMIN_PASSWORD \(streamrec-admin's password\), but may have only STREAMREC_REDIS_API_PASSWORD/);
    expect(problems).toMatch(/Deployment\/features container features: gets STREAMREC_REDIS_API_PASSWORD/);
    expect(problems).toMatch(/Deployment\/features container features: STREAMREC_REDIS_API_PASSWORD lands in STREAMREC_REDIS_PROCESSOR_PASSWORD/);
    expect(problems).toMatch(/CronJob\/dq container dq: STREAMREC_REDIS_PROCESSOR_PASSWORD must come from the streamrec-redis Secret/);
    expect(problems).toMatch(/Deployment\/trending container trending: lacks STREAMREC_REDIS_PROCESSOR_PASSWORD/);
    expect(problems).toMatch(/StatefulSet\/redis container exporter: REDIS_USER is undefined, expected streamrec-monitor/);
    expect(problems).toMatch(/StatefulSet\/redis container redis: its probe must log in as streamrec-monitor/);
    expect(problems).toMatch(/Job\/redis-cluster-init container cluster-init: redis-cli .* passes the password as an argument/);
    expect(problems).toMatch(/StatefulSet\/redis container redis: replicated, so masteruser must be streamrec-replication/);

    const withoutAcl = clone();
    const plain = at(find(withoutAcl, 'ConfigMap', 'redis-config'), 'data') as Record<string, string>;
    plain['redis.conf'] = (plain['redis.conf'] ?? '').replace(/^aclfile .*$/m, '');
    expect(checkRedisAccess(withoutAcl).join('\n')).toMatch(/StatefulSet\/redis container redis: redis-config has no aclfile/);
    const withoutRenderer = clone();
    const spec = at(find(withoutRenderer, 'StatefulSet', 'redis'), 'spec', 'template', 'spec') as Record<string, unknown>;
    delete spec['initContainers'];
    expect(checkRedisAccess(withoutRenderer).join('\n')).toMatch(/no init container writes its aclfile \/run\/redis-auth\/users.acl/);
  });

  it('the operations port opened to any source', () => {
    const objects = clone();
    const apiIngress = find(objects, 'NetworkPolicy', 'api-ingress');
    (at(apiIngress, 'spec', 'ingress', 0, 'ports') as unknown[]).push({ protocol: 'TCP', port: 18081 });
    expect(checkFlows(objects, NAMESPACE, REQUIRED_FLOWS, FORBIDDEN_FLOWS).join('\n')).toMatch(/internet → api:18081 is allowed but nothing needs it/);
  });

  it('a flow left without a policy, and one opened too wide', () => {
    const withoutEgress = clone().filter((object) => !(object.kind === 'NetworkPolicy' && object.metadata.name === 'clickhouse-clients-egress'));
    expect(checkFlows(withoutEgress, NAMESPACE, REQUIRED_FLOWS, FORBIDDEN_FLOWS).join('\n')).toMatch(/clickhouse-sink → clickhouse:8123 is needed/);
    const apiWithTooMuch = clone();
    const labels = at(find(apiWithTooMuch, 'Deployment', 'api'), 'spec', 'template', 'metadata', 'labels') as Record<string, unknown>;
    labels['streamrec.io/clickhouse-client'] = 'true';
    expect(checkFlows(apiWithTooMuch, NAMESPACE, REQUIRED_FLOWS, FORBIDDEN_FLOWS).join('\n')).toMatch(/api → clickhouse:8123 is allowed but nothing needs it/);
  });
});

// The validators are installed by `npm run setup` (install.sh, the tools venv): a missing one fails, never skips.
describe('Kubernetes overlays as kustomize renders them', () => {
  it('has kustomize (kubectl kustomize or .stack/bin/kustomize) and kubernetes-validate installed (npm run setup installs them)', () => {
    expect(kustomize, 'kustomize: run npm run setup').toBeDefined();
    expect(kubernetesValidate, 'kubernetes-validate: run npm run setup').toBe(true);
  });

  let work = '';
  const rendered = new Map<string, K8sObject[]>();
  const renderedText = new Map<string, string>();

  beforeAll(() => {
    // A copy of infra/k8s where each committed secrets/*.example stands in for the real, git-ignored file.
    work = mkdtempSync(join(tmpdir(), 'streamrec-k8s-'));
    cpSync(k8sDir, join(work, 'k8s'), { recursive: true, filter: (source) => !/\/overlays\/[^/]+\/secrets\/[^/]+$/.test(source) || source.endsWith('.example') });
    for (const overlay of ['local', 'production']) {
      const secrets = join(work, 'k8s', 'overlays', overlay, 'secrets');
      if (existsSync(secrets)) for (const name of readdirSync(secrets).filter((file) => file.endsWith('.example'))) writeFileSync(join(secrets, name.slice(0, -'.example'.length)), readFileSync(join(secrets, name)));
      const text = kustomize?.(join(work, 'k8s', 'overlays', overlay)) ?? '';
      renderedText.set(overlay, text);
      rendered.set(overlay, parseObjects(text, `overlays/${overlay} (rendered)`));
    }
  });
  afterAll(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });
  const objects = (overlay: string): K8sObject[] => rendered.get(overlay) ?? [];

  it('everything lands in the streamrec namespace', () => {
    for (const overlay of ['local', 'production']) {
      for (const object of objects(overlay)) if (object.kind !== 'Namespace') expect((object.metadata as { namespace?: string }).namespace, `${overlay} ${object.kind}/${object.metadata.name}`).toBe(NAMESPACE);
    }
  });

  it('local: one node, RF 1, single Redis without cluster mode, secrets from the generator', () => {
    const local = objects('local');
    expect(checkKafka(local, { nodes: 1, replicationFactor: 1, minIsr: 1 })).toEqual([]);
    expect(checkTopics(local, topics, { replicas: 1 })).toEqual([]);
    expect(checkConnector(local, connector)).toEqual([]);
    expect(checkProcessorReplicas(local, topics)).toEqual([]);
    expect(checkWorkloads(local, root)).toEqual([]);
    expect(checkEnvironment(local, known, declaredSecrets(local))).toEqual([]);
    expect(checkSecretReferences(local, declaredSecrets(local))).toEqual([]);
    expect(checkFlows(local, NAMESPACE, [...REQUIRED_FLOWS, { from: 'demo-data', to: 'mariadb', port: 3306 }], FORBIDDEN_FLOWS)).toEqual([]);
    expect(checkOperations(local)).toEqual([]);
    expect(checkRedisAccess(local)).toEqual([]);
    expect([...checkKafkaAuthorization(local, kafkaAcls), ...checkKafkaUsers(local, kafkaAcls), ...checkKafkaLogins(local)]).toEqual([]);
    const redisConfig = String(at(local.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'redis-config'), 'data', 'redis.conf'));
    expect(redisConfig).toMatch(/^cluster-enabled no$/m);
    expect(local.some((object) => object.metadata.name === 'redis-cluster-init')).toBe(false);
  });

  it('production: 3 nodes, RF 3 and min ISR 2 everywhere (schemas/topics.json production profile), more replicas within the partitions, external secrets', () => {
    const production = objects('production');
    expect(productionProfile).toEqual({ replication_factor: 3, min_insync_replicas: 2 });
    expect(checkKafka(production, { nodes: 3, replicationFactor: productionProfile.replication_factor, minIsr: productionProfile.min_insync_replicas })).toEqual([]);
    expect(checkTopics(production, topics, { replicas: productionProfile.replication_factor, minIsr: String(productionProfile.min_insync_replicas) })).toEqual([]);
    expect(checkConnector(production, connector, { 'topic.creation.default.replication.factor': '3' })).toEqual([]);
    expect(checkProcessorReplicas(production, topics)).toEqual([]);
    expect(checkWorkloads(production, root)).toEqual([]);
    expect(checkEnvironment(production, known, declaredSecrets(production))).toEqual([]);
    expect(checkSecretReferences(production, declaredSecrets(production))).toEqual([]);
    expect(checkFlows(production, NAMESPACE, [...REQUIRED_FLOWS, { from: 'redis-cluster-init', to: 'redis', port: 6379 }], FORBIDDEN_FLOWS)).toEqual([]);
    expect(checkOperations(production)).toEqual([]);
    expect(checkRedisAccess(production)).toEqual([]);
    expect([...checkKafkaAuthorization(production, kafkaAcls), ...checkKafkaUsers(production, kafkaAcls), ...checkKafkaLogins(production)]).toEqual([]);
    const replicas = (kind: string, name: string): unknown => at(production.find((object) => object.kind === kind && object.metadata.name === name), 'spec', 'replicas');
    expect(replicas('KafkaConnect', 'streamrec-connect')).toBeGreaterThanOrEqual(2);
    expect(replicas('Deployment', 'features')).toBeGreaterThan(1);
    expect(at(production.find((object) => object.kind === 'HorizontalPodAutoscaler'), 'spec', 'minReplicas')).toBeGreaterThanOrEqual(3);
    expect(production.some((object) => object.kind === 'Secret')).toBe(false);
  });

  it('built-in kinds validate against the Kubernetes schemas (kubernetes-validate --strict)', { timeout: 120_000 }, () => {
    for (const overlay of ['local', 'production']) {
      const file = join(work, `${overlay}.yaml`);
      writeFileSync(file, renderedText.get(overlay) ?? '');
      const result = spawnSync(kubernetesValidateCommand, ['--strict', '--quiet', '--no-warn', file], { encoding: 'utf8', timeout: 60_000 });
      expect(`${result.stdout}${result.stderr}`.trim(), overlay).toBe('');
      expect(result.status, overlay).toBe(0);
    }
  });
});
