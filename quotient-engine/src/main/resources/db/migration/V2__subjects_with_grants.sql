-- Most subjects never get a grant; marking those that did lets a batch skip the grants query
-- when none of its subjects has one. Set (never cleared) in the transaction that adds a grant.
ALTER TABLE subjects ADD COLUMN has_grants boolean NOT NULL DEFAULT false;
UPDATE subjects s SET has_grants = true WHERE EXISTS (SELECT 1 FROM grants g WHERE g.subject = s.id);
