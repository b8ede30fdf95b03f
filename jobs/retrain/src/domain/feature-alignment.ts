import { AppError, ErrorCode } from '@streamrec/foundation';
import type { LoggedFeatureList } from './feature-choice.js';

/** Maps a row's logged values (in its list's order) to the run's columns: NaN where the list lacks a column or the value is not finite. */
export type FeatureAligner = (listId: string, logged: readonly (number | null)[]) => Float32Array;

/**
 * One index table per logged list, built once: a row then costs one pass over the run's columns
 * (what the training-set query cannot do cheaply, see training-set-query.ts).
 */
export function featureAligner(columns: readonly string[], lists: readonly Pick<LoggedFeatureList, 'id' | 'featureNames'>[]): FeatureAligner {
  const indexes = new Map<string, Int32Array>();
  for (const list of lists) {
    const position = new Map(list.featureNames.map((name, index) => [name, index] as const));
    indexes.set(list.id, Int32Array.from(columns, (name) => position.get(name) ?? -1));
  }
  return (listId, logged) => {
    const index = indexes.get(listId);
    if (index === undefined) throw new AppError(ErrorCode.PayloadInvalid, `training row with unknown feature list ${listId}`);
    const features = new Float32Array(index.length);
    for (let column = 0; column < index.length; column += 1) {
      const at = index[column]!;
      const value = at < 0 ? null : logged[at];
      features[column] = value === null || value === undefined || !Number.isFinite(value) ? Number.NaN : value;
    }
    return features;
  };
}
