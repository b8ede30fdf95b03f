-- Orders and their lines from the shop DB (cdc.shop.orders / cdc.shop.order_items), latest
-- source_version per row. orders is partitioned by created_at, which never changes for an order,
-- so all versions of one order meet in one partition and collapse.

CREATE TABLE IF NOT EXISTS streamrec.orders
(
    id             UInt64,
    user_id        String COMMENT 'Shop user id in decimal, as interactions.user_id',
    status         String COMMENT 'pending, paid, refunded, cancelled',
    total_amount   Decimal(12, 2),
    currency       String COMMENT 'ISO 4217 code',
    created_at     DateTime('UTC'),
    paid_at        Nullable(DateTime('UTC')) COMMENT 'NULL until paid',
    updated_at     DateTime('UTC'),
    deleted        UInt8 DEFAULT 0,
    source_version UInt64,
    kafka_topic     String DEFAULT '' COMMENT 'Source topic of the row, written by streams/clickhouse-sink (empty for rows written otherwise)',
    kafka_partition UInt16 DEFAULT 0 COMMENT 'Kafka partition of the source record',
    kafka_offset    UInt64 DEFAULT 0 COMMENT 'Kafka offset of the source record; the sink skips records at or below max(kafka_offset) per topic and partition',
    inserted_at    DateTime('UTC') MATERIALIZED now()
)
ENGINE = ReplacingMergeTree(source_version)
PARTITION BY toYYYYMM(created_at)
ORDER BY id
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS streamrec.order_items
(
    id             UInt64,
    order_id       UInt64,
    item_id        UInt64 COMMENT 'shop.order_items.dataset_id',
    price          Decimal(12, 2) COMMENT 'Unit price paid',
    quantity       UInt32,
    deleted        UInt8 DEFAULT 0,
    source_version UInt64,
    kafka_topic     String DEFAULT '' COMMENT 'Source topic of the row, written by streams/clickhouse-sink (empty for rows written otherwise)',
    kafka_partition UInt16 DEFAULT 0 COMMENT 'Kafka partition of the source record',
    kafka_offset    UInt64 DEFAULT 0 COMMENT 'Kafka offset of the source record; the sink skips records at or below max(kafka_offset) per topic and partition',
    inserted_at    DateTime('UTC') MATERIALIZED now()
)
ENGINE = ReplacingMergeTree(source_version)
ORDER BY (order_id, id)
SETTINGS index_granularity = 8192;
