-- Item-to-item co-occurrence counts per day, written by streams/cooccurrence as increments.
-- SummingMergeTree adds rows with the same (item_id, other_item_id, event_date) on merge; query
-- with sum() and GROUP BY, since unmerged parts still hold several rows per key. Increments are
-- not idempotent: the writer inserts each batch once (offsets recorded atomically), and a rebuild
-- truncates the table and replays the topic.

CREATE TABLE IF NOT EXISTS streamrec.cooccurrence
(
    event_date    Date,
    item_id       UInt64,
    other_item_id UInt64,
    pair_count    UInt64 COMMENT 'Number of co-occurrences (both directions are stored)',
    weight        Float64 COMMENT 'Sum of action-weighted contributions'
)
ENGINE = SummingMergeTree((pair_count, weight))
PARTITION BY toYYYYMM(event_date)
ORDER BY (item_id, other_item_id, event_date)
SETTINGS index_granularity = 8192;
