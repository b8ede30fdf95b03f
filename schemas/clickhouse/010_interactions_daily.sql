-- Daily totals per item and action, fed by a materialized view on every insert into
-- streamrec.interactions. Query with sum()/…Merge() and GROUP BY: unmerged parts hold several
-- rows per key.
--   events, units, amount: plain sums of inserted rows. They count an event twice if the sink
--     inserts it twice (the base table collapses duplicates later, this view cannot); after a
--     replay into a non-empty table, rebuild with the INSERT ... SELECT ... FINAL in README.md.
--   unique_events: uniqExact over event_id, exact whatever the duplicates (uniqExactMerge()).
--   unique_users: approximate distinct users (uniqMerge()).
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
ENGINE = SummingMergeTree((events, units, amount))
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
GROUP BY event_date, item_id, action;
