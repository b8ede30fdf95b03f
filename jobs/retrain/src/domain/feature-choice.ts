import { AppError, ErrorCode, formatCount } from '@streamrec/foundation';
import { isRankingFeature } from '@streamrec/ranking';

/** A feature list as logged on exposures (the serving model's columns), with its number of item rows. */
export interface LoggedFeatureList {
  /** The list's id in the training-set rows (training-set-query.ts). */
  readonly id: string;
  readonly featureNames: readonly string[];
  readonly itemRows: number;
}

export interface FeatureChoice {
  readonly featureNames: readonly string[];
  /** Logged names that are not ranking features (a model reading them could never be published). */
  readonly dropped: readonly string[];
  readonly why: string;
}

/**
 * The run's columns: the ones asked for, or else the list logged on the most item rows of the window —
 * what the serving model reads, so the challenger can be compared with it on the same inputs. Names that
 * are not ranking features are dropped (the API would refuse a model that reads them).
 */
export function chooseFeatures(logged: readonly LoggedFeatureList[], requested: readonly string[] | undefined): FeatureChoice {
  if (requested !== undefined) return { featureNames: [...requested], dropped: [], why: 'given with --features' };
  const best = [...logged].sort((a, b) => b.itemRows - a.itemRows || compare(a.featureNames.join(','), b.featureNames.join(',')))[0];
  if (best === undefined) throw new AppError(ErrorCode.InvalidArgument, 'not enough data: no exposure with logged features in the window (degraded answers log none)');
  const featureNames = unique(best.featureNames.filter(isRankingFeature));
  const dropped = best.featureNames.filter((name) => !isRankingFeature(name));
  if (featureNames.length === 0) throw new AppError(ErrorCode.InvalidArgument, `the logged features (${best.featureNames.join(', ')}) include no ranking feature`);
  const total = logged.reduce((sum, list) => sum + list.itemRows, 0);
  return { featureNames, dropped, why: `logged on ${formatCount(BigInt(best.itemRows))} of ${formatCount(BigInt(total))} item rows (${logged.length} distinct list${logged.length === 1 ? '' : 's'})` };
}

function unique(names: readonly string[]): string[] {
  return names.filter((name, index) => names.indexOf(name) === index);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
