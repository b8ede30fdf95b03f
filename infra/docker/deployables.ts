import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * What each entry point of the streamrec image needs from its environment, for the checks of
 * infra/compose/compose.test.ts and infra/k8s/manifests.test.ts. The names come from the config
 * modules (streams/<p>/src/config.ts, packages/foundation/src/config/processor-config.ts,
 * services/api/src/config.ts, jobs/<j>/src/config.ts, infra/topics/src/config.ts,
 * connectors/src/config.ts). "Required" here means more than the schema's: every address defaults to
 * the local stack (127.0.0.1 and the ports of infra/local/stack.env), which is wrong in a container,
 * and metrics listen on 127.0.0.1 unless told otherwise, where neither Prometheus nor a probe can
 * reach them.
 */
export interface Deployable {
  /** Repository path of the entry (`node --import tsx <entry>`) or of the shell script run with sh. */
  readonly entry: string;
  /** Variables a container running it must set. */
  readonly requiredEnv: readonly string[];
  /**
   * The required variables that are secrets: compose must interpolate them from .env
   * (`${VAR:?…}`), Kubernetes must take them from a Secret (`secretKeyRef`), never a literal value.
   */
  readonly secretEnv?: readonly string[];
  /** Variables whose value is fixed by the deployment's topology: name → allowed values. */
  readonly expectedValues?: Readonly<Record<string, readonly string[]>>;
  /** The port its /healthz (or the API's /readyz) answers on, when it is a long-running process. */
  readonly healthPort?: number;
  /**
   * A listener for operators and Prometheus only (the API's operations listener: /readyz, /metrics,
   * /admin, /docs): never published by compose, never a port of a Service.
   */
  readonly operationsPort?: number;
}

const REDIS_HOSTS = ['redis'];
const ANY_HOST = ['0.0.0.0'];

function processor(name: string, prefix: string, port: number, brokersVar: string, extra: readonly string[] = [], secrets: readonly string[] = []): Deployable {
  return {
    entry: `streams/${name}/src/main.ts`,
    requiredEnv: [brokersVar, 'STREAMREC_HOST', 'STREAMREC_REDIS_PORT', `STREAMREC_${prefix}_METRICS_HOST`, `STREAMREC_${prefix}_METRICS_PORT`, ...extra, ...secrets],
    secretEnv: secrets,
    expectedValues: { STREAMREC_HOST: REDIS_HOSTS, STREAMREC_REDIS_PORT: ['6379'], [`STREAMREC_${prefix}_METRICS_HOST`]: ANY_HOST, [`STREAMREC_${prefix}_METRICS_PORT`]: [String(port)] },
    healthPort: port,
  };
}

const CLICKHOUSE_CLIENT = ['STREAMREC_CLICKHOUSE_URL', 'STREAMREC_CLICKHOUSE_USER'];
const CLICKHOUSE_SECRETS = ['STREAMREC_CLICKHOUSE_PASSWORD'];

