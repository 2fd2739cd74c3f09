-- The server's own tables, migrated with their own history table (flyway_server_history) so that
-- they never clash with the engine's migrations in the same schema.

-- API keys: only a SHA-256 of each key is kept; the key itself is shown once, when created.
CREATE TABLE server_api_keys (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('admin', 'service', 'read')),
  key_hash    bytea NOT NULL UNIQUE,
  key_prefix  text NOT NULL,
  created_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);

-- Secrets shared by every server instance on this database (the subject token signing key).
CREATE TABLE server_secrets (
  name        text PRIMARY KEY,
  secret      bytea NOT NULL,
  created_at  timestamptz NOT NULL
);
