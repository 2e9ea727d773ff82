//! Moderation's values: where an account stands (its role, whether it is suspended), closing questions, and
//! the log of what staff did. Who may do which of these is `policy`'s.

use serde::Deserialize;

use super::{
    FieldError, Problem,
    ids::{QuestionId, UserId},
    policy::Role,
};

/// The longest reason or note a moderator writes (a few sentences; the rest belongs in a comment).
pub const NOTE_MAX_CHARS: usize = 500;
/// How far ahead a suspension may end (ten years): a date further off is most likely a typo.
const LATEST_SUSPENSION_DAYS: i64 = 10 * 366;
/// Entries per page of the moderation log.
pub const LOG_PAGE: i64 = 50;

/// Where an account stands, read once per request: what its role allows, whether it may write now, and the
/// navbar's count.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Standing {
    pub role: Role,
    /// Set while a suspension runs.
    pub suspension: Option<Suspension>,
    pub verified: bool,
    pub unread: i64,
    /// What the limits on writing weigh links by.
    pub reputation: i64,
    /// For staff, how many flags wait in the review queue (0 for everyone else).
    pub open_flags: i64,
}

/// The last day a suspension ending at `until` runs, as YYYY-MM-DD (UTC): the day the moderator chose.
pub fn last_day(until: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(until - 1)
        .map(|at| at.date().to_string())
        .unwrap_or_default()
}

/// A suspension: no posting, commenting, liking or flagging until `until` (a Unix time: the end of the day
/// the moderator chose, UTC), for `reason`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suspension {
    pub until: i64,
    pub reason: String,
}

/// The form that suspends someone: `until` as YYYY-MM-DD (the suspension ends as that day does, UTC) and the
/// reason they are told on every attempt.
#[derive(Debug, Default, Deserialize)]
pub struct SuspendForm {
    #[serde(default)]
    pub until: String,
    #[serde(default)]
    pub reason: String,
}

impl SuspendForm {
    /// Checks the form on the day it is (`now`): the day must be today or later, within ten years.
    pub fn parse(&self, now: i64) -> Result<Suspension, Vec<FieldError>> {
        let mut errors = Vec::new();
        let until = match self.until.trim() {
            "" => {
                errors.push(FieldError::new("until", Problem::Required));
                None
            }
            date => match super::tokens::end_of_day(date) {
                None => {
                    errors.push(FieldError::new("until", Problem::DateInvalid));
                    None
                }
                Some(end) if end <= now || end > now + LATEST_SUSPENSION_DAYS * 86_400 => {
                    errors.push(FieldError::new("until", Problem::SuspensionOutOfRange));
                    None
                }
                Some(end) => Some(end),
            },
        };
        let reason = note(&self.reason, "reason", true, &mut errors);
        match (until, errors.is_empty()) {
            (Some(until), true) => Ok(Suspension { until, reason }),
            _ => Err(errors),
        }
    }
}

/// A moderator's text (a reason, a note): trimmed, at most [`NOTE_MAX_CHARS`], no NUL; `required` or not.
pub(crate) fn note(
    raw: &str,
    field: &'static str,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> String {
    let text = raw.trim();
    if required && super::shows_nothing(text) {
        errors.push(FieldError::new(field, Problem::Required));
    } else if text.contains('\0') {
        errors.push(FieldError::new(field, Problem::NulCharacter));
    } else if text.chars().count() > NOTE_MAX_CHARS {
        errors.push(FieldError::new(field, Problem::NoteTooLong));
    }
    text.to_owned()
}

/// Why a question was closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseReason {
    /// Asked and answered before: `duplicate_of` names where.
    Duplicate,
    OffTopic,
    NeedsDetails,
    /// Said in the note.
    Other,
}

impl CloseReason {
    pub const ALL: [CloseReason; 4] = [
        CloseReason::Duplicate,
        CloseReason::OffTopic,
        CloseReason::NeedsDetails,
        CloseReason::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Duplicate => "duplicate",
            Self::OffTopic => "off-topic",
            Self::NeedsDetails => "needs-details",
            Self::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| reason.code() == code)
    }
}

