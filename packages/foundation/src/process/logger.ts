import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Paths whose values never reach a log line (secrets, raw client addresses). */
export const redactedPaths = [
  'password',
  '*.password',
  '*.*.password',
  'apiKey',
  '*.apiKey',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  'ip',
  '*.ip',
  'remoteAddress',
  '*.remoteAddress',
] as const;

export interface LoggerSettings {
  name: string;
  level: string;
  /** NDJSON in production; pretty printing only for a developer's terminal. */
  pretty: boolean;
  /** File descriptor to write to: 1 (stdout, the default) or 2 for CLIs whose stdout carries data. */
  fd?: 1 | 2;
}

/** One root logger per process; modules take `root.child({ module })`. */
export function createRootLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    name: settings.name,
    level: settings.level,
    redact: { paths: [...redactedPaths], censor: '[redacted]' },
  };
  const fd = settings.fd ?? 1;
  if (settings.pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, destination: fd } } });
  }
  return pino(options, pino.destination({ dest: fd, sync: fd === 2 }));
}
