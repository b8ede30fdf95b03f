import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './stack-env.js';

export interface ProcessorChild {
  readonly name: string;
  readonly logFile: string;
  /** Resolves with the exit code (or signal) when the process ends, whatever the reason. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  /** SIGTERM (the processes stop their consumers cleanly), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  logTail(lines?: number): Promise<string>;
}

/** Runs `streams/<processor>/src/main.ts` under tsx with extra environment; its output goes to `logFile`. */
export function spawnProcessor(processor: string, env: Readonly<Record<string, string | undefined>>, logDir: string): ProcessorChild {
  const logFile = join(logDir, `replay-${processor}-${Date.now().toString(36)}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'streams', processor, 'src', 'main.ts')], {
    cwd: repoRoot,
    env: { ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
    child.once('error', () => {
      done = true;
      resolve({ code: 127, signal: null });
    });
  });
  void exited.then(() => log.end());
  return {
    name: processor,
    logFile,
    exited,
    hasExited: () => done,
    async stop(graceMs = 20_000) {
      if (done) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async logTail(lines = 15) {
      const text = await readFile(logFile, 'utf8').catch(() => '');
      return text.trimEnd().split('\n').slice(-lines).join('\n');
    },
  };
}
