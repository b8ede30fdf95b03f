-- One row per data-quality run (jobs/dq): every check with its observed value,
-- threshold and verdict. Written once at the end of a run; ReplacingMergeTree makes a retried
-- insert harmless.

CREATE TABLE IF NOT EXISTS streamrec.dq_runs
(
    run_id      String,
    suite       String COMMENT 'e.g. interactions, items, exposures, training_set',
    started_at  DateTime('UTC'),
    finished_at DateTime('UTC'),
    window_from DateTime('UTC') COMMENT 'Data window checked',
    window_to   DateTime('UTC'),
    status      String COMMENT 'passed, warned or failed (worst check)',
    checks Nested
    (
        name      String,
        target    String, -- Table, topic or column checked
        severity  String, -- warn or fail
        passed    UInt8,
        observed  Float64,
        threshold Float64,
        message   String
    ),
    inserted_at DateTime('UTC') MATERIALIZED now()
)
ENGINE = ReplacingMergeTree(finished_at)
PARTITION BY toYYYYMM(started_at)
ORDER BY (suite, started_at, run_id)
SETTINGS index_granularity = 8192;
