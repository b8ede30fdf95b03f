-- Daily impressions per item, recall channel, scene, experiment variant and model version, fed by
-- a materialized view that unrolls each exposure's shown items (sampled unshown candidates are not impressions). With interactions_daily (clicks) it
-- gives CTR per channel and variant. impressions counts inserted (request, item) rows: the sink
-- inserts each serving.exposures.v1 record exactly once (kafka_offset, see
-- 010_interactions_daily.sql), so only an exposure produced twice to the topic (a retried send
-- the API could not confirm) counts twice; unique_requests is exact whatever the duplicates.
-- unique_requests is in the SummingMergeTree column list so merges combine its states (see
-- 010_interactions_daily.sql).
-- Nothing to leave out for stitching: exposures carry no event ids and the normaliser never
-- re-emits them (only interactions get 'stitch:' copies), so each exposure is counted once, under
-- the user id it was served to.

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
ENGINE = SummingMergeTree((impressions, unique_requests))
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
ARRAY JOIN items.item_id AS exposed_item_id, items.channel AS exposed_channel, items.shown AS exposed_shown
WHERE exposed_shown = 1
GROUP BY event_date, item_id, channel, scene, variant, model_version;
