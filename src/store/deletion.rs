//! The SQL of soft delete, the same on both engines (`?n` placeholders; PostgreSQL's side numbers them
//! `$n`). A deleted question or answer keeps its row, marked with when and by whom; the engines' triggers
//! take it out of every count as it is marked and put it back as the mark comes off (SQLite migration 22,
//! PostgreSQL 19). Deleting a question deletes its answers with it, marked so, and they come back with it.

use crate::domain::policy::{Action, PostRef};

/// The post `?1` as the policy asks about it: whose it is (for accepting an answer, its question's
/// author), whether it is deleted, by whom, and whether what it is on is deleted.
pub fn state(action: Action, post: PostRef) -> (&'static str, i64) {
    match (action, post) {
        (Action::Accept, PostRef::Answer(id)) => (
            "SELECT q.author_id, a.deleted_at IS NOT NULL, a.deleted_by, q.deleted_at IS NOT NULL
             FROM answers a JOIN questions q ON q.id = a.question_id WHERE a.id = ?1",
            id.0,
        ),
        (_, PostRef::Question(id)) => (
            "SELECT author_id, deleted_at IS NOT NULL, deleted_by, FALSE FROM questions WHERE id = ?1",
            id.0,
        ),
        (_, PostRef::Answer(id)) => (
            "SELECT a.author_id, a.deleted_at IS NOT NULL, a.deleted_by, q.deleted_at IS NOT NULL
             FROM answers a JOIN questions q ON q.id = a.question_id WHERE a.id = ?1",
            id.0,
        ),
        (_, PostRef::Comment(id)) => (
            "SELECT c.author_id, FALSE, CAST(NULL AS BIGINT), q.deleted_at IS NOT NULL OR a.deleted_at IS NOT NULL
             FROM comments c JOIN questions q ON q.id = c.question_id
             LEFT JOIN answers a ON a.id = c.answer_id WHERE c.id = ?1",
            id.0,
        ),
    }
}

/// Marks the question `?1`'s answers deleted at `?2` by `?3`, as deleted with it.
pub const ANSWERS_WITH_QUESTION: &str = "UPDATE answers
     SET deleted_at = ?2, deleted_by = ?3, deleted_with_question = 1
     WHERE question_id = ?1 AND deleted_at IS NULL";

/// Brings back the answers deleted with the question `?1`.
pub const ANSWERS_BACK_WITH_QUESTION: &str = "UPDATE answers
     SET deleted_at = NULL, deleted_by = NULL, deleted_with_question = 0
     WHERE question_id = ?1 AND deleted_with_question = 1";

/// Sets the question `?1`'s answer count to its answers not deleted.
pub const RECOUNT_ANSWERS: &str = "UPDATE questions
     SET answer_count = (SELECT count(*) FROM answers a WHERE a.question_id = ?1 AND a.deleted_at IS NULL)
     WHERE id = ?1";

/// Marks the question `?1` deleted at `?2` by `?3`, unless it is already.
pub const DELETE_QUESTION: &str =
    "UPDATE questions SET deleted_at = ?2, deleted_by = ?3 WHERE id = ?1 AND deleted_at IS NULL";

/// Takes the question `?1`'s deletion mark off, if it has one.
pub const UNDELETE_QUESTION: &str = "UPDATE questions SET deleted_at = NULL, deleted_by = NULL
     WHERE id = ?1 AND deleted_at IS NOT NULL";

/// Takes the accepted mark off the answer `?1`, if it has it.
pub const UNACCEPT: &str =
    "UPDATE questions SET accepted_answer_id = NULL WHERE accepted_answer_id = ?1";

/// Marks the answer `?1` deleted at `?2` by `?3`, unless it is already; returns its question.
pub const DELETE_ANSWER: &str = "UPDATE answers SET deleted_at = ?2, deleted_by = ?3
     WHERE id = ?1 AND deleted_at IS NULL RETURNING question_id";

/// Takes the answer `?1`'s deletion mark off, if it has one.
pub const UNDELETE_ANSWER: &str = "UPDATE answers
     SET deleted_at = NULL, deleted_by = NULL, deleted_with_question = 0
     WHERE id = ?1 AND deleted_at IS NOT NULL";

/// The question an answer `?1` is on, and whether the answer is deleted.
pub const ANSWER_STATE: &str =
    "SELECT question_id, deleted_at IS NOT NULL FROM answers WHERE id = ?1";

/// Whether the question `?1` is deleted.
pub const QUESTION_DELETED: &str = "SELECT deleted_at IS NOT NULL FROM questions WHERE id = ?1";

/// What a post's deletion does to the notifications it caused: marked read (nobody is mailed of them or
/// counts them; the inbox leaves them out while the post is deleted, [`HIDDEN_FROM_INBOX`]), kept so
/// that an undelete and an edit do not notify the same people again; the jobs still to go out go.
pub fn quiet_notifications(post: PostRef) -> Vec<(&'static str, i64)> {
    match post {
        PostRef::Question(id) => vec![
            ("UPDATE notifications SET read = 1 WHERE question_id = ?1 AND read = 0", id.0),
            ("DELETE FROM notification_jobs WHERE question_id = ?1", id.0),
        ],
        PostRef::Answer(id) => vec![
            (
                "UPDATE notifications SET read = 1 WHERE read = 0
                   AND (answer_id = ?1 OR comment_id IN (SELECT id FROM comments WHERE answer_id = ?1))",
                id.0,
            ),
            ("DELETE FROM notification_jobs WHERE answer_id = ?1", id.0),
        ],
        PostRef::Comment(_) => Vec::new(),
    }
}

/// The inbox's notifications about a post that is deleted (a question, an answer, or a comment on an
/// answer), as a condition on `notifications n` joined with its question `q`.
pub const HIDDEN_FROM_INBOX: &str = "(q.deleted_at IS NOT NULL
     OR EXISTS (SELECT 1 FROM answers a WHERE a.id = n.answer_id AND a.deleted_at IS NOT NULL)
     OR EXISTS (SELECT 1 FROM comments c JOIN answers a ON a.id = c.answer_id
                WHERE c.id = n.comment_id AND a.deleted_at IS NOT NULL))";

/// Purges what is already deleted (it left every count when it was deleted): the row, and with it (the
/// foreign keys cascade) its answers, comments, likes, revisions and flags.
pub fn purge_deleted(post: PostRef) -> (&'static str, i64) {
    match post {
        PostRef::Question(id) => ("DELETE FROM questions WHERE id = ?1", id.0),
        PostRef::Answer(id) => ("DELETE FROM answers WHERE id = ?1", id.0),
        PostRef::Comment(id) => ("DELETE FROM comments WHERE id = ?1", id.0),
    }
}

/// A post's deletion columns, from its table aliased `alias`: when, by whom (their name; '' once their
/// account is deleted) and their id, and (answers) whether its question took it along.
pub fn columns(alias: &str, with_question: bool) -> String {
    let along = if with_question {
        format!("{alias}.deleted_with_question = 1")
    } else {
        "FALSE".to_owned()
    };
    format!(
        "{alias}.deleted_at, (SELECT d.username FROM users d WHERE d.id = {alias}.deleted_by),
         {alias}.deleted_by, {along}"
    )
}

/// The deletion [`columns`] read.
pub fn deletion(
    at: Option<i64>,
    by: Option<String>,
    by_id: Option<i64>,
    with_question: bool,
) -> Option<crate::domain::posts::Deletion> {
    at.map(|at| crate::domain::posts::Deletion {
        at,
        by: by.unwrap_or_default(),
        by_id: by_id.map(crate::domain::ids::UserId),
        with_question,
    })
}
