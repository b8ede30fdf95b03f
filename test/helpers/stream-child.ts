import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaAdminVariables, repoRoot } from './stack.js';

/**
 * A stream processor run as its own process group (`tsx streams/<name>/src/main.ts`), so a test can
 * `kill -9` it with everything it spawned, exactly as a crash would, and start it again.
 */
export type StreamProcessName = 'features' | 'cooccurrence' | 'trending' | 'normalize' | 'clickhouse-sink';

export class StreamChild<Name extends StreamProcessName = StreamProcessName> {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  private signalled = false;
  /** Set when the process ended without being signalled by the test (a crash at start-up, a fatal error). */
  crashed: string | undefined;
  starts = 0;
  kills = 0;

  constructor(
    readonly name: Name,
    private readonly env: Readonly<Record<string, string>>,
    private readonly logFile: string,
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    const log = openSync(this.logFile, 'a');
    try {
      const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(repoRoot, 'streams', this.name, 'src', 'main.ts')], {
        cwd: repoRoot,
        env: { ...process.env, ...kafkaAdminVariables, ...this.env },
        detached: true, // its own process group: kill(-pid) reaches tsx's node child too
        stdio: ['ignore', log, log],
      });
      this.signalled = false;
      this.exited = new Promise((resolve) =>
        child.on('exit', (code, signal) => {
          if (!this.signalled) this.crashed = `${this.name} exited on its own (code ${code}, signal ${signal}); see ${this.logFile}`;
          resolve(code);
        }),
      );
      this.child = child;
      this.starts += 1;
    } finally {
      closeSync(log);
    }
  }

  /** SIGKILL to the whole process group, then waits until it is gone. */
  async kill9(): Promise<void> {
    await this.signal('SIGKILL');
    this.kills += 1;
  }

  /** SIGTERM (graceful stop: in-flight batches finish, clients close), then waits; SIGKILL if it hangs. */
  async stop(graceMs = 20_000): Promise<void> {
    const pid = this.child?.pid;
    const force = setTimeout(() => {
      if (pid !== undefined && this.running) process.kill(-pid, 'SIGKILL');
    }, graceMs);
    try {
      await this.signal('SIGTERM');
    } finally {
      clearTimeout(force);
    }
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const pid = this.child?.pid;
    if (pid === undefined || !this.running) return;
    this.signalled = true;
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
    await this.exited;
    if (signal === 'SIGKILL') {
      // The group leader is reaped; make sure no member of its group survived either.
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // none left
      }
    }
  }
}
