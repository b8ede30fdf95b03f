-- Catalogue items from events.items.v1: one row per change, ReplacingMergeTree keeps the highest
-- source_version (binlog order) per id, so out-of-order and duplicate changes are harmless.
-- Current catalogue: SELECT ... FROM streamrec.items FINAL WHERE deleted = 0.
-- Unpartitioned on purpose: ReplacingMergeTree only collapses rows within one partition, and no
-- column of an item is both immutable and useful to partition by.

CREATE TABLE IF NOT EXISTS streamrec.items
(
    id             UInt64,
    title          String,
    description    String,
    tags           Array(String),
    industry       String COMMENT 'Industry key, same list as users.industry',
    price          Decimal(12, 2) COMMENT '0.00 = free',
    status         String COMMENT 'Shop status: draft, listed, unlisted',
    available      UInt8 COMMENT '1 when recommendable and sellable (listed, not deleted)',
    deleted        UInt8 DEFAULT 0,
    created_at     DateTime('UTC'),
    updated_at     DateTime('UTC'),
    source_version UInt64 COMMENT 'Binlog order: file sequence * 2^32 + position',
    kafka_topic     String DEFAULT '' COMMENT 'Source topic of the row, written by streams/clickhouse-sink (empty for rows written otherwise)',
    kafka_partition UInt16 DEFAULT 0 COMMENT 'Kafka partition of the source record',
    kafka_offset    UInt64 DEFAULT 0 COMMENT 'Kafka offset of the source record; the sink skips records at or below max(kafka_offset) per topic and partition',
    inserted_at    DateTime('UTC') MATERIALIZED now()
)
ENGINE = ReplacingMergeTree(source_version)
ORDER BY id
SETTINGS index_granularity = 8192;
