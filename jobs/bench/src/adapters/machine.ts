import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { describeMachine } from '../../streams/lib/bench-support.js';
import { platformaticEntry } from '../../streams/lib/client-compare.js';
import { gitState, type GitState } from '../domain/git-status.js';

const run = promisify(execFile);

/** CPU, memory, Node and platform as the sub-benchmarks describe them (one definition: bench-support). */
export function machineNow(): ReturnType<typeof describeMachine> {
  return describeMachine(loadavg());
}

export function loadAverageNow(): number[] {
  return loadavg().map((value) => Number(value.toFixed(2)));
}

/** HEAD and whether the tree differs from it; unknown (null commit, clean) outside a git checkout. */
export async function readGitState(cwd: string): Promise<GitState> {
  try {
    const [head, status] = await Promise.all([run('git', ['rev-parse', 'HEAD'], { cwd }), run('git', ['status', '--porcelain=v1'], { cwd, maxBuffer: 16 * 2 ** 20 })]);
    return gitState(head.stdout.trim(), status.stdout);
  } catch {
    return gitState(null, '');
  }
}

/** Null when the streams bench can load @platformatic/kafka (its own lookup: --platformatic, /tmp/pk, the repo); else why not. */
export function platformaticMissing(): string | null {
  return platformaticEntry(undefined) === undefined ? '@platformatic/kafka is not installed in /tmp/pk or the repo (see jobs/bench/streams/README.md)' : null;
}
