//! The SQL of deleting an account, the same on both engines (`?n` placeholders; PostgreSQL's side numbers
//! them `$n`). The account's posts stay, shown as by a deleted user (its name empty); what it gave others
//! (likes) and what was only its own (follows, notifications, links, queued mail, sessions) goes.

/// The account's name, if `?2` is still its password hash and it is not deleted already.
pub const TO_DELETE: &str =
    "SELECT username FROM users WHERE id = ?1 AND password_hash = ?2 AND deleted_at IS NULL";

/// The questions the account `?1` liked.
pub const LIKED_QUESTIONS: &str = "SELECT question_id FROM question_likes WHERE user_id = ?1";

/// The answers the account `?1` liked.
pub const LIKED_ANSWERS: &str = "SELECT answer_id FROM answer_likes WHERE user_id = ?1";

/// What was only the account `?1`'s.
pub const FORGET: [&str; 6] = [
    "DELETE FROM question_follows WHERE user_id = ?1",
    "DELETE FROM tag_follows WHERE user_id = ?1",
    "DELETE FROM notifications WHERE user_id = ?1",
    "DELETE FROM account_links WHERE user_id = ?1",
    "DELETE FROM mail_queue WHERE user_id = ?1",
    "DELETE FROM api_tokens WHERE user_id = ?1",
];

/// The questions whose search documents name the account `?1` (as asker or answerer), to index again
/// without its name.
pub const REINDEX: &str = "INSERT INTO search_changes (question_id, text)
     SELECT id, 1 = 1 FROM questions WHERE author_id = ?1
     UNION SELECT question_id, 1 = 1 FROM answers WHERE author_id = ?1";

/// The account `?1` deleted at `?2`: no name shown, no address (free at once), no password, no role and
/// no suspension (nor its reason); its name's key stays, so nobody takes the name until it is freed.
pub const ERASE: &str = "UPDATE users SET username = '', email = '',
         email_key = '~' || CAST(id AS TEXT), password_hash = '', email_verified = 0, mail_kinds = ',',
         unread_notifications = 0, role = 'user', suspended_until = NULL, suspension_reason = '',
         deleted_at = ?2
     WHERE id = ?1";

/// Frees the names of accounts deleted at `?1` or before.
pub const FREE_HELD_NAMES: &str = "UPDATE users
     SET username_key = '~' || CAST(id AS TEXT), username_skeleton = '~' || CAST(id AS TEXT)
     WHERE deleted_at IS NOT NULL AND deleted_at <= ?1 AND username_key NOT LIKE '~%'";
