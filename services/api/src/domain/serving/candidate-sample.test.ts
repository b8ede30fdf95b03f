import { describe, expect, it } from 'vitest';
import { item } from '../test-fixtures.js';
import { sampleUnshown } from './candidate-sample.js';

const candidates = Array.from({ length: 2_000 }, (_, index) => ({ item: item(index + 1) }));

describe('sample of unshown candidates', () => {
  it('keeps about the configured share, in ranked order, and the same sample for the same request', () => {
    const sample = sampleUnshown(candidates, 0.1, 'u1:1795000000000');
    expect(sample.length).toBeGreaterThan(150);
    expect(sample.length).toBeLessThan(250);
    expect(sample).toEqual(sampleUnshown(candidates, 0.1, 'u1:1795000000000'));
    const positions = sample.map((candidate) => candidates.indexOf(candidate));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(sampleUnshown(candidates, 0.1, 'u1:1795000000001')).not.toEqual(sample);
  });

  it('logs nothing at rate 0 and everything at rate 1', () => {
    expect(sampleUnshown(candidates, 0, 's')).toEqual([]);
    expect(sampleUnshown(candidates, 1, 's')).toHaveLength(candidates.length);
  });
});
