import { loadOnnxRanker, type OnnxRankerSource } from '@streamrec/ranking/runtime';

const BATCH_ROWS = 4096;

/**
 * Scores rows × featureNames (row-major) with the model loaded exactly as the API loads it
 * (@streamrec/ranking/runtime: checks, one thread, warm-up), in batches; one float32 score per row.
 */
export async function scoreWithOnnx(source: OnnxRankerSource, features: Float32Array, rows: number): Promise<Float32Array> {
  const ranker = await loadOnnxRanker(source);
  try {
    const width = source.featureNames.length;
    const scores = new Float32Array(rows);
    for (let start = 0; start < rows; start += BATCH_ROWS) {
      const count = Math.min(BATCH_ROWS, rows - start);
      scores.set(await ranker.score(features.subarray(start * width, (start + count) * width), count), start);
    }
    return scores;
  } finally {
    await ranker.release();
  }
}
