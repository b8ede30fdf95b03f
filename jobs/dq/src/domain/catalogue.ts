/**
 * Every check the job runs, once: its name (the `check` label of the metrics and the key in
 * config/data-quality.yaml), what it measures, the unit of its value and which way is bad.
 */

/** The tables the DDL defines (schemas/clickhouse/002–006) with their ReplacingMergeTree keys. */
export const TABLES = ['interactions', 'exposures', 'items', 'users', 'orders', 'order_items'] as const;
export type TableName = (typeof TABLES)[number];

export const Unit = { Count: 'count', Share: 'share', Hours: 'hours', Seconds: 'seconds', Coefficient: 'coefficient' } as const;
export type Unit = (typeof Unit)[keyof typeof Unit];

/** `max`: the value must stay at or below the thresholds; `min`: at or above. */
export type Direction = 'max' | 'min';

export interface CheckDefinition<Name extends string = string> {
  readonly name: Name;
  readonly title: string;
  /** Table, topic pattern or column the check reads (dq_runs.checks.target). */
  readonly target: string;
  readonly unit: Unit;
  readonly direction: Direction;
}

type TableCheckName<Kind extends 'nulls' | 'duplicates'> = `${Kind}_${TableName}`;

const tableChecks = <Kind extends 'nulls' | 'duplicates'>(kind: Kind): CheckDefinition<TableCheckName<Kind>>[] => TABLES.map((name) => table(kind, name));

const table = <Kind extends 'nulls' | 'duplicates'>(kind: Kind, name: TableName): CheckDefinition<TableCheckName<Kind>> => ({
  name: `${kind}_${name}`,
  title: kind === 'nulls' ? `Missing values in ${name}` : `Duplicates in ${name}`,
  target: `streamrec.${name}`,
  unit: Unit.Share,
  direction: 'max',
});

export const CHECKS = [
  { name: 'event_volume', title: 'Events in the window', target: 'streamrec.interactions, streamrec.exposures', unit: Unit.Count, direction: 'min' },
  { name: 'completeness_gaps', title: 'Longest gap in hourly events', target: 'streamrec.interactions, streamrec.exposures', unit: Unit.Hours, direction: 'max' },
  ...tableChecks('nulls'),
  ...tableChecks('duplicates'),
  { name: 'price_outliers', title: 'Catalogue price outliers', target: 'streamrec.items.price', unit: Unit.Share, direction: 'max' },
  { name: 'popularity_gini', title: 'Popularity concentration (Gini)', target: 'streamrec.interactions.item_id', unit: Unit.Coefficient, direction: 'max' },
  { name: 'popularity_top1_share', title: 'Share of events on the top 1 % of items', target: 'streamrec.interactions.item_id', unit: Unit.Share, direction: 'max' },
  { name: 'late_events', title: 'Late events', target: 'streamrec.interactions, streamrec.exposures', unit: Unit.Share, direction: 'max' },
  { name: 'future_events', title: 'Future-dated events', target: 'streamrec.interactions, streamrec.exposures', unit: Unit.Count, direction: 'max' },
  { name: 'dlq_records', title: 'Dead letters', target: 'dlq.*', unit: Unit.Count, direction: 'max' },
  { name: 'cdc_lag_p95', title: 'CDC lag p95 (binlog → Kafka)', target: 'cdc.*', unit: Unit.Seconds, direction: 'max' },
] as const satisfies readonly CheckDefinition[];

export type CheckName = (typeof CHECKS)[number]['name'];
export const CHECK_NAMES: readonly CheckName[] = CHECKS.map((check) => check.name);

export function checkDefinition(name: CheckName): CheckDefinition<CheckName> {
  const found = CHECKS.find((check) => check.name === name);
  if (found === undefined) throw new RangeError(`unknown check ${name}`);
  return found;
}
