-- Experiments per day for analysts: one row per experiment, variant and UTC day of the answer, computed
-- at query time from exposures and interactions (a plain view: nothing is stored, nothing to backfill).
-- The experiment readout (npm run experiments, docs/experiments.md) computes the same figures per user
-- with confidence intervals, the lift against control and the sample-ratio check; this view is for ad-hoc
-- questions and dashboards.
--   requests: distinct answers (request_id); a re-delivered exposure counts once (GROUP BY request_id,
--     not FINAL: FINAL would merge the feature arrays of every row).
--   exposures: items shown (items.shown = 1), clicks/downloads: distinct items clicked/downloaded from
--     those answers, attributed by interactions.request_id whenever they happened; stitched copies
--     ('stitch:' event ids) left out.
--   users: distinct users of that day; a user active on several days counts on each, so do not sum
--     users over days (the readout counts each user once).
--   degraded_requests: answers with a degradation (degraded_reasons not empty).
-- ClickHouse 18.16: one JOIN per SELECT with its strictness; no predicate push-down into a view, so the
-- whole of exposures with an experiment is read on every query (cheap columns only, no feature arrays);
-- for a long history filter inside a copy of this query instead (docs/experiments.md).

CREATE VIEW IF NOT EXISTS streamrec.experiment_daily
AS SELECT
    exposed_experiment AS experiment,
    exposed_variant AS variant,
    event_date,
    uniqExact(exposed_user) AS users,
    count() AS requests,
    sum(shown_items) AS exposures,
    sum(clicked_items) AS clicks,
    sum(downloaded_items) AS downloads,
    sum(is_degraded) AS degraded_requests,
    round(clicks / greatest(exposures, 1), 6) AS ctr,
    round(degraded_requests / greatest(requests, 1), 6) AS degraded_share
FROM
(
    SELECT request_id, any(experiment) AS exposed_experiment, any(variant) AS exposed_variant, toDate(min(event_time)) AS event_date,
           any(user_id) AS exposed_user, any(arraySum(items.shown)) AS shown_items, max(notEmpty(degraded_reasons)) AS is_degraded
    FROM streamrec.exposures
    WHERE experiment != ''
    GROUP BY request_id
)
ANY LEFT JOIN
(
    SELECT request_id, uniqExactIf(item_id, action = 'click') AS clicked_items, uniqExactIf(item_id, action = 'download') AS downloaded_items
    FROM streamrec.interactions
    WHERE action IN ('click', 'download') AND request_id != '' AND NOT startsWith(event_id, 'stitch:')
    GROUP BY request_id
) USING request_id
GROUP BY experiment, variant, event_date;
