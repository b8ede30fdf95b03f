import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * The erasure list: the people whose data was erased (`npm run erase`), kept so that nothing brings
 * them back — normalize drops every source row and output of a listed subject, including rows a replay
 * from the kept `cdc.*` topics reads again. A subject is an interaction user id (`42`, `anon:<visitor>`),
 * stored only as a keyed hash (HMAC-SHA256 under the visitor pseudonym key): the list names nobody to
 * whoever reads Redis without the key. Not versioned with the state: it outlives every state version.
 */
export const ERASURE_LIST_KEY = 'sr:erasures';
/** Incremented by every erasure: readers re-read the list (and their caches) when it moves. */
export const ERASURE_GENERATION_KEY = 'sr:erasures:generation';

/** What the list keeps per subject: no identifier, only when and under which request it was erased. */
export interface ErasureEntry {
  readonly requestId: string;
  readonly erasedAtMs: number;
}

/** A subject's token in the list. */
export function erasureToken(key: string, subject: string): string {
  return createHmac('sha256', key).update(`erasure:${subject}`).digest('hex');
}

/** Lists the subjects (with the entry they get) and moves the generation; returns the new generation. */
export async function addToErasureList(redis: Redis, key: string, subjects: readonly string[], entry: ErasureEntry): Promise<number> {
  const value = JSON.stringify(entry);
  const multi = redis.multi();
  for (const subject of subjects) multi.hset(ERASURE_LIST_KEY, erasureToken(key, subject), value);
  multi.incr(ERASURE_GENERATION_KEY);
  const replies = (await multi.exec()) ?? [];
  const failed = replies.find(([error]) => error !== null);
  if (failed !== undefined) throw failed[0] as Error;
  return Number(replies.at(-1)?.[1]);
}

/** Whether a subject is listed, as one process sees it; `refresh` reads the list again when it moved. */
export interface ErasureGate {
  /** Reads the generation (one GET); re-reads the list when it moved. True when it did (caches may hold erased data). */
  refresh(): Promise<boolean>;
  isErased(subject: string): boolean;
  /** Listed subjects (tokens) as of the last refresh. */
  readonly size: number;
}

export function redisErasureGate(redis: Redis, key: string): ErasureGate {
  let generation: string | null | undefined;
  let tokens = new Set<string>();
  // Subjects already checked, per generation: a hash per distinct user, not per row.
  let verdicts = new Map<string, boolean>();
  return {
    async refresh() {
      const current = await redis.get(ERASURE_GENERATION_KEY);
      if (current === generation) return false;
      const first = generation === undefined;
      tokens = new Set(await redis.hkeys(ERASURE_LIST_KEY));
      verdicts = new Map();
      generation = current;
      return !first;
    },
    isErased(subject) {
      if (tokens.size === 0) return false;
      let verdict = verdicts.get(subject);
      if (verdict === undefined) {
        verdict = tokens.has(erasureToken(key, subject));
        if (verdicts.size >= 100_000) verdicts.clear();
        verdicts.set(subject, verdict);
      }
      return verdict;
    },
    get size() {
      return tokens.size;
    },
  };
}
