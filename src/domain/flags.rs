//! Flags: anyone signed in tells the moderators a post needs them, once per post; moderators decide in the
//! review queue. Three spam flags from different people hide the post until then.

use serde::Deserialize;

use super::{
    FieldError, Problem,
    ids::{QuestionId, UserId},
    moderation::note,
    policy::PostRef,
};

/// Why a post was flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagReason {
    Spam,
    /// Rude or abusive.
    Rude,
    /// Something else a moderator should see, said in the note.
    Other,
}

impl FlagReason {
    pub const ALL: [FlagReason; 3] = [FlagReason::Spam, FlagReason::Rude, FlagReason::Other];

    pub fn code(self) -> &'static str {
        match self {
            Self::Spam => "spam",
            Self::Rude => "rude",
            Self::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| reason.code() == code)
    }
}

/// How many spam flags from different people hide a post until a moderator decides.
pub const SPAM_FLAGS_TO_HIDE: i64 = 3;

/// The flag form: a reason and a note (required for "other").
#[derive(Debug, Default, Deserialize)]
pub struct FlagForm {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub note: String,
}

/// A flag as asked for, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFlag {
    pub reason: FlagReason,
    pub note: String,
}

impl FlagForm {
    pub fn parse(&self) -> Result<NewFlag, Vec<FieldError>> {
        let mut errors = Vec::new();
        let reason = FlagReason::parse(self.reason.trim());
        if reason.is_none() {
            errors.push(FieldError::new("reason", Problem::FlagReasonInvalid));
        }
        let note = note(
            &self.note,
            "note",
            reason == Some(FlagReason::Other),
            &mut errors,
        );
        match (reason, errors.is_empty()) {
            (Some(reason), true) => Ok(NewFlag { reason, note }),
            _ => Err(errors),
        }
    }
}

/// What flagging did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flagged {
    /// The flag is in; `hidden`: the post is hidden now (by this flag or before).
    Raised { hidden: bool },
    /// This person flagged this post before: nothing changed.
    Already,
}

/// How a moderator resolved a post's flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    Deleted,
    Edited,
    Closed,
    /// Nothing needed doing: the flags are closed and a hidden post shows again.
    Dismissed,
}

impl Resolution {
    /// Whether a post hidden by spam flags shows again: when the flags were dismissed or a moderator
    /// edited it (not when its question was only closed).
    pub fn shows_again(self) -> bool {
        matches!(self, Self::Dismissed | Self::Edited)
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Deleted => "deleted",
            Self::Edited => "edited",
            Self::Closed => "closed",
            Self::Dismissed => "dismissed",
        }
    }
}

/// One open flag as the review queue shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagEntry {
    /// Who flagged ('' once their account is deleted).
    pub by: String,
    pub reason: FlagReason,
    pub note: String,
    pub at: i64,
}

/// A post with open flags, as the review queue shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewItem {
    pub post: PostRef,
    pub question_id: QuestionId,
    pub question_subject: String,
    pub author_id: UserId,
    pub author: String,
    /// The post's Markdown as it stands (the queue shows the text, not the rendered HTML).
    pub content: String,
    pub hidden: bool,
    /// Oldest first.
    pub flags: Vec<FlagEntry>,
}

/// How many flagged posts the review queue shows at once (the oldest decided first frees room).
pub const REVIEW_PAGE: i64 = 30;

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(reason: &str, note: &str) -> Vec<Problem> {
        FlagForm {
            reason: reason.into(),
            note: note.into(),
        }
        .parse()
        .unwrap_err()
        .into_iter()
        .map(|e| e.problem)
        .collect()
    }

    #[test]
    fn a_flag_names_a_known_reason_and_other_says_what() {
        let spam = FlagForm {
            reason: " spam ".into(),
            note: String::new(),
        };
        assert_eq!(
            spam.parse(),
            Ok(NewFlag {
                reason: FlagReason::Spam,
                note: String::new()
            })
        );
        assert_eq!(problems("", ""), vec![Problem::FlagReasonInvalid]);
        assert_eq!(problems("boring", ""), vec![Problem::FlagReasonInvalid]);
        assert_eq!(problems("other", "  "), vec![Problem::Required]);
        assert_eq!(
            problems("rude", &"가".repeat(501)),
            vec![Problem::NoteTooLong]
        );
    }
}
