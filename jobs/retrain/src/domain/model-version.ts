import { AppError, ErrorCode } from '@streamrec/foundation';

/** Model names: the Kafka key on models.published.v1 and the start of every version. */
export const MODEL_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

export function checkModelName(name: string): string {
  if (!MODEL_NAME.test(name)) throw new AppError(ErrorCode.InvalidArgument, `model name '${name}' must be lower-case letters, digits, '_' or '-' (at most 64, starting with a letter)`);
  return name;
}

/** 2026-12-05T01:30:00.123Z → 20261205T013000Z (UTC, sortable, no characters a shell or a URL minds). */
export function utcStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** `<name>-<UTC timestamp>-<first 8 hex of the ONNX sha256>`, e.g. ranker-20261205T013000Z-3f2a1c9d. */
export function modelVersion(name: string, publishedAtMs: number, onnxSha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(onnxSha256)) throw new RangeError(`not a sha256: ${onnxSha256}`);
  return `${checkModelName(name)}-${utcStamp(publishedAtMs)}-${onnxSha256.slice(0, 8)}`;
}

/** A run id: the start time and random hex, e.g. 20261205T013000Z-a1b2c3d4 (model_runs, MLflow run name, lineage). */
export function runId(startedAtMs: number, randomHex: string): string {
  if (!/^[0-9a-f]{8}$/.test(randomHex)) throw new RangeError(`expected 8 hex digits, got ${randomHex}`);
  return `${utcStamp(startedAtMs)}-${randomHex}`;
}
