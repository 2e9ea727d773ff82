//! Input parsed once into types that cannot hold a bad value, so storage and views never check again.

pub mod accounts;
pub mod board;
pub mod ids;
pub mod limits;
pub mod policy;
pub mod posts;
pub mod redirect;
pub mod search;
pub mod views;

/// Seconds since the Unix epoch, the unit every timestamp is kept in.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// What was wrong with one form field; the view puts the localized message beside the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: &'static str, problem: Problem) -> Self {
        Self { field, problem }
    }
}

/// Every validation problem the UI can report; `i18n` holds its wording in each language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    Required,
    UsernameLength,
    UsernameCharacters,
    UsernameTaken,
    UsernameLookAlike,
    UsernameMixedScripts,
    EmailInvalid,
    EmailTaken,
    PasswordTooShort,
    PasswordTooLong,
    PasswordsDiffer,
    LoginFailed,
    SubjectTooLong,
    ContentTooLong,
    CommentTooLong,
}
