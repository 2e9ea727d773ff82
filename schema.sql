-- miniboard schema, version 1. Later changes are numbered migrations in src/store/sqlite/migrations/.
-- Timestamps are INTEGER seconds since the Unix epoch, which is UTC by definition.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL,
    -- Lower-cased forms carry the uniqueness, so "Alice" cannot sign up beside "alice".
    username_key  TEXT    NOT NULL UNIQUE,
    email         TEXT    NOT NULL,
    email_key     TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);

-- Server-side sessions: the cookie holds only the id.
CREATE TABLE sessions (
    id         TEXT    PRIMARY KEY,
    entries    TEXT    NOT NULL, -- JSON object
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Values the server keeps for itself, such as the generated development secret key.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
