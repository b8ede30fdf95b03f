/** The evaluation harness (the CLI is `npm run eval`), for its integration test. */
export { runEval, type EvalDependencies } from './run-eval.js';
export { DEFAULT_SAMPLE, DEFAULT_SEED, parseCommandLine, type EvalCommand, type EvalOptions } from './cli-args.js';
export { loadEvalStack, type EvalStack } from './config.js';
export { markdownReport, type CheckResult, type EvalReport, type StageResult } from './domain/report.js';
