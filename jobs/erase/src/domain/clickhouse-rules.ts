import { sql } from '@streamrec/foundation';
import type { ErasureSubjects } from './erasure-subjects.js';

/** One table's rows about the person, as a WHERE clause built only from checked values (no query parameters on 18.16). */
export interface TableErasure {
  readonly table: string;
  readonly where: string;
}

/**
 * The tables of schemas/clickhouse that hold rows about a person. The daily tables keep only counts and
 * a distinct-user sketch per item and day (nothing to single anyone out), the catalogue, model and
 * co-occurrence tables nothing about people. `orderIds` are the person's orders (their items have no user column).
 */
export function clickHouseErasures(database: string, subjects: ErasureSubjects, orderIds: readonly string[]): TableErasure[] {
  const table = (name: string): string => sql.table(database, name);
  // A tuple, not an array literal: 18.16's IN takes no arrays. Rows of other users on a device the person
  // shared keep its visitor id: they are those users' history, not the person's.
  const users = sql.stringTuple(subjects.subjects);
  const erasures: TableErasure[] = [
    { table: table('interactions'), where: `user_id IN ${users}` },
    { table: table('exposures'), where: `user_id IN ${users}` },
    { table: table('users'), where: `id = toUInt64(${sql.string(subjects.user)})` },
    { table: table('orders'), where: `user_id = ${sql.string(subjects.user)}` },
  ];
  if (orderIds.length > 0) erasures.push({ table: table('order_items'), where: `order_id IN (${orderIds.map((id) => `toUInt64(${sql.string(decimal(id))})`).join(', ')})` });
  return erasures;
}

export function ordersOfUserQuery(database: string, subjects: ErasureSubjects): string {
  return `SELECT DISTINCT toString(id) AS id FROM ${sql.table(database, 'orders')} WHERE user_id = ${sql.string(subjects.user)}`;
}

function decimal(id: string): string {
  if (!/^\d{1,20}$/.test(id)) throw new RangeError(`not an order id: ${id}`);
  return id;
}
