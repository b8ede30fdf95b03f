/**
 * What a run changed, per table: how many distinct primary keys it inserted, updated and deleted.
 * Kept per transaction and merged only after the commit, so a rolled-back batch is not counted.
 */
export const TRACKED_TABLES = [
  'shop.users',
  'shop.datasets',
  'shop.orders',
  'shop.order_items',
  'shop.favorites',
  'matomo.matomo_log_action',
  'matomo.matomo_log_visit',
  'matomo.matomo_log_link_visit_action',
  'matomo.matomo_log_conversion',
  'matomo.matomo_log_conversion_item',
] as const;
export type TrackedTable = (typeof TRACKED_TABLES)[number];

export interface TableChanges {
  readonly inserted: number;
  readonly updated: number;
  readonly deleted: number;
}

export interface RunSummary {
  readonly tables: Readonly<Record<TrackedTable, TableChanges>>;
}

interface MutableChanges {
  inserted: number;
  readonly updated: Set<string>;
  readonly deleted: Set<string>;
}

export class ChangeTally {
  private readonly changes = new Map<TrackedTable, MutableChanges>();

  /** New rows: every insert creates a primary key no one used before (auto-increment or unique). */
  inserted(table: TrackedTable, count: number): void {
    this.of(table).inserted += count;
  }

  updated(table: TrackedTable, primaryKey: string | number): void {
    this.of(table).updated.add(String(primaryKey));
  }

  deleted(table: TrackedTable, primaryKey: string | number): void {
    this.of(table).deleted.add(String(primaryKey));
  }

  mergeFrom(other: ChangeTally): void {
    for (const [table, changes] of other.changes) {
      const mine = this.of(table);
      mine.inserted += changes.inserted;
      for (const key of changes.updated) mine.updated.add(key);
      for (const key of changes.deleted) mine.deleted.add(key);
    }
  }

  summary(): RunSummary {
    const tables = {} as Record<TrackedTable, TableChanges>;
    for (const table of TRACKED_TABLES) {
      const changes = this.changes.get(table);
      tables[table] = {
        inserted: changes?.inserted ?? 0,
        updated: changes?.updated.size ?? 0,
        deleted: changes?.deleted.size ?? 0,
      };
    }
    return { tables };
  }

  private of(table: TrackedTable): MutableChanges {
    let changes = this.changes.get(table);
    if (!changes) {
      changes = { inserted: 0, updated: new Set(), deleted: new Set() };
      this.changes.set(table, changes);
    }
    return changes;
  }
}
