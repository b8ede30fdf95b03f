import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PENDING_ENTRIES, deployableFor, entryOf, type knownVariables } from '../docker/deployables.js';
import { asArray, at, isRecord, text } from '../k8s/tools/k8s-model.js';

/**
 * Checks of infra/compose/docker-compose.yml as parsed (YAML merge keys resolved), for
 * infra/compose/compose.test.ts. Each returns sentences naming the service; empty means it passes.
 */

export type Services = Record<string, Record<string, unknown>>;
export type Problems = string[];

/** The services the TypeScript code and the operators need (README components, DESIGN data flow). */
export const REQUIRED_SERVICES = [
  'mariadb', 'kafka', 'topics-init', 'connect', 'connector-init', 'redis', 'redis-exporter', 'clickhouse', 'clickhouse-ddl',
  'normalize', 'features', 'cooccurrence', 'trending', 'clickhouse-sink', 'api', 'api-keys-init', 'model-bootstrap',
  'retrain', 'dq', 'prometheus', 'alertmanager', 'grafana',
] as const;

/**
 * Long-running services without a healthcheck, and why: the exporter's image has no shell or HTTP
 * client to run one; the retraining and data-quality loops serve no endpoint (nothing waits on them).
 */
export const WITHOUT_HEALTHCHECK = new Set(['redis-exporter', 'retrain', 'dq']);

/** Only these publish ports (the rest talk over the compose network). */
export const PUBLISHED = new Set(['api', 'grafana', 'prometheus']);

export function servicesOf(compose: unknown): Services {
  const services = at(compose, 'services');
  if (!isRecord(services)) throw new Error('docker-compose.yml: no services');
  return Object.fromEntries(Object.entries(services).filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1])));
}

const isOurImage = (service: Record<string, unknown>): boolean => /^streamrec\/(app|trainer):/.test(text(service['image']));
const isOneShot = (service: Record<string, unknown>): boolean => service['restart'] === 'no';

/** `environment` as a map, whichever of the two compose spellings is used. */
export function environmentOf(service: Record<string, unknown>): Map<string, string> {
  const env = service['environment'];
  const out = new Map<string, string>();
  if (Array.isArray(env)) {
    for (const item of env.map(String)) out.set(item.split('=')[0] ?? item, item.includes('=') ? item.slice(item.indexOf('=') + 1) : '');
  } else if (isRecord(env)) {
    for (const [key, value] of Object.entries(env)) out.set(key, text(value));
  }
  return out;
}

/**
 * The container ports a `ports:` entry publishes: short syntax `[ip:][host:]container[/proto]` (ranges
 * `a-b` included; `${VAR:-default}` interpolations may contain colons, the container port is the last
 * field) or long syntax `{ target }`.
 */
export function publishedContainerPorts(entry: unknown): number[] {
  if (isRecord(entry)) return [Number(entry['target'])];
  const last = String(entry).replace(/\/(tcp|udp|sctp)$/, '').split(':').pop() ?? '';
  const [start, end] = last.split('-').map(Number);
  if (start === undefined || !Number.isInteger(start)) return [];
  if (end === undefined || !Number.isInteger(end)) return [start];
  return Array.from({ length: Math.max(0, end - start + 1) }, (_, index) => start + index);
}

function commandWords(service: Record<string, unknown>): string[] {
  const words = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []);
  return [...words(service['entrypoint']), ...words(service['command'])];
}

