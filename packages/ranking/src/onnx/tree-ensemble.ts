import { AppError, ErrorCode } from '@streamrec/foundation';
import { attribute, encodeOnnxModel, OPSET_ONNX, OPSET_ONNX_ML } from './onnx-model.js';
import { assertFeatureColumns, RANKER_INPUT, RANKER_OUTPUT, rankerInput, rankerOutput } from './ranker-io.js';

/**
 * A regression tree as LightGBM's ONNX export writes it: branches `x[feature] <= threshold` (true → left),
 * leaves carry a weight; the ensemble's score is base + the sum of one leaf per tree.
 */
export type TreeNode =
  | { readonly kind: 'branch'; readonly feature: number; readonly threshold: number; readonly whenTrue: TreeNode; readonly whenFalse: TreeNode }
  | { readonly kind: 'leaf'; readonly weight: number };

export const TreePostTransform = {
  None: 'NONE',
  Logistic: 'LOGISTIC',
} as const;
export type TreePostTransform = (typeof TreePostTransform)[keyof typeof TreePostTransform];

export interface TreeEnsembleSpec {
  readonly featureNames: readonly string[];
  readonly trees: readonly TreeNode[];
  readonly baseValue?: number;
  /**
   * NONE (raw sum: the ranking order is all that matters) or LOGISTIC, written as a Sigmoid node after the
   * ensemble: onnxruntime ignores the operator's own LOGISTIC post_transform for a single-target regressor.
   */
  readonly postTransform?: TreePostTransform;
  readonly producerVersion?: string;
}

/** The parallel node/target arrays of ai.onnx.ml TreeEnsembleRegressor. */
export interface FlatTreeEnsemble {
  readonly nodeTreeIds: number[];
  readonly nodeIds: number[];
  readonly featureIds: number[];
  readonly modes: string[];
  readonly values: number[];
  readonly trueNodeIds: number[];
  readonly falseNodeIds: number[];
  readonly targetTreeIds: number[];
  readonly targetNodeIds: number[];
  readonly targetWeights: number[];
}

export function flattenTrees(trees: readonly TreeNode[], featureCount: number): FlatTreeEnsemble {
  const flat: FlatTreeEnsemble = {
    nodeTreeIds: [], nodeIds: [], featureIds: [], modes: [], values: [], trueNodeIds: [], falseNodeIds: [],
    targetTreeIds: [], targetNodeIds: [], targetWeights: [],
  };
  trees.forEach((tree, treeId) => {
    let nextId = 0;
    // Depth-first with explicit ids: a node's children get theirs before the node is written.
    const visit = (node: TreeNode): number => {
      const id = nextId;
      nextId += 1;
      if (node.kind === 'leaf') {
        push(flat, treeId, id, 0, 'LEAF', 0, 0, 0);
        flat.targetTreeIds.push(treeId);
        flat.targetNodeIds.push(id);
        flat.targetWeights.push(node.weight);
        return id;
      }
      if (!Number.isInteger(node.feature) || node.feature < 0 || node.feature >= featureCount) {
        throw new AppError(ErrorCode.InvalidArgument, `tree ${treeId}: feature index ${node.feature} outside 0..${featureCount - 1}`);
      }
      const slot = flat.nodeIds.length;
      push(flat, treeId, id, node.feature, 'BRANCH_LEQ', node.threshold, 0, 0);
      flat.trueNodeIds[slot] = visit(node.whenTrue);
      flat.falseNodeIds[slot] = visit(node.whenFalse);
      return id;
    };
    visit(tree);
  });
  return flat;
}

function push(flat: FlatTreeEnsemble, treeId: number, nodeId: number, feature: number, mode: string, value: number, whenTrue: number, whenFalse: number): void {
  flat.nodeTreeIds.push(treeId);
  flat.nodeIds.push(nodeId);
  flat.featureIds.push(feature);
  flat.modes.push(mode);
  flat.values.push(value);
  flat.trueNodeIds.push(whenTrue);
  flat.falseNodeIds.push(whenFalse);
}

/** An ONNX model: `features` [N, F] → TreeEnsembleRegressor (ai.onnx.ml) → `score` [N, 1]. */
export function treeEnsembleRankerModel(spec: TreeEnsembleSpec): Uint8Array {
  assertFeatureColumns(spec.featureNames);
  if (spec.trees.length === 0) throw new AppError(ErrorCode.InvalidArgument, 'a tree ensemble needs at least one tree');
  const flat = flattenTrees(spec.trees, spec.featureNames.length);
  const logistic = spec.postTransform === TreePostTransform.Logistic;
  const ensembleOutput = logistic ? 'raw_score' : RANKER_OUTPUT;
  return encodeOnnxModel({
    producerName: 'streamrec-model',
    producerVersion: spec.producerVersion ?? '1',
    doc: `tree ensemble ranker: ${spec.trees.length} trees`,
    opsets: [OPSET_ONNX, OPSET_ONNX_ML],
    metadata: { feature_names: spec.featureNames.join(',') },
    graph: {
      name: 'tree_ensemble_ranker',
      inputs: [rankerInput(spec.featureNames.length)],
      outputs: [rankerOutput()],
      nodes: [
        {
          opType: 'TreeEnsembleRegressor',
          domain: OPSET_ONNX_ML.domain,
          name: 'trees',
          inputs: [RANKER_INPUT],
          outputs: [ensembleOutput],
          attributes: {
            aggregate_function: attribute.string('SUM'),
            base_values: attribute.floats([spec.baseValue ?? 0]),
            n_targets: attribute.int(1),
            nodes_falsenodeids: attribute.ints(flat.falseNodeIds),
            nodes_featureids: attribute.ints(flat.featureIds),
            nodes_modes: attribute.strings(flat.modes),
            nodes_nodeids: attribute.ints(flat.nodeIds),
            nodes_treeids: attribute.ints(flat.nodeTreeIds),
            nodes_truenodeids: attribute.ints(flat.trueNodeIds),
            nodes_values: attribute.floats(flat.values),
            post_transform: attribute.string(TreePostTransform.None),
            target_ids: attribute.ints(flat.targetTreeIds.map(() => 0)),
            target_nodeids: attribute.ints(flat.targetNodeIds),
            target_treeids: attribute.ints(flat.targetTreeIds),
            target_weights: attribute.floats(flat.targetWeights),
          },
        },
        ...(logistic ? [{ opType: 'Sigmoid', name: 'sigmoid', inputs: [ensembleOutput], outputs: [RANKER_OUTPUT] }] : []),
      ],
    },
  });
}

/** The ensemble evaluated in TypeScript with float32 thresholds, as onnxruntime compares them. */
export function treeEnsembleScore(spec: TreeEnsembleSpec, row: ArrayLike<number>): number {
  let sum = spec.baseValue ?? 0;
  for (const tree of spec.trees) {
    let node = tree;
    while (node.kind === 'branch') node = Math.fround(row[node.feature] ?? 0) <= Math.fround(node.threshold) ? node.whenTrue : node.whenFalse;
    sum += Math.fround(node.weight);
  }
  return spec.postTransform === TreePostTransform.Logistic ? 1 / (1 + Math.exp(-sum)) : sum;
}
