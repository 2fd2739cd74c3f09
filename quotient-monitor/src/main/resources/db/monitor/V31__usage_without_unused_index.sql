-- No query reads monitor_usage by (metric, percent) since the distribution adds up
-- monitor_usage_bands, and every index on it is written again at each decision the analytics
-- projection folds (percent and used change, so no update is HOT): one index fewer is a
-- fifth less of the table's write per event.
DROP INDEX monitor_usage_metric_percent;
