-- Webhook endpoints. The secret is kept as given out (whsec_…): it signs, so it cannot be a hash.
-- After a rotation the previous secret also signs until previous_secret_expires_at.
-- lease_owner / lease_until: the delivery worker that holds the endpoint (one at a time, so the
-- endpoint gets its messages in feed order); a lease, not a held row lock, so that no transaction
-- stays open during an HTTP call (an open transaction holding a lock would hold the feed back).
CREATE TABLE monitor_webhooks (
  id                          text PRIMARY KEY,
  url                         text NOT NULL,
  format                      text NOT NULL CHECK (format IN ('standard', 'slack', 'discord')),
  types                       text[] NOT NULL,
  secret                      text NOT NULL,
  previous_secret             text,
  previous_secret_expires_at  timestamptz,
  state                       text NOT NULL CHECK (state IN ('enabled', 'disabled')),
  disabled_reason             text,
  disabled_at                 timestamptz,
  failing_since               timestamptz,
  created_at                  timestamptz NOT NULL,
  lease_owner                 text,
  lease_until                 timestamptz
);

-- The outbox: one row per endpoint × message, written by the webhooks projection in the same
-- transaction as its cursor. Its id orders an endpoint's messages (the projection inserts them in
-- feed order, one batch at a time). The payload is the exact body sent, rendered once.
CREATE TABLE monitor_webhook_outbox (
  id               bigserial PRIMARY KEY,
  webhook_id       text NOT NULL REFERENCES monitor_webhooks (id) ON DELETE CASCADE,
  message_id       text NOT NULL,
  type             text NOT NULL,
  payload          text NOT NULL,
  state            text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts         int NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL,
  next_attempt_at  timestamptz NOT NULL,
  last_attempt_at  timestamptz,
  last_status      int,
  last_error       text,
  delivered_at     timestamptz,
  UNIQUE (webhook_id, message_id)
);
-- The head of an endpoint's queue (the oldest pending message) and its depth.
CREATE INDEX monitor_webhook_outbox_pending ON monitor_webhook_outbox (webhook_id, id) WHERE state = 'pending';
CREATE INDEX monitor_webhook_outbox_by_webhook ON monitor_webhook_outbox (webhook_id, id);
CREATE INDEX monitor_webhook_outbox_age ON monitor_webhook_outbox (created_at) WHERE state = 'pending';
