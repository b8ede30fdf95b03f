import { decimalFromString } from '@streamrec/schemas';
import type { ItemChange, UserChange } from '@streamrec/schemas';
import { ChangeOp, type ChangeEvent } from './cdc-envelope.js';
import type { KeyValueStore } from './key-value-store.js';
import { mapped, skip, type Settled } from './mapping.js';
import { SkipReason } from './outcome.js';
import type { DatasetRow, UserRow } from '@streamrec/cdc';
import { supersedes, type SourceVersion } from '@streamrec/cdc';

/** The only status in which an item may be recommended and sold. */
export const AVAILABLE_STATUS = 'listed';

/** `Finance, stock,,finance` → `['finance', 'stock']`: trimmed, lower-cased, de-duplicated, source order kept. */
export function splitTags(tags: string): string[] {
  return [...new Set(tags.split(',').map((tag) => tag.trim().toLowerCase()).filter((tag) => tag.length > 0))];
}

/** Keys of the `versions` store. */
export const itemVersionKey = (id: number): string => `item:${id}`;
export const userVersionKey = (id: number): string => `user:${id}`;

/**
 * The last version emitted per changelog key (`item:<id>`, `user:<id>`): a change is emitted
 * only when its source version is strictly greater, so re-deliveries and out-of-order older
 * changes are dropped here and never reach the compacted topics.
 */
export function admitVersion(versions: KeyValueStore<number>, key: string, version: SourceVersion): boolean {
  if (!supersedes(version, versions.get(key) as SourceVersion | undefined)) return false;
  versions.set(key, version);
  return true;
}

/** A datasets change → the item's full state (a delete: the before image, deleted and unavailable). */
export function itemChangeOf(row: DatasetRow, change: ChangeEvent, versions: KeyValueStore<number>): Settled<ItemChange> {
  if (!admitVersion(versions, itemVersionKey(row.id), change.version)) return skip(SkipReason.StaleVersion);
  const deleted = change.op === ChangeOp.Delete;
  return mapped({
    id: row.id,
    title: row.title,
    description: row.description,
    tags: splitTags(row.tags),
    industry: row.industry,
    price: decimalFromString(row.price),
    status: row.status,
    available: !deleted && row.status === AVAILABLE_STATUS,
    deleted,
    created_at: row.created_at,
    // A delete leaves updated_at as it was; the change happened when the delete was committed.
    updated_at: deleted ? change.committedAt : row.updated_at,
    source_version: change.version,
  });
}

const COUNTRY_CODE = /^[A-Za-z]{2}$/;

/** A users change → the profile without personal data (no e-mail, name or company). */
export function userChangeOf(row: UserRow, change: ChangeEvent, versions: KeyValueStore<number>): Settled<UserChange> {
  if (!admitVersion(versions, userVersionKey(row.id), change.version)) return skip(SkipReason.StaleVersion);
  const deleted = change.op === ChangeOp.Delete;
  const industry = row.industry?.trim() ?? '';
  const country = row.country?.trim() ?? '';
  return mapped({
    id: row.id,
    industry: industry === '' ? null : industry,
    country: COUNTRY_CODE.test(country) ? country.toUpperCase() : null,
    company_size: null,
    segment: null,
    created_at: row.created_at,
    updated_at: deleted ? change.committedAt : row.updated_at,
    deleted,
    source_version: change.version,
  });
}