/// The form that closes a question: a reason, the question it duplicates (an id or its address) and a note
/// (required for "other").
#[derive(Debug, Default, Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub duplicate_of: String,
    #[serde(default)]
    pub note: String,
}

/// A closing as asked for, checked (except that the duplicated question exists: the write checks that).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloseRequest {
    pub reason: CloseReason,
    pub duplicate_of: Option<QuestionId>,
    pub note: String,
}

impl CloseForm {
    /// Checks the form for closing the question `id`.
    pub fn parse(&self, id: QuestionId) -> Result<CloseRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let reason = CloseReason::parse(self.reason.trim());
        if reason.is_none() {
            errors.push(FieldError::new("reason", Problem::CloseReasonInvalid));
        }
        let duplicate_of = match reason {
            Some(CloseReason::Duplicate) => match question_named(&self.duplicate_of) {
                None if self.duplicate_of.trim().is_empty() => {
                    errors.push(FieldError::new("duplicate_of", Problem::Required));
                    None
                }
                None => {
                    errors.push(FieldError::new("duplicate_of", Problem::DuplicateInvalid));
                    None
                }
                Some(same) if same == id => {
                    errors.push(FieldError::new("duplicate_of", Problem::DuplicateOfItself));
                    None
                }
                found => found,
            },
            _ => None,
        };
        let note = note(
            &self.note,
            "note",
            reason == Some(CloseReason::Other),
            &mut errors,
        );
        match (reason, errors.is_empty()) {
            (Some(reason), true) => Ok(CloseRequest {
                reason,
                duplicate_of,
                note,
            }),
            _ => Err(errors),
        }
    }
}

/// The question a moderator named: its id (`12`, `#12`) or its address (`https://board/questions/12/...`,
/// `/questions/12`).
pub fn question_named(raw: &str) -> Option<QuestionId> {
    let text = raw.trim();
    let number = |digits: &str| {
        (!digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()
            .filter(|id: &i64| *id > 0)
            .map(QuestionId)
    };
    if let Some(id) = number(text.strip_prefix('#').unwrap_or(text)) {
        return Some(id);
    }
    let (_, after) = text.split_once("/questions/")?;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    let rest = &after[digits.len()..];
    // Only a path end, another segment or a query/fragment may follow the id (`/questions/12x` is not 12).
    if !(rest.is_empty() || rest.starts_with(['/', '?', '#'])) {
        return None;
    }
    number(&digits)
}

/// Why and by whom a question was closed, as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closure {
    pub reason: CloseReason,
    /// The question it duplicates and that question's subject (`None` once that one is deleted).
    pub duplicate_of: Option<(QuestionId, Option<String>)>,
    pub note: String,
    /// The moderator's name; `None` for a deleted account.
    pub closed_by: Option<String>,
    pub closed_at: i64,
}

/// What closing a question came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CloseOutcome {
    Closed,
    /// It was closed already (reopen it first to close it for another reason).
    AlreadyClosed,
    /// The question it was said to duplicate does not exist.
    DuplicateMissing,
    /// The question it was said to duplicate is closed as a duplicate of this one (or of one that is).
    DuplicateLoop,
}

/// An account as `miniboard user list` prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRow {
    pub id: UserId,
    pub username: String,
    pub role: Role,
    pub joined_at: i64,
    pub suspension: Option<Suspension>,
}

/// What a moderator did, as the log keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogAction {
    Close,
    Reopen,
    Suspend,
    Unsuspend,
    /// A role given or taken (`detail` is the new role).
    Role,
    /// Someone else's post edited (`detail` is the summary).
    Edit,
    /// Someone else's post rolled back (`detail`: the revision, then the summary).
    Rollback,
    /// Someone else's post deleted.
    Delete,
    /// A post's flags dismissed (`detail`: how many).
    Dismiss,
    /// Someone else's deleted post brought back.
    Undelete,
    /// Someone else's post removed for good (an admin).
    Purge,
}

