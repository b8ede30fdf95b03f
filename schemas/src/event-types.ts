/**
 * TypeScript shapes of the values the codecs read and write, field for field as in the `.avsc`
 * files (snake_case, because they are the wire format). Unions with null are plain `T | null`
 * (the codec does not wrap unions); `long` and `timestamp-millis` are JavaScript numbers (exact up
 * to 2^53); decimals are the raw two's-complement bytes (see decimal.ts). A unit test keeps the
 * enum lists below equal to the schemas' symbols.
 */

export const InteractionAction = {
  View: 'view',
  Click: 'click',
  Download: 'download',
  Favorite: 'favorite',
  Cart: 'cart',
  Purchase: 'purchase',
} as const;
export type InteractionAction = (typeof InteractionAction)[keyof typeof InteractionAction];

export const InteractionSource = {
  Matomo: 'matomo',
  Shop: 'shop',
  Beacon: 'beacon',
} as const;
export type InteractionSource = (typeof InteractionSource)[keyof typeof InteractionSource];

/** events.interactions.v1 */
export interface Interaction {
  event_id: string;
  user_id: string;
  visitor_id: string | null;
  item_id: number;
  action: InteractionAction;
  /** UTC epoch milliseconds. */
  event_time: number;
  source: InteractionSource;
  session_id: string | null;
  /** decimal(12,2) bytes. */
  price: Buffer | null;
  quantity: number | null;
  request_id: string | null;
  /** UTC epoch milliseconds. */
  ingest_time: number;
}

/** events.items.v1 */
export interface ItemChange {
  id: number;
  title: string;
  description: string;
  tags: string[];
  industry: string;
  /** decimal(12,2) bytes. */
  price: Buffer;
  status: string;
  available: boolean;
  deleted: boolean;
  created_at: number;
  updated_at: number;
  source_version: number;
}

/** events.users.v1 */
export interface UserChange {
  id: number;
  industry: string | null;
  country: string | null;
  company_size: string | null;
  segment: string | null;
  created_at: number;
  updated_at: number;
  deleted: boolean;
  source_version: number;
}

/** One item of a serving.exposures.v1 response. */
export interface ExposedItem {
  item_id: number;
  /** 0-based display position (unshown candidates continue after the shown items, in ranked order). */
  position: number;
  channel: string;
  /** float32 on the wire. */
  score: number;
  features: number[];
  /** false: a sampled ranked candidate that was not shown (logged for training). */
  shown: boolean;
}

/** serving.exposures.v1 */
export interface Exposure {
  request_id: string;
  user_id: string;
  /** UTC epoch milliseconds. */
  event_time: number;
  scene: string;
  experiment: string | null;
  variant: string | null;
  model_name: string | null;
  model_version: string | null;
  degraded_reasons: string[];
  latency_ms: number;
  feature_names: string[];
  items: ExposedItem[];
  /** UTC epoch milliseconds. */
  ingest_time: number;
}

/** An exposure as the exposure writer takes it: feature vectors may be float32 views (the API's rows) instead of plain arrays. */
export interface WritableExposure extends Omit<Exposure, 'items'> {
  items: (Omit<ExposedItem, 'features'> & { features: readonly number[] | Float32Array })[];
}

/** repartition.item-activity.v1: one kind, exactly that kind's payload non-null. */
export interface ItemActivityWire {
  kind: string;
  dedup_id: string;
  item: string;
  /** UTC epoch milliseconds. */
  event_time: number;
  activity: {
    event_id: string;
    user: string;
    action: string;
    request_id: string | null;
    catalogued: boolean;
    industry: string | null;
    tags: string[];
  } | null;
  co_items: { event_id: string; user: string; neighbours: { item: string; cooccurrence: number; transition: number }[] } | null;
  exposure: { request_id: string; user: string; position: number } | null;
  availability: { available: boolean; deleted: boolean; industry: string; tags: string[]; source_version: number } | null;
}

/** events.cooccurrence.v1: one day's increment of an unordered item pair (item_id < other_item_id). */
export interface CooccurrenceIncrement {
  /** Days since 1970-01-01 (UTC). */
  event_date: number;
  item_id: number;
  other_item_id: number;
  pair_count: number;
  weight: number;
}

/** The only model format the API loads (models.published.v1 `format`). */
export const ModelFormat = {
  Onnx: 'onnx',
} as const;
export type ModelFormat = (typeof ModelFormat)[keyof typeof ModelFormat];

/** models.published.v1 (key = name; a null value is a tombstone that unloads the name). */
export interface ModelPublication {
  name: string;
  version: string;
  /** UTC epoch milliseconds. */
  published_at: number;
  /** 'onnx' for every model the API can load; a string on the wire so a new format is not a schema change. */
  format: string;
  /** Serialised ONNX ModelProto. */
  onnx: Buffer;
  /** SHA-256 of `onnx`, lower-case hex. */
  sha256: string;
  feature_names: string[];
  metrics: Record<string, number>;
  lineage: Record<string, string>;
}

/** Value type per owned schema, so `createEventCodec(name)` is typed by the topic name. */
export interface EventRecordTypes {
  'events.interactions.v1': Interaction;
  'events.items.v1': ItemChange;
  'events.users.v1': UserChange;
  'serving.exposures.v1': Exposure;
  'repartition.item-activity.v1': ItemActivityWire;
  'events.cooccurrence.v1': CooccurrenceIncrement;
  'models.published.v1': ModelPublication;
}