/** Build contexts, Dockerfiles, targets and bind-mounted files exist; named volumes are declared. */
export function checkFiles(compose: unknown, composeDir: string): Problems {
  const problems: Problems = [];
  const volumes = at(compose, 'volumes');
  for (const [name, service] of Object.entries(servicesOf(compose))) {
    const build = service['build'];
    if (isRecord(build)) {
      const context = resolve(composeDir, text(build['context'], '.'));
      const dockerfile = join(context, text(build['dockerfile'], 'Dockerfile'));
      if (!existsSync(context)) problems.push(`${name}: build context ${context} does not exist`);
      if (!existsSync(dockerfile)) problems.push(`${name}: Dockerfile ${dockerfile} does not exist`);
      else if (typeof build['target'] === 'string' && !new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${build['target']}\\s*$`, 'im').test(readFileSync(dockerfile, 'utf8'))) {
        problems.push(`${name}: ${dockerfile} has no stage ${build['target']}`);
      }
    }
    for (const volume of asArray(service['volumes']).map(String)) {
      const [source] = volume.split(':');
      if (source === undefined) continue;
      if (source.startsWith('.') || source.startsWith('/')) {
        if (!existsSync(resolve(composeDir, source))) problems.push(`${name}: mounts ${source}, which does not exist`);
      } else if (!isRecord(volumes) || !(source in volumes)) {
        problems.push(`${name}: named volume ${source} is not declared under volumes:`);
      }
    }
    if (service['env_file'] !== undefined) problems.push(`${name}: env_file hands every secret to the container; interpolate the ones it needs instead`);
  }
  return problems;
}

/** Ports, dependencies, health checks, hardening of our own containers. */
export function checkServices(compose: unknown): Problems {
  const problems: Problems = [];
  const services = servicesOf(compose);
  for (const required of REQUIRED_SERVICES) if (services[required] === undefined) problems.push(`service ${required} is missing`);
  for (const [name, service] of Object.entries(services)) {
    const ports = asArray(service['ports']).map(String);
    if (ports.length > 0 && !PUBLISHED.has(name)) problems.push(`${name}: publishes ${ports.join(', ')}; only ${[...PUBLISHED].join(', ')} may`);
    for (const port of ports) if (!port.startsWith('${STREAMREC_PUBLISH_ADDRESS')) problems.push(`${name}: port ${port} must bind to \${STREAMREC_PUBLISH_ADDRESS}`);
    const dependsOn = service['depends_on'];
    for (const [target, condition] of Object.entries(isRecord(dependsOn) ? dependsOn : {})) {
      const other = services[target];
      const kind = at(condition, 'condition');
      if (other === undefined) problems.push(`${name}: depends on unknown service ${target}`);
      else if (kind === 'service_healthy' && !isRecord(other['healthcheck'])) problems.push(`${name}: waits for ${target} to be healthy, but ${target} has no healthcheck`);
      else if (kind === 'service_completed_successfully' && !isOneShot(other)) problems.push(`${name}: waits for ${target} to complete, but ${target} restarts`);
      else if (kind === undefined) problems.push(`${name}: depends_on ${target} needs a condition`);
    }
    if (!isOneShot(service) && service['profiles'] === undefined && !isRecord(service['healthcheck']) && !WITHOUT_HEALTHCHECK.has(name)) {
      problems.push(`${name}: a long-running service needs a healthcheck`);
    }
    if (isOurImage(service)) {
      if (service['read_only'] !== true) problems.push(`${name}: read_only must be true`);
      if (!asArray(service['cap_drop']).includes('ALL')) problems.push(`${name}: cap_drop must include ALL`);
      if (!asArray(service['security_opt']).map(String).some((option) => option.startsWith('no-new-privileges'))) problems.push(`${name}: security_opt no-new-privileges missing`);
      if (!asArray(service['tmpfs']).map(String).includes('/tmp')) problems.push(`${name}: needs a tmpfs on /tmp (tsx's cache) with a read-only root`);
    }
  }
  return problems;
}

/** Entry points exist; each sets what its entry needs; every STREAMREC_* variable is one the code reads. */
export function checkEnvironment(compose: unknown, root: string, known: ReturnType<typeof knownVariables>): Problems {
  const problems: Problems = [];
  const services = servicesOf(compose);
  for (const [name, service] of Object.entries(services)) {
    if (!isOurImage(service)) continue;
    const entry = entryOf(commandWords(service));
    if (entry === undefined) {
      problems.push(`${name}: runs no repository entry point`);
      continue;
    }
    if (!existsSync(join(root, entry)) && !PENDING_ENTRIES.has(entry)) problems.push(`${name}: entry ${entry} does not exist`);
    const deployable = deployableFor(entry);
    if (deployable === undefined) {
      problems.push(`${name}: entry ${entry} is not described in infra/docker/deployables.ts`);
      continue;
    }
    const env = environmentOf(service);
    for (const variable of deployable.requiredEnv) if (!env.has(variable)) problems.push(`${name}: ${variable} is not set (${entry} needs it)`);
    // Secrets come from .env, and compose refuses to start without them.
    for (const variable of deployable.secretEnv ?? []) {
      const value = env.get(variable);
      // The message never repeats the value: it may be a real secret.
      if (value !== undefined && !value.startsWith(`\${${variable}:?`)) problems.push(`${name}: ${variable} is a secret: interpolate it from .env as \${${variable}:?…}, not a value in the file`);
    }
    for (const [variable, allowed] of Object.entries(deployable.expectedValues ?? {})) {
      const value = env.get(variable);
      if (value !== undefined && !allowed.includes(value)) problems.push(`${name}: ${variable}=${value}, expected ${allowed.join(' or ')}`);
    }
    if (!PENDING_ENTRIES.has(entry)) {
      for (const variable of env.keys()) if (variable.startsWith('STREAMREC_') && !known.matches(variable)) problems.push(`${name}: ${variable} is not read by any TypeScript config (typo?)`);
    }
    // Addresses must name services of this file.
    const hosts = [
      ...(env.get('STREAMREC_KAFKA_BROKERS') ?? '').split(','),
      ...(env.get('STREAMREC_NORMALIZE_BROKERS') ?? '').split(','),
      env.get('STREAMREC_HOST') ?? '',
      ...['STREAMREC_CLICKHOUSE_URL', 'STREAMREC_CONNECT_URL'].map((variable) => (env.get(variable) ?? '').replace(/^https?:\/\//, '')),
    ].map((address) => address.split(':')[0] ?? '').filter((host) => host !== '');
    for (const host of hosts) if (services[host] === undefined) problems.push(`${name}: points at ${host}, which is not a service`);
    if (deployable.healthPort !== undefined && !isOneShot(service)) {
      const test = asArray(at(service, 'healthcheck', 'test')).map(String).join(' ');
      if (!test.includes(`127.0.0.1:${deployable.healthPort}/`)) problems.push(`${name}: healthcheck must query port ${deployable.healthPort}`);
    }
    // The operations listener (the API's /readyz, /metrics, /admin, /docs) stays on the compose network.
    if (deployable.operationsPort !== undefined) {
      for (const entry of asArray(service['ports'])) {
        if (publishedContainerPorts(entry).includes(deployable.operationsPort)) {
          problems.push(`${name}: publishes its operations port ${deployable.operationsPort} (${isRecord(entry) ? JSON.stringify(entry) : String(entry)}); only Prometheus, on the compose network, and operators, through docker compose exec, may reach it`);
        }
      }
    }
  }
  return problems;
}

/** Every `${VAR}` the file interpolates has a default or a line in .env.example; secrets there are placeholders. */
export function checkInterpolation(composeText: string, envExample: string): Problems {
  const problems: Problems = [];
  const defined = new Map<string, string>();
  for (const line of envExample.split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined) defined.set(match[1], match[2] ?? '');
  }
  // YAML comments are not interpolated (and this file's comments mention the syntax).
  const content = composeText
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
  for (const match of content.matchAll(/(?<!\$)\$\{([A-Z_][A-Z0-9_]*)(:?[-?])?/g)) {
    const [, variable, operator] = match;
    if (variable === undefined) continue;
    if (operator?.endsWith('-') === true) continue;
    if (!defined.has(variable)) problems.push(`\${${variable}} is used but not in .env.example`);
  }
  for (const [variable, value] of defined) {
    if (/PASSWORD|SECRET|TOKEN|KEY$/.test(variable) && !value.startsWith('change-me')) problems.push(`.env.example: ${variable} must be a change-me placeholder, not a value`);
  }
  return problems;
}