impl LogAction {
    pub const ALL: [LogAction; 11] = [
        LogAction::Close,
        LogAction::Reopen,
        LogAction::Suspend,
        LogAction::Unsuspend,
        LogAction::Role,
        LogAction::Edit,
        LogAction::Rollback,
        LogAction::Delete,
        LogAction::Dismiss,
        LogAction::Undelete,
        LogAction::Purge,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Close => "close",
            Self::Reopen => "reopen",
            Self::Suspend => "suspend",
            Self::Unsuspend => "unsuspend",
            Self::Role => "role",
            Self::Edit => "edit",
            Self::Rollback => "rollback",
            Self::Delete => "delete",
            Self::Dismiss => "dismiss",
            Self::Undelete => "undelete",
            Self::Purge => "purge",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.code() == code)
    }
}

/// A log entry as it is written: what, on which question or user (with its subject or name as it is now),
/// and the detail (a reason, a role, a date).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewLogEntry {
    pub action: LogAction,
    pub question: Option<QuestionId>,
    pub user: Option<UserId>,
    pub target: String,
    pub detail: String,
}

impl NewLogEntry {
    pub fn about_question(action: LogAction, id: QuestionId, subject: String) -> Self {
        Self {
            action,
            question: Some(id),
            user: None,
            target: subject,
            detail: String::new(),
        }
    }

    pub fn about_user(action: LogAction, user: UserId, name: String, detail: &str) -> Self {
        Self {
            action,
            question: None,
            user: Some(user),
            target: name,
            detail: detail.to_owned(),
        }
    }
}

impl CloseRequest {
    /// The log's entry for this closing of the question `id` (its subject as it is): the reason's code,
    /// `:` and the duplicated question's id for a duplicate, then the note on a line of its own.
    pub fn log_entry(&self, id: QuestionId, subject: String) -> NewLogEntry {
        let mut detail = self.reason.code().to_owned();
        if let Some(original) = self.duplicate_of {
            detail.push_str(&format!(":{}", original.0));
        }
        if !self.note.is_empty() {
            detail.push('\n');
            detail.push_str(&self.note);
        }
        NewLogEntry {
            detail,
            ..NewLogEntry::about_question(LogAction::Close, id, subject)
        }
    }
}

impl Suspension {
    /// The log's entry for suspending `user` (`Some`: when it ends, a Unix time, then the reason on a line
    /// of its own) or lifting their suspension (`None`).
    pub fn log_change(suspension: Option<&Self>, user: UserId, name: String) -> NewLogEntry {
        match suspension {
            Some(suspension) => {
                let detail = format!("{}\n{}", suspension.until, suspension.reason);
                NewLogEntry::about_user(LogAction::Suspend, user, name, &detail)
            }
            None => NewLogEntry::about_user(LogAction::Unsuspend, user, name, ""),
        }
    }
}

/// What a log entry's detail says, read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogDetail {
    Closed {
        reason: CloseReason,
        duplicate_of: Option<QuestionId>,
        note: String,
    },
    Suspended {
        until: i64,
        reason: String,
    },
    Role(Role),
    /// An edit of someone else's post, or a rollback to this revision, and why.
    Edited {
        rolled_back_to: Option<i64>,
        summary: String,
    },
    Nothing,
}

impl LogEntry {
    pub fn detail(&self) -> LogDetail {
        let (first, rest) = self.detail.split_once('\n').unwrap_or((&self.detail, ""));
        match self.action {
            LogAction::Close => {
                let (reason, original) = first.split_once(':').unwrap_or((first, ""));
                LogDetail::Closed {
                    reason: CloseReason::parse(reason).unwrap_or(CloseReason::Other),
                    duplicate_of: original.parse().ok().map(QuestionId),
                    note: rest.to_owned(),
                }
            }
            LogAction::Suspend => match first.parse() {
                Ok(until) => LogDetail::Suspended {
                    until,
                    reason: rest.to_owned(),
                },
                Err(_) => LogDetail::Nothing,
            },
            LogAction::Role => LogDetail::Role(Role::stored(first)),
            LogAction::Edit => LogDetail::Edited {
                rolled_back_to: None,
                summary: self.detail.clone(),
            },
            LogAction::Rollback => LogDetail::Edited {
                rolled_back_to: first.parse().ok(),
                summary: rest.to_owned(),
            },
            LogAction::Reopen
            | LogAction::Unsuspend
            | LogAction::Delete
            | LogAction::Dismiss
            | LogAction::Undelete
            | LogAction::Purge => LogDetail::Nothing,
        }
    }
}

