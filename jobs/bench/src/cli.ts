/**
 * npm run bench -- --out-dir DIR [--quick] [--only streams,freshness,api] [...]
 *
 * Runs the sub-benchmarks one after the other as child processes and merges their JSON into
 * DIR/bench.json and DIR/bench.md. Exit codes: 0 every phase ran, 1 a phase failed, 2 usage.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isAppError, ErrorCode } from '@streamrec/foundation';
import { HELP, parseCommand, type Command } from './cli-args.js';
import { loadBenchJobConfig } from './config.js';
import { loadAverageNow, machineNow, platformaticMissing, readGitState } from './adapters/machine.js';
import { runSubBench } from './adapters/sub-bench-process.js';
import { formatDuration } from './domain/format.js';
import { buildReport, type MachineFacts, type PhaseOutcome } from './domain/merge.js';
import { renderMarkdown } from './domain/markdown.js';
import { effectiveSettings, planPhases, remainingSeconds } from './domain/plan.js';

let command: Command;
try {
  command = parseCommand(process.argv.slice(2));
} catch (error) {
  if (!isAppError(error, ErrorCode.InvalidArgument)) throw error;
  process.stderr.write(`${error.message}\n\n${HELP}\n`);
  process.exit(2);
}
if (command.kind === 'help') {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}

const config = loadBenchJobConfig();
const options = command.options;
const outDir = resolve(options.outDir);
const started = performance.now();
const log = (line: string): void => {
  process.stderr.write(`[bench +${formatDuration((performance.now() - started) / 1_000)}] ${line}\n`);
};

await mkdir(outDir, { recursive: true });
const startedAt = new Date().toISOString();
const loadAverageBefore = loadAverageNow();
const git = await readGitState(config.repoRoot);
const settings = effectiveSettings(options);
const phases = planPhases(settings, outDir, { platformaticMissing: platformaticMissing() });
log(`${phases.length} phase(s): ${phases.map((phase) => `${phase.area} (~${formatDuration(phase.estimateSeconds)})`).join(', ')}; reports in ${outDir}`);
for (const phase of phases) if (phase.clientsLeftOut !== null) log(`streams: the kafkajs vs @platformatic/kafka comparison is left out: ${phase.clientsLeftOut}`);

const outcomes: PhaseOutcome[] = [];
for (const [index, phase] of phases.entries()) {
  const eta = remainingSeconds(phases, outcomes.map((outcome) => outcome.seconds));
  log(`phase ${index + 1}/${phases.length} ${phase.area}: npx tsx ${phase.script} ${phase.args.join(' ')} (ETA for the rest ~${formatDuration(eta)})`);
  const outFile = join(outDir, phase.rawFile);
  await rm(outFile, { force: true }); // never merge a previous run's file
  const run = await runSubBench({ script: phase.script, args: phase.args, outFile, cwd: config.repoRoot, env: config.childEnvironment, label: phase.area });
  outcomes.push({ area: phase.area, rawFile: phase.rawFile, seconds: run.seconds, exitCode: run.exitCode, failure: run.failure, json: run.json, clientsLeftOut: phase.clientsLeftOut });
  log(`phase ${index + 1}/${phases.length} ${phase.area}: ${run.failure === null ? 'done' : `FAILED (${run.failure})`} in ${formatDuration(run.seconds)} (estimate ${formatDuration(phase.estimateSeconds)})`);
}

const described = machineNow();
const machine: MachineFacts = {
  cpus: described.cpus,
  model: described.model,
  memoryGiB: described.memoryGiB,
  node: described.node,
  platform: described.platform,
  loadAverageBefore,
  loadAverageAfter: loadAverageNow(),
  git,
};
const report = buildReport({ startedAt, finishedAt: new Date().toISOString(), machine, settings, outcomes });
await writeFile(join(outDir, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
await writeFile(join(outDir, 'bench.md'), renderMarkdown(report));
const verdicts = report.targets.map((target) => `${target.area}: ${target.met === true ? 'met' : target.met === false ? 'NOT met' : 'not judged'}`).join(', ');
log(`wrote ${join(outDir, 'bench.json')} and bench.md in ${formatDuration((performance.now() - started) / 1_000)}; targets: ${verdicts === '' ? 'none measured' : verdicts}`);
process.exit(outcomes.some((outcome) => outcome.failure !== null) ? 1 : 0);
