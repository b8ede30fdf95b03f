import { logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '../process/logger.js';

/** Routes kafkajs's own log lines into the process's pino logger (child `module: kafkajs`). */
export function kafkaLogCreator(log: Logger): () => (entry: LogEntry) => void {
  const kafkaLog = log.child({ module: 'kafkajs' });
  return () =>
    ({ level, namespace, log: { message, ...extra } }) => {
      const method = level <= logLevel.ERROR ? 'error' : level === logLevel.WARN ? 'warn' : level === logLevel.INFO ? 'info' : 'debug';
      kafkaLog[method]({ namespace, ...extra }, message);
    };
}