impl LogPage {
    /// A page from up to one entry more than a page holds (the extra one says there are older ones).
    pub fn of(entries: &mut Vec<LogEntry>) -> Self {
        let more = entries.len() > LOG_PAGE as usize;
        entries.truncate(LOG_PAGE as usize);
        Self {
            older: more.then(|| entries.last().map(|entry| entry.id)).flatten(),
            entries: std::mem::take(entries),
        }
    }
}

/// A log entry as `/admin/log` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    pub id: i64,
    pub at: i64,
    /// Who did it; `None` for the operator at the shell.
    pub actor: Option<String>,
    pub action: LogAction,
    pub question: Option<QuestionId>,
    /// The user it was done to, by their name as it was then.
    pub target: String,
    pub detail: String,
}

/// A page of the log, newest first, and the id to read on from (`None` at the oldest entry).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogPage {
    pub entries: Vec<LogEntry>,
    pub older: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOON: i64 = 1_764_936_000; // 2025-12-05 12:00 UTC

    fn close(reason: &str, duplicate_of: &str, note: &str) -> Result<CloseRequest, Vec<Problem>> {
        CloseForm {
            reason: reason.into(),
            duplicate_of: duplicate_of.into(),
            note: note.into(),
        }
        .parse(QuestionId(7))
        .map_err(|errors| errors.into_iter().map(|e| e.problem).collect())
    }

    #[test]
    fn a_duplicate_is_named_by_id_or_address_and_never_itself() {
        for named in [
            "12",
            "#12",
            " 12 ",
            "/questions/12",
            "https://board.example/questions/12/why?page=2",
            "http://localhost:8000/questions/12#answer-3",
        ] {
            assert_eq!(
                close("duplicate", named, "").map(|r| r.duplicate_of),
                Ok(Some(QuestionId(12))),
                "{named}"
            );
        }
        assert_eq!(
            close("duplicate", "7", ""),
            Err(vec![Problem::DuplicateOfItself])
        );
        assert_eq!(close("duplicate", "", ""), Err(vec![Problem::Required]));
        for bad in [
            "0",
            "-3",
            "abc",
            "/questions/12x",
            "/questions/",
            "99999999999999999999",
        ] {
            assert_eq!(
                close("duplicate", bad, ""),
                Err(vec![Problem::DuplicateInvalid]),
                "{bad}"
            );
        }
    }

    #[test]
    fn other_needs_a_note_and_notes_have_a_limit() {
        assert_eq!(close("other", "", "  "), Err(vec![Problem::Required]));
        assert_eq!(
            close("other", "", "spam ring").map(|r| r.note),
            Ok("spam ring".to_owned())
        );
        assert_eq!(
            close("off-topic", "12", "").map(|r| r.duplicate_of),
            Ok(None),
            "only a duplicate keeps the question it names"
        );
        let long = "가".repeat(NOTE_MAX_CHARS + 1);
        assert_eq!(
            close("needs-details", "", &long),
            Err(vec![Problem::NoteTooLong])
        );
        assert_eq!(
            close("closed", "", ""),
            Err(vec![Problem::CloseReasonInvalid])
        );
    }

    #[test]
    fn a_suspension_ends_with_its_day_and_needs_a_reason() {
        let suspend = |until: &str, reason: &str| {
            SuspendForm {
                until: until.into(),
                reason: reason.into(),
            }
            .parse(NOON)
            .map_err(|errors| errors.into_iter().map(|e| e.problem).collect::<Vec<_>>())
        };
        assert_eq!(
            suspend("2025-12-05", "spam"),
            Ok(Suspension {
                until: NOON + 12 * 3600,
                reason: "spam".into()
            })
        );
        assert_eq!(
            suspend("2025-12-04", "spam"),
            Err(vec![Problem::SuspensionOutOfRange])
        );
        assert_eq!(
            suspend("2045-12-04", "spam"),
            Err(vec![Problem::SuspensionOutOfRange])
        );
        assert_eq!(suspend("tomorrow", "spam"), Err(vec![Problem::DateInvalid]));
        assert_eq!(
            suspend("", ""),
            Err(vec![Problem::Required, Problem::Required])
        );
    }
}