export const DEPLOYABLES: readonly Deployable[] = [
  // normalize reads its brokers from its own variable, not STREAMREC_KAFKA_BROKERS, and refuses to
  // start without the HMAC key of the visitor-id pseudonyms (streams/normalize/src/config.ts).
  processor('normalize', 'NORMALIZE', 19101, 'STREAMREC_NORMALIZE_BROKERS', [], ['STREAMREC_VISITOR_PSEUDONYM_KEY']),
  processor('features', 'FEATURES', 19102, 'STREAMREC_KAFKA_BROKERS'),
  processor('cooccurrence', 'COOCCURRENCE', 19103, 'STREAMREC_KAFKA_BROKERS'),
  processor('trending', 'TRENDING', 19104, 'STREAMREC_KAFKA_BROKERS'),
  processor('clickhouse-sink', 'CLICKHOUSE_SINK', 19105, 'STREAMREC_KAFKA_BROKERS', CLICKHOUSE_CLIENT, CLICKHOUSE_SECRETS),
  {
    entry: 'services/api/src/main.ts',
    requiredEnv: [
      'STREAMREC_KAFKA_BROKERS',
      'STREAMREC_HOST',
      'STREAMREC_REDIS_PORT',
      'STREAMREC_API_HOST',
      'STREAMREC_API_PORT',
      // The operations listener defaults to 127.0.0.1, where neither Prometheus nor a probe reaches it.
      'STREAMREC_API_OPS_HOST',
      'STREAMREC_API_OPS_PORT',
      // The defaults point into .stack/, which is not in the image.
      'STREAMREC_API_KEYS_FILE',
      'STREAMREC_EXPERIMENTS_FILE',
      'STREAMREC_API_DATA_DIR',
      'STREAMREC_MODEL_VERIFY_KEY_FILE',
    ],
    expectedValues: {
      STREAMREC_HOST: REDIS_HOSTS,
      STREAMREC_REDIS_PORT: ['6379'],
      STREAMREC_API_HOST: ANY_HOST,
      STREAMREC_API_PORT: ['18080'],
      STREAMREC_API_OPS_HOST: ANY_HOST,
      STREAMREC_API_OPS_PORT: ['18081'],
    },
    // /readyz is served by the operations listener only.
    healthPort: 18081,
    operationsPort: 18081,
  },
  {
    entry: 'jobs/retrain/src/cli.ts',
    requiredEnv: ['STREAMREC_KAFKA_BROKERS', 'STREAMREC_MODEL_SIGNING_KEY_FILE', ...CLICKHOUSE_CLIENT, ...CLICKHOUSE_SECRETS],
    secretEnv: CLICKHOUSE_SECRETS,
  },
  { entry: 'jobs/dq/src/cli.ts', requiredEnv: [...CLICKHOUSE_CLIENT, ...CLICKHOUSE_SECRETS], secretEnv: CLICKHOUSE_SECRETS },
  { entry: 'infra/topics/src/cli.ts', requiredEnv: ['STREAMREC_KAFKA_BROKERS'] },
  { entry: 'connectors/src/cli.ts', requiredEnv: ['STREAMREC_CONNECT_URL', 'STREAMREC_CONNECTORS_DIR'] },
  {
    entry: 'jobs/demo-data/src/cli.ts',
    requiredEnv: ['STREAMREC_HOST', 'STREAMREC_MARIADB_PORT', 'STREAMREC_MARIADB_APP_USER', 'STREAMREC_MARIADB_APP_PASSWORD'],
    secretEnv: ['STREAMREC_MARIADB_APP_PASSWORD'],
    expectedValues: { STREAMREC_HOST: ['mariadb'], STREAMREC_MARIADB_PORT: ['3306'] },
  },
  { entry: 'infra/docker/scripts/model-bootstrap.sh', requiredEnv: ['STREAMREC_KAFKA_BROKERS', 'STREAMREC_MODEL_SIGNING_KEY_FILE'] },
  { entry: 'infra/docker/scripts/api-keys-init.sh', requiredEnv: [] },
  { entry: 'infra/docker/scripts/model-keys-init.sh', requiredEnv: [] },
];

/**
 * Entries another engineer is writing while these files are written: the manifests already run
 * them, the checks accept that the file is missing (and skip the check that their variables are
 * known to the code) until it exists. Remove a line once its entry has landed.
 */
export const PENDING_ENTRIES: ReadonlySet<string> = new Set<string>();

export function deployableFor(entry: string): Deployable | undefined {
  return DEPLOYABLES.find((deployable) => deployable.entry === entry);
}

/** The repository file a container runs: the first argument that names a .ts or .sh file. */
export function entryOf(words: readonly string[]): string | undefined {
  for (const word of words) {
    const match = /(?:^|\s)((?:streams|services|jobs|infra|connectors)\/[\w./-]+\.(?:ts|sh))\b/.exec(word);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

function sourceFiles(dir: string, out: string[]): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/**
 * Every STREAMREC_* variable the TypeScript code can read: the literal names in its sources, plus
 * the names built from a prefix (`STREAMREC_${prefix}_METRICS_PORT` with prefix FEATURES, ...).
 * A variable a manifest sets that is not in here is a typo or a setting that does not exist.
 */
export function knownVariables(root: string): { readonly literal: ReadonlySet<string>; readonly templated: ReadonlySet<string>; matches(name: string): boolean } {
  const literal = new Set<string>();
  const suffixes = new Set<string>();
  const prefixes = new Set<string>();
  const dirs = ['services', 'streams', 'jobs', 'connectors', 'schemas', 'packages', join('infra', 'topics')];
  for (const file of dirs.flatMap((dir) => sourceFiles(join(root, dir), []))) {
    if (relative(root, file).startsWith(join('infra', 'k8s')) || relative(root, file).startsWith(join('infra', 'docker'))) continue;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/STREAMREC_[A-Z0-9_]*[A-Z0-9]/g)) literal.add(match[0]);
    for (const match of text.matchAll(/STREAMREC_\$\{[A-Za-z]+\}_([A-Z0-9_]+)/g)) if (match[1] !== undefined) suffixes.add(match[1]);
    // The prefixes handed to the shared config helpers: processorConfigInput(env, 'FEATURES'), PREFIX = 'CLICKHOUSE_SINK'.
    for (const match of text.matchAll(/(?:processorConfigInput|processorEnvironmentVariables)\([^,]+,\s*'([A-Z_]+)'/g)) if (match[1] !== undefined) prefixes.add(match[1]);
    for (const match of text.matchAll(/\bPREFIX\s*=\s*'([A-Z_]+)'/g)) if (match[1] !== undefined) prefixes.add(match[1]);
  }
  const templated = new Set<string>();
  for (const prefix of prefixes) for (const suffix of suffixes) templated.add(`STREAMREC_${prefix}_${suffix}`);
  return { literal, templated, matches: (name) => literal.has(name) || templated.has(name) };
}
