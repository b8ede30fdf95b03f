/**
 * CRC-64-AVRO, the 64-bit Rabin fingerprint the Avro specification recommends for schema
 * fingerprints ("Schema Fingerprints"): polynomial constant EMPTY = 0xc15d213aa4d7a795, reflected
 * table-driven update. BigInt keeps it exact; it only ever runs over schema texts, at startup.
 */
const MASK_64 = (1n << 64n) - 1n;
export const CRC64_AVRO_EMPTY = 0xc15d213aa4d7a795n;

const FINGERPRINT_TABLE: readonly bigint[] = buildTable();

function buildTable(): bigint[] {
  const table: bigint[] = [];
  for (let i = 0; i < 256; i += 1) {
    let fp = BigInt(i);
    for (let bit = 0; bit < 8; bit += 1) {
      fp = (fp >> 1n) ^ ((fp & 1n) === 1n ? CRC64_AVRO_EMPTY : 0n);
    }
    table.push(fp);
  }
  return table;
}

/** The fingerprint as an unsigned 64-bit integer. */
export function crc64Avro(data: Uint8Array): bigint {
  let fp = CRC64_AVRO_EMPTY;
  for (const byte of data) {
    const entry = FINGERPRINT_TABLE[Number((fp ^ BigInt(byte)) & 0xffn)] ?? 0n;
    fp = ((fp >> 8n) ^ entry) & MASK_64;
  }
  return fp;
}

/** The fingerprint's 8 bytes in little-endian order, as the single-object encoding carries them. */
export function crc64AvroBytes(data: Uint8Array): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(crc64Avro(data));
  return bytes;
}
