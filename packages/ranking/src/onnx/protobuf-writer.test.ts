import { describe, expect, it } from 'vitest';
import { isAppError } from '@streamrec/foundation';
import { ProtoWriter } from './protobuf-writer.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('ProtoWriter', () => {
  it('writes varints as the protobuf encoding guide shows (150 → 08 96 01)', () => {
    expect(hex(new ProtoWriter().int(1, 150).finish())).toBe('089601');
    expect(hex(new ProtoWriter().int(1, 0).finish())).toBe('0800');
    expect(hex(new ProtoWriter().int(2, 2 ** 40).finish())).toBe('108080808080' + '20');
  });

  it('writes a negative int64 as ten bytes of two’s complement', () => {
    expect(hex(new ProtoWriter().int(1, -1).finish())).toBe('08ffffffffffffffffff01');
  });

  it('frames strings, sub-messages and packed lists with their length', () => {
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('120774657374696e67');
    expect(hex(new ProtoWriter().message(3, (inner) => inner.int(1, 150)).finish())).toBe('1a03089601');
    expect(hex(new ProtoWriter().packedInts(4, [3, 270, 86942]).finish())).toBe('2206038e029ea705');
    expect(hex(new ProtoWriter().packedFloats(5, [1]).finish())).toBe('2a040000803f');
    expect(hex(new ProtoWriter().packedInts(4, []).finish())).toBe('');
  });

  it('writes a float field as little-endian float32', () => {
    expect(hex(new ProtoWriter().float(2, -2).finish())).toBe('15000000c0');
  });

  it('refuses an invalid field number or an unsafe integer with a coded error', () => {
    expect(() => new ProtoWriter().int(0, 1)).toThrow(expect.objectContaining({ code: 'REC_INVALID_ARGUMENT' }) as Error);
    let caught: unknown;
    try {
      new ProtoWriter().int(1, 2 ** 60);
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught)).toBe(true);
  });

  it('grows its buffer past the initial size', () => {
    const big = new Uint8Array(10_000).fill(7);
    const bytes = new ProtoWriter().bytes(1, big).finish();
    expect(bytes.length).toBe(1 + 2 + 10_000);
    expect(bytes[bytes.length - 1]).toBe(7);
  });
});
