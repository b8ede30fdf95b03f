import type { CdcRecord } from './cdc-topic.js';

/** The source tables the connector captures, each with its cdc topic. */
export const capturedTables = [
  ['shop', 'users'],
  ['shop', 'datasets'],
  ['shop', 'orders'],
  ['shop', 'order_items'],
  ['shop', 'favorites'],
  ['matomo', 'matomo_log_visit'],
  ['matomo', 'matomo_log_link_visit_action'],
  ['matomo', 'matomo_log_action'],
  ['matomo', 'matomo_log_conversion'],
  ['matomo', 'matomo_log_conversion_item'],
].map(([schema, table]) => ({ schema: schema as 'shop' | 'matomo', table: table as string, topic: `cdc.${schema}.${table}` }));

export const cdcTopics = capturedTables.map((captured) => captured.topic);

export interface KeyHistory {
  /** Ops in topic order (tombstones are not ops and are left out). */
  readonly ops: string[];
  /** The row as the last change left it; undefined after a delete. */
  last: Record<string, unknown> | undefined;
}

/** Folds one topic's records into the history of each key (the key is the record key's JSON). */
export function historyByKey(records: readonly CdcRecord[], topic: string): Map<string, KeyHistory> {
  const histories = new Map<string, KeyHistory>();
  for (const record of records) {
    if (record.topic !== topic || record.value === null) continue;
    const key = JSON.stringify(record.key);
    const history = histories.get(key) ?? { ops: [], last: undefined };
    history.ops.push(record.value.op);
    history.last = record.value.after ?? undefined;
    histories.set(key, history);
  }
  return histories;
}

/** How many records repeat an earlier record of the same key with the same op and row image. */
export function countDuplicates(records: readonly CdcRecord[]): number {
  const seen = new Set<string>();
  let duplicates = 0;
  for (const record of records) {
    if (record.value === null) continue;
    const identity = JSON.stringify([record.topic, record.key, record.value.op, record.value.before, record.value.after]);
    if (seen.has(identity)) duplicates += 1;
    else seen.add(identity);
  }
  return duplicates;
}
