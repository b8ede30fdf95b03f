-- The pair increments streams/cooccurrence commits to events.cooccurrence.v1, one row per Kafka record
-- (day × unordered item pair of one batch), written by streams/clickhouse-sink; the view below adds each
-- row to streamrec.cooccurrence in both directions, the table analysts read (007_cooccurrence.sql).
--   Why a table of its own: the sink inserts each Kafka record exactly once by skipping records at or
--     below max(kafka_offset) per topic and partition of the table it writes. In cooccurrence a
--     SummingMergeTree merge keeps one arbitrary kafka_offset per (item, other, day) and could lower
--     that maximum, so a restarted sink would insert records again. Here nothing merges rows away.
--   low_item_id < high_item_id (events.cooccurrence.v1's item_id / other_item_id). Their names differ
--     from cooccurrence's on purpose: ClickHouse aliases shadow columns, and the view's item_id /
--     other_item_id outputs would otherwise refer to themselves.
--   The producer commits each interactions offset's pairs once (Kafka transactions with the progress,
--     docs/exactly-once-state.md); the sink reads them with isolation read_committed, so aborted
--     records of a killed producer never arrive.
--   Rebuilding cooccurrence (a changed view, a lost partition): with the sink stopped,
--     ALTER TABLE streamrec.cooccurrence DROP PARTITION <YYYYMM>, then INSERT INTO streamrec.cooccurrence
--     SELECT the view's query over cooccurrence_increments WHERE toYYYYMM(event_date) = <YYYYMM>.

CREATE TABLE IF NOT EXISTS streamrec.cooccurrence_increments
(
    event_date      Date COMMENT 'UTC day of the pairing interactions',
    low_item_id     UInt64 COMMENT 'The smaller item id of the pair',
    high_item_id    UInt64 COMMENT 'The larger item id of the pair',
    pair_count      UInt64 COMMENT 'Co-occurrences of the pair that day in one batch of the processor',
    weight          Float64 COMMENT 'Sum of their action weights (not decayed)',
    kafka_topic     String DEFAULT '' COMMENT 'Source topic of the row, written by streams/clickhouse-sink',
    kafka_partition UInt16 DEFAULT 0 COMMENT 'Kafka partition of the source record',
    kafka_offset    UInt64 DEFAULT 0 COMMENT 'Kafka offset of the source record; the sink skips records at or below max(kafka_offset) per topic and partition',
    inserted_at     DateTime('UTC') MATERIALIZED now() COMMENT 'When the sink wrote the row'
)
ENGINE = MergeTree()
PARTITION BY toYYYYMM(event_date)
ORDER BY (kafka_topic, kafka_partition, kafka_offset)
SETTINGS index_granularity = 8192;

CREATE MATERIALIZED VIEW IF NOT EXISTS streamrec.cooccurrence_mv
TO streamrec.cooccurrence
AS SELECT
    event_date,
    tupleElement(pair, 1) AS item_id,
    tupleElement(pair, 2) AS other_item_id,
    pair_count,
    weight
FROM streamrec.cooccurrence_increments
ARRAY JOIN [(low_item_id, high_item_id), (high_item_id, low_item_id)] AS pair;
