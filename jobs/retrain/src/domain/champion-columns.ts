/**
 * The champion reads its own feature list, in its own order; the holdout rows have the run's columns.
 * Its input is built by name from the run's columns. A name the run has no column for makes the
 * champion not comparable on this holdout (scoring it with NaN or 0 would measure a different model
 * than the one serving), which the gate treats as "refuse unless --force".
 */
export interface ColumnMapping {
  /** For each model feature, its column in the run's rows (-1 when missing). */
  readonly columns: readonly number[];
  readonly missing: readonly string[];
}

export function mapColumns(runFeatures: readonly string[], modelFeatures: readonly string[]): ColumnMapping {
  const index = new Map(runFeatures.map((name, column) => [name, column]));
  const columns = modelFeatures.map((name) => index.get(name) ?? -1);
  return { columns, missing: modelFeatures.filter((_, position) => columns[position] === -1) };
}

/** Rows × model features, row-major, from rows × run features; missing columns (−1) are NaN. */
export function selectColumns(rows: Float32Array, width: number, columns: readonly number[]): Float32Array {
  if (width <= 0 || rows.length % width !== 0) throw new RangeError(`${rows.length} values are not rows of ${width}`);
  const count = rows.length / width;
  const out = new Float32Array(count * columns.length);
  for (let row = 0; row < count; row += 1) {
    for (let position = 0; position < columns.length; position += 1) {
      const column = columns[position] ?? -1;
      out[row * columns.length + position] = column < 0 ? Number.NaN : (rows[row * width + column] ?? Number.NaN);
    }
  }
  return out;
}
