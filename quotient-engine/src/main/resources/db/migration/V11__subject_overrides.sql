-- A subject's own limit for a metric of its plan (a larger allowance for one customer, a lower one
-- for a suspicious one, unlimited for staff), winning over the plan's until removed or expired.
CREATE TABLE subject_overrides (
  subject    text NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
  metric     text NOT NULL,
  quota      bigint,           -- null: unlimited
  expires_at timestamptz,      -- null: until removed
  created_at timestamptz NOT NULL,
  PRIMARY KEY (subject, metric)
);
-- Most subjects have none: the flag lets a batch skip the overrides query for them, as has_grants
-- does for grants. Kept exact (set and cleared) by the transaction that changes the overrides.
ALTER TABLE subjects ADD COLUMN has_overrides boolean NOT NULL DEFAULT false;
