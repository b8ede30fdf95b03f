/**
 * The evaluation CLI (`npm run eval -- --help`): replays a dataset through the live system and reports
 * HR/NDCG per stage beside the published rows. Progress to stdout, errors to stderr;
 * exit 0 ok, 1 failed (or a check failed), 2 usage.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExitCode, createRootLogger, runCli } from '@streamrec/foundation/process';
import { parseCommandLine, type EvalCommand } from './cli-args.js';
import { loadEvalStack } from './config.js';
import { markdownReport } from './domain/report.js';
import { runEval } from './run-eval.js';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function execute(command: Exclude<EvalCommand, { kind: 'help' }>): Promise<number> {
  const stack = loadEvalStack();
  const log = createRootLogger({ name: 'eval', level: stack.log.level, pretty: false, fd: 2 });
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
  return failed.length > 0 || broken.length > 0 ? ExitCode.Failed : ExitCode.Ok;
}

runCli({ name: 'eval', parse: parseCommandLine, execute });
