-- Account settings (issue #16): a logged-in session knows its account, the device it was opened on (the
-- browser's User-Agent and the client's address at log-in) and when it was last used, so the account page
-- can list them and end any; changing the password ends the others. A visitor's session has no account.
ALTER TABLE sessions ADD COLUMN user_id INTEGER REFERENCES users (id) ON DELETE CASCADE;
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
-- Moved on when the session's expiry is (at most hourly), so it reads "within the hour".
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
-- An ended session stays as a tombstone until it would have lapsed: a request still in flight that saves it
-- again finds it ended instead of making it anew.
ALTER TABLE sessions ADD COLUMN ended_at INTEGER;
UPDATE sessions SET user_id = json_extract(entries, '$.user.id'), last_seen_at = created_at
    WHERE json_valid(entries)
      AND EXISTS (SELECT 1 FROM users WHERE id = json_extract(sessions.entries, '$.user.id'));
CREATE INDEX sessions_by_user ON sessions (user_id) WHERE user_id IS NOT NULL;
