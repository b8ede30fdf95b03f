-- User profiles from events.users.v1 (no personal data), latest source_version per id.
-- user_id is id as interactions, exposures and orders spell it, so joins need no conversion:
--   ... JOIN (SELECT user_id, industry FROM streamrec.users FINAL) USING user_id

CREATE TABLE IF NOT EXISTS streamrec.users
(
    id             UInt64,
    user_id        String ALIAS toString(id),
    industry       String DEFAULT '',
    country        String DEFAULT '' COMMENT 'ISO 3166-1 alpha-2',
    company_size   String DEFAULT '',
    segment        String DEFAULT '',
    created_at     DateTime('UTC'),
    updated_at     DateTime('UTC'),
    deleted        UInt8 DEFAULT 0,
    source_version UInt64,
    kafka_topic     String DEFAULT '' COMMENT 'Source topic of the row, written by streams/clickhouse-sink (empty for rows written otherwise)',
    kafka_partition UInt16 DEFAULT 0 COMMENT 'Kafka partition of the source record',
    kafka_offset    UInt64 DEFAULT 0 COMMENT 'Kafka offset of the source record; the sink skips records at or below max(kafka_offset) per topic and partition',
    inserted_at    DateTime('UTC') MATERIALIZED now()
)
ENGINE = ReplacingMergeTree(source_version)
ORDER BY id
SETTINGS index_granularity = 8192;
