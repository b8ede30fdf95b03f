import * as ort from 'onnxruntime-node';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { checkFeatureNames } from '../model-publication.js';
import type { RankerModel } from '../ranker-model.js';

/** What the registry hands over: the verified bytes and the publication's metadata. */
export interface OnnxRankerSource {
  readonly name: string;
  readonly version: string;
  readonly featureNames: readonly string[];
  readonly onnx: Uint8Array;
}

export interface OnnxRankerOptions {
  /** Rows of the warm-up run made before the model is returned (default 4). */
  readonly warmupRows?: number;
}

/** A loaded, validated and warmed-up ONNX ranker. */
export interface OnnxRanker extends RankerModel {
  readonly inputName: string;
  readonly outputName: string;
  /** Frees the native session once runs in flight have finished; later `score` calls fail with REC_MODEL_INVALID. */
  release(): Promise<void>;
}

const PREFERRED_INPUT = 'features';
const PREFERRED_OUTPUT = 'score';

/**
 * Loads ONNX bytes into an onnxruntime session (one intra-op and one inter-op thread: the API scores many
 * small batches concurrently, so parallelism comes from requests, not from inside one run) and checks it
 * can serve before anyone sees it: known feature names, one float input [batch, F], one score per row on
 * a warm-up run. Every failure is AppError(REC_MODEL_INVALID).
 */
export async function loadOnnxRanker(source: OnnxRankerSource, options: OnnxRankerOptions = {}): Promise<OnnxRanker> {
  const label = `model ${source.name}@${source.version}`;
  const names = checkFeatureNames(source.featureNames);
  if (!names.ok) throw invalid(`${label}: ${names.message}`);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(source.onnx, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
    });
  } catch (cause) {
    throw invalid(`${label}: onnxruntime cannot load the ${source.onnx.length} bytes (${messageOf(cause)})`, cause);
  }
  try {
    const { inputName, outputName } = checkSignature(session, source.featureNames.length, label);
    const ranker = new SessionRanker(session, source, inputName, outputName, label);
    await ranker.warmUp(Math.max(1, options.warmupRows ?? 4));
    return ranker;
  } catch (error) {
    await session.release().catch(() => undefined);
    if (error instanceof AppError && error.code === ErrorCode.ModelInvalid) throw error;
    throw invalid(`${label}: ${messageOf(error)}`, error);
  }
}

function checkSignature(session: ort.InferenceSession, featureCount: number, label: string): { inputName: string; outputName: string } {
  const inputName = pickName(session.inputNames, PREFERRED_INPUT);
  if (inputName === undefined) throw invalid(`${label}: expected one input (or one named '${PREFERRED_INPUT}'), found [${session.inputNames.join(', ')}]`);
  const outputName = pickName(session.outputNames, PREFERRED_OUTPUT);
  if (outputName === undefined) throw invalid(`${label}: expected one output (or one named '${PREFERRED_OUTPUT}'), found [${session.outputNames.join(', ')}]`);
  const input = session.inputMetadata.find((meta) => meta.name === inputName);
  if (input?.isTensor !== true) throw invalid(`${label}: input '${inputName}' is not a tensor`);
  if (input.type !== 'float32') throw invalid(`${label}: input '${inputName}' is ${input.type}, expected float32`);
  const [, columns] = input.shape;
  if (input.shape.length !== 2 || (typeof columns === 'number' && columns !== featureCount)) {
    throw invalid(`${label}: input '${inputName}' has shape [${input.shape.join(', ')}], expected [N, ${featureCount}] for ${featureCount} feature names`);
  }
  return { inputName, outputName };
}

function pickName(names: readonly string[], preferred: string): string | undefined {
  if (names.includes(preferred)) return preferred;
  return names.length === 1 ? names[0] : undefined;
}

class SessionRanker implements OnnxRanker {
  readonly name: string;
  readonly version: string;
  readonly featureNames: readonly string[];
  private inFlight = 0;
  private released = false;
  private drained: (() => void) | undefined;

  constructor(
    private readonly session: ort.InferenceSession,
    source: OnnxRankerSource,
    readonly inputName: string,
    readonly outputName: string,
    private readonly label: string,
  ) {
    this.name = source.name;
    this.version = source.version;
    this.featureNames = Object.freeze([...source.featureNames]);
  }

  async warmUp(rows: number): Promise<void> {
    const features = new Float32Array(rows * this.featureNames.length);
    for (let index = 0; index < features.length; index += 1) features[index] = (index % 7) / 7;
    const scores = await this.score(features, rows);
    if (!scores.every(Number.isFinite)) throw invalid(`${this.label}: warm-up run gave non-finite scores`);
  }

  async score(features: Float32Array, rows: number): Promise<Float32Array> {
    if (this.released) throw invalid(`${this.label} was released (replaced or unloaded)`);
    const columns = this.featureNames.length;
    if (!Number.isInteger(rows) || rows < 0 || features.length !== rows * columns) {
      throw new AppError(ErrorCode.InvalidArgument, `${this.label}: ${features.length} feature values for ${rows} rows × ${columns} features`);
    }
    if (rows === 0) return new Float32Array(0);
    this.inFlight += 1;
    try {
      const output = (await this.session.run({ [this.inputName]: new ort.Tensor('float32', features, [rows, columns]) }))[this.outputName];
      if (output === undefined) throw invalid(`${this.label}: run gave no output '${this.outputName}'`);
      return scoresOf(output, rows, this.label);
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.drained?.();
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
      });
    }
    await this.session.release();
  }
}

function scoresOf(output: ort.Tensor, rows: number, label: string): Float32Array {
  const perRow = output.dims.slice(1).reduce((product, dim) => product * dim, 1);
  if (output.dims[0] !== rows || perRow !== 1) throw invalid(`${label}: output has shape [${output.dims.join(', ')}], expected one score per row (${rows})`);
  const { data } = output;
  if (data instanceof Float32Array) return data;
  if (data instanceof Float64Array) return Float32Array.from(data);
  throw invalid(`${label}: output is ${output.type}, expected float32 or float64 scores`);
}

function invalid(message: string, cause?: unknown): AppError {
  return new AppError(ErrorCode.ModelInvalid, message, cause === undefined ? {} : { cause });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
