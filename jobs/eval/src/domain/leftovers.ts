import { formatCount } from '@streamrec/foundation';

/** The state versions eval runs pick from (run-eval.ts `freeStateVersion`): v800000…v899999. */
export const EVAL_VERSION_MIN = 800_000;
export const EVAL_VERSION_MAX = 899_999;

export interface LeftoverVersion {
  readonly version: string;
  readonly keys: number;
}

/**
 * The eval-range state versions that hold keys before a run starts: what earlier runs left behind when
 * they were interrupted (Ctrl-C, kill) or kept (--keep). Each holds a whole replay's state (~300,000
 * keys for Amazon Beauty), and Redis runs with noeviction: a few of them fill maxmemory and every
 * processor's write then fails, this run's included.
 */
export function leftoverVersions(present: ReadonlyMap<string, number>): LeftoverVersion[] {
  return [...present.entries()]
    .filter(([version]) => {
      const number = /^v(\d+)$/.exec(version)?.[1];
      return number !== undefined && Number(number) >= EVAL_VERSION_MIN && Number(number) <= EVAL_VERSION_MAX;
    })
    .map(([version, keys]) => ({ version, keys }))
    .sort((a, b) => b.keys - a.keys || (a.version < b.version ? -1 : 1));
}

/** The line a run prints about them: what they are, what they cost, how to remove them. */
export function leftoverWarning(leftovers: readonly LeftoverVersion[]): string | undefined {
  if (leftovers.length === 0) return undefined;
  const keys = leftovers.reduce((sum, leftover) => sum + leftover.keys, 0);
  const shown = leftovers.slice(0, 5).map((leftover) => `${leftover.version} (${formatCount(BigInt(leftover.keys))} keys)`).join(', ');
  return (
    `  warning: Redis holds ${formatCount(BigInt(keys))} keys of ${leftovers.length} state version(s) left by earlier eval runs: ${shown}` +
    `${leftovers.length > 5 ? ', …' : ''}. They count against Redis maxmemory (a full Redis stops every processor). ` +
    'Delete them with --clean-leftovers when no other eval runs, or one by one with npm run replay -- drop --version vN.'
  );
}
