export { AppError, ErrorCode, isAppError, type AppErrorOptions } from './errors.js';
export { parseConfig, deepFreeze } from './config.js';
export { createRootLogger, redactedPaths, type Logger, type LoggerSettings } from './logger.js';
export { loadStackEnv, parseEnvFile, parseEnvText, repoRoot } from './stack-env.js';
export { murmur2, partitionForKey } from './kafka/murmur2.js';
export * from './state/index.js';
