import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey } from './murmur2.js';

describe('murmur2', () => {
  // The vectors of Kafka's own UtilsTest.testMurmur2 (Java ints).
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('hashes %s like the Java client', (input, expected) => {
    expect(murmur2(new TextEncoder().encode(input))).toBe(expected);
  });
});

describe('partitionForKey', () => {
  it('masks the sign bit and stays in range', () => {
    for (let i = 0; i < 1000; i++) {
      const partition = partitionForKey(`user-${i}`, 6);
      expect(partition).toBeGreaterThanOrEqual(0);
      expect(partition).toBeLessThan(6);
    }
    expect(partitionForKey('21', 6)).toBe((-973932308 & 0x7fffffff) % 6);
  });

  it('hashes a string key as its UTF-8 bytes, ASCII or not, short or long, one after another', () => {
    // Each key longer than any before it: its first hash is the one made while the buffer grows.
    const keys = ['', 'a', 'user:42', 'anon:0123456789abcdef', 'é', 'Zürich-数据集-😀', 'x'.repeat(300), `${'ü'.repeat(400)}a`, 'abc', '😀'.repeat(700), 'y'.repeat(9_000)];
    for (const key of keys) {
      const bytes = new TextEncoder().encode(key);
      expect(partitionForKey(key, 2 ** 31 - 1), `${key.slice(0, 20)}… (${bytes.length} bytes), first hash`).toBe((murmur2(bytes) & 0x7fffffff) % (2 ** 31 - 1));
      for (const partitions of [6, 1_000_000]) expect(partitionForKey(key, partitions), `${key.slice(0, 20)} / ${partitions}`).toBe(partitionForKey(bytes, partitions));
    }
  });

  it('rejects a partition count that is not a positive integer', () => {
    expect(() => partitionForKey('a', 0)).toThrow(RangeError);
  });
});

describe('agreement with the producer', () => {
  it('gives every key the partition kafkajs’s default partitioner gives it', async () => {
    const { Partitioners } = (await import('kafkajs')).default;
    const partitioner = Partitioners.DefaultPartitioner();
    for (const count of [1, 3, 6, 12]) {
      const partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
      for (let i = 0; i < 500; i++) {
        const key = `user:${i * 7919}`;
        expect(partitionForKey(key, count)).toBe(partitioner({ topic: 't', partitionMetadata, message: { key, value: null } }));
      }
    }
  });
});
