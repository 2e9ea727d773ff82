//! The SQL of moderation that both engines share (`?n` placeholders; PostgreSQL's side numbers them `$n`),
//! and the values read back from it.

use crate::domain::{
    ids::{QuestionId, UserId},
    moderation::{CloseReason, Closure, LogAction, LogEntry, Standing, Suspension},
    policy::{Actor, Denied, Moderation, Role, may_moderate},
};

/// Where the account `?1` stands: its role, suspension, whether its address is confirmed, its unread count.
/// One row by its key: it is read on every request of a logged-in user.
pub static STANDING: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "SELECT role, suspended_until, suspension_reason, email_verified, unread_notifications, reputation,
                CASE WHEN role = 'user' THEN 0
                     ELSE (SELECT count(*) FROM {}) END
         FROM users WHERE id = ?1 AND deleted_at IS NULL",
        super::flags::OPEN_ON_LIVE_POSTS
    )
});

/// The role of the account `?1` and when its suspension ends (if it has one), unless it is deleted: asked
/// again inside each moderator's write.
pub const ROLE: &str =
    "SELECT role, suspended_until FROM users WHERE id = ?1 AND deleted_at IS NULL";

/// The role an account acts with as [`ROLE`] read it: a user's while it is suspended (or gone).
pub fn current_role(found: Option<(String, Option<i64>)>, now: i64) -> Role {
    match found {
        Some((role, until)) if until.is_none_or(|until| until <= now) => Role::stored(&role),
        _ => Role::User,
    }
}

/// The account `?1`'s name and role, unless it is deleted.
pub const TARGET: &str = "SELECT username, role FROM users WHERE id = ?1 AND deleted_at IS NULL";

/// Suspends the account `?1` until `?2` for the reason `?3`.
pub const SUSPEND: &str =
    "UPDATE users SET suspended_until = ?2, suspension_reason = ?3 WHERE id = ?1";

/// Lifts the account `?1`'s suspension if one runs at `?2`.
pub const UNSUSPEND: &str = "UPDATE users SET suspended_until = NULL, suspension_reason = ''
     WHERE id = ?1 AND suspended_until > ?2";

/// Gives the account `?1` the role `?2`.
pub const SET_ROLE: &str = "UPDATE users SET role = ?2 WHERE id = ?1";

/// Whether the question `?1` is closed, and its subject (no row: no such question, or it is deleted).
pub const QUESTION_STATE: &str =
    "SELECT closed_at IS NOT NULL, subject FROM questions WHERE id = ?1 AND deleted_at IS NULL";

/// The question `?1`'s original, if it is closed as a duplicate (no row: no such question).
/// A deleted question is missing as the one named (`?2` false), not further along (true): a chain that runs
/// through one would loop once it is undeleted.
pub const ORIGINAL: &str =
    "SELECT duplicate_of FROM questions WHERE id = ?1 AND (deleted_at IS NULL OR ?2)";

/// How far a chain of duplicates is followed to find that closing would make a loop (a chain is short:
/// each link is a moderator's decision).
pub const CHAIN_STEPS: usize = 32;

/// Closes the question `?1` at `?2` for the reason `?3` with the note `?4`, as a duplicate of `?5` (or
/// NULL), by `?6`.
pub const CLOSE: &str = "UPDATE questions
     SET closed_at = ?2, closed_reason = ?3, closed_note = ?4, duplicate_of = ?5, closed_by = ?6
     WHERE id = ?1";

/// Reopens the question `?1` if it is closed.
pub const REOPEN: &str = "UPDATE questions
     SET closed_at = NULL, closed_reason = '', closed_note = '', duplicate_of = NULL, closed_by = NULL
     WHERE id = ?1 AND closed_at IS NOT NULL";

/// Writes a log entry (`?1` when, `?2` who or NULL, `?3` what, `?4` question, `?5` user, `?6` the
/// target's subject or name, `?7` the detail).
pub const LOG: &str =
    "INSERT INTO moderation_log (at, actor_id, action, question_id, user_id, target, detail)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/// A page of the log: the entries before the id `?1`, newest first, at most `?2`.
pub const LOG_PAGE: &str =
    "SELECT l.id, l.at, a.username, l.action, l.question_id, l.target, l.detail
     FROM moderation_log l LEFT JOIN users a ON a.id = l.actor_id
     WHERE l.id < ?1 ORDER BY l.id DESC LIMIT ?2";

