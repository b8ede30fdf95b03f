import { z } from 'zod';
import { jsonSetting, parseConfig, processorConfigInput, processorConfigSchema, processorEnvironmentVariables } from '@streamrec/foundation';
import { loadStackEnv } from '@streamrec/foundation/process';
import { isTopicName } from './domain/sink-tables.js';
import { defaultFlushPolicy } from './domain/flush-policy.js';

const METRICS_PORT = 19_105;
/** The declared topics (schemas/topics.json) whose pair increments a default sink reads. */
const DECLARED_INTERACTIONS = 'events.interactions.v1';
const DECLARED_PAIRS = 'events.cooccurrence.v1';
const PREFIX = 'CLICKHOUSE_SINK';

/** Topic names are inlined in the stored-offset query, so only Kafka's legal characters pass. */
const topicName = z.string().refine(isTopicName, 'a Kafka topic name (letters, digits, ".", "_", "-")');

/** The clickhouse-sink process's configuration: validated once at boot (every violation listed), frozen. */
export const clickHouseSinkConfigSchema = processorConfigSchema('clickhouse-sink', METRICS_PORT).extend({
  clickhouse: z.object({
    url: z.url(),
    username: z.string().min(1),
    password: z.string(),
    database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('streamrec'),
    requestTimeoutMs: z.number().int().positive().default(30_000),
  }),
  /** One topic per table (the stored offsets are per topic); the defaults are the project's topics. */
  topics: z
    .strictObject({
      interactions: topicName.default('events.interactions.v1'),
      exposures: topicName.default('serving.exposures.v1'),
      items: topicName.default('events.items.v1'),
      users: topicName.default('events.users.v1'),
      orders: topicName.default('cdc.shop.orders'),
      orderItems: topicName.default('cdc.shop.order_items'),
      /**
       * streams/cooccurrence's pair increments → cooccurrence_increments (→ cooccurrence); null: not read.
       * Default: events.cooccurrence.v1 when `interactions` is events.interactions.v1, else null, so a sink
       * on a test's or an evaluation's topics never reads the live pairs.
       */
      pairs: topicName.nullable().optional(),
    })
    .prefault({})
    .transform((topics) => ({ ...topics, pairs: topics.pairs === undefined ? (topics.interactions === DECLARED_INTERACTIONS ? DECLARED_PAIRS : null) : topics.pairs }))
    .refine((topics) => {
      const names = Object.values(topics).filter((topic) => topic !== null);
      return new Set(names).size === names.length;
    }, 'each table needs its own topic'),
  /** Insert a table's buffer at ≥ maxRows rows, or maxDelayMs after its previous insert, whichever first. */
  flush: z
    .object({
      maxRows: z.number().int().positive().default(defaultFlushPolicy.maxRows),
      maxDelayMs: z.number().int().nonnegative().default(defaultFlushPolicy.maxDelayMs),
    })
    .prefault({}),
});
export type ClickHouseSinkConfig = z.infer<typeof clickHouseSinkConfigSchema>;
export type ClickHouseSinkConfigInput = z.input<typeof clickHouseSinkConfigSchema>;

export function parseClickHouseSinkConfig(input: unknown): ClickHouseSinkConfig {
  return parseConfig(clickHouseSinkConfigSchema, input, 'clickhouse-sink');
}

/** The environment variables the process reads (documented in the README and `--help`). */
export const environmentVariables = {
  ...processorEnvironmentVariables(PREFIX, METRICS_PORT),
  [`STREAMREC_${PREFIX}_TOPICS`]: 'JSON object of topic names merged over the defaults, e.g. {"orders":"my.orders"}; "pairs": null reads no pair increments',
  STREAMREC_CLICKHOUSE_HTTP_PORT: 'ClickHouse HTTP port of the local stack (18123)',
  STREAMREC_CLICKHOUSE_URL: 'ClickHouse HTTP URL; overrides host:port',
  STREAMREC_CLICKHOUSE_USER: 'ClickHouse user (streamrec)',
  STREAMREC_CLICKHOUSE_PASSWORD: 'its password (generated into .stack/secrets.env)',
  STREAMREC_CLICKHOUSE_DATABASE: 'database of the sink tables (default streamrec)',
  [`STREAMREC_${PREFIX}_FLUSH_MAX_ROWS`]: `insert a table's buffer at this many rows (default ${defaultFlushPolicy.maxRows})`,
  [`STREAMREC_${PREFIX}_FLUSH_MAX_DELAY_MS`]: `or this long after its previous insert (default ${defaultFlushPolicy.maxDelayMs})`,
} as const;

/** The only place the process environment is read. */
export function loadClickHouseSinkConfig(environment: Readonly<Record<string, string | undefined>> = process.env): ClickHouseSinkConfig {
  const env = loadStackEnv(environment);
  const number = (key: string): number | undefined => (env[key] === undefined || env[key] === '' ? undefined : Number(env[key]));
  const host = env['STREAMREC_HOST'] ?? '127.0.0.1';
  return parseClickHouseSinkConfig({
    ...processorConfigInput(env, PREFIX),
    topics: jsonSetting(env[`STREAMREC_${PREFIX}_TOPICS`], `STREAMREC_${PREFIX}_TOPICS`),
    clickhouse: {
      url: env['STREAMREC_CLICKHOUSE_URL'] ?? `http://${host}:${env['STREAMREC_CLICKHOUSE_HTTP_PORT'] ?? '18123'}`,
      username: env['STREAMREC_CLICKHOUSE_USER'],
      password: env['STREAMREC_CLICKHOUSE_PASSWORD'],
      database: env['STREAMREC_CLICKHOUSE_DATABASE'],
    },
    flush: { maxRows: number(`STREAMREC_${PREFIX}_FLUSH_MAX_ROWS`), maxDelayMs: number(`STREAMREC_${PREFIX}_FLUSH_MAX_DELAY_MS`) },
  });
}
