import type { ModelPublication } from '@streamrec/schemas';
import { isRankingFeature } from './ranking-features.js';

/** Pure rules of the model registry: which publications may serve, and the copy-on-write model table. */

export const MODEL_FORMAT_ONNX = 'onnx';

/** Why a publication was refused (a metric label: keep the list short and stable). */
export const ModelRejectionReason = {
  /** Not a decodable models.published.v1 record (bad framing, unknown fingerprint, no key). */
  Undecodable: 'undecodable',
  /** name/version empty, or the record's name is not its key. */
  InvalidMetadata: 'invalid_metadata',
  UnsupportedFormat: 'unsupported_format',
  ChecksumMismatch: 'checksum_mismatch',
  UnknownFeature: 'unknown_feature',
  /** onnxruntime cannot load it, its input/output shapes do not fit, or the warm-up run failed. */
  InvalidModel: 'invalid_model',
  /** The ONNX bytes exceed the API's `models.maxBytes`. */
  TooLarge: 'too_large',
  /** Loading and warming up took longer than `models.loadTimeoutMs`. */
  LoadTimeout: 'load_timeout',
  /** Loading these bytes killed this process `models.quarantineAfterCrashes` times: not tried again. */
  Quarantined: 'quarantined',
  /** The API verifies publications (a public key is configured) and this one carries no signature. */
  Unsigned: 'unsigned',
  /** The signature does not verify against the configured public key (another key, or altered content). */
  SignatureInvalid: 'signature_invalid',
} as const;
export type ModelRejectionReason = (typeof ModelRejectionReason)[keyof typeof ModelRejectionReason];

export type PublicationCheck = { readonly ok: true } | { readonly ok: false; readonly reason: ModelRejectionReason; readonly message: string };

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Where a publication carries its Ed25519 signature (base64): in `lineage`, so the history record a
 * rollback re-publishes keeps a valid signature, and the Avro schema is unchanged.
 */
export const MODEL_SIGNATURE_LINEAGE_KEY = 'signature_ed25519';

/**
 * The bytes a publisher signs: the name, version, format, the ONNX bytes' SHA-256 (which binds the model
 * itself) and the feature names in column order, as canonical JSON. Metrics and lineage are not signed.
 */
export function signedContent(publication: ModelPublication): Buffer {
  return Buffer.from(JSON.stringify(['streamrec-model-v1', publication.name, publication.version, publication.format, publication.sha256.toLowerCase(), publication.feature_names]), 'utf8');
}

/**
 * Everything that can be checked before loading the bytes. `actualSha256` is the digest of `onnx` as
 * received (computed by the caller: hashing is IO-free but lives in node:crypto).
 */
export function checkPublication(key: string, publication: ModelPublication, actualSha256: string): PublicationCheck {
  if (publication.name !== key) {
    return reject(ModelRejectionReason.InvalidMetadata, `record name '${publication.name}' differs from its key '${key}'`);
  }
  if (publication.version.trim() === '') return reject(ModelRejectionReason.InvalidMetadata, 'empty version');
  if (publication.format !== MODEL_FORMAT_ONNX) {
    return reject(ModelRejectionReason.UnsupportedFormat, `format '${publication.format}' is not '${MODEL_FORMAT_ONNX}'`);
  }
  const declared = publication.sha256.toLowerCase();
  if (!SHA256_HEX.test(declared)) return reject(ModelRejectionReason.ChecksumMismatch, `sha256 '${publication.sha256}' is not 64 hex digits`);
  if (declared !== actualSha256) {
    return reject(ModelRejectionReason.ChecksumMismatch, `sha256 of the ${publication.onnx.length} ONNX bytes is ${actualSha256}, the record says ${declared}`);
  }
  return checkFeatureNames(publication.feature_names);
}

export function checkFeatureNames(featureNames: readonly string[]): PublicationCheck {
  if (featureNames.length === 0) return reject(ModelRejectionReason.InvalidMetadata, 'no feature names');
  const unknown = featureNames.filter((name) => !isRankingFeature(name));
  if (unknown.length > 0) return reject(ModelRejectionReason.UnknownFeature, `unknown feature name(s): ${unknown.join(', ')}`);
  const duplicate = duplicateFeature(featureNames);
  if (duplicate !== undefined) return reject(ModelRejectionReason.InvalidMetadata, `feature ${duplicate} listed twice`);
  return { ok: true };
}

/** The first name listed twice (a model's columns must be distinct), or undefined. */
export function duplicateFeature(featureNames: readonly string[]): string | undefined {
  return featureNames.find((name, index) => featureNames.indexOf(name) !== index);
}

function reject(reason: ModelRejectionReason, message: string): PublicationCheck {
  return { ok: false, reason, message };
}

/** A new table with `name` set to `model` (or removed when undefined): readers holding the old table are unaffected. */
export function withModel<M>(table: ReadonlyMap<string, M>, name: string, model: M | undefined): ReadonlyMap<string, M> {
  const next = new Map(table);
  if (model === undefined) next.delete(name);
  else next.set(name, model);
  return next;
}

export interface LoadedModelStatus {
  readonly version: string;
  /** Epoch milliseconds. */
  readonly loaded_at: number;
  readonly published_at: number;
  readonly feature_count: number;
  readonly sha256: string;
}

export interface ModelRejection {
  readonly version: string | null;
  readonly reason: ModelRejectionReason;
  readonly message: string;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly offset: string;
}

export interface ModelRegistryStatus {
  readonly caught_up: boolean;
  readonly models: Readonly<Record<string, LoadedModelStatus>>;
  /** The last rejected publication per name (kept after a later good one, for diagnosis). */
  readonly rejections: Readonly<Record<string, ModelRejection>>;
}
