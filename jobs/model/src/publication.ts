import { createHash } from 'node:crypto';
import { ModelFormat, type ModelPublication } from '@streamrec/schemas';

export interface PublicationInput {
  readonly name: string;
  readonly version: string;
  readonly onnx: Uint8Array;
  readonly featureNames: readonly string[];
  readonly metrics?: Readonly<Record<string, number>>;
  readonly lineage?: Readonly<Record<string, string>>;
  /** Epoch milliseconds (default now). */
  readonly publishedAt?: number;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A models.published.v1 record for ONNX bytes, with their checksum. */
export function buildPublication(input: PublicationInput): ModelPublication {
  const onnx = Buffer.from(input.onnx.buffer, input.onnx.byteOffset, input.onnx.byteLength);
  return {
    name: input.name,
    version: input.version,
    published_at: input.publishedAt ?? Date.now(),
    format: ModelFormat.Onnx,
    onnx,
    sha256: sha256Hex(onnx),
    feature_names: [...input.featureNames],
    metrics: { ...input.metrics },
    lineage: { ...input.lineage },
  };
}
