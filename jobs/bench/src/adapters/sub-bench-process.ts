import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface SubBenchRun {
  readonly exitCode: number | null;
  readonly seconds: number;
  /** The JSON the sub-benchmark wrote to its --out, or undefined when it failed or wrote none. */
  readonly json: unknown;
  /** Why the run counts as failed, null when it wrote its JSON. */
  readonly failure: string | null;
}

export interface SubBenchSpec {
  readonly script: string;
  readonly args: readonly string[];
  /** Absolute path of the --out file the script writes. */
  readonly outFile: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Prefix for the child's progress lines on our stderr. */
  readonly label: string;
}

/**
 * `npx tsx <script> <args>`; the child's stdout and stderr are passed through line by line with a
 * `[label]` prefix so its own progress stays visible, and the last stderr lines are kept for the failure reason.
 */
export function runSubBench(spec: SubBenchSpec): Promise<SubBenchRun> {
  const started = performance.now();
  const tail: string[] = [];
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', spec.script, ...spec.args], { cwd: spec.cwd, env: { ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (stream: NodeJS.ReadableStream, keep: boolean): void => {
      let pending = '';
      stream.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (line.startsWith('npm warn Unknown')) continue; // npx's noise about the repo's .npmrc
          process.stderr.write(`  [${spec.label}] ${line}\n`);
          if (keep) {
            tail.push(line);
            if (tail.length > 10) tail.shift();
          }
        }
      });
    };
    relay(child.stdout, false);
    relay(child.stderr, true);
    const finish = (exitCode: number | null, failure: string | null): void => {
      const seconds = (performance.now() - started) / 1_000;
      if (failure !== null) return resolve({ exitCode, seconds, json: undefined, failure });
      readFile(spec.outFile, 'utf8')
        .then((text) => resolve({ exitCode, seconds, json: JSON.parse(text) as unknown, failure: null }))
        .catch((error: unknown) => resolve({ exitCode, seconds, json: undefined, failure: `exited 0 but ${spec.outFile} is not readable JSON: ${error instanceof Error ? error.message : String(error)}` }));
    };
    child.on('error', (error) => finish(null, `could not start npx tsx ${spec.script}: ${error.message}`));
    child.on('close', (code, signal) => {
      if (code === 0) return finish(0, null);
      const last = tail.filter((line) => line.trim() !== '').slice(-3).join(' | ');
      finish(code, `${spec.script} ${signal === null ? `exited with ${code}` : `was killed by ${signal}`}${last === '' ? '' : `: ${last}`}`);
    });
  });
}
