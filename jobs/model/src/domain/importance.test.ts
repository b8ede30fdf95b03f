import { describe, expect, it } from 'vitest';
import { importanceGain } from './importance.js';

describe('importance of a published model', () => {
  it('reads the gain per feature and ignores other metrics', () => {
    expect(importanceGain({ ndcg_at_10: 0.4, 'importance.gain.ch_transition': 12.5, 'importance.gain.fused_score': 1, 'importance.split.fused_score': 3 })).toEqual({ ch_transition: 12.5, fused_score: 1 });
  });
});
