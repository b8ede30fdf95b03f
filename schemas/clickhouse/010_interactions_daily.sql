-- Daily totals per item and action, fed by a materialized view on every insert into
-- streamrec.interactions. Query with sum()/…Merge() and GROUP BY: unmerged parts hold several
-- rows per key.
--   Stitched copies are left out: an event id starting with 'stitch:' (STITCHED_EVENT_PREFIX in
--     packages/streams-common/src/domain/ids.ts) re-attributes an anonymous visitor's earlier event to the
--     user it turned out to be; the item already counted the anonymous original. The raw table
--     keeps both (user histories need the copy).
--   events, units, amount: plain sums of inserted rows. streams/clickhouse-sink inserts each Kafka
--     record exactly once (every row carries its kafka_topic/partition/offset and the sink skips
--     records at or below the stored maximum, see streams/clickhouse-sink/README.md), so a crash or a
--     re-read does not count twice. What can still count twice: the same event re-emitted at a new
--     Kafka offset (Debezium is at-least-once; a duplicate the normaliser's dedup window missed, or a
--     replay into the topic) is a new record, inserted again; the base table collapses it on merge,
--     this view cannot. A replay into a non-empty table therefore still needs the rebuild with
--     INSERT ... SELECT ... FINAL in schemas/README.md.
--   unique_events: uniqExact over event_id, exact whatever the duplicates (uniqExactMerge()).
--   unique_users: approximate distinct users (uniqMerge()).
-- The AggregateFunction columns are in the SummingMergeTree column list on purpose: a column left
-- out of an explicit list keeps the first row's value on merge, which silently turned the exact
-- distinct counts into the count of one part (verified on 18.16). Listed, they are merged as states.
-- Explicit CASTs: on 18.16 a materialized view does not convert types, so the SELECT must produce
-- exactly the target's column types (e.g. sum(Decimal) is Decimal(38, 2)).

CREATE TABLE IF NOT EXISTS streamrec.interactions_daily
(
    event_date    Date,
    item_id       UInt64,
    action        Enum8('view' = 1, 'click' = 2, 'download' = 3, 'favorite' = 4, 'cart' = 5, 'purchase' = 6),
    events        UInt64 COMMENT 'Inserted rows',
    units         Int64 COMMENT 'Sum of quantity (cart, purchase)',
    amount        Decimal(38, 2) COMMENT 'Sum of price * quantity: revenue for purchase, cart value for cart',
    unique_events AggregateFunction(uniqExact, String) COMMENT 'Distinct event_id; read with uniqExactMerge()',
    unique_users  AggregateFunction(uniq, String) COMMENT 'Distinct user_id, approximate; read with uniqMerge()'
)
ENGINE = SummingMergeTree((events, units, amount, unique_events, unique_users))
PARTITION BY toYYYYMM(event_date)
ORDER BY (event_date, item_id, action)
SETTINGS index_granularity = 8192;

CREATE MATERIALIZED VIEW IF NOT EXISTS streamrec.interactions_daily_mv
TO streamrec.interactions_daily
AS SELECT
    toDate(event_time) AS event_date,
    item_id,
    action,
    CAST(count() AS UInt64) AS events,
    CAST(sum(toInt64(ifNull(quantity, 0))) AS Int64) AS units,
    CAST(sum(ifNull(price, toDecimal64(0, 2)) * ifNull(quantity, 0)) AS Decimal(38, 2)) AS amount,
    uniqExactState(event_id) AS unique_events,
    uniqState(user_id) AS unique_users
FROM streamrec.interactions
WHERE NOT startsWith(event_id, 'stitch:')
GROUP BY event_date, item_id, action;
