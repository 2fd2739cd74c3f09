-- DESIGN §2: an idempotency key is scoped to the subject, not to the credential that sent it, so
-- a retry through another instance of the product (another service key, or a rotated one) replays
-- the first decision. The credential stays recorded as the actor on the event (events.scope).
-- Where one subject used a key through several credentials, the first stored use wins.
DELETE FROM idempotency_keys a
  USING idempotency_keys b
  WHERE a.subject = b.subject AND a.key = b.key
    AND (a.created_at, a.event_id, a.scope) > (b.created_at, b.event_id, b.scope);
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys DROP COLUMN scope;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (subject, key);
