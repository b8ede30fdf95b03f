import type { ErasureSubjects } from './erasure-subjects.js';

/**
 * What the erasure does to one Redis key, decided from its name (the layouts of
 * packages/foundation/src/state/keys.ts and streams/normalize's `{normalize}` hashes):
 * - `delete`: a key of the person (`sr:<v>:{p<n>}:user:<subject>:<facet>`);
 * - `remove-members`: a zset or set naming users as members (items' recent users);
 * - `scan-members`: a set whose members start with a subject (seen-sets: `<user>|<event>`, `stitch:<user>:…`);
 * - `normalize-store`: one of normalize's hashes, with its own rule per store;
 * - `keep`: nothing of the person by construction (item state, offsets, popularity, models…).
 */
export type RedisKeyRule =
  | { readonly kind: 'delete' }
  | { readonly kind: 'remove-members'; readonly members: readonly string[] }
  | { readonly kind: 'scan-members'; readonly patterns: readonly string[] }
  | { readonly kind: 'normalize-store'; readonly store: string }
  | { readonly kind: 'keep' };

/** The key patterns a SCAN must visit; every key of the system starts with `sr:`. */
export const SCANNED_KEYS = 'sr:*';

const OWNED = /^sr:[^:]+:\{p\d+\}:(user|item):(.+):([a-z][a-z0-9-]*)$/;
const SEEN = /^sr:[^:]+:\{p\d+\}:seen:[^:]+:[a-z][a-z0-9-]*$/;
const NORMALIZE = /^sr:[^:]+:\{normalize\}:([A-Za-z]+)$/;

export function redisKeyRule(key: string, subjects: ErasureSubjects): RedisKeyRule {
  const owned = OWNED.exec(key);
  if (owned !== null) {
    const [, entity, id, facet] = owned;
    if (entity === 'user') return subjects.subjects.includes(id ?? '') ? { kind: 'delete' } : { kind: 'keep' };
    return facet === 'recent-users' ? { kind: 'remove-members', members: subjects.subjects } : { kind: 'keep' };
  }
  if (SEEN.test(key)) return { kind: 'scan-members', patterns: [...subjects.subjects.map((subject) => `${subject}|*`), `${subjects.stitchedPrefix}*`] };
  const normalize = NORMALIZE.exec(key);
  if (normalize !== null) return { kind: 'normalize-store', store: normalize[1] ?? '' };
  return { kind: 'keep' };
}

/**
 * Whether a field of one of normalize's hashes is about the person: its field (a visitor, a stitched
 * event id) or its JSON value (a visitor link to the user, an order of theirs, a parked row or a ring
 * slot naming them, the version of their user row). Stores holding none of that (actions, cursors, offsets) keep everything.
 */
export function normalizeFieldNamesSubject(store: string, field: string, value: string, subjects: ErasureSubjects): boolean {
  const visitorField = subjects.visitors.includes(field);
  switch (store) {
    case 'visitors':
    case 'anonymousHistory':
      return visitorField || mentions(value, subjects);
    case 'orders':
      return jsonField(value, 'userId') === subjects.user;
    case 'emitted':
      return field.startsWith(subjects.stitchedPrefix);
    case 'versions':
      return field === `user:${subjects.user}`;
    case 'parked':
    case 'waiting':
    case 'ringSlots':
      return field.startsWith(subjects.stitchedPrefix) || mentions(value, subjects);
    default:
      return false;
  }
}

function jsonField(value: string, name: string): string | undefined {
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    const found = parsed[name];
    return typeof found === 'number' || typeof found === 'string' ? String(found) : undefined;
  } catch {
    return undefined;
  }
}

/** A JSON text naming the person: a linked visitor, a stitched event id of theirs, or their user id as a user field. */
function mentions(value: string, subjects: ErasureSubjects): boolean {
  if (value.includes(subjects.stitchedPrefix)) return true;
  for (const visitor of subjects.visitors) if (value.includes(visitor)) return true;
  return new RegExp(`"(user_id|userId)":"?${subjects.user}(?![0-9])`).test(value);
}
