import type { ModelPublication } from '@streamrec/schemas';

/**
 * models.published.v1 is compacted by model name, so only the newest publication of a name survives
 * there. Every publication is therefore also written to models.history.v1, keyed `<name>:<version>`:
 * compaction keeps one record per version, so every version ever published stays reachable for a
 * rollback. Pure rules of that history: keys, listing, and which version a rollback goes back to.
 */

/** The history key of a publication: one per (name, version), so compaction keeps every version. */
export function historyKey(name: string, version: string): string {
  return `${name}:${version}`;
}

/** One version of a model as the history holds it (the last record of its key). */
export interface HistoryVersion {
  readonly offset: string;
  readonly publication: ModelPublication;
}

/** A record of the history topic, as far as these rules need it. */
export interface HistoryRecord {
  readonly key: string | null;
  readonly offset: string;
  readonly publication?: ModelPublication;
}

/**
 * The versions of `name`, newest first: by publication time, then by offset. A version written twice
 * (before compaction ran) counts once, with its last record. Records whose key does not match their
 * value are ignored: a rollback must never republish something other than what its key says.
 */
export function versionsOf(records: readonly HistoryRecord[], name: string): HistoryVersion[] {
  const byVersion = new Map<string, HistoryVersion>();
  for (const record of records) {
    const publication = record.publication;
    if (publication?.name !== name || record.key !== historyKey(publication.name, publication.version)) continue;
    byVersion.set(publication.version, { offset: record.offset, publication });
  }
  return [...byVersion.values()].sort(
    (a, b) => b.publication.published_at - a.publication.published_at || compareOffsets(b.offset, a.offset),
  );
}

/** What serves the name on models.published.v1 now (undefined: nothing, or a tombstone). */
export interface ServingVersion {
  readonly version: string;
  readonly published_at: number;
}

export type RollbackChoice = { readonly ok: true; readonly target: HistoryVersion } | { readonly ok: false; readonly message: string };

/**
 * The version a rollback republishes. With `to`, that version (it must be in the history and not be the
 * one serving). Without, the version published before the one serving: the newest history version whose
 * publication time is earlier — so rolling back twice goes back two versions, since a rollback republishes
 * a record as it was, publication time included.
 */
export function chooseRollbackTarget(versions: readonly HistoryVersion[], name: string, current: ServingVersion | undefined, to: string | undefined): RollbackChoice {
  if (versions.length === 0) return { ok: false, message: `the history holds no version of ${name}` };
  const known = versions.map((entry) => entry.publication.version).join(', ');
  if (to !== undefined) {
    const target = versions.find((entry) => entry.publication.version === to);
    if (target === undefined) return { ok: false, message: `the history has no version ${to} of ${name} (it has: ${known})` };
    if (current?.version === to) return { ok: false, message: `${name}@${to} is already serving` };
    return { ok: true, target };
  }
  if (current === undefined) return { ok: false, message: `nothing serves ${name} now, so there is no "version before": choose one with --to (history: ${known})` };
  const target = versions.find((entry) => entry.publication.published_at < current.published_at && entry.publication.version !== current.version);
  if (target === undefined) return { ok: false, message: `no version of ${name} was published before ${current.version} (history: ${known})` };
  return { ok: true, target };
}

function compareOffsets(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference > 0n ? 1 : -1;
}
