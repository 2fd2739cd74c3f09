-- Retention deletes events older than a cut-off in small batches. A BRIN index finds them without
-- scanning the table and costs the write path next to nothing: events are appended roughly in time
-- order, so one summary per range of 32 pages is all it keeps (a btree on `at` would add an entry
-- per event to every batch's insert).
CREATE INDEX events_by_age ON events USING brin (at) WITH (pages_per_range = 32);
