import { z } from 'zod';
import { loadStackEnv } from '@streamrec/foundation/process';
import { parseConfig } from '@streamrec/foundation';

const schema = z.object({
  STREAMREC_HOST: z.string().min(1).default('127.0.0.1'),
  STREAMREC_KAFKA_PORT: z.coerce.number().int().min(1).max(65_535).default(19_092),
  STREAMREC_KAFKA_BROKERS: z.string().min(1).optional(),
  STREAMREC_MODELS_TOPIC: z.string().regex(/^[a-z][a-z0-9._-]{1,200}$/, 'lower-case topic name').default('models.published.v1'),
  STREAMREC_MODELS_HISTORY_TOPIC: z.string().regex(/^[a-z][a-z0-9._-]{1,200}$/, 'lower-case topic name').default('models.history.v1'),
  STREAMREC_MODEL_SIGNING_KEY_FILE: z.string().optional(),
});

/** The model CLI's configuration. The only module of the job that reads process.env. */
export interface ModelJobConfig {
  readonly kafka: { readonly brokers: readonly string[] };
  /** Default topic; `--topic` overrides it per command. */
  readonly topic: string;
  /** Every published version, keyed `<name>:<version>` (rollback reads it); `--history-topic` overrides it. */
  readonly historyTopic: string;
  /** PEM Ed25519 private key publications are signed with (the API verifies with its public key); undefined: unsigned. */
  readonly signingKeyFile: string | undefined;
}

export function loadModelJobConfig(environment: Readonly<Record<string, string | undefined>> = process.env): ModelJobConfig {
  const env = parseConfig(schema, loadStackEnv(environment), 'model');
  return Object.freeze({
    kafka: Object.freeze({ brokers: (env.STREAMREC_KAFKA_BROKERS ?? `${env.STREAMREC_HOST}:${env.STREAMREC_KAFKA_PORT}`).split(',').map((broker) => broker.trim()) }),
    topic: env.STREAMREC_MODELS_TOPIC,
    historyTopic: env.STREAMREC_MODELS_HISTORY_TOPIC,
    signingKeyFile: env.STREAMREC_MODEL_SIGNING_KEY_FILE === '' ? undefined : env.STREAMREC_MODEL_SIGNING_KEY_FILE,
  });
}
