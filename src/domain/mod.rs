//! Input parsed once into types that cannot hold a bad value, so storage and views never check again.

pub mod accounts;
pub mod board;
pub mod flags;
pub mod ids;
pub mod limits;
pub mod mail;
pub mod moderation;
pub mod notifications;
pub mod people;
pub mod policy;
pub mod posts;
pub mod redirect;
pub mod related;
pub mod revisions;
pub mod search;
pub mod tags;
pub mod tokens;
pub mod views;
pub mod writing;

/// Seconds since the Unix epoch, the unit every timestamp is kept in.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Whether `text` shows nothing: only white space and characters drawn as nothing (zero-width spaces and
/// joiners, direction marks, the byte-order mark, variation selectors, Hangul fillers, the blank braille
/// pattern). A post or comment of these would look empty, so it counts as empty.
pub fn shows_nothing(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// Whether `c` is drawn as nothing, though it is not white space (see [`shows_nothing`]).
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{2800}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}' | '\u{FFA0}' | '\u{E0000}'..='\u{E0FFF}')
}

/// What was wrong with one form field; the view puts the localized message beside the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub problem: Problem,
    /// The part of the field the problem is about, when it holds several (one tag of a question's tags).
    pub about: Option<String>,
}

impl FieldError {
    pub fn new(field: &'static str, problem: Problem) -> Self {
        Self {
            field,
            problem,
            about: None,
        }
    }

    /// A problem with one part of the field, named in the message.
    pub fn about(field: &'static str, problem: Problem, part: &str) -> Self {
        Self {
            field,
            problem,
            about: Some(part.to_owned()),
        }
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
    /// The current password, asked for before a change to the account, is not the account's.
    WrongPassword,
    /// A new address that is the account's address already.
    SameEmail,
    LoginFailed,
    SubjectTooLong,
    ContentTooLong,
    CommentTooLong,
    TagTooLong,
    TagCharacters,
    TagNeedsLetter,
    TooManyTags,
    /// A token name over 60 characters or with control characters.
    TokenNameInvalid,
    /// A token scope other than `read` or `write`.
    TokenScopeInvalid,
    /// Not a date (YYYY-MM-DD).
    DateInvalid,
    /// An expiry date in the past or more than five years ahead.
    ExpiryOutOfRange,
    /// The account holds as many tokens as it may.
    TooManyTokens,
    /// Text holding a NUL character (only a program can send one; PostgreSQL cannot store it).
    NulCharacter,
    SuspensionOutOfRange,
    NoteTooLong,
    CloseReasonInvalid,
    DuplicateInvalid,
    DuplicateOfItself,
    DuplicateMissing,
    DuplicateLoop,
    RoleInvalid,
    AlreadyClosed,
    TooFast,
    Repeated,
    TooManyLinks,
    /// A rollback to the revision the post stands at already.
    RevisionIsCurrent,
    /// A flag's reason other than spam, rude or other.
    FlagReasonInvalid,
}
