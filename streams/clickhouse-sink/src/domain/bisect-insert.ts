/** A row the target refused, with the refusal. */
export interface RefusedRow<R, F> {
  readonly row: R;
  readonly refusal: F;
}

/**
 * Inserts `rows`; when the target refuses them for what some rows contain (`refusalOf` returns the refusal),
 * inserts each half separately, down to single rows, so exactly the refused rows are left out and every other
 * row is inserted once. Halves go in order, lower offsets first. Any other failure is rethrown as it is: what
 * landed before it is for the caller's present-offset check.
 */
export async function insertIsolatingRefused<R, F>(
  rows: readonly R[],
  insert: (rows: readonly R[]) => Promise<void>,
  refusalOf: (error: unknown) => F | undefined,
): Promise<RefusedRow<R, F>[]> {
  if (rows.length === 0) return [];
  try {
    await insert(rows);
    return [];
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal === undefined) throw error;
    if (rows.length === 1) return [{ row: rows[0]!, refusal }];
    const middle = Math.ceil(rows.length / 2);
    const lower = await insertIsolatingRefused(rows.slice(0, middle), insert, refusalOf);
    const upper = await insertIsolatingRefused(rows.slice(middle), insert, refusalOf);
    return [...lower, ...upper];
  }
}
