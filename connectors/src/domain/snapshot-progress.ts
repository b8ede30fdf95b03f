/**
 * Where a Debezium source connector stands, from the offsets Kafka Connect stores for it: no offset yet
 * (a snapshot is starting), an offset flagged `snapshot` (the snapshot is running: Debezium marks every
 * snapshot offset so a restart repeats it), or a plain binlog position (streaming).
 */
export type SnapshotProgress = 'no-offsets' | 'snapshotting' | 'streaming';

export function snapshotProgress(offsets: readonly { readonly offset: Readonly<Record<string, unknown>> }[]): SnapshotProgress {
  if (offsets.length === 0) return 'no-offsets';
  const snapshotting = offsets.some(({ offset }) => {
    const flag = offset['snapshot'];
    return flag !== undefined && flag !== null && flag !== false && flag !== 'false';
  });
  return snapshotting ? 'snapshotting' : 'streaming';
}
