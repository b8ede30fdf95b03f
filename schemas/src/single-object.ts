import { AppError, ErrorCode } from '@streamrec/foundation';

/**
 * Avro single-object encoding (Avro specification, "Single-object encoding"): the two marker
 * bytes C3 01, the writer schema's CRC-64-AVRO fingerprint as 8 little-endian bytes, then the
 * Avro binary body. The fingerprint lets a reader pick the writer schema without a registry.
 */
export const SINGLE_OBJECT_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0xc3, 0x01);
export const FINGERPRINT_LENGTH = 8;
export const SINGLE_OBJECT_HEADER_LENGTH = SINGLE_OBJECT_MAGIC.length + FINGERPRINT_LENGTH;

export interface SingleObjectParts {
  /** The writer schema fingerprint, 16 lowercase hex chars of the 8 bytes in wire order. */
  readonly fingerprint: string;
  readonly body: Buffer;
}

export function frameSingleObject(fingerprint: Uint8Array, body: Uint8Array): Buffer {
  if (fingerprint.length !== FINGERPRINT_LENGTH) {
    throw new AppError(ErrorCode.InvalidArgument, `a fingerprint has ${FINGERPRINT_LENGTH} bytes, got ${fingerprint.length}`);
  }
  return Buffer.concat([SINGLE_OBJECT_MAGIC, fingerprint, body]);
}

export function parseSingleObject(payload: Uint8Array): SingleObjectParts {
  if (payload.length < SINGLE_OBJECT_HEADER_LENGTH) {
    throw new AppError(
      ErrorCode.PayloadInvalid,
      `payload of ${payload.length} bytes is shorter than the ${SINGLE_OBJECT_HEADER_LENGTH}-byte single-object header`,
    );
  }
  if (payload[0] !== SINGLE_OBJECT_MAGIC[0] || payload[1] !== SINGLE_OBJECT_MAGIC[1]) {
    throw new AppError(ErrorCode.PayloadInvalid, 'payload does not start with the Avro single-object marker C3 01', {
      details: { marker: Buffer.from(payload.subarray(0, 2)).toString('hex') },
    });
  }
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return {
    fingerprint: bytes.toString('hex', SINGLE_OBJECT_MAGIC.length, SINGLE_OBJECT_HEADER_LENGTH),
    body: bytes.subarray(SINGLE_OBJECT_HEADER_LENGTH),
  };
}

/**
 * Whether `payload` is a single object written with the schema of `fingerprint` (marker and all 8 bytes):
 * the common case of a reader meeting its own schema, checked without parsing or hex-encoding the header.
 */
export function isSingleObjectOf(payload: Uint8Array, fingerprint: Uint8Array): boolean {
  if (payload.length < SINGLE_OBJECT_HEADER_LENGTH || payload[0] !== SINGLE_OBJECT_MAGIC[0] || payload[1] !== SINGLE_OBJECT_MAGIC[1]) return false;
  for (let index = 0; index < FINGERPRINT_LENGTH; index += 1) if (payload[SINGLE_OBJECT_MAGIC.length + index] !== fingerprint[index]) return false;
  return true;
}

/** The Avro body of a single object whose header was checked (`isSingleObjectOf`). */
export function singleObjectBody(payload: Uint8Array): Buffer {
  return Buffer.from(payload.buffer, payload.byteOffset + SINGLE_OBJECT_HEADER_LENGTH, payload.byteLength - SINGLE_OBJECT_HEADER_LENGTH);
}
