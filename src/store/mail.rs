//! The SQL of mail, one-use links and mail settings that both engines share (`?n` placeholders;
//! PostgreSQL's side numbers them `$n`).

/// The account with the address whose key is `?1`: id, name, address, language.
pub const USER_BY_EMAIL: &str =
    "SELECT id, username, email, locale FROM users WHERE email_key = ?1 AND deleted_at IS NULL";

/// Where the account with a confirmed address (`?1`, its key) is signed in from at `?2`, the last used
/// first (not sessions ended, by a new password say, nor lapsed): its owner asking from there is not held
/// by the address's cap.
pub const SIGNED_IN_FROM: &str = "SELECT s.address FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE u.email_key = ?1 AND u.email_verified = 1 AND u.deleted_at IS NULL
       AND s.ended_at IS NULL AND s.expires_at > ?2 AND s.address <> ''
     GROUP BY s.address ORDER BY max(s.last_seen_at) DESC LIMIT 100";

/// The account `?1`'s name, address and language (a deleted account has none).
pub const MAIL_ADDRESS: &str =
    "SELECT username, email, locale FROM users WHERE id = ?1 AND deleted_at IS NULL";

/// Keeps a one-use link (`?1` its token's hash, `?2` the account, `?3` what for, `?4` the address it
/// verifies or was sent to, `?5` now, `?6` when it lapses), if the account is not deleted and, when `?7` is
/// not NULL, its password hash is still `?7`.
pub const ADD_LINK: &str =
    "INSERT INTO account_links (token_hash, user_id, purpose, email, created_at, expires_at)
     SELECT ?1, id, ?3, ?4, ?5, ?6 FROM users
     WHERE id = ?2 AND deleted_at IS NULL AND (CAST(?7 AS TEXT) IS NULL OR password_hash = ?7)";

/// Whether the link `?1` for `?2` still works at `?3`.
pub const LINK_WORKS: &str = "SELECT EXISTS (SELECT 1 FROM account_links
     WHERE token_hash = ?1 AND purpose = ?2 AND expires_at > ?3)";

/// Uses up the link `?1` for `?2` if it still works at `?3`: its account and address.
pub const TAKE_LINK: &str = "DELETE FROM account_links
     WHERE token_hash = ?1 AND purpose = ?2 AND expires_at > ?3 RETURNING user_id, email";

