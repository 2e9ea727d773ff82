-- Account settings (issue #16), as on SQLite (its migration 16 says what and why).
ALTER TABLE sessions ADD COLUMN user_id BIGINT REFERENCES users (id) ON DELETE CASCADE;
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET user_id = (entries::jsonb -> 'user' ->> 'id')::bigint, last_seen_at = created_at
    WHERE entries::jsonb ? 'user';
CREATE INDEX sessions_by_user ON sessions (user_id) WHERE user_id IS NOT NULL;
