import { AppError, ErrorCode, seededRandom } from '@streamrec/foundation';
import type { TreeNode } from './tree-ensemble.js';

export interface SyntheticTreesOptions {
  readonly trees: number;
  readonly depth: number;
  readonly featureCount: number;
  readonly seed: number;
  /** Leaf weights are uniform in ±leafScale (default 0.05, a boosted tree's typical shrunken step). */
  readonly leafScale?: number;
}

/**
 * Full binary trees of random splits on features in [0, 1]: the cost of a LightGBM model of the same
 * shape (trees × depth) without training one, so a benchmark can rank with a realistic model.
 * Seeded, so the same options always give the same model.
 */
export function syntheticTrees(options: SyntheticTreesOptions): TreeNode[] {
  const { trees, depth, featureCount, seed } = options;
  if (!Number.isInteger(trees) || trees < 1 || trees > 10_000) throw new AppError(ErrorCode.InvalidArgument, `trees must be 1..10000, got ${trees}`);
  if (!Number.isInteger(depth) || depth < 1 || depth > 16) throw new AppError(ErrorCode.InvalidArgument, `depth must be 1..16, got ${depth}`);
  if (!Number.isInteger(featureCount) || featureCount < 1) throw new AppError(ErrorCode.InvalidArgument, `featureCount must be ≥ 1, got ${featureCount}`);
  const random = seededRandom(seed);
  const leafScale = options.leafScale ?? 0.05;
  const grow = (level: number): TreeNode => {
    if (level === depth) return { kind: 'leaf', weight: (random() * 2 - 1) * leafScale };
    return {
      kind: 'branch',
      feature: Math.floor(random() * featureCount),
      threshold: Math.round(random() * 1000) / 1000,
      whenTrue: grow(level + 1),
      whenFalse: grow(level + 1),
    };
  };
  return Array.from({ length: trees }, () => grow(0));
}
