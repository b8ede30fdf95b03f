// kafkajs 2.2.4 is patched at install (patches/kafkajs+2.2.4.patch): the CRC32C of every record batch it
// produces comes from @node-rs/crc32 (CPU CRC instructions) when that loads, else from slicing-by-8 tables
// instead of one lookup per byte. An API answer's exposure is ~25 KB: 55 µs of CRC with the byte loop, ~4 µs
// native. This checks the installed copy is the patched one and that both paths give the CRC32C of the bytes.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const indexPath = require.resolve('kafkajs/src/protocol/recordBatch/crc32C/index.js');
const tablesPath = require.resolve('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js');
const crc32C = require(indexPath) as (buffer: Buffer) => number;
const crc32CTables = require(tablesPath) as (buffer: Buffer) => number;

/** CRC-32C (Castagnoli, reflected 0x82F63B78) bit by bit: the definition the fast paths must match. */
function bitwiseCrc32C(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('the installed kafkajs computes record-batch CRC32C fast', () => {
  it('is the patched copy, and the native checksum loads here', () => {
    expect(readFileSync(indexPath, 'utf8')).toContain("require('@node-rs/crc32').crc32c");
    expect(readFileSync(tablesPath, 'utf8')).toContain('slicingTables');
    const loadNative = (): void => {
      require('@node-rs/crc32');
    };
    expect(loadNative).not.toThrow();
  });

  it('gives the CRC32C of the bytes on both paths: the check value, every length to 100, offsets into a larger buffer, a 25 KB batch', () => {
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32CTables(Buffer.from('123456789'))).toBe(0xe3069283);
    const pool = randomBytes(30_000);
    const cases = [...Array.from({ length: 101 }, (_, length) => pool.subarray(7, 7 + length)), pool.subarray(3, 3 + 24_743), pool];
    for (const bytes of cases) {
      const expected = bitwiseCrc32C(bytes);
      expect(crc32C(bytes), `${bytes.length} bytes`).toBe(expected);
      expect(crc32CTables(bytes), `${bytes.length} bytes (tables)`).toBe(expected);
    }
  });
});
