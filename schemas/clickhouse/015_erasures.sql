-- The audit trail of the right to erasure (jobs/erase, `npm run erase -- --user ID`): one row per
-- run. It names nobody: the person is the keyed hash the erasure list uses (HMAC-SHA256 under the
-- visitor pseudonym key), so the operator who holds the key can show that a given user was erased
-- and when, and an analyst reading this table learns only that someone was.

CREATE TABLE IF NOT EXISTS streamrec.erasures
(
    request_id    String COMMENT 'UUID of the run; also in the erasure list entry',
    subject_token String COMMENT 'Keyed hash of the shop user id (the erasure list token)',
    requested_at  DateTime('UTC'),
    finished_at   DateTime('UTC'),
    operator      String COMMENT 'Who ran it (--operator, default the OS user)',
    ticket        String COMMENT 'The request it answers (--ticket), free text checked to [A-Za-z0-9._:/#-]',
    dry_run       UInt8 COMMENT '1: only counted what it would remove',
    outcome       String COMMENT 'complete, or incomplete (a step failed or data was still found: re-run)',
    visitors      UInt32 COMMENT 'Linked visitor pseudonyms erased with the user',
    removed Nested
    (
        store String, -- redis_keys, redis_members, normalize_fields, clickhouse.<table>, events.users.v1, api_last_answers
        count UInt64
    ),
    remaining     UInt64 COMMENT 'Identifiers still found by the final search (0 when complete)',
    inserted_at   DateTime('UTC') MATERIALIZED now()
)
ENGINE = MergeTree()
PARTITION BY toYYYYMM(requested_at)
ORDER BY (requested_at, request_id)
SETTINGS index_granularity = 8192;
