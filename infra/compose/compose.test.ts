// Validates infra/compose (and the images it builds) without a Docker engine: the compose file
// parses, every file it builds from or mounts exists, each container sets what its entry point
// needs, secrets come only from .env, only the API, Grafana and Prometheus publish ports (the API
// only its public listener, never the operations one), the connector config matches connectors/config, Prometheus' config loads the project's rules. When
// installed, the real validators run too: `docker-compose config` (Debian's docker-compose 1.29,
// which needs no engine for it) and `promtool check config` (Debian's prometheus package).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { knownVariables } from '../docker/deployables.js';
import { CONNECTOR_OVERRIDES, readConnector } from '../k8s/tools/generated-files.js';
import { asArray, at } from '../k8s/tools/k8s-model.js';
import { checkEnvironment, checkFiles, checkInterpolation, checkServices, environmentOf, publishedContainerPorts, servicesOf } from './compose-checks.js';

const composeDir = dirname(fileURLToPath(import.meta.url));
const root = join(composeDir, '..', '..');
const composeFile = join(composeDir, 'docker-compose.yml');
const composeText = readFileSync(composeFile, 'utf8');
const envExample = readFileSync(join(composeDir, '.env.example'), 'utf8');
const load = (): unknown => parse(composeText, { merge: true }) as unknown;
const known = knownVariables(root);
const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const installed = (command: string, args: string[]): boolean => spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 }).status === 0;
const dockerCompose = installed('docker-compose', ['version']);
const promtool = installed('promtool', ['--version']);

