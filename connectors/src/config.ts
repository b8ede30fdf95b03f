import { join } from 'node:path';
import { z } from 'zod';
import { loadStackEnv, repoRoot } from '@streamrec/foundation/process';
import { parseConfig } from '@streamrec/foundation';

const schema = z.object({
  connectUrl: z.url(),
  configDir: z.string().min(1),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']),
  prettyLogs: z.boolean(),
});

export type ConnectorsConfig = z.infer<typeof schema>;

export function loadConnectorsConfig(environment: NodeJS.ProcessEnv = process.env): Readonly<ConnectorsConfig> {
  const env = loadStackEnv(environment);
  return parseConfig(
    schema,
    {
      connectUrl: env['STREAMREC_CONNECT_URL'] ?? `http://${env['STREAMREC_HOST'] ?? '127.0.0.1'}:${env['STREAMREC_CONNECT_PORT'] ?? ''}`,
      configDir: env['STREAMREC_CONNECTORS_DIR'] ?? join(repoRoot, 'connectors', 'config'),
      logLevel: env['STREAMREC_LOG_LEVEL'] ?? 'info',
      prettyLogs: (environment['NODE_ENV'] ?? 'development') !== 'production' && process.stderr.isTTY === true,
    },
    'connectors',
  );
}
