import type { Logger } from '@streamrec/foundation/process';
import type { ItemId, UserId } from '@streamrec/streams-common';
import type { Channel } from '../domain/recall/channels.js';
import { readOptionalFile, writeFileAtomically } from './atomic-file.js';

export interface CachedItem {
  readonly item: ItemId;
  readonly score: number;
  readonly channels: readonly Channel[];
}

export interface AnswerCacheOptions {
  readonly capacity: number;
  readonly file: string;
  readonly saveEveryMs: number;
}

export interface AnswerCache {
  get(user: UserId): readonly CachedItem[] | undefined;
  remember(user: UserId, items: readonly CachedItem[]): void;
  readonly size: number;
  save(): Promise<void>;
  stop(): Promise<void>;
}

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
  const save = async (): Promise<void> => {
    if (!dirty) return;
    dirty = false;
    await writeFileAtomically(options.file, JSON.stringify([...entries]));
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
