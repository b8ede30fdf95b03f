/**
 * `npm run drill -- <name>... | all | list`: rehearses the runbook's incidents on the running local system
 * (docs/OPERATIONS.md). Progress on stderr, verdicts on stdout; exit 0 all passed, 1 a drill failed, 2 usage.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExitCode, runCli } from '@streamrec/foundation/process';
import { parseCommandLine, type DrillCommand } from './cli-args.js';
import { loadDrillSettings } from './config.js';
import type { DrillResult } from './domain/drill.js';
import { stepLine, summaryTable, verdictLine } from './domain/report.js';
import { runDrill } from './domain/run-drill.js';
import { DRILLS, DRILL_NAMES, restoreExperimentsFile } from './drills/index.js';
import { createDrillWorld } from './wiring.js';

const started = performance.now();
const progress = (line: string): void => {
  process.stderr.write(`[drill +${((performance.now() - started) / 1000).toFixed(0)}s] ${line}\n`);
};

async function execute(command: Exclude<DrillCommand, { kind: 'help' }>): Promise<number> {
  if (command.kind === 'list') {
    for (const name of DRILL_NAMES) process.stdout.write(`${name.padEnd(18)}${DRILLS[name]?.().incident ?? ''}\n`);
    return ExitCode.Ok;
  }
  const { world, close } = createDrillWorld(loadDrillSettings(), (line) => progress(`    | ${line}`));
  const results: DrillResult[] = [];
  try {
    await restoreExperimentsFile(world);
    for (const name of command.names) {
      const drill = DRILLS[name]?.();
      if (drill === undefined) continue;
      progress(`drill ${name}: ${drill.incident} (docs/OPERATIONS.md${drill.runbook})`);
      const result = await runDrill(drill, world, { now: () => performance.now() }, {
        stepStarted: (_drill, step) => progress(`  ... ${step.kind.padEnd(9)} ${step.text}`),
        stepFinished: (_drill, step) => progress(stepLine(step)),
      });
      progress(verdictLine(result));
      process.stdout.write(`${verdictLine(result)}\n`);
      results.push(result);
    }
  } finally {
    await close();
  }
  if (results.length > 1) process.stdout.write(`\n${summaryTable(results).join('\n')}\n`);
  if (command.jsonFile !== undefined) {
    await mkdir(dirname(command.jsonFile), { recursive: true });
    await writeFile(command.jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  }
  return results.every((result) => result.verdict === 'passed') ? ExitCode.Ok : ExitCode.Failed;
}

runCli({ name: 'drill', parse: (argv) => parseCommandLine(argv, DRILL_NAMES), execute });
