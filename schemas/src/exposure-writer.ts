import { endianness } from 'node:os';
import { AppError, ErrorCode } from '@streamrec/foundation';
import type { WritableExposure } from './event-types.js';
import { frameSingleObject, SINGLE_OBJECT_HEADER_LENGTH } from './single-object.js';
import { schemaFingerprint } from './canonical-form.js';
import { loadAvroSchema } from './schema-files.js';

/**
 * The fields of serving.exposures.v1 and of its ExposedItem in the order this writer writes them. The test
 * compares them with the schema file, so a schema change cannot leave this writer behind unnoticed.
 */
export const EXPOSURE_WRITER_FIELDS = {
  exposure: ['request_id', 'user_id', 'event_time', 'scene', 'experiment', 'variant', 'model_name', 'model_version', 'degraded_reasons', 'latency_ms', 'feature_names', 'items', 'ingest_time'],
  item: ['item_id', 'position', 'channel', 'score', 'features', 'shown'],
} as const;

const LITTLE_ENDIAN = endianness() === 'LE';
/** Upper bound of a zig-zag varint long. */
const MAX_VARINT_BYTES = 10;
const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
/** The largest magnitude avsc writes as a long (it refuses ±2^53 − 1 for the precision a reader could lose). */
const LONG_LIMIT = 9_007_199_254_740_990;

/**
 * Writes serving.exposures.v1 single-object messages with the bytes avsc writes (exposure-writer.test.ts
 * compares them on random exposures), about ten times faster for an answer's exposure: avsc writes each of
 * its ~5,000 feature values with its own call, this writer copies a vector's float32 bytes at once (a
 * Float32Array view directly, a plain array through one reused Float32Array). Values are checked as they
 * are written: a field of the wrong type throws REC_PAYLOAD_INVALID naming it, and nothing is returned.
 */
export class ExposureWriter {
  private buffer: Buffer;
  private position = 0;
  private floats = new Float32Array(256);
  /** The last feature_names array written and its bytes: every answer of one model logs the same names. */
  private lastNames: readonly string[] = [];
  private lastNamesBytes: Buffer = Buffer.from([0]);

  constructor(private readonly fingerprint: Uint8Array) {
    this.buffer = Buffer.alloc(64 * 1024);
    frameSingleObject(fingerprint, new Uint8Array(0)).copy(this.buffer);
  }

  /** The single-object message (header and body) of one exposure, in a buffer of its own. */
  encode(exposure: WritableExposure): Buffer {
    this.reserve(sizeBound(exposure));
    this.position = SINGLE_OBJECT_HEADER_LENGTH;
    this.string(exposure.request_id, 'request_id');
    this.string(exposure.user_id, 'user_id');
    this.long(exposure.event_time, 'event_time');
    this.string(exposure.scene, 'scene');
    this.nullableString(exposure.experiment, 'experiment');
    this.nullableString(exposure.variant, 'variant');
    this.nullableString(exposure.model_name, 'model_name');
    this.nullableString(exposure.model_version, 'model_version');
    this.strings(exposure.degraded_reasons, 'degraded_reasons');
    this.int(exposure.latency_ms, 'latency_ms');
    this.featureNames(exposure.feature_names);
    const { items } = exposure;
    if (!Array.isArray(items)) throw invalid('items', items);
    if (items.length > 0) {
      this.long(items.length, 'items');
      for (const item of items) {
        this.long(item.item_id, 'items.item_id');
        this.int(item.position, 'items.position');
        this.string(item.channel, 'items.channel');
        this.float(item.score, 'items.score');
        this.floatArray(item.features, 'items.features');
        if (typeof item.shown !== 'boolean') throw invalid('items.shown', item.shown);
        this.buffer[this.position++] = item.shown ? 1 : 0;
      }
    }
    this.buffer[this.position++] = 0;
    this.long(exposure.ingest_time, 'ingest_time');
    return Buffer.from(this.buffer.subarray(0, this.position));
  }

  private reserve(bytes: number): void {
    if (this.buffer.length >= SINGLE_OBJECT_HEADER_LENGTH + bytes) return;
    const grown = Buffer.alloc(Math.max(2 * this.buffer.length, SINGLE_OBJECT_HEADER_LENGTH + bytes));
    frameSingleObject(this.fingerprint, new Uint8Array(0)).copy(grown);
    this.buffer = grown;
  }

  /** Avro long: zig-zag varint, as avsc writes it (integer arithmetic within ±2^30, floating beyond). */
  private long(value: number, field: string): void {
    if (!Number.isInteger(value) || value < -LONG_LIMIT || value > LONG_LIMIT) throw invalid(field, value);
    const buffer = this.buffer;
    if (value >= -1073741824 && value < 1073741824) {
      let zigzag = value >= 0 ? value << 1 : (~value << 1) | 1;
      while (zigzag > 0x7f) {
        buffer[this.position++] = (zigzag & 0x7f) | 0x80;
        zigzag >>>= 7;
      }
      buffer[this.position++] = zigzag;
      return;
    }
    let zigzag = value >= 0 ? value * 2 : -value * 2 - 1;
    while (zigzag >= 128) {
      buffer[this.position++] = (zigzag % 128) | 0x80;
      zigzag = Math.floor(zigzag / 128);
    }
    buffer[this.position++] = zigzag;
  }

