import { decimalToString, type Exposure, type Interaction, type ItemChange, type UserChange } from '@streamrec/schemas';
import { AppError, ErrorCode } from '@streamrec/foundation';
import { positionColumns, type KafkaPosition, type PositionColumns } from './sink-tables.js';

/**
 * Rows as the sink sends them (JSONEachRow), column for column as in schemas/clickhouse: epoch ms into
 * `*_ms`, DateTime columns as epoch seconds, an absent optional string as '', booleans as 0/1, and
 * money as a JSON number. ClickHouse 18.16 cannot parse a quoted decimal in JSONEachRow; a number is
 * safe because a decimal(12,2) has at most 12 significant digits, and any decimal of up to 15 digits
 * survives the round trip through a double to the same shortest text, which ClickHouse then parses
 * exactly (it reads decimal text, not a double). `event_time` and `inserted_at` are MATERIALIZED.
 */
export interface InteractionRow extends PositionColumns {
  readonly event_id: string;
  readonly user_id: string;
  readonly visitor_id: string;
  readonly item_id: number;
  readonly action: string;
  readonly event_time_ms: number;
  readonly source: string;
  readonly session_id: string;
  readonly price: number | null;
  readonly quantity: number | null;
  readonly request_id: string;
  readonly ingest_time_ms: number;
}

export interface ExposureRow extends PositionColumns {
  readonly request_id: string;
  readonly user_id: string;
  readonly event_time_ms: number;
  readonly scene: string;
  readonly experiment: string;
  readonly variant: string;
  readonly model_name: string;
  readonly model_version: string;
  readonly degraded_reasons: readonly string[];
  readonly latency_ms: number;
  readonly feature_names: readonly string[];
  readonly 'items.item_id': readonly number[];
  readonly 'items.position': readonly number[];
  readonly 'items.channel': readonly string[];
  readonly 'items.score': readonly number[];
  readonly 'items.features': readonly (readonly number[])[];
  readonly 'items.shown': readonly number[];
  readonly ingest_time_ms: number;
}

export interface ItemRow extends PositionColumns {
  readonly id: number;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly industry: string;
  readonly price: number;
  readonly status: string;
  readonly available: 0 | 1;
  readonly deleted: 0 | 1;
  readonly created_at: number;
  readonly updated_at: number;
  readonly source_version: number;
}

export interface UserRow extends PositionColumns {
  readonly id: number;
  readonly industry: string;
  readonly country: string;
  readonly company_size: string;
  readonly segment: string;
  readonly created_at: number;
  readonly updated_at: number;
  readonly deleted: 0 | 1;
  readonly source_version: number;
}

/** Exact decimal text → the JSON number with the same text (see above). */
export function moneyNumber(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || !/^-?\d{1,10}(\.\d{1,2})?$/.test(text)) {
    throw new AppError(ErrorCode.PayloadInvalid, `money ${JSON.stringify(text)} is not a decimal(12,2)`);
  }
  return value;
}

/** UTC epoch ms → the epoch seconds of a DateTime column. */
export const epochSeconds = (ms: number): number => Math.floor(ms / 1000);

const bit = (value: boolean): 0 | 1 => (value ? 1 : 0);

export function interactionRow(event: Interaction, position: KafkaPosition): InteractionRow {
  return {
    event_id: event.event_id,
    user_id: event.user_id,
    visitor_id: event.visitor_id ?? '',
    item_id: event.item_id,
    action: event.action,
    event_time_ms: event.event_time,
    source: event.source,
    session_id: event.session_id ?? '',
    price: event.price === null ? null : moneyNumber(decimalToString(event.price)),
    quantity: event.quantity,
    request_id: event.request_id ?? '',
    ingest_time_ms: event.ingest_time,
    ...positionColumns(position),
  };
}

export function exposureRow(exposure: Exposure, position: KafkaPosition): ExposureRow {
  const positions = new Set<number>();
  for (const item of exposure.items) {
    if (!Number.isSafeInteger(item.position) || item.position < 0 || item.position > 65_535 || positions.has(item.position)) {
      throw new AppError(ErrorCode.PayloadInvalid, `exposure ${exposure.request_id}: position ${item.position} is not a new integer in 0..65535`);
    }
    positions.add(item.position);
    if (item.features.length !== 0 && item.features.length !== exposure.feature_names.length) {
      throw new AppError(ErrorCode.PayloadInvalid, `exposure ${exposure.request_id}: item ${item.item_id} has ${item.features.length} features for ${exposure.feature_names.length} names`);
    }
  }
  if (!Number.isSafeInteger(exposure.latency_ms) || exposure.latency_ms < 0) {
    throw new AppError(ErrorCode.PayloadInvalid, `exposure ${exposure.request_id}: latency_ms ${exposure.latency_ms} is negative`);
  }
  return {
    request_id: exposure.request_id,
    user_id: exposure.user_id,
    event_time_ms: exposure.event_time,
    scene: exposure.scene,
    experiment: exposure.experiment ?? '',
    variant: exposure.variant ?? '',
    model_name: exposure.model_name ?? '',
    model_version: exposure.model_version ?? '',
    degraded_reasons: exposure.degraded_reasons,
    latency_ms: exposure.latency_ms,
    feature_names: exposure.feature_names,
    'items.item_id': exposure.items.map((item) => item.item_id),
    'items.position': exposure.items.map((item) => item.position),
    'items.channel': exposure.items.map((item) => item.channel),
    'items.score': exposure.items.map((item) => item.score),
    'items.features': exposure.items.map((item) => item.features),
    'items.shown': exposure.items.map((item) => (item.shown ? 1 : 0)),
    ingest_time_ms: exposure.ingest_time,
    ...positionColumns(position),
  };
}

export function itemRow(item: ItemChange, position: KafkaPosition): ItemRow {
  return {
    id: item.id,
    title: item.title,
    description: item.description,
    tags: item.tags,
    industry: item.industry,
    price: moneyNumber(decimalToString(item.price)),
    status: item.status,
    available: bit(item.available),
    deleted: bit(item.deleted),
    created_at: epochSeconds(item.created_at),
    updated_at: epochSeconds(item.updated_at),
    source_version: item.source_version,
    ...positionColumns(position),
  };
}

export function userRow(user: UserChange, position: KafkaPosition): UserRow {
  return {
    id: user.id,
    industry: user.industry ?? '',
    country: user.country ?? '',
    company_size: user.company_size ?? '',
    segment: user.segment ?? '',
    created_at: epochSeconds(user.created_at),
    updated_at: epochSeconds(user.updated_at),
    deleted: bit(user.deleted),
    source_version: user.source_version,
    ...positionColumns(position),
  };
}