describe('docker compose file', () => {
  it('parses, with every required service', () => {
    expect(Object.keys(servicesOf(load())).length).toBeGreaterThanOrEqual(22);
    expect(checkServices(load()).filter((problem) => problem.includes('is missing'))).toEqual([]);
  });

  it('builds from and mounts only files that exist; named volumes are declared; no env_file', () => {
    expect(checkFiles(load(), composeDir)).toEqual([]);
  });

  it('publishes only the API, Grafana and Prometheus; waits on health checks; hardens our containers', () => {
    expect(checkServices(load())).toEqual([]);
  });

  it('each container sets what its entry point needs, pointing at services of this file', () => {
    expect(checkEnvironment(load(), root, known)).toEqual([]);
  });

  it('only normalize receives the visitor pseudonym key', () => {
    const holders = Object.entries(servicesOf(load())).filter(([, service]) => environmentOf(service).has('STREAMREC_VISITOR_PSEUDONYM_KEY'));
    expect(holders.map(([name]) => name)).toEqual(['normalize']);
  });

  it('the API publishes only its public listener; the operations listener serves the healthcheck and Prometheus on the network', () => {
    const services = servicesOf(load());
    const api = services['api'] ?? {};
    const env = environmentOf(api);
    expect(env.get('STREAMREC_API_PORT')).toBe('18080');
    expect(env.get('STREAMREC_API_OPS_HOST')).toBe('0.0.0.0');
    expect(env.get('STREAMREC_API_OPS_PORT')).toBe('18081');
    expect(asArray(api['ports']).flatMap(publishedContainerPorts)).toEqual([18080]);
    expect(asArray(at(api, 'healthcheck', 'test')).map(String).join(' ')).toContain('http://127.0.0.1:18081/readyz');
    // No other service publishes the operations port either (e.g. a proxy in front of it).
    for (const [name, service] of Object.entries(services)) expect(asArray(service['ports']).flatMap(publishedContainerPorts), name).not.toContain(18081);
    const prometheus = parse(readFileSync(join(composeDir, 'prometheus', 'prometheus.yml'), 'utf8')) as unknown;
    const apiJob = asArray(at(prometheus, 'scrape_configs')).find((job) => at(job, 'job_name') === 'api');
    expect(at(apiJob, 'metrics_path')).toBe('/metrics');
    expect(asArray(at(apiJob, 'dns_sd_configs')).map((config) => at(config, 'port'))).toEqual([18081]);
  });

  it('interpolates only variables .env.example defines, which holds placeholders only', () => {
    expect(checkInterpolation(composeText, envExample)).toEqual([]);
  });

  it('the connector config is connectors/config/cdc-mariadb.json with only the host settings changed', () => {
    const canonical = readConnector(root);
    const compose = JSON.parse(readFileSync(join(composeDir, 'connectors', 'cdc-mariadb.json'), 'utf8')) as { name: string; config: Record<string, string> };
    expect(compose.name).toBe(canonical.name);
    const expected = { ...canonical.config, ...Object.fromEntries(Object.entries(CONNECTOR_OVERRIDES).map(([key, override]) => [key, override.value])) };
    expect(compose.config).toEqual(expected);
    // Every ${env:X} it resolves is in the Connect workers' environment.
    const connectEnv = environmentOf(servicesOf(load())['connect'] ?? {});
    for (const value of Object.values(compose.config)) for (const match of value.matchAll(/\$\{env:([A-Z0-9_]+)\}/g)) expect(connectEnv.has(match[1] ?? ''), match[1]).toBe(true);
  });

  it('Prometheus scrapes every component, keeps the jobs the rules select, and mounts the project rules', () => {
    const config = parse(readFileSync(join(composeDir, 'prometheus', 'prometheus.yml'), 'utf8')) as unknown;
    const services = servicesOf(load());
    const jobs = asArray(at(config, 'scrape_configs')).map((job) => String(at(job, 'job_name')));
    for (const job of ['streams', 'api', 'kafka', 'connect', 'redis', 'clickhouse']) expect(jobs).toContain(job);
    const hosts = JSON.stringify(at(config, 'scrape_configs')).matchAll(/"names":\["([^"]+)"\]|"([a-z-]+):\d+"/g);
    for (const match of hosts) {
      const host = match[1] ?? match[2] ?? '';
      if (host !== 'localhost') expect(services[host], `scrape target ${host}`).toBeDefined();
    }
    expect(asArray(services['prometheus']?.['volumes'])).toContain('../../monitoring/prometheus/rules:/etc/prometheus/rules:ro');
  });

  it('Grafana provisions the dashboards from where monitoring/grafana is mounted', () => {
    const provider = parse(readFileSync(join(composeDir, 'grafana', 'provisioning', 'dashboards', 'streamrec.yml'), 'utf8')) as unknown;
    const path = String(at(provider, 'providers', 0, 'options', 'path'));
    expect(asArray(servicesOf(load())['grafana']?.['volumes'])).toContain(`../../monitoring/grafana:${path}:ro`);
  });

  it('docker-compose config accepts the file with .env.example, and refuses it without a secret', { timeout: 120_000 }, () => {
    expect(dockerCompose, 'docker-compose: npm run setup installs it (Debian package docker-compose)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'streamrec-compose-'));
    scratch.push(dir);
    const full = join(dir, 'full.env');
    writeFileSync(full, envExample);
    const ok = spawnSync('docker-compose', ['-f', composeFile, '--env-file', full, 'config', '-q'], { encoding: 'utf8', timeout: 60_000 });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    for (const secret of ['STREAMREC_CLICKHOUSE_PASSWORD', 'STREAMREC_VISITOR_PSEUDONYM_KEY']) {
      const missing = join(dir, `without-${secret}.env`);
      writeFileSync(missing, envExample.replace(new RegExp(`^${secret}=.*$`, 'm'), ''));
      const refused = spawnSync('docker-compose', ['-f', composeFile, '--env-file', missing, 'config', '-q'], { encoding: 'utf8', timeout: 60_000 });
      expect(refused.status, secret).not.toBe(0);
      expect(refused.stderr).toContain(secret);
    }
  });

  it('promtool accepts the Prometheus config with the rules laid out as in the container', { timeout: 60_000 }, () => {
    expect(promtool, 'promtool: npm run setup installs it (Debian package prometheus)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'streamrec-prometheus-'));
    scratch.push(dir);
    cpSync(join(composeDir, 'prometheus', 'prometheus.yml'), join(dir, 'prometheus.yml'));
    mkdirSync(join(dir, 'rules'));
    cpSync(join(root, 'monitoring', 'prometheus', 'rules'), join(dir, 'rules'), { recursive: true });
    const result = spawnSync('promtool', ['check', 'config', join(dir, 'prometheus.yml')], { encoding: 'utf8', timeout: 60_000 });
    expect(`${result.stdout}${result.stderr}`).toMatch(/SUCCESS: \d+ rule(s)? found/);
    expect(result.status).toBe(0);
  });
});

describe('images', () => {
  const dockerfile = readFileSync(join(root, 'infra', 'docker', 'Dockerfile'), 'utf8');
  const kafkaDockerfile = readFileSync(join(root, 'infra', 'docker', 'kafka.Dockerfile'), 'utf8');
  const ignore = readFileSync(join(root, 'infra', 'docker', 'Dockerfile.dockerignore'), 'utf8').split('\n');

  it('the app image never receives the local stack, env files or node_modules', () => {
    for (const pattern of ['.stack', '**/.env', 'node_modules', '.git']) expect(ignore).toContain(pattern);
  });

  it('the trainer installs exactly the hash-pinned lock of jobs/retrain/python', () => {
    expect(dockerfile).toMatch(/COPY jobs\/retrain\/python\/requirements\.lock /);
    expect(dockerfile).toMatch(/--require-hashes -r \/tmp\/requirements\.lock/);
    expect(existsSync(join(root, 'jobs', 'retrain', 'python', 'requirements.lock'))).toBe(true);
  });

  it('every download in the Kafka/Connect image is pinned by checksum, at the local stack versions', () => {
    const adds = [...kafkaDockerfile.matchAll(/^ADD (?:.*\\\n)*.*$/gm)].map((match) => match[0]);
    expect(adds.length).toBe(2);
    for (const add of adds) expect(add).toMatch(/--checksum=sha256:[0-9a-f]{64}/);
    const kafkaPom = readFileSync(join(root, 'infra', 'local', 'maven', 'kafka', 'pom.xml'), 'utf8');
    const debeziumPom = readFileSync(join(root, 'infra', 'local', 'maven', 'debezium', 'pom.xml'), 'utf8');
    const kafkaVersion = /<kafka.version>([^<]+)</.exec(kafkaPom)?.[1];
    const debeziumVersion = /<debezium.version>([^<]+)</.exec(debeziumPom)?.[1];
    expect(kafkaDockerfile).toContain(`apache/kafka:${kafkaVersion ?? '?'}`);
    expect(kafkaDockerfile).toContain(`debezium-connector-mariadb-${debeziumVersion ?? '?'}-plugin.tar.gz`);
  });

  it('the scripts the images run exist', () => {
    for (const script of ['api-keys-init.sh', 'model-bootstrap.sh']) expect(existsSync(join(root, 'infra', 'docker', 'scripts', script))).toBe(true);
  });
});

describe('the compose checks catch broken files', () => {
  const mutate = (change: (services: Record<string, Record<string, unknown>>) => void): unknown => {
    const compose = load();
    change(servicesOf(compose));
    return compose;
  };

  it('a published data store, a missing mount, an env_file', () => {
    const compose = mutate((services) => {
      const redis = services['redis'] ?? {};
      redis['ports'] = ['6379:6379'];
      redis['env_file'] = '.env';
      redis['volumes'] = ['./nowhere.conf:/etc/redis.conf:ro'];
    });
    expect(checkServices(compose).join('\n')).toMatch(/redis: publishes 6379:6379/);
    expect(checkFiles(compose, composeDir).join('\n')).toMatch(/redis: mounts .\/nowhere.conf/);
    expect(checkFiles(compose, composeDir).join('\n')).toMatch(/redis: env_file/);
  });

  it('a processor without its brokers, listening on localhost, with a misspelt variable', () => {
    const compose = mutate((services) => {
      const features = services['features'] ?? {};
      const env = features['environment'] as Record<string, string>;
      delete env['STREAMREC_KAFKA_BROKERS'];
      env['STREAMREC_FEATURES_METRICS_HOST'] = '127.0.0.1';
      env['STREAMREC_FEATURES_STATE_VERSON'] = 'v2';
    });
    const problems = checkEnvironment(compose, root, known).join('\n');
    expect(problems).toMatch(/features: STREAMREC_KAFKA_BROKERS is not set/);
    expect(problems).toMatch(/features: STREAMREC_FEATURES_METRICS_HOST=127.0.0.1, expected 0.0.0.0/);
    expect(problems).toMatch(/features: STREAMREC_FEATURES_STATE_VERSON is not read/);
  });

  it('normalize without its visitor pseudonym key, or with the key written into the file', () => {
    const without = mutate((services) => {
      delete (services['normalize']?.['environment'] as Record<string, string>)['STREAMREC_VISITOR_PSEUDONYM_KEY'];
    });
    expect(checkEnvironment(without, root, known).join('\n')).toMatch(/normalize: STREAMREC_VISITOR_PSEUDONYM_KEY is not set/);
    const literal = mutate((services) => {
      (services['normalize']?.['environment'] as Record<string, string>)['STREAMREC_VISITOR_PSEUDONYM_KEY'] = 'a-literal-key-of-at-least-32-characters';
    });
    expect(checkEnvironment(literal, root, known).join('\n')).toMatch(/normalize: STREAMREC_VISITOR_PSEUDONYM_KEY is a secret: interpolate it from .env/);
  });

  it('the API publishing its operations port, or checking readiness on the public one', () => {
    const compose = mutate((services) => {
      const api = services['api'] ?? {};
      api['ports'] = [...asArray(api['ports']), '${STREAMREC_PUBLISH_ADDRESS:-127.0.0.1}:18081:18081'];
      api['healthcheck'] = { test: ['CMD', 'node', '-e', "fetch('http://127.0.0.1:18080/readyz')"] };
    });
    const problems = checkEnvironment(compose, root, known).join('\n');
    expect(problems).toMatch(/api: publishes its operations port 18081/);
    expect(problems).toMatch(/api: healthcheck must query port 18081/);
    expect(publishedContainerPorts({ target: 18081, published: 9999 })).toEqual([18081]);
    expect(publishedContainerPorts('127.0.0.1:18080-18081:18080-18081/tcp')).toEqual([18080, 18081]);
    expect(publishedContainerPorts('18081')).toEqual([18081]);
  });

  it('waiting on a service without a healthcheck, an interpolated secret missing from .env.example', () => {
    const compose = mutate((services) => {
      delete services['redis']?.['healthcheck'];
    });
    expect(checkServices(compose).join('\n')).toMatch(/waits for redis to be healthy, but redis has no healthcheck/);
    expect(checkInterpolation(`${composeText}\n      X: \${NEW_SECRET:?}`, envExample)).toEqual(['${NEW_SECRET} is used but not in .env.example']);
    expect(checkInterpolation(composeText, `${envExample}\nREDIS_PASSWORD=hunter2\n`).join('\n')).toMatch(/REDIS_PASSWORD must be a change-me placeholder/);
  });
});
