import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { repoRoot } from '@streamrec/foundation/process';

/** What the harness reads of `npm run retrain -- run`'s JSON summary. */
export interface RetrainSummary {
  readonly status: string;
  readonly reason: string;
  readonly model_version: string | null;
  readonly data: { readonly splits: Readonly<Record<string, { readonly rows: number; readonly groups: number }>> | null };
  readonly challenger: Readonly<Record<string, number>> | null;
  readonly trainer: { readonly objective: string; readonly num_trees: number; readonly train_seconds: number } | null;
  readonly durations_s: Readonly<Record<string, number>>;
  readonly run_dir: string;
}

/**
 * Runs the training job as an operator would (`jobs/retrain/src/cli.ts run`), on the run's users and
 * models topics; its progress goes to `logDir`, its JSON summary is returned. A failed run is an error.
 */
export async function runRetrain(args: readonly string[], env: Readonly<Record<string, string | undefined>>, logDir: string, out: (line: string) => void): Promise<RetrainSummary> {
  const logFile = join(logDir, `retrain-${Date.now().toString(36)}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'jobs', 'retrain', 'src', 'cli.ts'), 'run', ...args], { cwd: repoRoot, env: { ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  let lastLine = 0;
  child.stderr.on('data', (chunk: Buffer) => {
    log.write(chunk);
    // The job's own progress lines, now and then.
    if (Date.now() - lastLine < 10_000) return;
    const line = chunk.toString('utf8').trim().split('\n').at(-1);
    if (line !== undefined && line !== '') {
      out(`  retrain: ${line.slice(0, 160)}`);
      lastLine = Date.now();
    }
  });
  const code = await new Promise<number | null>((resolve) => {
    child.once('exit', (exitCode) => resolve(exitCode));
    child.once('error', () => resolve(127));
  });
  log.end();
  let summary: RetrainSummary;
  try {
    summary = JSON.parse(stdout) as RetrainSummary;
  } catch {
    throw new AppError(ErrorCode.DependencyUnavailable, `the training job exited with ${code} without a summary; see ${logFile}`);
  }
  if (code !== 0 || summary.status === 'failed') throw new AppError(ErrorCode.DependencyUnavailable, `the training job failed (${summary.reason}); see ${logFile}`);
  return summary;
}
