import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoRoot } from '@streamrec/foundation/process';

const execFileAsync = promisify(execFile);

/** The commit the job runs from, with -dirty when the work tree has changes (lineage of every run); 'unknown' outside git. */
export async function codeVersion(): Promise<string> {
  try {
    const { stdout } = await execFileAsync('git', ['describe', '--always', '--dirty', '--abbrev=12'], { cwd: repoRoot, timeout: 10_000 });
    return stdout.trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}
