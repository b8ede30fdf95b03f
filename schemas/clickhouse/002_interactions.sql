-- Raw interactions, one row per events.interactions.v1 event, written by streams/clickhouse-sink.
--
-- ReplacingMergeTree: a replayed or re-delivered event has the same event_id, user_id and
-- event_time, hence the same sorting key and (event_time never changes) the same partition, so
-- background merges keep exactly one copy. Until a merge has run, duplicates can be visible:
-- exact counts use FINAL or uniqExact(event_id). The version keeps the latest-ingested copy.
-- Sorting key: per-user histories and point-in-time feature joins (training) read a key range;
-- per-item questions scan a month partition, or use interactions_daily.
-- An absent optional string is stored as '' (ClickHouse Nullable costs a second column and
-- cannot be part of a key); absent price/quantity stay NULL because 0 is a real price.

CREATE TABLE IF NOT EXISTS streamrec.interactions
(
    event_id       String COMMENT 'Source-derived id; the dedup key',
    user_id        String COMMENT 'Shop user id in decimal, or anon:<idvisitor hex> before stitching',
    visitor_id     String DEFAULT '' COMMENT 'Matomo idvisitor hex / storefront visitor id; empty when unknown',
    item_id        UInt64 COMMENT 'shop.datasets.id',
    action         Enum8('view' = 1, 'click' = 2, 'download' = 3, 'favorite' = 4, 'cart' = 5, 'purchase' = 6),
    event_time_ms  UInt64 COMMENT 'Event time, UTC epoch milliseconds (exact value from the event)',
    event_time     DateTime('UTC') MATERIALIZED toDateTime(intDiv(event_time_ms, 1000), 'UTC') COMMENT 'event_time_ms to the second (derived; name it in SELECT)',
    source         Enum8('matomo' = 1, 'shop' = 2, 'beacon' = 3),
    session_id     String DEFAULT '' COMMENT 'Matomo idvisit / storefront session; empty when unknown',
    price          Nullable(Decimal(12, 2)) COMMENT 'Unit price for cart and purchase, else NULL',
    quantity       Nullable(Int32) COMMENT 'Units for cart and purchase, else NULL',
    request_id     String DEFAULT '' COMMENT 'Recommendation request the interaction came from; empty when organic',
    ingest_time_ms UInt64 COMMENT 'When the event was produced, UTC epoch milliseconds',
    kafka_topic     String DEFAULT '' COMMENT 'Source topic of the row, written by streams/clickhouse-sink (empty for rows written otherwise)',
    kafka_partition UInt16 DEFAULT 0 COMMENT 'Kafka partition of the source record',
    kafka_offset    UInt64 DEFAULT 0 COMMENT 'Kafka offset of the source record; the sink skips records at or below max(kafka_offset) per topic and partition',
    inserted_at    DateTime('UTC') MATERIALIZED now() COMMENT 'When the sink wrote the row'
)
ENGINE = ReplacingMergeTree(ingest_time_ms)
PARTITION BY toYYYYMM(event_time)
ORDER BY (user_id, event_time, event_id)
SETTINGS index_granularity = 8192;
