-- Every step of the analytics and signals projections rewrites the rollup rows of each subject it
-- saw. An update PostgreSQL can make in place (a HOT update: no indexed column changes and the page
-- has room for the new version) writes no index entry and leaves nothing for vacuum; measured on
-- the monitor bench, the three upserts took 11.2 s of statement time without this and 4.9 s with it.

-- Room on each page for new versions of its rows: a step updates most rows of a page at once.
ALTER TABLE monitor_daily_usage SET (fillfactor = 50);
ALTER TABLE monitor_usage_hourly SET (fillfactor = 50);
ALTER TABLE monitor_usage SET (fillfactor = 50);

-- monitor_usage was indexed on percent and on used, which change at every decision, so none of its
-- updates was in place. It is now indexed on coarse keys that change a few times per window: the
-- 10% band of percent (0-9, 10 for 100% and more; null when unlimited) and the bit length of used.
-- The near-limit and top queries read the index for the order of those keys and sort only within
-- one key (an incremental sort).
ALTER TABLE monitor_usage ADD COLUMN band smallint, ADD COLUMN magnitude smallint;
UPDATE monitor_usage SET band = least(10, floor(percent / 10))::smallint,
  magnitude = length(ltrim(used::bit(64)::text, '0'));
ALTER TABLE monitor_usage ALTER COLUMN magnitude SET NOT NULL;
DROP INDEX monitor_usage_percent;
DROP INDEX monitor_usage_metric_used;
CREATE INDEX monitor_usage_by_band ON monitor_usage (band DESC) WHERE band IS NOT NULL;
CREATE INDEX monitor_usage_by_magnitude ON monitor_usage (metric, magnitude DESC);
