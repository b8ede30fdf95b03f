import { describe, expect, it } from 'vitest';
import { gitState } from './git-status.js';

describe('gitState', () => {
  it('untracked files alone leave the tree clean but are counted', () => {
    expect(gitState('abc', '?? .perf/\n?? jobs/bench/\n')).toEqual({ commit: 'abc', dirty: false, changedFiles: 0, untrackedFiles: 2 });
  });

  it('a modified, staged or deleted tracked file makes it dirty', () => {
    expect(gitState('abc', ' M package.json\nA  new.ts\n D old.ts\n?? x\n')).toEqual({ commit: 'abc', dirty: true, changedFiles: 3, untrackedFiles: 1 });
  });

  it('outside a checkout the commit is unknown', () => {
    expect(gitState(null, '')).toEqual({ commit: null, dirty: false, changedFiles: 0, untrackedFiles: 0 });
  });
});
