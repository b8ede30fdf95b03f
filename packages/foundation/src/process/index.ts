/** Process plumbing: the root logger, the stack's environment file, signals, the processor runtime, child processes, a periodic job's loop, report files. */
export { createRootLogger, redactedPaths, type Logger, type LoggerSettings } from './logger.js';
export { loadStackEnv, parseEnvFile, parseEnvText, repoRoot } from './stack-env.js';
export { stopOnSignals } from './shutdown.js';
export { createProcessRuntime, type ProcessRuntime, type ProcessRuntimeConfig } from './process-runtime.js';
export { runProcess, type ProcessEntryPoint, type RunningProcess } from './run-process.js';
export { spawnProcessor, type ProcessorChild } from './child-processes.js';
export { ExitCode, runCli, runCliProgram, type CliProgram } from './run-cli.js';
export { repeatUntilSignal, type RepeatedRun } from './repeat-until-signal.js';
export { REPORT_FILES, writeReportFiles } from './report-files.js';
export { chooseCommand, parseCommandArgs } from './command-args.js';
