import { describe, expect, it } from 'vitest';
import { BoundedQueue } from './bounded-queue.js';

describe('BoundedQueue', () => {
  it('is first in, first out and drops the oldest when full', () => {
    const queue = new BoundedQueue<number>(3);
    expect([1, 2, 3].map((n) => queue.push(n))).toEqual([0, 0, 0]);
    expect(queue.push(4)).toBe(1);
    expect(queue.peek(10).items).toEqual([2, 3, 4]);
    expect(queue.size).toBe(3);
  });

  it('removes exactly the batch taken, even when pushes dropped part of it while it was in flight', () => {
    const queue = new BoundedQueue<string>(4);
    for (const item of ['a', 'b', 'c', 'd']) queue.push(item);
    const batch = queue.peek(2);
    expect(batch.items).toEqual(['a', 'b']);
    // While 'a', 'b' are being sent, three more arrive: 'a', 'b' and 'c' are dropped from the front.
    for (const item of ['e', 'f', 'g']) queue.push(item);
    queue.removeThrough(batch.through);
    expect(queue.peek(10).items).toEqual(['d', 'e', 'f', 'g']);
    queue.removeThrough(queue.peek(1).through);
    expect(queue.peek(10).items).toEqual(['e', 'f', 'g']);
  });

  it('wraps around many times with a constant footprint', () => {
    const queue = new BoundedQueue<number>(5);
    let next = 0;
    const seen: number[] = [];
    for (let round = 0; round < 1_000; round += 1) {
      for (let n = 0; n < 3; n += 1) queue.push(next++);
      const batch = queue.peek(3);
      seen.push(...batch.items);
      queue.removeThrough(batch.through);
    }
    expect(seen).toEqual(Array.from({ length: 3_000 }, (_, index) => index));
    expect(queue.size).toBe(0);
  });

  it('refuses a capacity below one', () => {
    expect(() => new BoundedQueue(0)).toThrow(RangeError);
  });
});
