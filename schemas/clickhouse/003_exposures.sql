-- What the API showed: one row per recommendation response (serving.exposures.v1), the items as
-- parallel arrays (Nested) in display order, then a sample of the ranked candidates not shown (shown = 0). Training joins these with the interactions that
-- followed (same request_id, or same user and item within the attribution window) and uses the
-- features exactly as they were logged at serving time (point-in-time correct).
-- ReplacingMergeTree on (user_id, event_time, request_id): a re-delivered exposure collapses.

CREATE TABLE IF NOT EXISTS streamrec.exposures
(
    request_id       String COMMENT 'Unique per response; interactions.request_id points here',
    user_id          String COMMENT 'Same id space as interactions.user_id',
    event_time_ms    UInt64 COMMENT 'Response time, UTC epoch milliseconds',
    event_time       DateTime('UTC') MATERIALIZED toDateTime(intDiv(event_time_ms, 1000), 'UTC') COMMENT 'event_time_ms to the second (derived; name it in SELECT)',
    scene            String DEFAULT '' COMMENT 'Placement, e.g. home, item_detail, cart',
    experiment       String DEFAULT '' COMMENT 'Experiment id; empty outside experiments',
    variant          String DEFAULT '' COMMENT 'Experiment variant the user is bucketed into',
    model_name       String DEFAULT '',
    model_version    String DEFAULT '' COMMENT 'Ranker version; empty when ranking was skipped',
    degraded_reasons Array(String) COMMENT 'Degradations applied, e.g. redis_timeout, ranker_failed; empty = full path',
    latency_ms       UInt32 DEFAULT 0,
    feature_names    Array(String) COMMENT 'Names of items.features, in order (the model feature list)',
    items Nested
    (
        item_id  UInt64,
        position UInt16, -- 0-based display position
        channel  String, -- Recall channel that contributed the item (cooccurrence, tag, popular, ...)
        score    Float32, -- Ranker score (float32, as ONNX returns it); fused recall score when degraded
        features Array(Float32), -- Feature vector as fed to the ranker, aligned with feature_names
        shown    UInt8 -- 1 = shown; 0 = a sampled ranked candidate that was not shown (training negatives and low-ranked positives)
    ),
    ingest_time_ms   UInt64,
    kafka_topic     String DEFAULT '' COMMENT 'Source topic of the row, written by streams/clickhouse-sink (empty for rows written otherwise)',
    kafka_partition UInt16 DEFAULT 0 COMMENT 'Kafka partition of the source record',
    kafka_offset    UInt64 DEFAULT 0 COMMENT 'Kafka offset of the source record; the sink skips records at or below max(kafka_offset) per topic and partition',
    inserted_at      DateTime('UTC') MATERIALIZED now()
)
ENGINE = ReplacingMergeTree(ingest_time_ms)
PARTITION BY toYYYYMM(event_time)
ORDER BY (user_id, event_time, request_id)
SETTINGS index_granularity = 8192;
