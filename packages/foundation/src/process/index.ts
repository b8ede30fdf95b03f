/** Process plumbing: the root logger, the stack's environment file, signals, the processor runtime, child processes. */
export { createRootLogger, redactedPaths, type Logger, type LoggerSettings } from './logger.js';
export { loadStackEnv, parseEnvFile, parseEnvText, repoRoot } from './stack-env.js';
export { stopOnSignals } from './shutdown.js';
export { createProcessRuntime, type ProcessRuntime, type ProcessRuntimeConfig } from './process-runtime.js';
export { runProcess, type ProcessEntryPoint, type RunningProcess } from './run-process.js';
export { spawnProcessor, type ProcessorChild } from './child-processes.js';
export { ExitCode, runCli, runCliProgram, type CliProgram } from './run-cli.js';
