//! The SQL of sessions that both engines share (`?n` placeholders; PostgreSQL's side numbers them `$n`).
//! Rows are keyed by the SHA-256 of the session id (`store::session_key`), never the id itself.

/// Stores a session (`?1` its key, `?2` its entries, `?3` when it lapses, `?4` now, `?5` its account or
/// NULL, `?6` the browser's User-Agent, `?7` the client's address); a new one begins now, an existing one
/// keeps its beginning, and an ended one stays ended (a request that loaded it before it ended saves it
/// after: poem saves a changed session whatever happened meanwhile).
pub const SAVE: &str =
    "INSERT INTO sessions (id, entries, expires_at, created_at, user_id, user_agent, address,
                          last_seen_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?4)
     ON CONFLICT (id) DO UPDATE SET entries = excluded.entries, expires_at = excluded.expires_at,
         user_id = excluded.user_id, user_agent = excluded.user_agent, address = excluded.address,
         last_seen_at = excluded.last_seen_at
     WHERE sessions.ended_at IS NULL";

/// Pushes a session's lapse on (`?1` its key, `?2` the new lapse, `?3` now: when it was last used).
pub const EXTEND: &str =
    "UPDATE sessions SET expires_at = ?2, last_seen_at = ?3 WHERE id = ?1 AND ended_at IS NULL";

/// A live session by its key (`?1`): not ended, not lapsed by `?2`, begun after `?3`.
pub const LOAD: &str = "SELECT entries, expires_at, created_at FROM sessions
     WHERE id = ?1 AND ended_at IS NULL AND expires_at > ?2 AND created_at > ?3";

/// Ends the session with key `?1` at `?2`: a tombstone until it would have lapsed, its entries gone.
pub const END: &str =
    "UPDATE sessions SET ended_at = ?2, entries = '{}' WHERE id = ?1 AND ended_at IS NULL";

/// The live sessions of the account `?1` (not lapsed by `?2`, begun after `?3`), the last used first.
pub const OF_USER: &str = "SELECT id, user_agent, address, created_at, last_seen_at FROM sessions
     WHERE user_id = ?1 AND ended_at IS NULL AND expires_at > ?2 AND created_at > ?3
     ORDER BY last_seen_at DESC, created_at DESC LIMIT 100";

/// Ends (at `?3`) the session with key `?2` if it is the account `?1`'s and live.
pub const END_ONE: &str = "UPDATE sessions SET ended_at = ?3, entries = '{}'
     WHERE user_id = ?1 AND id = ?2 AND ended_at IS NULL";

/// Ends (at `?3`) every live session of the account `?1` but the one with key `?2`.
pub const END_OTHERS: &str = "UPDATE sessions SET ended_at = ?3, entries = '{}'
     WHERE user_id = ?1 AND id <> ?2 AND ended_at IS NULL";

/// The account `?1`'s password hash.
pub const PASSWORD_HASH: &str = "SELECT password_hash FROM users WHERE id = ?1";

/// Sets the account `?1`'s password hash to `?2`, if it is still `?3` (the one the current password was
/// checked against: of two changes at once, the second finds it changed).
pub const SET_PASSWORD: &str =
    "UPDATE users SET password_hash = ?2 WHERE id = ?1 AND password_hash = ?3";
