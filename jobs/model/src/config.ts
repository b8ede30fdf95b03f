import { z } from 'zod';
import { loadStackEnv } from '@streamrec/foundation/process';
import { loadKafkaConfig, parseConfig, type KafkaConfig } from '@streamrec/foundation';

const schema = z.object({
  STREAMREC_MODELS_TOPIC: z.string().regex(/^[a-z][a-z0-9._-]{1,200}$/, 'lower-case topic name').default('models.published.v1'),
  STREAMREC_MODELS_HISTORY_TOPIC: z.string().regex(/^[a-z][a-z0-9._-]{1,200}$/, 'lower-case topic name').default('models.history.v1'),
  STREAMREC_MODEL_SIGNING_KEY_FILE: z.string().optional(),
});

/** The model CLI's configuration. The only module of the job that reads process.env. */
export interface ModelJobConfig {
  /** Brokers and the model role's SASL credentials (`streamrec-model`). */
  readonly kafka: KafkaConfig;
  /** Default topic; `--topic` overrides it per command. */
  readonly topic: string;
  /** Every published version, keyed `<name>:<version>` (rollback reads it); `--history-topic` overrides it. */
  readonly historyTopic: string;
  /** PEM Ed25519 private key publications are signed with (the API verifies with its public key); undefined: unsigned. */
  readonly signingKeyFile: string | undefined;
}

export function loadModelJobConfig(environment: Readonly<Record<string, string | undefined>> = process.env): ModelJobConfig {
  const stackEnv = loadStackEnv(environment);
  const env = parseConfig(schema, stackEnv, 'model');
  return Object.freeze({
    kafka: loadKafkaConfig(stackEnv, 'model', 'model'),
    topic: env.STREAMREC_MODELS_TOPIC,
    historyTopic: env.STREAMREC_MODELS_HISTORY_TOPIC,
    signingKeyFile: env.STREAMREC_MODEL_SIGNING_KEY_FILE === '' ? undefined : env.STREAMREC_MODEL_SIGNING_KEY_FILE,
  });
}
