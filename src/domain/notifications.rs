//! Notifications and follows: what tells a person that something happened to what they wrote or follow,
//! and the `@name` mentions that reach someone by name.

use super::{
    accounts::{Username, username_key},
    ids::{AnswerId, CommentId, QuestionId, UserId},
    tags::TagName,
};

/// Notifications on a page of the inbox; older ones are a link away (pages go by id, so every page of a
/// hundred thousand costs what the first does).
pub const NOTIFICATIONS_PER_PAGE: i64 = 30;
/// A post's mentions that notify: past this many, `@names` stay text (a post cannot page a crowd).
pub const MENTIONS_PER_POST: usize = 10;
/// Followers a write notifies itself before it returns (a question's few followers hear at once); the rest
/// are notified in the background, batch by batch, woken by the write, so posting into a tag with ten
/// thousand followers costs what posting into a quiet one does (each told in the write is a row, its
/// indexes and the unread count: 50 cost 2.7 ms at a million questions, 10 cost about 0.5).
pub const FOLLOWERS_NOTIFIED_AT_ONCE: i64 = 10;
/// Followers one background step notifies, in one transaction.
pub const FOLLOWERS_PER_STEP: i64 = 500;
/// Above this, the navbar says "99+": the count is exact, the badge need not be.
pub const UNREAD_SHOWN_UP_TO: i64 = 99;

/// Why someone was notified. The stored code is the database's `kind` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotificationKind {
    /// An answer to your question.
    Answer,
    /// A comment on your question or answer.
    Comment,
    /// Your answer was accepted.
    Accepted,
    /// You were mentioned by `@name` in an answer or comment.
    Mention,
    /// A new answer to a question you follow.
    FollowedAnswer,
    /// A new question in a tag you follow.
    TaggedQuestion,
}

impl NotificationKind {
    pub const ALL: [Self; 6] = [
        Self::Answer,
        Self::Comment,
        Self::Accepted,
        Self::Mention,
        Self::FollowedAnswer,
        Self::TaggedQuestion,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Answer => "answer",
            Self::Comment => "comment",
            Self::Accepted => "accepted",
            Self::Mention => "mention",
            Self::FollowedAnswer => "followed_answer",
            Self::TaggedQuestion => "tagged_question",
        }
    }

    /// The kind a stored code names; `None` for a code this version does not know (a newer server's).
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// One notification as the inbox shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub kind: NotificationKind,
    /// Who caused it.
    pub actor: String,
    pub question_id: QuestionId,
    pub subject: String,
    /// The answer it is about, if any.
    pub answer_id: Option<AnswerId>,
    /// The comment it is about, if any.
    pub comment_id: Option<CommentId>,
    pub created_at: i64,
    /// Whether it was read before this page showed it.
    pub read: bool,
}

/// One page of a user's inbox, newest first.
#[derive(Clone, Debug, Default)]
pub struct Inbox {
    pub notifications: Vec<Notification>,
    /// The id to ask for older ones with (`?before=`), when there are older ones.
    pub older: Option<i64>,
    /// Whether this is a page after the first (it links back to the newest).
    pub is_older_page: bool,
    /// Unread notifications before this page marked its own read.
    pub unread: i64,
}

/// Followed questions the account page lists (the most recently followed).
pub const FOLLOWED_QUESTIONS_SHOWN: i64 = 30;
/// Followed tags the account page lists (by name).
pub const FOLLOWED_TAGS_SHOWN: i64 = 200;

/// What a user follows, as the account page lists it.
#[derive(Clone, Debug, Default)]
pub struct Following {
    pub tags: Vec<TagName>,
    /// The most recently followed questions: id and subject.
    pub questions: Vec<(QuestionId, String)>,
    /// How many questions they follow in all.
    pub question_count: i64,
}

impl Inbox {
    /// The ids of the notifications this page shows that were unread.
    pub fn shown_unread(&self) -> Vec<i64> {
        self.notifications
            .iter()
            .filter(|n| !n.read)
            .map(|n| n.id)
            .collect()
    }
}

