import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { syntheticTrees } from './synthetic-trees.js';
import { flattenTrees, treeEnsembleRankerModel, treeEnsembleScore, TreePostTransform, type TreeEnsembleSpec, type TreeNode } from './tree-ensemble.js';

async function scoreWithOnnx(model: Uint8Array, rows: readonly (readonly number[])[], featureCount: number): Promise<number[]> {
  const session = await ort.InferenceSession.create(model);
  try {
    const result = await session.run({ features: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, featureCount]) });
    expect(result['score']?.dims).toEqual([rows.length, 1]);
    return Array.from(result['score']?.data as Float32Array);
  } finally {
    await session.release();
  }
}

const stump: TreeNode = {
  kind: 'branch',
  feature: 1,
  threshold: 0.5,
  whenTrue: { kind: 'leaf', weight: -1 },
  whenFalse: { kind: 'branch', feature: 0, threshold: 2, whenTrue: { kind: 'leaf', weight: 3 }, whenFalse: { kind: 'leaf', weight: 10 } },
};

describe('treeEnsembleRankerModel', () => {
  it('flattens a tree depth first with leaves as targets', () => {
    const flat = flattenTrees([stump], 2);
    expect(flat.nodeIds).toEqual([0, 1, 2, 3, 4]);
    expect(flat.modes).toEqual(['BRANCH_LEQ', 'LEAF', 'BRANCH_LEQ', 'LEAF', 'LEAF']);
    expect(flat.trueNodeIds).toEqual([1, 0, 3, 0, 0]);
    expect(flat.falseNodeIds).toEqual([2, 0, 4, 0, 0]);
    expect(flat.targetNodeIds).toEqual([1, 3, 4]);
    expect(flat.targetWeights).toEqual([-1, 3, 10]);
    expect(() => flattenTrees([stump], 1)).toThrow(/feature index 1/);
  });

  it('scores a hand-made tree as x[1] <= 0.5 ? -1 : (x[0] <= 2 ? 3 : 10), plus the base value', async () => {
    const spec: TreeEnsembleSpec = { featureNames: ['ch_tag', 'item_ctr'], trees: [stump, stump], baseValue: 0.5 };
    const scores = await scoreWithOnnx(treeEnsembleRankerModel(spec), [[0, 0.5], [2, 0.6], [2.5, 1]], 2);
    expect(scores).toEqual([-1.5, 6.5, 20.5]);
  });

  it('applies the logistic post transform when asked', async () => {
    const spec: TreeEnsembleSpec = { featureNames: ['ch_tag', 'item_ctr'], trees: [stump], postTransform: TreePostTransform.Logistic };
    const [score] = await scoreWithOnnx(treeEnsembleRankerModel(spec), [[0, 0]], 2);
    expect(score).toBeCloseTo(1 / (1 + Math.exp(1)), 6);
  });

  it('gives the same scores as the TypeScript evaluation for 200 seeded trees of depth 6', async () => {
    const featureCount = 12;
    const spec: TreeEnsembleSpec = {
      featureNames: Array.from({ length: featureCount }, (_, index) => `f${index}`),
      trees: syntheticTrees({ trees: 200, depth: 6, featureCount, seed: 42 }),
      baseValue: 0.1,
    };
    const random = (() => {
      let state = 7;
      return () => ((state = (state * 48_271) % 2_147_483_647) / 2_147_483_647);
    })();
    const rows = Array.from({ length: 64 }, () => Array.from({ length: featureCount }, () => Math.fround(random())));
    const scores = await scoreWithOnnx(treeEnsembleRankerModel(spec), rows, featureCount);
    rows.forEach((row, index) => expect(scores[index]).toBeCloseTo(treeEnsembleScore(spec, row), 4));
    expect(new Set(scores.map((score) => score.toFixed(4))).size).toBeGreaterThan(50);
  });
});

describe('syntheticTrees', () => {
  it('is deterministic per seed and has 2^depth leaves per tree', () => {
    const options = { trees: 3, depth: 4, featureCount: 5, seed: 1 };
    expect(syntheticTrees(options)).toEqual(syntheticTrees(options));
    expect(syntheticTrees(options)).not.toEqual(syntheticTrees({ ...options, seed: 2 }));
    const flat = flattenTrees(syntheticTrees(options), 5);
    expect(flat.targetWeights).toHaveLength(3 * 16);
    expect(flat.nodeIds).toHaveLength(3 * 31);
  });

  it('refuses impossible shapes', () => {
    expect(() => syntheticTrees({ trees: 0, depth: 4, featureCount: 5, seed: 1 })).toThrow(/trees must be/);
    expect(() => syntheticTrees({ trees: 1, depth: 40, featureCount: 5, seed: 1 })).toThrow(/depth must be/);
  });
});
