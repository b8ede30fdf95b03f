import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '@streamrec/foundation';
import { encodeOnnxModel, linearRankerModel, OnnxDataType, OPSET_ONNX, type ModelSpec } from '../onnx/index.js';
import { loadOnnxRanker, type OnnxRankerSource } from './onnx-ranker.js';

const featureNames = ['ch_transition', 'item_ctr', 'fused_score'];
const linear = { featureNames, weights: [1.5, -2, 0.25], bias: -0.5 };
const source = (overrides: Partial<OnnxRankerSource> = {}): OnnxRankerSource => ({
  name: 'ranker',
  version: 'v1',
  featureNames,
  onnx: linearRankerModel(linear),
  ...overrides,
});

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  return expect.unreachable('expected a rejection');
}

/** A MatMul model with its own input/output names and output width. */
function matMulModel(inputName: string, outputs: readonly string[], width = 1, columns = 3): Uint8Array {
  const spec: ModelSpec = {
    opsets: [OPSET_ONNX],
    graph: {
      name: 'custom',
      inputs: [{ name: inputName, elementType: OnnxDataType.Float, dims: ['N', columns] }],
      outputs: outputs.map((name) => ({ name, elementType: OnnxDataType.Float, dims: ['N', width] })),
      initializers: [{ name: 'w', dataType: OnnxDataType.Float, dims: [columns, width], values: Array.from({ length: columns * width }, () => 1) }],
      nodes: outputs.map((name) => ({ opType: 'MatMul', inputs: [inputName, 'w'], outputs: [name] })),
    },
  };
  return encodeOnnxModel(spec);
}

describe('loadOnnxRanker', () => {
  it('serves a linear model: one score per row, equal to the hand computation', async () => {
    const ranker = await loadOnnxRanker(source());
    try {
      expect([ranker.name, ranker.version, ranker.featureNames, ranker.inputName, ranker.outputName]).toEqual(['ranker', 'v1', featureNames, 'features', 'score']);
      const scores = await ranker.score(Float32Array.from([1, 0.5, 2, 0, 0, 0]), 2);
      expect(scores).toHaveLength(2);
      expect(scores[0]).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 5);
      expect(scores[1]).toBeCloseTo(1 / (1 + Math.exp(0.5)), 5);
      expect(await ranker.score(new Float32Array(0), 0)).toHaveLength(0);
    } finally {
      await ranker.release();
    }
  });

  it('resolves a single input and output whatever their names', async () => {
    const ranker = await loadOnnxRanker(source({ onnx: matMulModel('X', ['Y']) }));
    try {
      expect([ranker.inputName, ranker.outputName]).toEqual(['X', 'Y']);
      expect(Array.from(await ranker.score(Float32Array.from([1, 2, 3]), 1))).toEqual([6]);
    } finally {
      await ranker.release();
    }
  });

  it.each([
    ['bytes that are not ONNX', source({ onnx: new TextEncoder().encode('not a model at all') }), /cannot load/],
    ['fewer feature names than input columns', source({ featureNames: ['ch_transition', 'item_ctr'] }), /shape \[N, 3\], expected \[N, 2\]/],
    ['an unknown feature name', source({ featureNames: ['ch_transition', 'item_ctr', 'shoe_size'] }), /unknown feature name\(s\): shoe_size/],
    ['two outputs, neither named score', source({ onnx: matMulModel('features', ['a', 'b']) }), /expected one output/],
    ['two scores per row', source({ onnx: matMulModel('features', ['score'], 2) }), /one score per row/],
  ])('refuses %s with REC_MODEL_INVALID', async (_label, candidate, message) => {
    const error = await rejection(loadOnnxRanker(candidate));
    expect(error.code).toBe(ErrorCode.ModelInvalid);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('ranker@v1');
  });

  it('refuses a feature matrix of the wrong size', async () => {
    const ranker = await loadOnnxRanker(source());
    try {
      expect((await rejection(ranker.score(new Float32Array(5), 2))).code).toBe(ErrorCode.InvalidArgument);
    } finally {
      await ranker.release();
    }
  });

  it('finishes runs in flight on release and refuses later ones', async () => {
    const ranker = await loadOnnxRanker(source());
    const running = ranker.score(new Float32Array(300), 100);
    const released = ranker.release();
    expect(await running).toHaveLength(100);
    await released;
    expect((await rejection(ranker.score(new Float32Array(3), 1))).code).toBe(ErrorCode.ModelInvalid);
  });
});
