-- The admin dashboard's sessions: an API key exchanged for a cookie. Only a SHA-256 of the session
-- id is kept (the cookie is the credential); the CSRF token is not a credential on its own, so it
-- is kept as is and shown again when the page reloads. A session dies with its key.
CREATE TABLE server_sessions (
  id_hash     bytea PRIMARY KEY,
  key_id      text NOT NULL REFERENCES server_api_keys (id) ON DELETE CASCADE,
  csrf_token  text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX server_sessions_expiry ON server_sessions (expires_at);
