import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '@streamrec/foundation/process';

/** A process under a memory soak, started with the GC probe (gc-probe.ts) preloaded. */
export interface SoakedProcess {
  readonly logFile: string;
  readonly stop: () => Promise<void>;
  /** Why the process ended on its own, if it did. */
  readonly exited: () => string | undefined;
  /** A full collection in the process, then its heap used and RSS (gc-probe.ts). */
  readonly collectedMemory: () => Promise<{ heapUsed: number; rss: number }>;
}

/**
 * Starts `entry` (a TypeScript main, relative to the repository) as one node process with the GC probe,
 * in its own process group, logging to .stack/logs/bench-soak-<name>-<run>.log.
 */
export function startSoakedProcess(name: string, entry: string, run: string, env: Readonly<Record<string, string | undefined>>): SoakedProcess {
  const logDir = join(repoRoot, '.stack', 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `bench-soak-${name}-${run}.log`);
  const memoryFile = join(logDir, `bench-soak-memory-${name}-${run}.json`);
  const out = openSync(logFile, 'a');
  let exit: string | undefined;
  // One node process (not the tsx CLI, which runs a second one), so the signal reaches the soaked code itself.
  const probe = join(repoRoot, 'jobs', 'bench', 'soak', 'lib', 'gc-probe.ts');
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', '--import', probe, join(repoRoot, entry)], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...env, STREAMREC_SOAK_MEMORY_FILE: memoryFile },
  });
  closeSync(out);
  child.on('exit', (code, signal) => (exit = `${name} exited (code ${code}, signal ${signal}); see ${logFile}`));
  return {
    logFile,
    exited: () => exit,
    collectedMemory: async () => {
      rmSync(memoryFile, { force: true });
      if (child.pid === undefined) throw new Error(`the soaked ${name} has no pid`);
      process.kill(child.pid, 'SIGUSR2');
      for (let waited = 0; !existsSync(memoryFile); waited += 50) {
        if (waited > 10_000) throw new Error(`the soaked ${name} wrote no memory figures within 10 s (${memoryFile}); see ${logFile}`);
        await sleep(50);
      }
      const usage = JSON.parse(readFileSync(memoryFile, 'utf8')) as { heapUsed: number; rss: number };
      return { heapUsed: usage.heapUsed, rss: usage.rss };
    },
    stop: async () => {
      if (exit !== undefined || child.pid === undefined) return;
      process.kill(-child.pid, 'SIGTERM');
      for (let waited = 0; exit === undefined && waited < 30_000; waited += 100) await sleep(100);
      if (exit === undefined) process.kill(-child.pid, 'SIGKILL');
    },
  };
}
