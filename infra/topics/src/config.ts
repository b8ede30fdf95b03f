import { join } from 'node:path';
import { z } from 'zod';
import { loadStackEnv, repoRoot } from '@streamrec/foundation/process';
import { kafkaConfigInput, kafkaConfigSchema, parseConfig } from '@streamrec/foundation';

const schema = z.object({
  /** Brokers (each host:port) and the admin role's SASL credentials (`streamrec-admin`). */
  kafka: kafkaConfigSchema.safeExtend({ brokers: z.array(z.string().regex(/^[^:]+:\d+$/, 'host:port')).min(1) }),
  topicsFile: z.string().min(1),
  profile: z.string().min(1),
});

export type TopicsConfig = z.infer<typeof schema>;

export function loadTopicsConfig(environment: NodeJS.ProcessEnv = process.env): Readonly<TopicsConfig> {
  const env = loadStackEnv(environment);
  return parseConfig(
    schema,
    { kafka: kafkaConfigInput(env, 'admin'), topicsFile: env['STREAMREC_TOPICS_FILE'] ?? join(repoRoot, 'schemas', 'topics.json'), profile: env['STREAMREC_TOPICS_PROFILE'] ?? 'local' },
    'topics',
  );
}
