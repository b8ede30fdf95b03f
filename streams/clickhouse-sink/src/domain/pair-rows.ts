import type { CooccurrenceIncrement } from '@streamrec/schemas';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { positionColumns, type KafkaPosition, type PositionColumns } from './sink-tables.js';

/** A row of streamrec.cooccurrence_increments (014_cooccurrence_increments.sql): one events.cooccurrence.v1 record. */
export interface PairIncrementRow extends PositionColumns {
  /** 'YYYY-MM-DD': ClickHouse 18.16 reads a Date in JSONEachRow only as text. */
  readonly event_date: string;
  readonly low_item_id: number;
  readonly high_item_id: number;
  readonly pair_count: number;
  readonly weight: number;
}

const DAY_MS = 86_400_000;
/** Date's range on ClickHouse: 1970-01-01 … 2105. */
const MAX_DAY = 49_709;

export function pairIncrementRow(increment: CooccurrenceIncrement, position: KafkaPosition): PairIncrementRow {
  const { event_date: day, item_id: low, other_item_id: high, pair_count: count, weight } = increment;
  if (!Number.isSafeInteger(day) || day < 0 || day > MAX_DAY) throw invalid(`event_date ${day} is outside 1970-01-01 … 2105`);
  if (!Number.isSafeInteger(low) || low < 0 || !Number.isSafeInteger(high) || low >= high) throw invalid(`pair (${low}, ${high}) is not two item ids, smaller first`);
  if (!Number.isSafeInteger(count) || count < 1) throw invalid(`pair_count ${count} is not a positive count`);
  if (!Number.isFinite(weight) || weight < 0) throw invalid(`weight ${weight} is not a finite non-negative sum`);
  return {
    event_date: new Date(day * DAY_MS).toISOString().slice(0, 10),
    low_item_id: low,
    high_item_id: high,
    pair_count: count,
    weight,
    ...positionColumns(position),
  };
}

function invalid(message: string): AppError {
  return new AppError(ErrorCode.PayloadInvalid, `cooccurrence increment: ${message}`);
}