/// A user a post mentions by a name that is theirs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mentioned {
    pub id: UserId,
    /// Their name as they spell it (the profile's address).
    pub username: String,
    /// The lookup key of the name as the post typed it.
    pub typed_key: String,
}

impl Mentioned {
    /// The user among `mentioned` that `typed` names, if any.
    pub fn find<'a>(mentioned: &'a [Self], typed: &str) -> Option<&'a Self> {
        let key = username_key(typed);
        mentioned.iter().find(|user| user.typed_key == key)
    }
}

/// The names a text mentions with `@name`, in order, each once (by its lookup key), at most
/// [`MENTIONS_PER_POST`]. Inside code (a span or a block) an `@` is code, not a mention; callers pass the
/// text as a reader sees it (`markdown::mentions`).
pub fn mentioned_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (_, name) in mention_spans(text) {
        if names.len() == MENTIONS_PER_POST {
            break;
        }
        let key = username_key(name);
        if !names.iter().any(|known| username_key(known) == key) {
            names.push(name.to_owned());
        }
    }
    names
}

/// Where `text` has `@name`: the byte offset of each `@` and the name after it. An `@` right after a letter
/// or digit is part of something else (an e-mail address); a name is the longest run of the characters
/// names are made of, and no longer than the longest name.
pub fn mention_spans(text: &str) -> Vec<(usize, &str)> {
    let mut spans = Vec::new();
    let mut previous: Option<char> = None;
    for (at, c) in text.char_indices() {
        let follows_word = previous.is_some_and(is_name_char);
        previous = Some(c);
        if c != '@' || follows_word {
            continue;
        }
        let rest = &text[at + 1..];
        let end = rest
            .char_indices()
            .find(|&(_, c)| !is_name_char(c))
            .map_or(rest.len(), |(end, _)| end);
        let name = &rest[..end];
        let chars = name.chars().count();
        if (Username::MIN_CHARS..=Username::MAX_CHARS).contains(&chars) {
            spans.push((at, name));
        }
    }
    spans
}

/// A character a user name may hold (as [`Username::parse`] allows).
fn is_name_char(c: char) -> bool {
    c.is_alphabetic() || c.is_ascii_digit() || c == '_' || c == '-'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mention_is_an_at_sign_before_a_name() {
        assert_eq!(
            mentioned_names("thanks @alice and @bob_2, cc @철수"),
            vec!["alice", "bob_2"],
            "a name shorter than three characters is no name"
        );
        assert_eq!(mentioned_names("@alice: look"), vec!["alice"]);
        assert_eq!(mentioned_names("(@alice)"), vec!["alice"]);
    }

    #[test]
    fn an_email_address_is_no_mention() {
        assert!(mentioned_names("write to alice@example.com").is_empty());
        assert_eq!(mentioned_names("mail alice@example.com, @bob"), vec!["bob"]);
    }

    #[test]
    fn each_name_counts_once_whatever_its_case() {
        assert_eq!(mentioned_names("@Alice @alice @ALICE"), vec!["Alice"]);
    }

    #[test]
    fn a_post_mentions_ten_people_at_most() {
        let text: Vec<String> = (0..20).map(|n| format!("@user{n:02}")).collect();
        let names = mentioned_names(&text.join(" "));
        assert_eq!(names.len(), MENTIONS_PER_POST);
        assert_eq!(names[0], "user00");
        assert_eq!(names[9], "user09");
    }

    #[test]
    fn a_name_longer_than_any_is_no_mention() {
        let long = format!("@{}", "a".repeat(Username::MAX_CHARS + 1));
        assert!(mentioned_names(&long).is_empty());
    }

    #[test]
    fn spans_point_at_the_at_sign() {
        let text = "hi @alice!";
        assert_eq!(mention_spans(text), vec![(3, "alice")]);
    }

    #[test]
    fn kinds_round_trip_through_their_codes() {
        for kind in NotificationKind::ALL {
            assert_eq!(NotificationKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(NotificationKind::from_code("poke"), None);
    }
}
