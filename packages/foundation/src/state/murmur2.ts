/**
 * Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2) and its default partitioner for
 * keyed records: `toPositive(murmur2(key)) % partitions`. The processors and the API compute the
 * partition of an id with it, so Redis state lands in the hash slot of the partition that owns it.
 */
export function murmur2(data: Uint8Array, length: number = data.length): number {
  const seed = 0x9747b28c;
  const m = 0x5bd1e995;
  const r = 24;
  let h = (seed ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4]! & 0xff) + ((data[i4 + 1]! & 0xff) << 8) + ((data[i4 + 2]! & 0xff) << 16) + ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length & ~3;
  const remaining = length % 4;
  if (remaining === 3) h ^= (data[tail + 2]! & 0xff) << 16;
  if (remaining >= 2) h ^= (data[tail + 1]! & 0xff) << 8;
  if (remaining >= 1) {
    h ^= data[tail]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

const encoder = new TextEncoder();
/** UTF-8 of the key being hashed; reused, so hashing a key allocates nothing (callers run it per record and per candidate). */
let scratch = new Uint8Array(256);

/** Writes the UTF-8 bytes of `key` into `scratch` and returns how many (ASCII without the encoder). */
function utf8IntoScratch(key: string): number {
  const length = key.length;
  // A UTF-16 code unit is at most 3 UTF-8 bytes (a surrogate pair, 2 units, is 4).
  if (scratch.length < length * 3) scratch = new Uint8Array(length * 3);
  for (let index = 0; index < length; index += 1) {
    const code = key.charCodeAt(index);
    if (code >= 0x80) return encoder.encodeInto(key, scratch).written;
    scratch[index] = code;
  }
  return length;
}

/** The partition Kafka's default partitioner gives a record with this (UTF-8) key. */
export function partitionForKey(key: string | Uint8Array, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
  if (typeof key !== 'string') return (murmur2(key) & 0x7fffffff) % partitions;
  // The length first: writing the bytes may replace `scratch` with a larger buffer.
  const length = utf8IntoScratch(key);
  const hash = murmur2(scratch, length);
  return (hash & 0x7fffffff) % partitions;
}
