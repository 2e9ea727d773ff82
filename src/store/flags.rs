//! The SQL of flags that both engines share (`?n` placeholders; PostgreSQL's side numbers them `$n`), and
//! the values read back from it.

use crate::domain::{
    flags::{FlagEntry, FlagReason, ReviewItem},
    ids::{AnswerId, CommentId, QuestionId, UserId},
    policy::PostRef,
};

/// The flags' column that names a post of this kind, the post's table, and its id.
fn of(post: PostRef) -> (&'static str, &'static str, i64) {
    match post {
        PostRef::Question(id) => ("question_id", "questions", id.0),
        PostRef::Answer(id) => ("answer_id", "answers", id.0),
        PostRef::Comment(id) => ("comment_id", "comments", id.0),
    }
}

/// Raises a flag on the post `?1` by `?2` for the reason `?3` with the note `?4` at `?5`, unless that
/// person flagged it before (then nothing is inserted).
pub fn raise(post: PostRef) -> (String, i64) {
    let (column, _, id) = of(post);
    (
        format!(
            "INSERT INTO flags ({column}, user_id, reason, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT DO NOTHING"
        ),
        id,
    )
}

/// How many open spam flags the post `?1` has (one per person).
pub fn open_spam(post: PostRef) -> (String, i64) {
    let (column, _, id) = of(post);
    (
        format!(
            "SELECT count(*) FROM flags WHERE {column} = ?1 AND reason = 'spam' AND resolved_at IS NULL"
        ),
        id,
    )
}

/// Hides the post `?1` from `?2`, unless it is hidden already.
pub fn hide(post: PostRef) -> (String, i64) {
    let (_, table, id) = of(post);
    (
        format!("UPDATE {table} SET hidden_at = ?2 WHERE id = ?1 AND hidden_at IS NULL"),
        id,
    )
}

/// Whether the post `?1` is hidden.
pub fn hidden(post: PostRef) -> (String, i64) {
    let (_, table, id) = of(post);
    (
        format!("SELECT hidden_at IS NOT NULL FROM {table} WHERE id = ?1"),
        id,
    )
}

/// Resolves the open flags of the post `?1` at `?2` as `?3`, decided by `?4` (never on their own post).
pub fn resolve(post: PostRef) -> (String, i64) {
    let (column, table, id) = of(post);
    (
        format!(
            "UPDATE flags SET resolved_at = ?2, resolution = ?3
             WHERE {column} = ?1 AND resolved_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM {table} p WHERE p.id = ?1 AND p.author_id = ?4)"
        ),
        id,
    )
}

/// Shows the post `?1` again, unless `?2` is its author (who decides nothing about their own post).
pub fn unhide(post: PostRef) -> (String, i64) {
    let (_, table, id) = of(post);
    (
        format!("UPDATE {table} SET hidden_at = NULL WHERE id = ?1 AND author_id <> ?2"),
        id,
    )
}

/// The open flags on posts not deleted (nor on a deleted post: an answer's question, a comment's post):
/// while a post is deleted its flags wait, out of the queue and its count, and come back with it.
pub const OPEN_ON_LIVE_POSTS: &str = "flags f
     LEFT JOIN comments c ON c.id = f.comment_id
     LEFT JOIN answers a ON a.id = coalesce(f.answer_id, c.answer_id)
     JOIN questions q ON q.id = coalesce(f.question_id, a.question_id, c.question_id)
     WHERE f.resolved_at IS NULL AND q.deleted_at IS NULL AND a.deleted_at IS NULL";

/// The posts with open flags, the most recently flagged first, at most `?1`.
pub fn queue() -> String {
    format!(
        "SELECT f.question_id, f.answer_id, f.comment_id, max(f.created_at) AS newest
         FROM {OPEN_ON_LIVE_POSTS}
         GROUP BY f.question_id, f.answer_id, f.comment_id ORDER BY newest DESC LIMIT ?1"
    )
}

/// The open flags of the post `?1`, oldest first, with who raised them.
pub fn open_of(post: PostRef) -> (String, i64) {
    let (column, _, id) = of(post);
    (
        format!(
            "SELECT u.username, f.reason, f.note, f.created_at FROM flags f JOIN users u ON u.id = f.user_id
             WHERE f.{column} = ?1 AND f.resolved_at IS NULL ORDER BY f.id"
        ),
        id,
    )
}

/// The post a row of [`QUEUE`] names.
pub fn queued(question: Option<i64>, answer: Option<i64>, comment: Option<i64>) -> Option<PostRef> {
    match (question, answer, comment) {
        (Some(id), None, None) => Some(PostRef::Question(QuestionId(id))),
        (None, Some(id), None) => Some(PostRef::Answer(AnswerId(id))),
        (None, None, Some(id)) => Some(PostRef::Comment(CommentId(id))),
        _ => None,
    }
}

/// A flag as [`open_of`] read it.
pub fn entry(by: String, reason: &str, note: String, at: i64) -> FlagEntry {
    FlagEntry {
        by,
        reason: FlagReason::parse(reason).unwrap_or(FlagReason::Other),
        note,
        at,
    }
}

/// A review item from the post as `revisions::head` read it, and its open flags.
pub fn item(post: PostRef, head: super::revisions::Head, flags: Vec<FlagEntry>) -> ReviewItem {
    ReviewItem {
        post,
        question_id: QuestionId(head.question_id),
        question_subject: head.question_subject,
        author_id: UserId(head.author_id),
        author: head.author,
        content: head.content,
        hidden: head.hidden,
        flags,
    }
}