/// Keeps a sign-up until its link is opened (`?1` the token's hash, `?2` name, `?3` address, `?4` password
/// hash, `?5` language, `?6` now, `?7` when it lapses).
pub const ADD_SIGNUP: &str = "INSERT INTO signup_links
         (token_hash, username, email, password_hash, locale, created_at, expires_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/// Uses up the sign-up link `?1` if it still works at `?2`.
pub const TAKE_SIGNUP: &str = "DELETE FROM signup_links WHERE token_hash = ?1 AND expires_at > ?2
     RETURNING username, email, password_hash, locale";

/// Whether the sign-up link `?1` still works at `?2`.
pub const SIGNUP_WORKS: &str =
    "SELECT EXISTS (SELECT 1 FROM signup_links WHERE token_hash = ?1 AND expires_at > ?2)";

/// Forgets lapsed sign-ups (at `?1`).
pub const FORGET_LAPSED_SIGNUPS: &str = "DELETE FROM signup_links WHERE expires_at <= ?1";

/// A new account's address is confirmed (its link made it), in its language.
pub const CONFIRM_NEW_ACCOUNT: &str =
    "UPDATE users SET email_verified = 1, locale = ?2 WHERE id = ?1";

/// Forgets the account `?1`'s links (its address moved: links sent to the old one are void).
pub const FORGET_LINKS: &str = "DELETE FROM account_links WHERE user_id = ?1";

/// Forgets lapsed links (at `?1`).
pub const FORGET_LAPSED_LINKS: &str = "DELETE FROM account_links WHERE expires_at <= ?1";

/// Sets the account `?1`'s password hash to `?2` after a reset; the address the link went to (`?3`) is
/// verified by it, if it is still the account's.
pub const RESET_PASSWORD: &str = "UPDATE users SET password_hash = ?2,
         email_verified = CASE WHEN email = ?3 THEN 1 ELSE email_verified END
     WHERE id = ?1 AND deleted_at IS NULL";

/// Marks the account `?1`'s address verified, if it is `?2`.
pub const VERIFY_OWN_ADDRESS: &str =
    "UPDATE users SET email_verified = 1 WHERE id = ?1 AND email = ?2";

/// Whether an account other than `?2` has the address whose key is `?1`.
pub const ADDRESS_TAKEN: &str =
    "SELECT EXISTS (SELECT 1 FROM users WHERE email_key = ?1 AND id <> ?2)";

/// Moves the account `?1` to the verified address `?2` (its key `?3`).
pub const MOVE_ADDRESS: &str = "UPDATE users SET email = ?2, email_key = ?3, email_verified = 1 WHERE id = ?1 AND deleted_at IS NULL";

/// Queues a mail (`?1` its account or NULL, `?2` to, `?3` language, `?4` the message, `?5` now).
pub const QUEUE: &str =
    "INSERT INTO mail_queue (user_id, recipient, locale, message, created_at, next_attempt_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?5)";

/// A mail sent: out of the queue (or given up).
pub const DEQUEUE: &str = "DELETE FROM mail_queue WHERE id = ?1";

/// A mail that failed: tried again at `?2`, with the error `?3` kept for the operator.
pub const RETRY_LATER: &str =
    "UPDATE mail_queue SET next_attempt_at = ?2, last_error = ?3 WHERE id = ?1";

/// The account `?1`'s address, whether it is verified, the notifications they get by mail, and whether
/// as a daily digest.
pub const MAIL_SETTINGS: &str =
    "SELECT email, email_verified, mail_kinds, mail_digest FROM users WHERE id = ?1";

/// The newest address the account `?1` asked to move to whose link still works at `?2`.
pub const PENDING_ADDRESS: &str =
    "SELECT l.email FROM account_links l JOIN users u ON u.id = l.user_id
     WHERE l.user_id = ?1 AND l.purpose = 'verify' AND l.expires_at > ?2 AND l.email <> u.email
     ORDER BY l.created_at DESC LIMIT 1";

/// Sets the notifications the account `?1` gets by mail (`?2`, as `MailChoices::to_column`), and whether
/// as a daily digest (`?3`, 0 or 1).
pub const SET_MAIL_KINDS: &str = "UPDATE users SET mail_kinds = ?2, mail_digest = ?3 WHERE id = ?1";

/// The accounts whose digest is due (the last went at `?1` or before), confirmed and not deleted.
const DIGEST_DUE: &str = "mail_digest = 1 AND digest_sent_at <= ?1 AND email_verified = 1
     AND deleted_at IS NULL";

/// Whether any account's digest is due (a read, every second, before the write below).
pub fn digests_due() -> String {
    format!("SELECT EXISTS (SELECT 1 FROM users WHERE {DIGEST_DUE})")
}

/// Queues a digest (at `?2`) for each account whose digest is due and that has something unread since
/// its last; the message is `Mail::Digest` as JSON, written by hand so both engines say it alike.
pub fn queue_digests() -> String {
    format!(
        "INSERT INTO mail_queue (user_id, recipient, locale, message, created_at, next_attempt_at)
         SELECT id, email, locale, '{{\"kind\":\"digest\",\"after\":' || digest_after || '}}', ?2, ?2
         FROM users u WHERE {DIGEST_DUE}
           AND EXISTS (SELECT 1 FROM notifications n
                       WHERE n.user_id = u.id AND n.read = 0 AND n.id > u.digest_after)"
    )
}

/// Moves every due account's digest on: sent at `?2`, covering every notification so far.
pub fn mark_digests() -> String {
    format!(
        "UPDATE users SET digest_sent_at = ?2,
             digest_after = coalesce((SELECT max(n.id) FROM notifications n WHERE n.user_id = users.id),
                                     digest_after)
         WHERE {DIGEST_DUE}"
    )
}

/// The account `?1`'s unread notifications after `?2`, newest first, at most `?3`: what a digest lists.
pub const DIGEST_NOTIFICATIONS: &str =
    "SELECT n.id, n.kind, u.username, n.question_id, q.subject, n.answer_id, n.comment_id, n.created_at,
            n.read
     FROM notifications n JOIN users u ON u.id = n.actor_id JOIN questions q ON q.id = n.question_id
     WHERE n.user_id = ?1 AND n.id > ?2 AND n.read = 0 ORDER BY n.id DESC LIMIT ?3";

/// Sets the language the account `?1`'s mail is written in.
pub const SET_LOCALE: &str = "UPDATE users SET locale = ?2 WHERE id = ?1 AND locale <> ?2";

/// A notification as its mail tells it, with whether it was read meanwhile (then it is not mailed).
pub const NOTIFICATION: &str =
    "SELECT n.id, n.kind, u.username, n.question_id, q.subject, n.answer_id, n.comment_id, n.created_at,
            n.read
     FROM notifications n JOIN users u ON u.id = n.actor_id JOIN questions q ON q.id = n.question_id
     WHERE n.id = ?1";
