import type { CommandResult, ProcessControl } from '../domain/world.js';

type Run = (command: readonly string[], options?: { readonly timeoutMs?: number }) => Promise<CommandResult>;

/** The system's processes by their pid files, through the same shell functions the stack scripts use. */
export function processControl(run: Run): ProcessControl {
  const lib = (script: string, ...args: string[]): Promise<CommandResult> => run(['bash', '-c', `source infra/local/lib.sh && ${script}`, 'drill', ...args], { timeoutMs: 90_000 });
  return {
    async isRunning(name) {
      return (await lib('running_pid "$1" >/dev/null', name)).code === 0;
    },
    async stop(name) {
      const result = await lib('stop_pid "$1" 30', name);
      if (result.code !== 0) throw new Error(`could not stop ${name}: ${result.stderr.trim().slice(0, 300)}`);
    },
  };
}
