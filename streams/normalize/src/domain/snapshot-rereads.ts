import { SourceTable } from '@streamrec/cdc';
import { ChangeOp, type ChangeEvent } from './cdc-envelope.js';
import type { KeyValueStore } from './key-value-store.js';

/**
 * The event tables whose rows are only ever inserted with a growing primary key (their updates change
 * no fact): a row of these read by a snapshot with a key at or below what this partition already
 * handled is a row normalize has seen before, not a new fact.
 */
const appendOnlyKey: Partial<Record<SourceTable, string>> = {
  [SourceTable.MatomoLinkVisitAction]: 'idlink_va',
  [SourceTable.ShopFavorites]: 'id',
  [SourceTable.ShopOrderItems]: 'id',
};

/**
 * Snapshot re-reads. A Debezium re-snapshot (after a purged binlog, a new connector, a signal) reads
 * every row again as `r`, including rows handled years ago, far beyond the dedup window of emitted ids
 * and the downstream seen-sets: re-emitted, they would be counted again. Per append-only event table
 * and input partition (a row's key always hashes to the same partition, and a partition keeps Debezium's
 * order), normalize keeps the highest primary key it has handled, and takes a snapshot read at or below
 * it for a re-read.
 *
 * The keys of the snapshot in progress are not compared with each other (a snapshot need not read in
 * key order): they join the handled maximum when the partition moves on, i.e. with its first streamed
 * change, or when a snapshot taken at another binlog position starts. A row whose insert was streamed
 * out of key order around a lost stretch of binlog (key N committed after N+1, and N's event purged)
 * is taken for a re-read: the one case this rule can miss, against counting every old row again.
 *
 * State: three numbers per (table, partition) in the `cursors` store (`reread:<table>:<p>:…`).
 */
export interface SnapshotRereads {
  /** Records the change and says whether it is a snapshot re-read of a handled row. */
  isReread(change: ChangeEvent, partition: number): boolean;
}

export function snapshotRereads(cursors: KeyValueStore<number>): SnapshotRereads {
  return {
    isReread(change, partition) {
      const keyColumn = appendOnlyKey[change.table];
      const key = keyColumn === undefined ? undefined : change.row[keyColumn];
      if (typeof key !== 'number' || !Number.isSafeInteger(key)) return false;
      const name = (field: string): string => `reread:${change.table}:${partition}:${field}`;
      const handled = cursors.get(name('handled'));
      const snapshotAt = cursors.get(name('snapshot_at'));
      const snapshotMax = cursors.get(name('snapshot_max'));
      const fold = (): number | undefined => (snapshotMax === undefined ? handled : Math.max(handled ?? snapshotMax, snapshotMax));
      if (change.op !== ChangeOp.Read) {
        const next = Math.max(fold() ?? key, key);
        if (next !== handled) cursors.set(name('handled'), next);
        if (snapshotAt !== undefined) cursors.delete(name('snapshot_at'));
        if (snapshotMax !== undefined) cursors.delete(name('snapshot_max'));
        return false;
      }
      let before = handled;
      if (snapshotAt !== change.version) {
        // Another snapshot: the previous one's rows of this partition are all handled by now.
        before = fold();
        if (before !== undefined && before !== handled) cursors.set(name('handled'), before);
        cursors.set(name('snapshot_at'), change.version);
        cursors.set(name('snapshot_max'), key);
      } else if (snapshotMax === undefined || key > snapshotMax) cursors.set(name('snapshot_max'), key);
      return before !== undefined && key <= before;
    },
  };
}
