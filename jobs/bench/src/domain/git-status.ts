/** The repository's state as the report states it. Pure: parses `git status --porcelain=v1` output. */
export interface GitState {
  readonly commit: string | null;
  /** Tracked files differ from the commit (what `git describe --dirty` calls dirty). */
  readonly dirty: boolean;
  readonly changedFiles: number;
  readonly untrackedFiles: number;
}

export function gitState(commit: string | null, porcelain: string): GitState {
  const lines = porcelain.split('\n').filter((line) => line.trim() !== '');
  const untracked = lines.filter((line) => line.startsWith('??')).length;
  const changed = lines.length - untracked - lines.filter((line) => line.startsWith('!!')).length;
  return { commit, dirty: changed > 0, changedFiles: changed, untrackedFiles: untracked };
}
