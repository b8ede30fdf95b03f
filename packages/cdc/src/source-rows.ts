import { double, epochMs, hex8, integer, money, naturalNumber, nullable, text, uint32, type RowOf } from './columns.js';

/**
 * The columns each mapping reads, with their Debezium JSON types (schemas/sql/*.sql). INT UNSIGNED
 * columns use `uint32` (the negative-value quirk); BIGINT UNSIGNED ids `naturalNumber`.
 * Decoded rows are plain JSON data, so a parked row can be stored as it is.
 */
export const MatomoActionColumns = {
  idaction: uint32,
  name: nullable(text),
  type: nullable(integer),
} as const;
export type MatomoActionRow = RowOf<typeof MatomoActionColumns>;

export const MatomoVisitColumns = {
  idvisit: naturalNumber,
  idvisitor: hex8,
  user_id: nullable(text),
  visit_last_action_time: epochMs,
} as const;
export type MatomoVisitRow = RowOf<typeof MatomoVisitColumns>;

export const LinkVisitActionColumns = {
  idlink_va: naturalNumber,
  idvisitor: hex8,
  idvisit: naturalNumber,
  server_time: epochMs,
  idaction_url: nullable(uint32),
  idaction_name: nullable(uint32),
  idaction_event_category: nullable(uint32),
  idaction_event_action: nullable(uint32),
  custom_float: nullable(double),
} as const;
export type LinkVisitActionRow = RowOf<typeof LinkVisitActionColumns>;

export const ConversionItemColumns = {
  idvisit: naturalNumber,
  idvisitor: hex8,
  server_time: epochMs,
  idorder: text,
  idaction_sku: uint32,
  price: double,
  quantity: uint32,
  deleted: integer,
} as const;
export type ConversionItemRow = RowOf<typeof ConversionItemColumns>;

/** Read by normalize (paid lines become purchases) and by the ClickHouse sink (the orders table). */
export const OrderColumns = {
  id: naturalNumber,
  user_id: naturalNumber,
  status: text,
  total_amount: money,
  currency: text,
  created_at: epochMs,
  paid_at: nullable(epochMs),
  updated_at: epochMs,
} as const;
export type OrderRow = RowOf<typeof OrderColumns>;

export const OrderItemColumns = {
  id: naturalNumber,
  order_id: naturalNumber,
  dataset_id: naturalNumber,
  price: money,
  quantity: uint32,
} as const;
export type OrderItemRow = RowOf<typeof OrderItemColumns>;

export const FavoriteColumns = {
  id: naturalNumber,
  user_id: naturalNumber,
  dataset_id: naturalNumber,
  created_at: epochMs,
} as const;
export type FavoriteRow = RowOf<typeof FavoriteColumns>;

export const DatasetColumns = {
  id: naturalNumber,
  title: text,
  description: text,
  tags: text,
  industry: text,
  price: money,
  status: text,
  created_at: epochMs,
  updated_at: epochMs,
} as const;
export type DatasetRow = RowOf<typeof DatasetColumns>;

export const UserColumns = {
  id: naturalNumber,
  industry: nullable(text),
  country: nullable(text),
  created_at: epochMs,
  updated_at: epochMs,
} as const;
export type UserRow = RowOf<typeof UserColumns>;
