-- Abuse and anomaly signals (io.quotient.monitor.signal).

-- The operator's rules: one row, absent until the first PUT /v1/signal-rules (the defaults apply).
CREATE TABLE monitor_signal_rules (
  id                       int PRIMARY KEY CHECK (id = 1),
  denial_count             int NOT NULL,
  denial_window_ms         bigint NOT NULL,
  race_requests            int NOT NULL,
  race_window_ms           bigint NOT NULL,
  conflict_count           int NOT NULL,
  conflict_window_ms       bigint NOT NULL,
  spike_factor             numeric NOT NULL,
  spike_min_units          bigint NOT NULL,
  spike_min_history_hours  int NOT NULL,
  credential_failures      int NOT NULL,
  credential_window_ms     bigint NOT NULL,
  episode_quiet_ms         bigint NOT NULL,
  updated_at               timestamptz NOT NULL
);

-- The recent times (epoch microseconds, oldest first) of one kind of mark (denial, request,
-- conflict, auth_failure) for one target (a subject, "key:<id>", "address:<ip>"): only those within
-- the rule's window, and no more than its threshold, so a row stays small whatever the traffic.
CREATE TABLE monitor_signal_marks (
  target  text NOT NULL,
  kind    text NOT NULL,
  times   bigint[] NOT NULL,
  PRIMARY KEY (target, kind)
);

-- Units granted per subject and UTC hour, kept by the signals projection: the usage-spike rule reads
-- these rollups, never the raw events. Rows older than eight days are dropped as subjects are seen.
CREATE TABLE monitor_usage_hourly (
  subject  text NOT NULL,
  hour     timestamptz NOT NULL,
  units    bigint NOT NULL,
  PRIMARY KEY (subject, hour)
);

-- When the signals projection first saw a subject's usage: how much history its baseline has.
CREATE TABLE monitor_signal_subjects (
  subject     text PRIMARY KEY,
  first_seen  timestamptz NOT NULL
);

-- One row per episode of a signal for a target: opened (with one abuse.detected or spike.detected)
-- when the rule first holds, extended while it keeps holding, over once it has not held for the
-- rules' quiet period. The last one per signal and target is the state a new hit is compared with.
CREATE TABLE monitor_signal_episodes (
  id               bigserial PRIMARY KEY,
  signal           text NOT NULL,
  target           text NOT NULL,
  subject          text,
  started_at       timestamptz NOT NULL,
  last_at          timestamptz NOT NULL,
  hits             bigint NOT NULL,
  evidence_keys    text[] NOT NULL,
  evidence_values  text[] NOT NULL,
  event_id         bigint NOT NULL
);
CREATE INDEX monitor_signal_episodes_by_target ON monitor_signal_episodes (signal, target, id DESC);
CREATE INDEX monitor_signal_episodes_by_subject ON monitor_signal_episodes (subject, last_at);
CREATE INDEX monitor_signal_episodes_by_last ON monitor_signal_episodes (last_at);
