-- One row per ranker training run and status change (jobs/retrain), the model lineage:
-- data window, code and trainer versions, features, parameters, metrics against the champion,
-- ONNX parity and the gate decision. revision grows with every update of a run; FINAL shows the
-- latest. Metrics are name/value pairs so new metrics need no DDL:
--   metrics.value[indexOf(metrics.name, 'ndcg_at_10')]

CREATE TABLE IF NOT EXISTS streamrec.model_runs
(
    run_id              String,
    model_name          String,
    model_version       String COMMENT 'Version published to models.published.v1 (if published)',
    revision            UInt32 COMMENT 'Increases with every update of the run',
    status              String COMMENT 'running, trained, rejected, published, failed',
    started_at          DateTime('UTC'),
    finished_at         DateTime('UTC') COMMENT 'Epoch 0 (1970-01-01 00:00:00) while running',
    train_from          DateTime('UTC'),
    train_to            DateTime('UTC'),
    holdout_from        DateTime('UTC'),
    holdout_to          DateTime('UTC'),
    train_rows          UInt64 DEFAULT 0,
    holdout_rows        UInt64 DEFAULT 0,
    feature_names       Array(String),
    params_json         String DEFAULT '' COMMENT 'LightGBM parameters as JSON',
    metrics Nested
    (
        name  String,
        value Float64
    ),
    champion_version    String DEFAULT '',
    champion_metrics Nested
    (
        name  String,
        value Float64
    ),
    gate_passed         UInt8 DEFAULT 0,
    onnx_sha256         String DEFAULT '',
    onnx_parity_max_abs Float64 DEFAULT 0 COMMENT 'Largest |ONNX - LightGBM| score difference on the parity set',
    code_version        String DEFAULT '' COMMENT 'git commit of the job',
    trainer_versions    String DEFAULT '' COMMENT 'Pinned Python package versions',
    error               String DEFAULT '',
    inserted_at         DateTime('UTC') MATERIALIZED now()
)
ENGINE = ReplacingMergeTree(revision)
ORDER BY (model_name, run_id)
SETTINGS index_granularity = 8192;