  private int(value: number, field: string): void {
    if (!Number.isInteger(value) || value < INT_MIN || value > INT_MAX) throw invalid(field, value);
    this.long(value, field);
  }

  private float(value: number, field: string): void {
    if (typeof value !== 'number') throw invalid(field, value);
    this.buffer.writeFloatLE(value, this.position);
    this.position += 4;
  }

  private string(value: string, field: string): void {
    if (typeof value !== 'string') throw invalid(field, value);
    const length = Buffer.byteLength(value);
    this.long(length, field);
    this.position += this.buffer.write(value, this.position, length, 'utf8');
  }

  private nullableString(value: string | null, field: string): void {
    if (value === null) {
      this.buffer[this.position++] = 0; // union branch 0: null
      return;
    }
    this.buffer[this.position++] = 2; // union branch 1 (zig-zag): string
    this.string(value, field);
  }

  private strings(values: readonly string[], field: string): void {
    if (!Array.isArray(values)) throw invalid(field, values);
    if (values.length > 0) {
      this.long(values.length, field);
      for (let index = 0; index < values.length; index += 1) this.string(values[index] as string, field);
    }
    this.buffer[this.position++] = 0;
  }

  private featureNames(names: readonly string[]): void {
    if (!Array.isArray(names) || !sameStrings(names, this.lastNames)) {
      const start = this.position;
      this.strings(names, 'feature_names');
      this.lastNames = [...names];
      this.lastNamesBytes = Buffer.from(this.buffer.subarray(start, this.position));
      return;
    }
    this.lastNamesBytes.copy(this.buffer, this.position);
    this.position += this.lastNamesBytes.length;
  }

  /** array<float>: one block of float32 little-endian values, copied as bytes. */
  private floatArray(values: readonly number[] | Float32Array, field: string): void {
    const isFloat32 = values instanceof Float32Array;
    if (!isFloat32 && !Array.isArray(values)) throw invalid(field, values);
    const length = values.length;
    if (length > 0) {
      this.long(length, field);
      if (!LITTLE_ENDIAN) {
        for (let index = 0; index < length; index += 1) this.float(values[index] as number, field);
      } else {
        let floats: Float32Array;
        if (isFloat32) {
          floats = values;
        } else {
          if (this.floats.length < length) this.floats = new Float32Array(length);
          floats = this.floats;
          for (let index = 0; index < length; index += 1) {
            const value: unknown = values[index];
            if (typeof value !== 'number') throw invalid(field, value);
            floats[index] = value;
          }
        }
        this.buffer.set(new Uint8Array(floats.buffer, floats.byteOffset, 4 * length), this.position);
        this.position += 4 * length;
      }
    }
    this.buffer[this.position++] = 0;
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return false;
  return true;
}

/** An ExposureWriter of the current serving.exposures.v1 schema (reads the schema file: an I/O entry). */
export function createExposureWriter(directory?: string): ExposureWriter {
  return new ExposureWriter(schemaFingerprint(loadAvroSchema('serving.exposures.v1', directory)));
}

/** At most this many bytes (strings at 3 bytes per UTF-16 unit, every number at its widest). */
function sizeBound(exposure: WritableExposure): number {
  const text = (value: unknown): number => (typeof value === 'string' ? MAX_VARINT_BYTES + 3 * value.length : 0);
  const texts = (values: unknown): number => (Array.isArray(values) ? values.reduce((sum: number, value) => sum + text(value), MAX_VARINT_BYTES + 1) : 0);
  let bytes = text(exposure.request_id) + text(exposure.user_id) + text(exposure.scene) + 4 * (1 + MAX_VARINT_BYTES);
  bytes += text(exposure.experiment) + text(exposure.variant) + text(exposure.model_name) + text(exposure.model_version);
  bytes += texts(exposure.degraded_reasons) + texts(exposure.feature_names) + 3 * MAX_VARINT_BYTES + 1;
  if (Array.isArray(exposure.items)) {
    for (const item of exposure.items) {
      const features = (item as { features?: unknown }).features;
      const count = features instanceof Float32Array || Array.isArray(features) ? features.length : 0;
      bytes += 2 * MAX_VARINT_BYTES + text(item.channel) + 4 + MAX_VARINT_BYTES + 4 * count + 1 + 1;
    }
  }
  return bytes;
}

function invalid(field: string, value: unknown): AppError {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value).slice(0, 40);
  return new AppError(ErrorCode.PayloadInvalid, `serving.exposures.v1: value does not match the schema (${field}: invalid value ${shown})`, {
    details: { schema: 'serving.exposures.v1', problems: [`${field}: invalid value ${shown}`] },
  });
}
