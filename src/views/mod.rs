//! HTML, built with maud. Each component is a function returning `Markup`, used both inside the full page and
//! alone as an htmx fragment. Views hold no SQL and read every string from `i18n`.

pub mod accounts;
pub mod answers;
pub mod api_docs;
pub mod comments;
pub mod deletion;
pub mod directory;
pub mod email;
pub mod errors;
pub mod flags;
pub mod follows;
pub mod forms;
pub mod highlight;
pub mod layout;
pub mod likes;
pub mod mail;
pub mod moderation;
pub mod notifications;
pub mod pagination;
pub mod post_meta;
pub mod questions;
pub mod revisions;
pub mod tags;
pub mod tokens;
pub mod urls;
pub mod users;

use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        accounts::CurrentUser,
        ids::UserId,
        policy::{self, Action, Role},
    },
    i18n::{Lang, Texts},
};

/// What every full page needs besides its content.
pub struct PageContext {
    pub lang: Lang,
    pub user: Option<CurrentUser>,
    /// Absent only on responses made outside the session and CSRF layers (static files).
    pub csrf_token: Option<String>,
    pub flashes: Vec<Flash>,
    /// Path and query of this request, so the language switch and "log in" come back here.
    pub here: String,
    /// Where dates are shown (the `timezone` setting).
    pub utc_offset: time::UtcOffset,
    /// The board's own address (`public_url`, or the server's in development); `None` only on the pages of
    /// errors that escaped every layer.
    pub public_url: Option<String>,
    /// The logged-in user's unread notifications (the navbar's count); `None` where it was not read.
    pub unread_notifications: Option<i64>,
    /// The logged-in user's role as read for this page (`User` for a visitor and in a fragment, which shows
    /// no staff control): which staff controls to show. Every staff action asks again.
    pub role: Role,
    /// For staff, the flags waiting in the review queue (the navbar's count); 0 for everyone else.
    pub open_flags: i64,
}

impl PageContext {
    pub fn t(&self) -> &'static Texts {
        self.lang.texts()
    }

    /// Whether the viewer may do `action` to a post that `author` wrote: which controls to show, decided by
    /// the same policy the write is checked against.
    pub fn may(&self, action: Action, author: UserId) -> bool {
        self.reader()
            .is_some_and(|actor| policy::may(actor, action, author).is_ok())
    }

    /// The viewer as the policy sees them, if signed in.
    pub fn reader(&self) -> Option<policy::Actor> {
        self.user.as_ref().map(|user| policy::Actor {
            id: user.id,
            role: self.role,
        })
    }

    /// Whether the viewer may read a hidden (or deleted) post by its `author`: its author and moderators
    /// may.
    pub fn sees_hidden(&self, author: UserId) -> bool {
        policy::may_read_withheld(self.reader(), author)
    }

    /// Whether the viewer may flag a post by `author` (anyone signed in, not on their own post).
    pub fn may_flag(&self, author: UserId) -> bool {
        self.may(Action::Flag, author)
    }

    /// Whether the viewer is a moderator or an admin.
    pub fn is_staff(&self) -> bool {
        self.user.is_some() && self.role.is_staff()
    }

    /// Whether the viewer is an admin.
    pub fn is_admin(&self) -> bool {
        self.user.is_some() && self.role == Role::Admin
    }

    /// Whether the post is the viewer's own (its like button is shown disabled).
    pub fn owns(&self, author: UserId) -> bool {
        self.user.as_ref().is_some_and(|user| {
            policy::may(user.actor(), Action::Like, author) == Err(policy::Denied::OwnPost)
        })
    }

    /// A path of this site as a full address when the board's address is known (`public_url`), else the
    /// path as it is.
    pub fn absolute(&self, path: &str) -> String {
        match &self.public_url {
            Some(base) => format!("{base}{path}"),
            None => path.to_owned(),
        }
    }

    /// A count with its thousands grouped (`10,000`), as both languages write it.
    pub fn number(&self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            grouped.push('-');
        }
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        grouped
    }

    /// A view count: shortened, with the exact number in its `title`.
    pub fn views(&self, n: i64) -> maud::Markup {
        let t = self.t();
        let template = if n == 1 { t.views_one } else { t.views };
        maud::html! {
            span.views title=(crate::i18n::fill(template, &[&self.number(n)])) data-view-count=(n) {
                (crate::i18n::fill(template, &[&self.lang.compact(n)]))
            }
        }
    }

    /// A `<time>` element: machine-readable UTC in `datetime`, the reader's language and zone as text.
    pub fn time(&self, unix_seconds: i64) -> maud::Markup {
        maud::html! {
            time datetime=(iso8601(unix_seconds)) {
                (self.lang.format_datetime(unix_seconds, self.utc_offset))
            }
        }
    }
}

