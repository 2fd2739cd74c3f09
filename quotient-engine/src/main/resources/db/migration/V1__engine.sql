-- Quotient's engine schema. Window starts are epoch milliseconds (bigint) so the hot path never
-- converts time zones; audit timestamps are timestamptz for people and tools reading them.

CREATE TABLE plans (
  name       text PRIMARY KEY,
  version    bigint NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE plan_limits (
  plan             text NOT NULL REFERENCES plans (name) ON DELETE CASCADE,
  metric           text NOT NULL,
  quota            bigint,            -- null: unlimited
  period           text NOT NULL,
  enforcement      text NOT NULL,
  overage_amount   numeric,
  overage_currency text,
  rate_per_second  bigint,
  rate_burst       bigint,
  PRIMARY KEY (plan, metric)
);

CREATE TABLE subjects (
  id             text PRIMARY KEY,
  plan           text NOT NULL REFERENCES plans (name),
  billing_anchor timestamptz NOT NULL,
  metadata       jsonb NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);

-- One row per subject, metric and window: the hot rows. Row locks on them serialise writers.
-- used = every unit counted in the window; from_bonus and overage are the parts of used that came
-- from grants or went past a soft limit; held = units held by open reservations.
CREATE TABLE counters (
  subject      text NOT NULL,
  metric       text NOT NULL,
  window_start bigint NOT NULL,
  used         bigint NOT NULL DEFAULT 0,
  from_bonus   bigint NOT NULL DEFAULT 0,
  overage      bigint NOT NULL DEFAULT 0,
  held         bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (subject, metric, window_start)
) WITH (fillfactor = 80);

CREATE TABLE grants (
  id         bigserial PRIMARY KEY,
  subject    text NOT NULL,
  metric     text NOT NULL,
  amount     bigint NOT NULL CHECK (amount > 0),
  used       bigint NOT NULL DEFAULT 0 CHECK (used >= 0 AND used <= amount),
  expires_at timestamptz,
  reason     text,
  created_at timestamptz NOT NULL
);
CREATE INDEX grants_by_subject ON grants (subject, metric, id);
CREATE INDEX grants_available ON grants (subject) WHERE used < amount;

CREATE TABLE reservations (
  id            text PRIMARY KEY,
  subject       text NOT NULL,
  state         text NOT NULL,     -- held, committed, released, expired
  metrics       text[] NOT NULL,
  amounts       bigint[] NOT NULL,
  window_starts bigint[] NOT NULL,
  expires_at    timestamptz NOT NULL,
  created_at    timestamptz NOT NULL,
  event_id      bigint NOT NULL
);
CREATE INDEX reservations_open ON reservations (expires_at) WHERE state = 'held';
CREATE INDEX reservations_open_by_subject ON reservations (subject) WHERE state = 'held';

-- Events ids come in blocks of 1000 per engine instance (hi/lo), one sequence call per block.
CREATE SEQUENCE event_ids INCREMENT BY 1000;

CREATE TABLE events (
  id               bigint PRIMARY KEY,
  at               timestamptz NOT NULL,
  type             text NOT NULL,
  subject          text,
  allowed          boolean,
  reason           text,
  scope            text NOT NULL DEFAULT '',
  idempotency_key  text,
  related_event_id bigint,
  reservation_id   text,
  -- json, not jsonb: events are written far more often than they are searched, and json input
  -- is only validated, not converted (measured: the event insert was the batch's largest step).
  items            json NOT NULL DEFAULT '[]',
  metadata         json NOT NULL DEFAULT '{}',
  detail           json NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_subject ON events (subject, id);
CREATE INDEX events_by_related ON events (related_event_id) WHERE related_event_id IS NOT NULL;

CREATE TABLE idempotency_keys (
  scope       text NOT NULL,
  subject     text NOT NULL,
  key         text NOT NULL,
  fingerprint text NOT NULL,
  event_id    bigint NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (scope, subject, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
