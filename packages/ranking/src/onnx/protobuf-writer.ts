import { AppError, ErrorCode } from '@streamrec/foundation';

/**
 * The few protobuf wire-format primitives an ONNX ModelProto needs (proto2: varints, 32-bit floats,
 * length-delimited strings, bytes and sub-messages, packed repeated scalars). Write-only: the project
 * produces models, onnxruntime reads them.
 */

export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  Fixed32: 5,
} as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

const textEncoder = new TextEncoder();
const TWO_POW_64 = 1n << 64n;

/** Appends fields to a growing buffer; `finish()` returns exactly the bytes written. */
export class ProtoWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  /** A varint field (int32, int64, enum, bool); negative values take ten bytes, as protobuf specifies. */
  int(field: number, value: number | bigint): this {
    this.tag(field, WireType.Varint);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WireType.Fixed32);
    this.float32(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WireType.LengthDelimited);
    this.varint(value.length);
    this.append(value);
    return this;
  }

  /** A sub-message: written by `write` into its own writer, then framed with its length. */
  message(field: number, write: (writer: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    write(inner);
    return this.bytes(field, inner.finish());
  }

  /** Repeated float, packed (one length-delimited field of little-endian float32s). */
  packedFloats(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) return this;
    const data = new Uint8Array(values.length * 4);
    const view = new DataView(data.buffer);
    for (let index = 0; index < values.length; index += 1) view.setFloat32(index * 4, values[index] ?? 0, true);
    return this.bytes(field, data);
  }

  /** Repeated int64/int32, packed (one length-delimited field of varints). */
  packedInts(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) return this;
    const inner = new ProtoWriter();
    for (let index = 0; index < values.length; index += 1) inner.varint(values[index] ?? 0);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private tag(field: number, wireType: WireType): void {
    if (!Number.isInteger(field) || field < 1) throw new AppError(ErrorCode.InvalidArgument, `protobuf field number must be a positive integer, got ${field}`);
    this.varint(field * 8 + wireType);
  }

  private varint(value: number | bigint): void {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new AppError(ErrorCode.InvalidArgument, `protobuf varint must be a safe integer, got ${value}`);
    this.reserve(10);
    if (typeof value === 'number' && value >= 0 && value < 0x80000000) {
      // Fast path for the ids and counts that make up most of a tree ensemble.
      let small = value;
      while (small >= 0x80) {
        this.buffer[this.length] = (small & 0x7f) | 0x80;
        this.length += 1;
        small >>>= 7;
      }
      this.buffer[this.length] = small;
      this.length += 1;
      return;
    }
    let remaining = BigInt(value);
    if (remaining < 0n) remaining += TWO_POW_64;
    do {
      let byte = Number(remaining & 0x7fn);
      remaining >>= 7n;
      if (remaining !== 0n) byte |= 0x80;
      this.buffer[this.length] = byte;
      this.length += 1;
    } while (remaining !== 0n);
  }

  private float32(value: number): void {
    this.reserve(4);
    new DataView(this.buffer.buffer, this.buffer.byteOffset).setFloat32(this.length, value, true);
    this.length += 4;
  }

  private append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
