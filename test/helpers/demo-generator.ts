import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './stack.js';

/** Per-table counts of distinct primary keys a generator run inserted, updated and deleted. */
export interface GeneratorSummary {
  readonly tables: Readonly<Record<string, { inserted: number; updated: number; deleted: number }>>;
}

/** The part of the `traffic` command's summary the tests read (jobs/demo-data/src/domain/traffic-tally.ts). */
export interface TrafficSummary {
  readonly requests: { readonly sent: number; readonly answered: number; readonly empty: number; readonly failed: number };
  readonly answersByVariant: Record<string, number>;
  /** `sent`: beacons the API took (202); `failed`: beacons given up after their retries. */
  readonly events: { readonly sent: number; readonly failed: number; readonly byAction: Record<string, number>; readonly byVariant: Record<string, number> };
  readonly orders: { readonly written: number };
  readonly errors: Record<string, number>;
}

/** Runs `jobs/demo-data` as a user would (its CLI), returning the exit code and the summary it wrote. */
export async function runDemoGenerator(args: readonly string[]): Promise<{ code: number; summary: GeneratorSummary | undefined }> {
  const summaryFile = join(mkdtempSync(join(tmpdir(), 'demo-summary-')), 'summary.json');
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(repoRoot, 'jobs', 'demo-data', 'src', 'cli.ts'), ...args, '--summary', summaryFile],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode) => resolve(exitCode ?? -1));
  });
  let summary: GeneratorSummary | undefined;
  try {
    summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as GeneratorSummary;
  } catch {
    summary = undefined;
  }
  return { code, summary };
}
