import { describe, expect, it } from 'vitest';
import { DueQueue } from './due-queue.js';
import { Rng } from './rng.js';

describe('DueQueue', () => {
  it('gives back only what is due, earliest first, equal times in insertion order', () => {
    const queue = new DueQueue<string>();
    queue.push(30, 'c');
    queue.push(10, 'a1');
    queue.push(20, 'b');
    queue.push(10, 'a2');
    expect(queue.nextAt()).toBe(10);
    expect(queue.popDue(5)).toBeUndefined();
    expect([queue.popDue(20), queue.popDue(20), queue.popDue(20), queue.popDue(20)]).toEqual(['a1', 'a2', 'b', undefined]);
    expect(queue.size).toBe(1);
    expect(queue.popDue(Infinity)).toBe('c');
    expect(queue.nextAt()).toBeUndefined();
  });

  it('sorts thousands of random times like a stable sort does', () => {
    const rng = new Rng('queue');
    const entries = Array.from({ length: 5_000 }, (_, i) => ({ at: rng.int(500), i }));
    const queue = new DueQueue<number>();
    for (const entry of entries) queue.push(entry.at, entry.i);
    const out: number[] = [];
    for (let value = queue.popDue(Infinity); value !== undefined; value = queue.popDue(Infinity)) out.push(value);
    expect(out).toEqual([...entries].sort((a, b) => a.at - b.at || a.i - b.i).map((entry) => entry.i));
  });
});
