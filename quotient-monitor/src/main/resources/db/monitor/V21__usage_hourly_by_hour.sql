-- The signals projection drops rollups older than eight days once an hour, by hour across subjects.
CREATE INDEX monitor_usage_hourly_by_hour ON monitor_usage_hourly (hour);
