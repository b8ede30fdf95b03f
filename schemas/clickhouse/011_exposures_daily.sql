-- Daily impressions per item, recall channel, scene, experiment variant and model version, fed by
-- a materialized view that unrolls each exposure's items. With interactions_daily (clicks) it
-- gives CTR per channel and variant. impressions counts inserted rows (see the duplicate note in
-- 010_interactions_daily.sql); unique_requests is exact whatever the duplicates.

CREATE TABLE IF NOT EXISTS streamrec.exposures_daily
(
    event_date      Date,
    item_id         UInt64,
    channel         String,
    scene           String,
    variant         String,
    model_version   String,
    impressions     UInt64 COMMENT 'Inserted (request, item) rows',
    unique_requests AggregateFunction(uniqExact, String) COMMENT 'Distinct request_id; read with uniqExactMerge()'
)
ENGINE = SummingMergeTree((impressions))
PARTITION BY toYYYYMM(event_date)
ORDER BY (event_date, item_id, channel, scene, variant, model_version)
SETTINGS index_granularity = 8192;

CREATE MATERIALIZED VIEW IF NOT EXISTS streamrec.exposures_daily_mv
TO streamrec.exposures_daily
AS SELECT
    toDate(event_time) AS event_date,
    exposed_item_id AS item_id,
    exposed_channel AS channel,
    scene,
    variant,
    model_version,
    CAST(count() AS UInt64) AS impressions,
    uniqExactState(request_id) AS unique_requests
FROM streamrec.exposures
ARRAY JOIN items.item_id AS exposed_item_id, items.channel AS exposed_channel
GROUP BY event_date, item_id, channel, scene, variant, model_version;
