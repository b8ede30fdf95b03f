import type { DrillWorld } from '../domain/world.js';
import { lastLines } from './steps.js';

/** Starts whatever of the stack and the system is not running (idempotent: npm run up). */
export async function restoreSystem(world: DrillWorld): Promise<void> {
  for (const args of [
    ['bash', 'infra/local/stack.sh', 'up'],
    ['bash', 'infra/local/system.sh', 'up', '--no-wait'],
  ]) {
    const result = await world.run(args, { timeoutMs: 600_000 });
    if (result.code !== 0) throw new Error(`${args.join(' ')} exited ${result.code}: ${lastLines(result.stderr)}`);
  }
}