/// Accounts after the id `?1` in id order, at most `?2`; only those with a role when `?3` is 1.
pub const ACCOUNTS: &str =
    "SELECT id, username, role, created_at, suspended_until, suspension_reason FROM users
     WHERE id > ?1 AND deleted_at IS NULL AND (CAST(?3 AS BIGINT) = 0 OR role <> 'user')
     ORDER BY id LIMIT ?2";

/// The columns a question's closure is read from, after a question's own (`q`): when, why, the note, the
/// question it duplicates with that one's subject, and who closed it.
pub const CLOSURE_COLUMNS: &str = "q.closed_at, q.closed_reason, q.closed_note, q.duplicate_of,
     (SELECT d.subject FROM questions d WHERE d.id = q.duplicate_of AND d.deleted_at IS NULL),
     (SELECT c.username FROM users c WHERE c.id = q.closed_by AND c.deleted_at IS NULL)";

/// The actor as [`ROLE`] read them (`None`: no such account), if the policy lets them do `what` at `now`:
/// a suspended moderator moderates nothing.
pub fn acting(
    actor: UserId,
    found: Option<(String, Option<i64>)>,
    what: Moderation,
    now: i64,
) -> Result<Actor, Denied> {
    let (role, suspended) = match &found {
        Some((role, until)) => (Role::stored(role), until.is_some_and(|until| until > now)),
        None => (Role::User, false),
    };
    let actor = Actor { id: actor, role };
    if suspended {
        return Err(Denied::NotModerator);
    }
    may_moderate(actor, what).map(|()| actor)
}

/// One step along a chain of duplicates while closing `closing`: what [`ORIGINAL`] found for the step-th
/// question of the chain (`None`: no such question). The next question to look at, or the outcome that
/// ends the closing: the named question is missing, or the chain comes back to the one being closed.
pub fn chain_step(
    step: usize,
    found: Option<Option<i64>>,
    closing: QuestionId,
) -> Result<Option<QuestionId>, crate::domain::moderation::CloseOutcome> {
    use crate::domain::moderation::CloseOutcome;
    match found {
        None if step == 0 => Err(CloseOutcome::DuplicateMissing),
        Some(Some(further)) if further == closing.0 => Err(CloseOutcome::DuplicateLoop),
        Some(further) => Ok(further.map(QuestionId)),
        None => Ok(None),
    }
}

/// A standing as [`STANDING`] reads it, at `now` (a suspension that ended is none).
pub fn standing(
    role: &str,
    suspended_until: Option<i64>,
    reason: String,
    (verified, unread, reputation, open_flags): (i64, i64, i64, i64),
    now: i64,
) -> Standing {
    Standing {
        role: Role::stored(role),
        suspension: suspended_until
            .filter(|until| *until > now)
            .map(|until| Suspension { until, reason }),
        verified: verified != 0,
        unread,
        reputation,
        open_flags,
    }
}

/// A question's closure as [`CLOSURE_COLUMNS`] read it; `None` while it is open.
pub fn closure(
    closed_at: Option<i64>,
    reason: &str,
    note: String,
    duplicate_of: Option<i64>,
    duplicate_subject: Option<String>,
    closed_by: Option<String>,
) -> Option<Closure> {
    let closed_at = closed_at?;
    Some(Closure {
        // A reason this version does not know reads as "other", with its note.
        reason: CloseReason::parse(reason).unwrap_or(CloseReason::Other),
        duplicate_of: duplicate_of.map(|id| (QuestionId(id), duplicate_subject)),
        note,
        // A deleted account's name is blank.
        closed_by: closed_by.filter(|name| !name.is_empty()),
        closed_at,
    })
}

/// A log entry as [`LOG_PAGE`] reads it; `None` for an action this version does not know.
pub fn log_entry(
    id: i64,
    at: i64,
    actor: Option<String>,
    action: &str,
    question: Option<i64>,
    target: String,
    detail: String,
) -> Option<LogEntry> {
    Some(LogEntry {
        id,
        at,
        actor,
        action: LogAction::parse(action)?,
        question: question.map(QuestionId),
        target,
        detail,
    })
}
