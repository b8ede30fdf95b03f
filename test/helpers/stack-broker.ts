import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from './run-command.js';
import { repoRoot } from './stack.js';
import { waitFor } from './wait-for.js';

/** infra/local/stack.sh with `args` (up / down of stack components), as an operator runs it. */
export const stackScript = (...args: string[]): Promise<{ code: number; output: string }> => runCommand(['bash', join(repoRoot, 'infra', 'local', 'stack.sh'), ...args], 600_000);

/** SIGKILL to the stack's broker (the pid its start script recorded), then waits until it is gone. */
export async function killStackBroker(): Promise<void> {
  const pid = Number((await readFile(join(repoRoot, '.stack', 'run', 'kafka.pid'), 'utf8')).trim());
  process.kill(pid, 'SIGKILL');
  await waitFor(
    () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    },
    { timeoutMs: 30_000, intervalMs: 100, description: 'the broker process to be gone' },
  );
}
