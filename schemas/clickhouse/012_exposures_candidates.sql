-- Migration of an existing install (a new one has the column from 003_exposures.sql): whether each
-- logged item was shown. Exposures also log a sample of the ranked candidates that were not shown, so
-- a label on an item the recall found but ranked low still teaches the ranker (jobs/retrain).
-- An install from before this file also keeps counting unshown candidates as impressions in
-- exposures_daily until its view is recreated: `DROP TABLE streamrec.exposures_daily_mv`, then
-- `npm run stack:up` creates it again from 011_exposures_daily.sql.
-- One ALTER per line: infra/local/components/clickhouse.sh runs only the columns system.columns lacks.
ALTER TABLE streamrec.exposures ADD COLUMN items.shown Array(UInt8) AFTER items.features
