import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '@streamrec/foundation/process';
import type { ItemId, UserId } from '@streamrec/streams-common';
import type { Channel } from '../domain/recall/channels.js';
import { readOptionalFile } from './atomic-file.js';

export interface CachedItem {
  readonly item: ItemId;
  readonly score: number;
  readonly channels: readonly Channel[];
}

export interface AnswerCacheOptions {
  readonly capacity: number;
  readonly file: string;
  readonly saveEveryMs: number;
  /** Users serialised per chunk of a save (default 250); the event loop runs between chunks. */
  readonly usersPerChunk?: number;
}

export interface AnswerCache {
  get(user: UserId): readonly CachedItem[] | undefined;
  remember(user: UserId, items: readonly CachedItem[]): void;
  /** Drops these users' answers (an erasure) and saves at once, so the file on disk no longer holds them; returns how many were held. */
  forget(users: readonly UserId[]): Promise<number>;
  readonly size: number;
  /** Writes the answers if they changed since the last save; waits for a save already running. */
  save(): Promise<void>;
  stop(): Promise<void>;
}

const defaultUsersPerChunk = 250;

/**
 * Each user's last full-path answer (LRU, in memory, saved to disk periodically and at stop): what a
 * user sees when Redis is slow or down, before falling back to the popular list.
 */
export async function startAnswerCache(options: AnswerCacheOptions, log: Logger): Promise<AnswerCache> {
  const entries = new Map<UserId, readonly CachedItem[]>();
  const saved = await readOptionalFile(options.file).catch(() => undefined);
  if (saved !== undefined) {
    try {
      for (const [user, items] of JSON.parse(saved) as [UserId, CachedItem[]][]) entries.set(user, items);
      log.info({ users: entries.size }, 'last answers loaded from disk');
    } catch (error) {
      log.warn({ err: error, file: options.file }, 'saved answers unreadable; starting empty');
    }
  }
  let dirty = false;
  let saving: Promise<void> | undefined;
  const saveChanges = async (): Promise<void> => {
    dirty = false;
    // A copy of the references only (answers are never mutated, only replaced): the save writes this
    // moment's answers while requests keep reading and replacing them.
    const users = [...entries.keys()];
    const answers = [...entries.values()];
    try {
      await writeJsonPairsAtomically(options.file, users, answers, options.usersPerChunk ?? defaultUsersPerChunk);
    } catch (error) {
      dirty = true; // the next save tries again
      throw error;
    }
  };
  const save = async (): Promise<void> => {
    // One save at a time: a second caller (stop() during a periodic save) waits, then saves what changed since.
    while (saving !== undefined) await saving.catch(() => undefined);
    if (!dirty) return;
    const current = saveChanges().finally(() => {
      saving = undefined;
    });
    saving = current;
    await current;
  };
  const timer = setInterval(() => {
    save().catch((error: unknown) => log.warn({ err: error }, 'saving last answers failed'));
  }, options.saveEveryMs);
  timer.unref();
  return {
    get: (user) => {
      const items = entries.get(user);
      if (items !== undefined) {
        entries.delete(user);
        entries.set(user, items);
      }
      return items;
    },
    remember: (user, items) => {
      entries.delete(user);
      entries.set(user, items);
      while (entries.size > options.capacity) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
      dirty = true;
    },
    forget: async (users) => {
      let forgotten = 0;
      for (const user of users) if (entries.delete(user)) forgotten += 1;
      // Saved even when nothing was held here: a save that ran before the erasure may have written them.
      dirty = true;
      await save();
      return forgotten;
    },
    get size() {
      return entries.size;
    },
    save,
    stop: async () => {
      clearInterval(timer);
      await save();
    },
  };
}

let temporaryFiles = 0;

/**
 * Writes `[[key, value], ...]` as JSON, `perChunk` pairs at a time, awaiting each write before
 * serialising the next chunk, so serialising a full cache never holds the event loop for more than
 * one chunk (JSON.stringify of the whole map did, for the whole map). Atomic as writeFileAtomically:
 * a temp file, flushed to disk, renamed over the target; a failure or crash mid-save leaves the
 * previous file.
 */
async function writeJsonPairsAtomically(path: string, keys: readonly unknown[], values: readonly unknown[], perChunk: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  temporaryFiles += 1;
  const temporary = `${path}.${process.pid}.${temporaryFiles}.tmp`;
  const file = await open(temporary, 'w');
  try {
    try {
      for (let start = 0; start < keys.length; start += perChunk) {
        const pairs: string[] = [];
        for (let index = start; index < Math.min(keys.length, start + perChunk); index += 1) pairs.push(JSON.stringify([keys[index], values[index]]));
        await file.write(`${start === 0 ? '[' : ','}${pairs.join(',')}`);
      }
      await file.write(keys.length === 0 ? '[]' : ']');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
