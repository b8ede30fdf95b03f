import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { ItemId, UserId } from '@streamrec/streams-common';
import { startAnswerCache, type CachedItem } from './answer-cache.js';

const log = pino({ level: 'silent' });
const user = (n: number): UserId => String(n) as UserId;
const answer = (n: number): CachedItem[] => Array.from({ length: 5 }, (_, i) => ({ item: String(n * 10 + i) as ItemId, score: 1 / (i + 1), channels: ['tag'] }));

/** Counts event-loop turns (setImmediate runs once per turn) until stopped. */
function loopTurns(): { readonly count: () => number; stop(): void } {
  let turns = 0;
  let running = true;
  const turn = (): void => {
    turns += 1;
    if (running) setImmediate(turn);
  };
  setImmediate(turn);
  return { count: () => turns, stop: () => void (running = false) };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'answer-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('answer cache', () => {
  it('saves the answers as JSON [user, items] pairs and loads them back at start', async () => {
    const file = join(dir, 'last-answers.json');
    const cache = await startAnswerCache({ capacity: 10, file, saveEveryMs: 60_000, usersPerChunk: 2 }, log);
    for (let n = 1; n <= 5; n += 1) cache.remember(user(n), answer(n));
    await cache.stop();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual([1, 2, 3, 4, 5].map((n) => [String(n), answer(n)]));
    const reloaded = await startAnswerCache({ capacity: 10, file, saveEveryMs: 60_000 }, log);
    expect(reloaded.size).toBe(5);
    expect(reloaded.get(user(3))).toEqual(answer(3));
    await reloaded.stop();
  });

  it('forgets erased users in memory and in the saved file at once', async () => {
    const file = join(dir, 'last-answers.json');
    const cache = await startAnswerCache({ capacity: 10, file, saveEveryMs: 60_000 }, log);
    for (let n = 1; n <= 3; n += 1) cache.remember(user(n), answer(n));
    await cache.save();
    expect(await cache.forget([user(2), user(9)])).toBe(1);
    expect(cache.get(user(2))).toBeUndefined();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual([1, 3].map((n) => [String(n), answer(n)]));
    await cache.stop();
  });

  it('never serialises more than one chunk of users without letting the event loop run', async () => {
    const file = join(dir, 'last-answers.json');
    const cache = await startAnswerCache({ capacity: 5_000, file, saveEveryMs: 60_000, usersPerChunk: 100 }, log);
    const turns = loopTurns();
    // Each answer notes the event-loop turn it is serialised in.
    const turnOfUser: number[] = [];
    for (let n = 0; n < 5_000; n += 1) {
      const probe = { toJSON: () => (turnOfUser.push(turns.count()), { item: n, score: 1, channels: ['tag'] }) };
      cache.remember(user(n), [probe as unknown as CachedItem]);
    }
    await cache.save();
    turns.stop();
    const usersPerTurn = new Map<number, number>();
    for (const turn of turnOfUser) usersPerTurn.set(turn, (usersPerTurn.get(turn) ?? 0) + 1);
    expect(turnOfUser).toHaveLength(5_000);
    expect(Math.max(...usersPerTurn.values())).toBeLessThanOrEqual(100);
    expect(JSON.parse(await readFile(file, 'utf8'))).toHaveLength(5_000);
  });

  it('keeps the previous file whole while a save is under way and after a save fails half-way', async () => {
    const file = join(dir, 'last-answers.json');
    const cache = await startAnswerCache({ capacity: 1_000, file, saveEveryMs: 60_000, usersPerChunk: 10 }, log);
    cache.remember(user(1), answer(1));
    await cache.save();
    const previous = await readFile(file, 'utf8');

    // Mid-save (between chunks) the target still holds the previous, complete file.
    const seenMidSave: string[] = [];
    for (let n = 2; n < 200; n += 1) {
      const probe = { toJSON: () => (n === 150 && seenMidSave.push(readFileSync(file, 'utf8')), answer(n)[0]) };
      cache.remember(user(n), [probe as unknown as CachedItem]);
    }
    // ... and a failure half-way (here: an answer that cannot be serialised) leaves it as it was.
    cache.remember(user(500), [{ toJSON: () => { throw new Error('disk full'); } } as unknown as CachedItem]);
    await expect(cache.save()).rejects.toThrow('disk full');
    expect(seenMidSave).toEqual([previous]);
    expect(await readFile(file, 'utf8')).toBe(previous);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a stop during a save waits for it and then saves what changed meanwhile', async () => {
    const file = join(dir, 'last-answers.json');
    const cache = await startAnswerCache({ capacity: 1_000, file, saveEveryMs: 60_000, usersPerChunk: 5 }, log);
    for (let n = 1; n <= 50; n += 1) cache.remember(user(n), answer(n));
    const first = cache.save();
    cache.remember(user(99), answer(99));
    await cache.stop();
    await first;
    const saved = JSON.parse(await readFile(file, 'utf8')) as [string, unknown][];
    expect(saved).toHaveLength(51);
    expect(saved.at(-1)).toEqual(['99', answer(99)]);
  });
});
