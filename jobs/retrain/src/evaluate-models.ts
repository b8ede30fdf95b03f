import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { readModelTopic, servingPublication, sha256Hex } from '@streamrec/model/app';
import { readSplit, type LoadedSplit } from './adapters/dataset-files.js';
import { scoreWithOnnx } from './adapters/onnx-scoring.js';
import { mapColumns, selectColumns } from './domain/champion-columns.js';
import { readFloat64LE } from './domain/dataset-format.js';
import type { ChampionEvaluation } from './domain/gate.js';
import { maxAbsDifference, PARITY_BOUND, withinParity } from './domain/parity.js';
import { rankingMetrics, type RankingMetrics } from './domain/ranking-metrics.js';
import type { TrainerReport } from './domain/trainer-report.js';

export interface Challenger {
  readonly onnx: Buffer;
  readonly sha256: string;
  readonly holdout: LoadedSplit;
  readonly parityMaxAbs: number;
  /** On onnxruntime-node scores of the holdout: what the gate compares. */
  readonly metrics: RankingMetrics;
}

/**
 * Loads model.onnx in onnxruntime-node the way the API does, scores the holdout, and requires the scores
 * to match LightGBM's own (holdout.lgbm.f64) within PARITY_BOUND; a model that would serve differently
 * from what was evaluated is never published. Then the challenger's metrics on those scores.
 */
export async function checkChallenger(modelDir: string, dataDir: string, report: TrainerReport, name: string): Promise<Challenger> {
  const onnx = await readFile(join(modelDir, 'model.onnx'));
  const sha256 = sha256Hex(onnx);
  if (sha256 !== report.onnx.sha256) throw new AppError(ErrorCode.ModelInvalid, `model.onnx hashes to ${sha256}, the trainer's report says ${report.onnx.sha256}`);
  const holdout = await readSplit(dataDir, 'holdout');
  const lightgbm = readFloat64LE(await readFile(join(modelDir, 'holdout.lgbm.f64')));
  if (lightgbm.length !== holdout.rows) throw new AppError(ErrorCode.ModelInvalid, `holdout.lgbm.f64 has ${lightgbm.length} scores for ${holdout.rows} holdout rows`);
  const scores = await scoreWithOnnx({ name, version: 'challenger', featureNames: report.feature_names, onnx }, holdout.features, holdout.rows);
  const parity = maxAbsDifference(scores, lightgbm);
  if (!withinParity(parity.maxAbs)) {
    throw new AppError(
      ErrorCode.ModelInvalid,
      `ONNX parity failed in onnxruntime-node: max |ONNX − LightGBM| = ${parity.maxAbs} > ${PARITY_BOUND} (holdout row ${parity.row}: ${scores[parity.row]} vs ${lightgbm[parity.row]})`,
    );
  }
  return { onnx, sha256, holdout, parityMaxAbs: parity.maxAbs, metrics: rankingMetrics(holdout.labels, holdout.groups, scores) };
}

/**
 * The champion: the model serving under the same name now, scored by onnxruntime-node on the same holdout
 * rows, its input columns taken by name from the run's columns. One it cannot score fairly (a feature the
 * run has no column for, damaged bytes, a model that does not load) is "not comparable".
 */
export async function evaluateChampion(kafka: Kafka, topic: string, name: string, featureNames: readonly string[], holdout: LoadedSplit): Promise<ChampionEvaluation> {
  const champion = servingPublication(await readModelTopic(kafka, topic), name);
  if (champion === undefined) return { kind: 'none' };
  const notComparable = (reason: string): ChampionEvaluation => ({ kind: 'not_comparable', version: champion.version, reason });
  if (sha256Hex(champion.onnx) !== champion.sha256) return notComparable('its ONNX bytes do not match its sha256');
  const mapping = mapColumns(featureNames, champion.feature_names);
  if (mapping.missing.length > 0) return notComparable(`it reads ${mapping.missing.join(', ')}, which the run's columns do not have`);
  let scores: Float32Array;
  try {
    scores = await scoreWithOnnx(
      { name, version: champion.version, featureNames: champion.feature_names, onnx: champion.onnx },
      selectColumns(holdout.features, featureNames.length, mapping.columns),
      holdout.rows,
    );
  } catch (error) {
    return notComparable(`it does not load or score in onnxruntime-node: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { kind: 'scored', version: champion.version, metrics: rankingMetrics(holdout.labels, holdout.groups, scores) };
}
