-- Account settings (issue #16), as on SQLite (its migration 16 says what and why).
ALTER TABLE sessions ADD COLUMN user_id BIGINT REFERENCES users (id) ON DELETE CASCADE;
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN ended_at BIGINT;
-- Entries are JSON the server wrote; a session naming an account that is gone keeps no owner.
UPDATE sessions SET user_id = (entries::jsonb -> 'user' ->> 'id')::bigint, last_seen_at = created_at
    WHERE entries LIKE '{%' AND entries::jsonb ? 'user'
      AND EXISTS (SELECT 1 FROM users WHERE id::text = sessions.entries::jsonb -> 'user' ->> 'id');
CREATE INDEX sessions_by_user ON sessions (user_id) WHERE user_id IS NOT NULL;
