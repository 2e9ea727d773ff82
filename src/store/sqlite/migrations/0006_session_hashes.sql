-- Version 6: sessions are stored under the SHA-256 of their id, so neither a backup nor a read of the
-- database yields a cookie that logs anyone in (the ids are rehashed in Rust: `sessions::hash_stored_ids`),
-- and each keeps when it began, for the absolute lifetime.
ALTER TABLE sessions ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET created_at = CAST(strftime('%s', 'now') AS INTEGER);
