import { kafkaEnvironmentVariables, loadKafkaConfig, type KafkaConfig } from '@streamrec/foundation';
import { loadStackEnv, repoRoot } from '@streamrec/foundation/process';

/** Where the running system is (infra/local/stack.env, .stack/secrets.env, STREAMREC_* overrides): the only module that reads the environment. */
export interface DrillSettings {
  readonly repoRoot: string;
  readonly prometheusUrl: string;
  readonly apiUrl: string;
  /** The API's operations listener (/readyz, /admin). */
  readonly apiOpsUrl: string;
  readonly apiKey: string;
  readonly connectUrl: string;
  readonly connectorName: string;
  /** Brokers and the admin role's SASL credentials (`streamrec-admin`): poison in, dead letters out. */
  readonly kafka: KafkaConfig;
  readonly clickhouse: { readonly url: string; readonly username: string; readonly password: string; readonly database: string };
  readonly mariadb: { readonly host: string; readonly port: number; readonly user: string; readonly password: string; readonly cdcUser: string };
}

export const environmentVariables = {
  STREAMREC_API_KEY_DEV: 'API key with the read and admin scopes (written by npm run setup into .stack/secrets.env)',
  STREAMREC_API_PORT: 'port of the running API (default 18080)',
  STREAMREC_API_OPS_PORT: "port of the API's operations listener: /readyz, /admin (default 18081)",
  STREAMREC_PROMETHEUS_PORT: 'Prometheus (19090)',
  STREAMREC_CONNECT_PORT: 'Kafka Connect REST (18083)',
  ...kafkaEnvironmentVariables('admin'),
  STREAMREC_CLICKHOUSE_HTTP_PORT: 'ClickHouse HTTP; STREAMREC_CLICKHOUSE_USER / _PASSWORD its writer account',
  STREAMREC_MARIADB_PORT: "MariaDB; STREAMREC_MARIADB_APP_USER / _PASSWORD the shop's account (the canary writes a favourite)",
} as const;

export function loadDrillSettings(environment: Readonly<Record<string, string | undefined>> = process.env): DrillSettings {
  const env = loadStackEnv(environment);
  const host = env['STREAMREC_HOST'] ?? '127.0.0.1';
  const value = (key: string, fallback?: string): string => {
    const found = env[key] ?? fallback;
    if (found === undefined || found === '') throw new Error(`${key} is not set (run npm run setup, or see npm run drill -- --help)`);
    return found;
  };
  return {
    repoRoot,
    prometheusUrl: `http://${host}:${value('STREAMREC_PROMETHEUS_PORT', '19090')}`,
    apiUrl: `http://${host}:${value('STREAMREC_API_PORT', '18080')}`,
    apiOpsUrl: `http://${host}:${value('STREAMREC_API_OPS_PORT', '18081')}`,
    apiKey: value('STREAMREC_API_KEY_DEV'),
    connectUrl: `http://${host}:${value('STREAMREC_CONNECT_PORT')}`,
    connectorName: 'cdc-mariadb',
    kafka: loadKafkaConfig(env, 'admin', 'drill'),
    clickhouse: {
      url: `http://${host}:${value('STREAMREC_CLICKHOUSE_HTTP_PORT')}`,
      username: value('STREAMREC_CLICKHOUSE_USER'),
      password: value('STREAMREC_CLICKHOUSE_PASSWORD'),
      database: 'streamrec',
    },
    mariadb: { host, port: Number(value('STREAMREC_MARIADB_PORT')), user: value('STREAMREC_MARIADB_APP_USER'), password: value('STREAMREC_MARIADB_APP_PASSWORD'), cdcUser: value('STREAMREC_MARIADB_CDC_USER', 'debezium') },
  };
}
