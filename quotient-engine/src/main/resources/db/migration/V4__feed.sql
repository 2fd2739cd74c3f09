-- The feed: every committed event in one order that never changes. Event ids come in blocks per
-- engine and transactions commit out of id order, so "id > cursor" skips events that commit late.
-- Each event records the id of the transaction that wrote it (xid8: 64 bits, never wraps), the
-- feed order is (tx, id), and readers serve only events with tx below the oldest transaction still
-- running (pg_snapshot_xmin): no transaction below it is running, and no new one can get a lower
-- xid, so that part of the order is final.
--
-- Events written before this migration get tx 0: they come first, in id order. '0' as the added
-- default costs no table rewrite; the real default replaces it at once for new rows.
ALTER TABLE events ADD COLUMN tx xid8 NOT NULL DEFAULT '0';
ALTER TABLE events ALTER COLUMN tx SET DEFAULT pg_current_xact_id();

-- The follower's index: a page is a range of (tx, id). New entries land at the right edge (tx grows).
CREATE INDEX events_feed ON events (tx, id);
-- A subject's events in feed order; replaces (subject, id), which only the old id-order page used.
CREATE INDEX events_by_subject_feed ON events (subject, tx, id);
DROP INDEX events_by_subject;
