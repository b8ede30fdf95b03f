import { join } from 'node:path';
import { z } from 'zod';
import { loadStackEnv, repoRoot } from '@streamrec/foundation/process';
import { parseConfig } from '@streamrec/foundation';

const schema = z.object({
  brokers: z.array(z.string().regex(/^[^:]+:\d+$/, 'host:port')).min(1),
  topicsFile: z.string().min(1),
  profile: z.string().min(1),
});

export type TopicsConfig = z.infer<typeof schema>;

export function loadTopicsConfig(environment: NodeJS.ProcessEnv = process.env): Readonly<TopicsConfig> {
  const env = loadStackEnv(environment);
  const brokers = env['STREAMREC_KAFKA_BROKERS'] ?? `${env['STREAMREC_HOST'] ?? '127.0.0.1'}:${env['STREAMREC_KAFKA_PORT'] ?? ''}`;
  return parseConfig(
    schema,
    { brokers: brokers.split(',').map((broker) => broker.trim()), topicsFile: env['STREAMREC_TOPICS_FILE'] ?? join(repoRoot, 'schemas', 'topics.json'), profile: env['STREAMREC_TOPICS_PROFILE'] ?? 'local' },
    'topics',
  );
}
