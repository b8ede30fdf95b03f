import { AppError, ErrorCode } from '@streamrec/foundation';
import { encodeOnnxModel, OnnxDataType, OPSET_ONNX } from './onnx-model.js';
import { assertFeatureColumns, RANKER_INPUT, RANKER_OUTPUT, rankerInput, rankerOutput } from './ranker-io.js';

export interface LinearRankerSpec {
  readonly featureNames: readonly string[];
  /** One weight per feature, same order. */
  readonly weights: readonly number[];
  readonly bias: number;
  readonly producerVersion?: string;
}

/** score = sigmoid(features · weights + bias), as ONNX MatMul → Add → Sigmoid. */
export function linearRankerModel(spec: LinearRankerSpec): Uint8Array {
  assertFeatureColumns(spec.featureNames);
  if (spec.weights.length !== spec.featureNames.length) {
    throw new AppError(ErrorCode.InvalidArgument, `${spec.weights.length} weights for ${spec.featureNames.length} features`);
  }
  if (![...spec.weights, spec.bias].every(Number.isFinite)) throw new AppError(ErrorCode.InvalidArgument, 'weights and bias must be finite numbers');
  const featureCount = spec.featureNames.length;
  return encodeOnnxModel({
    producerName: 'streamrec-model',
    producerVersion: spec.producerVersion ?? '1',
    doc: 'linear ranker: sigmoid(features · weights + bias)',
    opsets: [OPSET_ONNX],
    metadata: { feature_names: spec.featureNames.join(',') },
    graph: {
      name: 'linear_ranker',
      inputs: [rankerInput(featureCount)],
      outputs: [rankerOutput()],
      initializers: [
        { name: 'weights', dataType: OnnxDataType.Float, dims: [featureCount, 1], values: spec.weights },
        { name: 'bias', dataType: OnnxDataType.Float, dims: [1], values: [spec.bias] },
      ],
      nodes: [
        { opType: 'MatMul', name: 'dot', inputs: [RANKER_INPUT, 'weights'], outputs: ['logit_raw'] },
        { opType: 'Add', name: 'add_bias', inputs: ['logit_raw', 'bias'], outputs: ['logit'] },
        { opType: 'Sigmoid', name: 'sigmoid', inputs: ['logit'], outputs: [RANKER_OUTPUT] },
      ],
    },
  });
}

/** The same function in TypeScript (float64), for tests and parity checks. */
export function linearRankerScore(spec: LinearRankerSpec, row: ArrayLike<number>): number {
  let logit = spec.bias;
  for (let index = 0; index < spec.weights.length; index += 1) logit += (spec.weights[index] ?? 0) * (row[index] ?? 0);
  return 1 / (1 + Math.exp(-logit));
}
