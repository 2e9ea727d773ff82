-- Personal access tokens for the JSON API (issue #18). A token is shown once when made; only its SHA-256
-- is kept (a token is 32 random bytes, so a fast hash is enough: there is nothing to guess). `scope` is
-- `read` (what the account can see) or `write` (everything the account can do); `expires_at` NULL never
-- lapses; `last_used_at` moves at most once a minute, so reading with a token is not a write each time.
-- Revoking deletes the row; so do deleting the account and a new password (the trigger below).
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    scope        TEXT    NOT NULL,  -- read | write
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER,
    last_used_at INTEGER
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, id);

-- A new password (changed, or reset from a mailed link) ends what the old one could have made: whoever
-- made a token while signed in as the account loses it with the password, as the sessions end.
CREATE TRIGGER password_changed_revokes_tokens AFTER UPDATE OF password_hash ON users
    WHEN old.password_hash <> new.password_hash BEGIN
    DELETE FROM api_tokens WHERE user_id = new.id;
END;
