/**
 * The export check on the orchestrator's side: the model.onnx that would be published, loaded in
 * onnxruntime-node as the API loads it, must reproduce LightGBM's raw scores of the holdout
 * (holdout.lgbm.f64, written by the trainer) within PARITY_BOUND, or the run fails. The trainer checks
 * the same in Python's onnxruntime; this one checks the runtime that serves.
 */
export const PARITY_BOUND = 1e-5;

/** The largest |a − b| and its row (−1 for no rows); a NaN anywhere counts as an infinite difference. */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): { readonly maxAbs: number; readonly row: number } {
  if (a.length !== b.length) throw new RangeError(`${a.length} scores against ${b.length}`);
  let maxAbs = 0;
  let row = -1;
  for (let index = 0; index < a.length; index += 1) {
    const difference = Math.abs((a[index] ?? Number.NaN) - (b[index] ?? Number.NaN));
    const value = Number.isNaN(difference) ? Number.POSITIVE_INFINITY : difference;
    if (row === -1 || value > maxAbs) {
      maxAbs = value;
      row = index;
    }
  }
  return { maxAbs, row };
}

export function withinParity(maxAbs: number, bound = PARITY_BOUND): boolean {
  return Number.isFinite(maxAbs) && maxAbs <= bound;
}
