//! The SQL the limits on writing read, the same on both engines (`?n` placeholders; PostgreSQL's side
//! numbers them `$n`): the author's row and their newest posts, each by the author's index.

use crate::domain::writing::{RecentWrites, WriteKind, WriteLimits};

/// A post's author as the limits see them, with the check to make: the limits and the post's links.
#[derive(Clone, Debug)]
pub struct WriteCheck {
    pub limits: WriteLimits,
    /// Links to other sites in the post.
    pub links: usize,
}

/// The author `?1`'s sign-up time and reputation.
pub const AUTHOR: &str = "SELECT created_at, reputation FROM users WHERE id = ?1";

/// The creation times of the author `?1`'s newest `?2` questions, answers and comments, newest first.
pub const RECENT_QUESTIONS: &str =
    "SELECT created_at FROM questions WHERE author_id = ?1 ORDER BY id DESC LIMIT ?2";
pub const RECENT_ANSWERS: &str =
    "SELECT created_at FROM answers WHERE author_id = ?1 ORDER BY id DESC LIMIT ?2";
pub const RECENT_COMMENTS: &str =
    "SELECT created_at FROM comments WHERE author_id = ?1 ORDER BY id DESC LIMIT ?2";

/// Whether the author `?1` posted the text `?3` after `?2`, among their newest `?4` of the kind.
pub fn repeated(table: &str) -> String {
    format!(
        "SELECT 1 FROM (SELECT content, created_at FROM {table} WHERE author_id = ?1
                        ORDER BY id DESC LIMIT ?4) AS newest
         WHERE newest.created_at > ?2 AND newest.content = ?3"
    )
}

/// The tables a repeat of `kind` is looked for in.
pub fn tables(kind: WriteKind) -> &'static [&'static str] {
    match kind {
        WriteKind::Question => &["questions"],
        WriteKind::Reply => &["answers", "comments"],
    }
}

/// What the author wrote lately, from what the statements above read (answers and comments are replies).
pub fn recent(
    (joined_at, reputation): (i64, i64),
    questions: Vec<i64>,
    mut replies: Vec<i64>,
    comments: Vec<i64>,
) -> RecentWrites {
    replies.extend(comments);
    replies.sort_unstable_by(|a, b| b.cmp(a));
    RecentWrites {
        joined_at,
        reputation,
        questions,
        replies,
    }
}