/// A one-time message shown on the next page after a redirect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flash {
    SignedUp,
    LoggedIn,
    LoggedOut,
    QuestionDeleted,
    AnswerDeleted,
    QuestionUndeleted,
    AnswerUndeleted,
    QuestionPurged,
    AnswerPurged,
    CommentDeleted,
    PasswordChanged,
    SessionEnded,
    OtherSessionsEnded,
    PasswordReset,
    SignedUpConfirm,
    EmailLinkSent,
    VerificationSent,
    MailChoicesSaved,
    AccountDeleted,
    TokenRevoked,
    QuestionClosed,
    QuestionReopened,
    UserSuspended,
    SuspensionLifted,
    RoleChanged,
    RolledBack,
    Flagged,
    AlreadyFlagged,
    FlagsDismissed,
}

impl Flash {
    /// The message's name, as its cookie holds it.
    pub fn code(self) -> &'static str {
        match self {
            Self::SignedUp => "signed_up",
            Self::LoggedIn => "logged_in",
            Self::LoggedOut => "logged_out",
            Self::QuestionDeleted => "question_deleted",
            Self::AnswerDeleted => "answer_deleted",
            Self::QuestionUndeleted => "question_undeleted",
            Self::AnswerUndeleted => "answer_undeleted",
            Self::QuestionPurged => "question_purged",
            Self::AnswerPurged => "answer_purged",
            Self::CommentDeleted => "comment_deleted",
            Self::PasswordChanged => "password_changed",
            Self::SessionEnded => "session_ended",
            Self::OtherSessionsEnded => "other_sessions_ended",
            Self::PasswordReset => "password_reset",
            Self::SignedUpConfirm => "signed_up_confirm",
            Self::EmailLinkSent => "email_link_sent",
            Self::VerificationSent => "verification_sent",
            Self::MailChoicesSaved => "mail_choices_saved",
            Self::AccountDeleted => "account_deleted",
            Self::TokenRevoked => "token_revoked",
            Self::QuestionClosed => "question_closed",
            Self::QuestionReopened => "question_reopened",
            Self::UserSuspended => "user_suspended",
            Self::SuspensionLifted => "suspension_lifted",
            Self::RoleChanged => "role_changed",
            Self::RolledBack => "rolled_back",
            Self::Flagged => "flagged",
            Self::AlreadyFlagged => "already_flagged",
            Self::FlagsDismissed => "flags_dismissed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::SignedUp,
            Self::LoggedIn,
            Self::LoggedOut,
            Self::QuestionDeleted,
            Self::AnswerDeleted,
            Self::QuestionUndeleted,
            Self::AnswerUndeleted,
            Self::QuestionPurged,
            Self::AnswerPurged,
            Self::CommentDeleted,
            Self::PasswordChanged,
            Self::SessionEnded,
            Self::OtherSessionsEnded,
            Self::PasswordReset,
            Self::SignedUpConfirm,
            Self::EmailLinkSent,
            Self::VerificationSent,
            Self::MailChoicesSaved,
            Self::AccountDeleted,
            Self::TokenRevoked,
            Self::QuestionClosed,
            Self::QuestionReopened,
            Self::UserSuspended,
            Self::SuspensionLifted,
            Self::RoleChanged,
            Self::RolledBack,
            Self::Flagged,
            Self::AlreadyFlagged,
            Self::FlagsDismissed,
        ]
        .into_iter()
        .find(|flash| flash.code() == code)
    }

    fn text(self, t: &Texts) -> &'static str {
        match self {
            Self::SignedUp => t.flash_signed_up,
            Self::LoggedIn => t.flash_logged_in,
            Self::LoggedOut => t.flash_logged_out,
            Self::QuestionDeleted => t.flash_question_deleted,
            Self::AnswerDeleted => t.flash_answer_deleted,
            Self::QuestionUndeleted => t.flash_question_undeleted,
            Self::AnswerUndeleted => t.flash_answer_undeleted,
            Self::QuestionPurged => t.flash_question_purged,
            Self::AnswerPurged => t.flash_answer_purged,
            Self::CommentDeleted => t.flash_comment_deleted,
            Self::PasswordChanged => t.flash_password_changed,
            Self::SessionEnded => t.flash_session_ended,
            Self::OtherSessionsEnded => t.flash_other_sessions_ended,
            Self::PasswordReset => t.flash_password_reset,
            Self::SignedUpConfirm => t.flash_signed_up_confirm,
            Self::EmailLinkSent => t.flash_email_link_sent,
            Self::VerificationSent => t.flash_verification_sent,
            Self::MailChoicesSaved => t.flash_mail_choices_saved,
            Self::AccountDeleted => t.flash_account_deleted,
            Self::TokenRevoked => t.flash_token_revoked,
            Self::QuestionClosed => t.flash_question_closed,
            Self::QuestionReopened => t.flash_question_reopened,
            Self::UserSuspended => t.flash_user_suspended,
            Self::SuspensionLifted => t.flash_suspension_lifted,
            Self::RoleChanged => t.flash_role_changed,
            Self::RolledBack => t.flash_rolled_back,
            Self::Flagged => t.flash_flagged,
            Self::AlreadyFlagged => t.flash_already_flagged,
            Self::FlagsDismissed => t.flash_flags_dismissed,
        }
    }

    fn bootstrap_class(self) -> &'static str {
        match self {
            Self::SignedUp
            | Self::LoggedIn
            | Self::PasswordChanged
            | Self::PasswordReset
            | Self::SignedUpConfirm
            | Self::MailChoicesSaved => "alert-success",
            Self::EmailLinkSent | Self::VerificationSent | Self::AccountDeleted => "alert-info",
            Self::LoggedOut
            | Self::QuestionDeleted
            | Self::AnswerDeleted
            | Self::CommentDeleted
            | Self::SessionEnded
            | Self::OtherSessionsEnded
            | Self::TokenRevoked
            | Self::QuestionClosed
            | Self::QuestionReopened
            | Self::UserSuspended
            | Self::SuspensionLifted
            | Self::RoleChanged => "alert-info",
            Self::RolledBack
            | Self::Flagged
            | Self::FlagsDismissed
            | Self::QuestionUndeleted
            | Self::AnswerUndeleted => "alert-success",
            Self::QuestionPurged | Self::AnswerPurged => "alert-info",
            Self::AlreadyFlagged => "alert-info",
        }
    }
}

/// A timestamp for the `datetime` attribute of `<time>`.
/// A post's opening words as plain text, at most about `length` characters, cut at a word with `…` (what a
/// search result shows under a title, or a page quotes of the post it is about).
pub fn excerpt(markdown: &str, length: usize) -> String {
    let text = crate::markdown::plain_text(markdown)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if text.chars().count() <= length {
        return text;
    }
    let cut: String = text.chars().take(length).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > length / 2 => &cut[..at],
        _ => &cut,
    };
    format!("{cut}…")
}

pub fn iso8601(unix_seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix_seconds)
        .ok()
        .and_then(|at| {
            at.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}
