import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { linearRankerModel, linearRankerScore, type LinearRankerSpec } from './linear-ranker.js';

const spec: LinearRankerSpec = { featureNames: ['ch_transition', 'item_ctr', 'fused_score'], weights: [1.5, -2, 0.25], bias: -0.5 };

describe('linearRankerModel', () => {
  it('loads in onnxruntime with input features [N, 3] and output score [N, 1]', async () => {
    const session = await ort.InferenceSession.create(linearRankerModel(spec));
    try {
      expect(session.inputNames).toEqual(['features']);
      expect(session.outputNames).toEqual(['score']);
      const input = session.inputMetadata[0];
      expect(input?.isTensor === true ? [input.type, input.shape] : undefined).toEqual(['float32', ['N', 3]]);
    } finally {
      await session.release();
    }
  });

  it('computes sigmoid(x · w + b) as the hand computation does', async () => {
    const session = await ort.InferenceSession.create(linearRankerModel(spec));
    try {
      const rows = [
        [0, 0, 0],
        [1, 0.5, 2],
        [0.2, 0.1, -4],
      ];
      const result = await session.run({ features: new ort.Tensor('float32', Float32Array.from(rows.flat()), [3, 3]) });
      const score = result['score'];
      expect(score?.dims).toEqual([3, 1]);
      const values = Array.from(score?.data as Float32Array);
      // Row 1 by hand: 1.5·1 − 2·0.5 + 0.25·2 − 0.5 = 0.5 → sigmoid(0.5) = 0.62246
      expect(values[1]).toBeCloseTo(0.6224593, 5);
      expect(values[0]).toBeCloseTo(1 / (1 + Math.exp(0.5)), 6);
      rows.forEach((row, index) => expect(values[index]).toBeCloseTo(linearRankerScore(spec, row), 5));
    } finally {
      await session.release();
    }
  });

  it('refuses a weight count that does not match the features', () => {
    expect(() => linearRankerModel({ ...spec, weights: [1] })).toThrow(expect.objectContaining({ code: 'REC_INVALID_ARGUMENT' }) as Error);
    expect(() => linearRankerModel({ ...spec, featureNames: ['a', 'a', 'b'] })).toThrow(/listed twice/);
  });
});
