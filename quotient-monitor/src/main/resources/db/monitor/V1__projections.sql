-- One row per projection of the feed: its cursor, moved in the same transaction as what the
-- projection did with the events before it, so each event is handled exactly once. A projection
-- claims its row with FOR UPDATE SKIP LOCKED: of several instances, one handles a batch at a time.
CREATE TABLE monitor_projections (
  name        text PRIMARY KEY,
  cursor_tx   bigint NOT NULL,
  cursor_id   bigint NOT NULL,
  handled     bigint NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL
);
