/**
 * The evaluation CLI (`npm run eval -- --help`): replays a dataset through the live system and reports
 * HR/NDCG per stage beside the published rows. Progress to stdout, errors to stderr;
 * exit 0 ok, 1 failed (or a check failed), 2 usage.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { createRootLogger } from '@streamrec/foundation/process';
import { parseCommandLine, type EvalCommand } from './cli-args.js';
import { loadEvalStack } from './config.js';
import { markdownReport } from './domain/report.js';
import { runEval } from './run-eval.js';

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function main(argv: readonly string[]): Promise<number> {
  let command: EvalCommand;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (isAppError(error, ErrorCode.InvalidArgument)) {
      process.stderr.write(`eval: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  if (command.kind === 'help') {
    out(command.text);
    return 0;
  }
  const stack = loadEvalStack();
  const log = createRootLogger({ name: 'eval', level: stack.log.level, pretty: false, fd: 2 });
  try {
    const report = await runEval(command, { stack, out, log });
    await mkdir(dirname(command.out), { recursive: true });
    await writeFile(command.out, `${JSON.stringify(report, null, 2)}\n`);
    const markdown = markdownReport(report);
    await mkdir(dirname(command.markdown), { recursive: true });
    await writeFile(command.markdown, markdown);
    out('');
    out(markdown);
    out(`wrote ${command.out} and ${command.markdown}`);
    const failed = report.checks.filter((check) => check.ok === false);
    const broken = report.stages.filter((stage) => stage.status === 'ok' && (stage.excludeViolations > 0 || stage.degradedAnswers > 0));
    for (const check of failed) process.stderr.write(`eval: CHECK FAILED: ${check.name}: ${check.description}\n`);
    for (const stage of broken) process.stderr.write(`eval: stage ${stage.name} is not trustworthy: ${stage.status === 'ok' ? `${stage.excludeViolations} answers held excluded items, ${stage.degradedAnswers} were degraded` : ''}\n`);
    return failed.length > 0 || broken.length > 0 ? EXIT_FAILED : 0;
  } catch (error) {
    if (isAppError(error)) {
      process.stderr.write(`eval: ${error.code}: ${error.message}\n`);
      return error.code === ErrorCode.InvalidArgument ? EXIT_USAGE : EXIT_FAILED;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`eval: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT_FAILED);
  },
);
