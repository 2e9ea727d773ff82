//! The SQL of API tokens that both engines share (`?n` placeholders; PostgreSQL's side numbers them `$n`).

/// How many tokens the account `?1` holds (counted in the transaction that adds one).
pub const COUNT: &str = "SELECT count(*) FROM api_tokens WHERE user_id = ?1";

/// Whether the account `?1` is there, not deleted, and its password hash still `?2` (any, for NULL).
pub const ACCOUNT_LIVE: &str = "SELECT 1 FROM users WHERE id = ?1 AND deleted_at IS NULL
     AND (CAST(?2 AS TEXT) IS NULL OR password_hash = ?2)";

/// Forgets the account `?1`'s tokens that lapsed by `?2` (they count toward no limit).
pub const FORGET_LAPSED: &str =
    "DELETE FROM api_tokens WHERE user_id = ?1 AND expires_at IS NOT NULL AND expires_at <= ?2";

/// Adds a token (`?1` account, `?2` name, `?3` scope, `?4` hash, `?5` now, `?6` lapse or NULL); its id.
pub const INSERT: &str =
    "INSERT INTO api_tokens (user_id, name, scope, token_hash, created_at, expires_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";

/// The account `?1`'s tokens, the newest first.
pub const OF_USER: &str =
    "SELECT id, name, scope, created_at, expires_at, last_used_at FROM api_tokens
     WHERE user_id = ?1 ORDER BY id DESC";

/// Revokes the account `?1`'s token `?2`.
pub const REVOKE: &str = "DELETE FROM api_tokens WHERE user_id = ?1 AND id = ?2";

/// The account the token with hash `?1` speaks for, if it has not lapsed by `?2` and the account is not
/// deleted: the account's id and name, the token's scope, id and last use.
pub const HOLDER: &str = "SELECT u.id, u.username, t.scope, t.id, t.last_used_at
     FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = ?1 AND (t.expires_at IS NULL OR t.expires_at > ?2) AND u.deleted_at IS NULL";

/// Notes that the token `?1` was used at `?2`, unless a use within the minute before `?2` was noted
/// (requests at once all see the old time; one of them writes).
pub const USED: &str = "UPDATE api_tokens SET last_used_at = ?2
     WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at <= CAST(?2 AS BIGINT) - 60)";
