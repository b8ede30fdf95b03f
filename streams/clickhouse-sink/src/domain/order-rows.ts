import { AppError, ErrorCode } from '@streamrec/foundation';
// One definition of how Debezium's JSON converter spells each source column, shared with normalize.
import { OrderColumns, OrderItemColumns, decodeRow, sourceVersionOf, type ColumnSpec, type RowOf } from '@streamrec/cdc';
import { epochSeconds, moneyNumber } from './event-rows.js';
import { positionColumns, type KafkaPosition, type PositionColumns } from './sink-tables.js';

export interface OrderRow extends PositionColumns {
  readonly id: number;
  readonly user_id: string;
  readonly status: string;
  readonly total_amount: number;
  readonly currency: string;
  readonly created_at: number;
  readonly paid_at: number | null;
  readonly updated_at: number;
  readonly deleted: 0 | 1;
  readonly source_version: number;
}

export interface OrderItemRow extends PositionColumns {
  readonly id: number;
  readonly order_id: number;
  readonly item_id: number;
  readonly price: number;
  readonly quantity: number;
  readonly deleted: 0 | 1;
  readonly source_version: number;
}

/** A Debezium row change reduced to what a ReplacingMergeTree(source_version) row needs. */
export interface RowChange<S extends ColumnSpec> {
  readonly row: RowOf<S>;
  readonly deleted: boolean;
  readonly sourceVersion: number;
}

export type CdcValue = { readonly kind: 'tombstone' } | { readonly kind: 'change'; readonly value: unknown };

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);

const invalidEnvelope = (message: string): AppError => new AppError(ErrorCode.CdcEnvelopeInvalid, message);

/**
 * One Debezium envelope (JSON converter, schemas.enable=false): `c`/`u`/`r` carry the row in `after`,
 * `d` the last state in `before` (kept as a row with deleted = 1, so FINAL shows the deletion); the
 * binlog position orders the versions. Anything else is a coded, non-retriable error (dead letter).
 */
export function rowChangeOf<S extends ColumnSpec>(envelope: unknown, columns: S): RowChange<S> {
  if (!isObject(envelope)) throw invalidEnvelope('the value is not a JSON object (Debezium envelope)');
  const { op } = envelope;
  if (op !== 'c' && op !== 'u' && op !== 'r' && op !== 'd') throw invalidEnvelope(`op ${JSON.stringify(op)} is not a row change (c, u, d, r)`);
  const image = envelope[op === 'd' ? 'before' : 'after'];
  if (!isObject(image)) throw invalidEnvelope(`op ${op} needs a ${op === 'd' ? 'before' : 'after'} image`);
  const source = envelope['source'];
  const file = isObject(source) ? source['file'] : undefined;
  const pos = isObject(source) ? source['pos'] : undefined;
  const sourceVersion = typeof file === 'string' && typeof pos === 'number' ? sourceVersionOf({ file, pos }) : undefined;
  if (sourceVersion === undefined) throw invalidEnvelope('source.file and source.pos must give a binlog position');
  const decoded = decodeRow(image, columns);
  if (decoded.rejection !== undefined) throw invalidEnvelope(`${decoded.rejection.reason}: ${decoded.rejection.message}`);
  return { row: decoded.row, deleted: op === 'd', sourceVersion };
}

export function orderRow(envelope: unknown, position: KafkaPosition): OrderRow {
  const { row, deleted, sourceVersion } = rowChangeOf(envelope, OrderColumns);
  return {
    id: row.id,
    user_id: String(row.user_id),
    status: row.status,
    total_amount: moneyNumber(row.total_amount),
    currency: row.currency,
    created_at: epochSeconds(row.created_at),
    paid_at: row.paid_at === null ? null : epochSeconds(row.paid_at),
    updated_at: epochSeconds(row.updated_at),
    deleted: deleted ? 1 : 0,
    source_version: sourceVersion,
    ...positionColumns(position),
  };
}

export function orderItemRow(envelope: unknown, position: KafkaPosition): OrderItemRow {
  const { row, deleted, sourceVersion } = rowChangeOf(envelope, OrderItemColumns);
  return {
    id: row.id,
    order_id: row.order_id,
    item_id: row.dataset_id,
    price: moneyNumber(row.price),
    quantity: row.quantity,
    deleted: deleted ? 1 : 0,
    source_version: sourceVersion,
    ...positionColumns(position),
  };
}

/** The text of a CDC record's value: null is Debezium's tombstone after a delete (nothing to write). */
export function parseCdcJson(value: string | null): CdcValue {
  if (value === null) return { kind: 'tombstone' };
  try {
    return { kind: 'change', value: JSON.parse(value) as unknown };
  } catch {
    throw invalidEnvelope(`the value is not JSON (${value.length > 60 ? `${value.slice(0, 57)}...` : value})`);
  }
}
