export { ProtoWriter, WireType } from './protobuf-writer.js';
export {
  attribute,
  encodeOnnxModel,
  ONNX_IR_VERSION,
  OnnxDataType,
  OPSET_ONNX,
  OPSET_ONNX_ML,
  type AttributeValue,
  type Dimension,
  type GraphSpec,
  type ModelSpec,
  type NodeSpec,
  type OpsetSpec,
  type TensorSpec,
  type ValueInfoSpec,
} from './onnx-model.js';
export { BATCH_DIM, RANKER_INPUT, RANKER_OUTPUT, rankerInput, rankerOutput } from './ranker-io.js';
export { linearRankerModel, linearRankerScore, type LinearRankerSpec } from './linear-ranker.js';
export { flattenTrees, treeEnsembleRankerModel, treeEnsembleScore, TreePostTransform, type FlatTreeEnsemble, type TreeEnsembleSpec, type TreeNode } from './tree-ensemble.js';
export { syntheticTrees, type SyntheticTreesOptions } from './synthetic-trees.js';
