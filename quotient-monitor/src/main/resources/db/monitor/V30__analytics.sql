-- Analytics rollups, kept from the feed by the analytics projection in the same transaction as its
-- cursor (so each event counts exactly once), so that no analytics query reads raw events.

-- Subject × metric × UTC day: units granted (consumes and committed reservations), units refunded,
-- denied requests, and the parts of the granted units that came from grants or past a soft limit.
CREATE TABLE monitor_daily_usage (
  subject     text   NOT NULL,
  metric      text   NOT NULL,
  day         date   NOT NULL,
  granted     bigint NOT NULL DEFAULT 0,
  refunded    bigint NOT NULL DEFAULT 0,
  denials     bigint NOT NULL DEFAULT 0,
  from_bonus  bigint NOT NULL DEFAULT 0,
  overage     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (subject, metric, day)
);

-- Decisions and denials per UTC hour, for the operators' denial rate.
CREATE TABLE monitor_hourly_decisions (
  hour       timestamptz PRIMARY KEY,
  decisions  bigint NOT NULL,
  denials    bigint NOT NULL
);

-- The latest known usage of each subject × metric in its window: near-limit, distribution and top
-- consumers read this instead of joining counters and plans. A row of an ended window
-- (resets_at <= now) is stale and left out by every query; percent is null when unlimited.
CREATE TABLE monitor_usage (
  subject       text   NOT NULL,
  metric        text   NOT NULL,
  used          bigint NOT NULL,
  "limit"       bigint,
  percent       double precision,
  window_start  timestamptz NOT NULL,
  resets_at     timestamptz,
  PRIMARY KEY (subject, metric)
);
CREATE INDEX monitor_usage_percent ON monitor_usage (percent DESC, subject, metric) INCLUDE (resets_at) WHERE percent IS NOT NULL;
CREATE INDEX monitor_usage_metric_percent ON monitor_usage (metric, percent) INCLUDE (resets_at);
CREATE INDEX monitor_usage_metric_used ON monitor_usage (metric, used DESC) INCLUDE (resets_at);

-- How many monitor_usage rows of a metric and window end lie in each 10% band (0-9; 10 for 100%
-- and more), kept with monitor_usage in the same transaction, so the distribution adds up a few
-- rows instead of counting every subject.
CREATE TABLE monitor_usage_bands (
  metric     text   NOT NULL,
  resets_at  timestamptz NOT NULL,   -- 'infinity' for total limits
  band       int    NOT NULL,
  subjects   bigint NOT NULL,
  PRIMARY KEY (metric, resets_at, band)
);

-- Subjects per plan, from the feed's subject changes (a creation adds one to its plan, a move
-- takes one from the old plan): the distribution counts idle subjects at 0% from here.
CREATE TABLE monitor_plan_subjects (
  plan      text PRIMARY KEY,
  subjects  bigint NOT NULL
);
