-- Threshold rules: per plan and metric (either may be null: any), the percentages that alert.
-- One rule per scope, so the most specific rule that matches is never ambiguous.
CREATE TABLE monitor_alert_rules (
  name        text PRIMARY KEY,
  plan        text,
  metric      text,
  thresholds  int[] NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX monitor_alert_rules_scope ON monitor_alert_rules (coalesce(plan, ''), coalesce(metric, ''));

-- One row per threshold crossed, per subject × metric × window: firing until usage falls back
-- below it (or its window ends), then resolved. Written by the alerts projection in the same
-- transaction as its cursor, so each crossing has exactly one row and one alert.triggered.
CREATE TABLE monitor_alerts (
  id               bigserial PRIMARY KEY,
  subject          text NOT NULL,
  metric           text NOT NULL,
  window_start     timestamptz NOT NULL,
  resets_at        timestamptz,
  threshold        int NOT NULL,
  level            text NOT NULL,
  state            text NOT NULL CHECK (state IN ('firing', 'resolved')),
  used             bigint NOT NULL,
  "limit"          bigint NOT NULL,
  triggered_at     timestamptz NOT NULL,
  resolved_at      timestamptz,
  resolved_reason  text
);
-- At most one firing row per threshold: the state the projection compares against.
CREATE UNIQUE INDEX monitor_alerts_firing ON monitor_alerts (subject, metric, threshold) WHERE state = 'firing';
CREATE INDEX monitor_alerts_by_subject ON monitor_alerts (subject, id);
CREATE INDEX monitor_alerts_by_state ON monitor_alerts (state, id);
