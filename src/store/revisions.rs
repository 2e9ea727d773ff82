//! The SQL of edit history that both engines share (`?n` placeholders; PostgreSQL's side numbers them
//! `$n`), and the values read back from it.

use crate::domain::{
    ids::{QuestionId, UserId},
    policy::PostRef,
    revisions::{PostRevisions, RevisionEntry},
    tags::Tags,
};

/// The name of whoever edited the question `q` last when not its author ('' once their account is deleted;
/// NULL: nobody else did), a column after the question's own (answers and comments read theirs the same way).
pub const QUESTION_EDITOR: &str = "(SELECT e.username FROM users e WHERE e.id = q.edited_by)";

/// The revisions' column that names a post of this kind, and the post's id.
fn column(post: PostRef) -> (&'static str, i64) {
    match post {
        PostRef::Question(id) => ("question_id", id.0),
        PostRef::Answer(id) => ("answer_id", id.0),
        PostRef::Comment(id) => ("comment_id", id.0),
    }
}

/// How many revisions the post has stored (`?1` its id).
pub fn count(post: PostRef) -> (String, i64) {
    let (column, id) = column(post);
    (
        format!("SELECT count(*) FROM revisions WHERE {column} = ?1"),
        id,
    )
}

/// Stores the post as it stands now as revision `?2`, by `?3` at `?4` (NULL for both: its author, when
/// it was last written), with the summary `?5`, rolling back to `?6` (or NULL).
pub fn keep(post: PostRef) -> (&'static str, i64) {
    let (_, id) = column(post);
    let sql = match post {
        PostRef::Question(_) => {
            "INSERT INTO revisions
                 (question_id, number, editor_id, created_at, summary, rolled_back_to, subject, content, tags)
             SELECT id, ?2, coalesce(?3, author_id), coalesce(?4, modified_at, created_at), ?5, ?6,
                    subject, content, tags
             FROM questions WHERE id = ?1"
        }
        PostRef::Answer(_) => {
            "INSERT INTO revisions
                 (answer_id, number, editor_id, created_at, summary, rolled_back_to, content)
             SELECT id, ?2, coalesce(?3, author_id), coalesce(?4, modified_at, created_at), ?5, ?6, content
             FROM answers WHERE id = ?1"
        }
        PostRef::Comment(_) => {
            "INSERT INTO revisions
                 (comment_id, number, editor_id, created_at, summary, rolled_back_to, content)
             SELECT id, ?2, coalesce(?3, author_id), coalesce(?4, modified_at, created_at), ?5, ?6, content
             FROM comments WHERE id = ?1"
        }
    };
    (sql, id)
}

/// Records who edited the post `?1` last when it is not its author (`?2` the editor).
pub fn edited_by(post: PostRef) -> (&'static str, i64) {
    let (_, id) = column(post);
    let sql = match post {
        PostRef::Question(_) => {
            "UPDATE questions SET edited_by = CASE WHEN author_id = ?2 THEN NULL ELSE ?2 END WHERE id = ?1"
        }
        PostRef::Answer(_) => {
            "UPDATE answers SET edited_by = CASE WHEN author_id = ?2 THEN NULL ELSE ?2 END WHERE id = ?1"
        }
        PostRef::Comment(_) => {
            "UPDATE comments SET edited_by = CASE WHEN author_id = ?2 THEN NULL ELSE ?2 END WHERE id = ?1"
        }
    };
    (sql, id)
}

/// The post `?1` as it stands, as revision 1 of it reads: its question and
/// that one's subject, its author and their name, when it was last written, its subject, text and tags.
/// No row while it (or the post it is on) is deleted: its history waits until it is back.
pub fn head(post: PostRef) -> (&'static str, i64) {
    let (_, id) = column(post);
    let sql = match post {
        PostRef::Question(_) => {
            "SELECT q.id, q.subject, q.author_id, u.username, coalesce(q.modified_at, q.created_at),
                    q.subject, q.content, q.tags, q.hidden_at IS NOT NULL
             FROM questions q JOIN users u ON u.id = q.author_id WHERE q.id = ?1 AND q.deleted_at IS NULL"
        }
        PostRef::Answer(_) => {
            "SELECT q.id, q.subject, a.author_id, u.username, coalesce(a.modified_at, a.created_at),
                    CAST(NULL AS TEXT), a.content, CAST(NULL AS TEXT), a.hidden_at IS NOT NULL
             FROM answers a JOIN questions q ON q.id = a.question_id JOIN users u ON u.id = a.author_id
             WHERE a.id = ?1 AND a.deleted_at IS NULL AND q.deleted_at IS NULL"
        }
        PostRef::Comment(_) => {
            "SELECT q.id, q.subject, c.author_id, u.username, coalesce(c.modified_at, c.created_at),
                    CAST(NULL AS TEXT), c.content, CAST(NULL AS TEXT), c.hidden_at IS NOT NULL
             FROM comments c JOIN questions q ON q.id = c.question_id JOIN users u ON u.id = c.author_id
             LEFT JOIN answers a ON a.id = c.answer_id
             WHERE c.id = ?1 AND q.deleted_at IS NULL AND a.deleted_at IS NULL"
        }
    };
    (sql, id)
}

/// The stored revisions of the post `?1` numbered `?2` to `?3`, oldest first (by the post's index).
pub fn list(post: PostRef) -> (String, i64) {
    let (column, id) = column(post);
    (
        format!(
            "SELECT r.number, r.editor_id, u.username, r.created_at, r.summary, r.rolled_back_to,
                    r.subject, r.content, r.tags
             FROM revisions r JOIN users u ON u.id = r.editor_id
             WHERE r.{column} = ?1 AND r.number BETWEEN ?2 AND ?3 ORDER BY r.number"
        ),
        id,
    )
}

/// The numbers [`list`] reads for the revisions `low` to `high`: the one before `low` too, to diff against.
pub fn with_base((low, high): (i64, i64)) -> (i64, i64) {
    ((low - 1).max(1), high)
}

/// Logs a change to the post `?1` by `?2` at `?3` (`?4` the action, `?5` the detail) when the post is not
/// theirs: a moderator's edit, rollback or deletion is a moderator's action.
pub fn log_change(post: PostRef) -> (&'static str, i64) {
    let (_, id) = column(post);
    let sql = match post {
        PostRef::Question(_) => {
            "INSERT INTO moderation_log (at, actor_id, action, question_id, user_id, target, detail)
             SELECT ?3, ?2, ?4, q.id, q.author_id, q.subject, ?5
             FROM questions q WHERE q.id = ?1 AND q.author_id <> ?2"
        }
        PostRef::Answer(_) => {
            "INSERT INTO moderation_log (at, actor_id, action, question_id, user_id, target, detail)
             SELECT ?3, ?2, ?4, q.id, a.author_id, q.subject, ?5
             FROM answers a JOIN questions q ON q.id = a.question_id WHERE a.id = ?1 AND a.author_id <> ?2"
        }
        PostRef::Comment(_) => {
            "INSERT INTO moderation_log (at, actor_id, action, question_id, user_id, target, detail)
             SELECT ?3, ?2, ?4, q.id, c.author_id, q.subject, ?5
             FROM comments c JOIN questions q ON q.id = c.question_id WHERE c.id = ?1 AND c.author_id <> ?2"
        }
    };
    (sql, id)
}

/// What the moderation log says of a moderator's deletion of someone else's post (the entry keeps the
/// question's subject; nothing else is said).
pub const DELETED: (&str, &str) = ("delete", "");

/// The log's action and detail for an edit with this note.
pub fn logged(note: &crate::domain::revisions::EditNote) -> (&'static str, String) {
    use crate::domain::moderation::LogAction;
    match note.rolled_back_to {
        Some(number) => (
            LogAction::Rollback.code(),
            format!("{number}\n{}", note.summary.as_str()),
        ),
        None => (LogAction::Edit.code(), note.summary.as_str().to_owned()),
    }
}

/// What [`head`] read of a post.
pub struct Head {
    pub question_id: i64,
    pub question_subject: String,
    pub author_id: i64,
    pub author: String,
    pub at: i64,
    pub subject: Option<String>,
    pub content: String,
    pub tags: Option<String>,
    /// Hidden by spam flags until a moderator decides.
    pub hidden: bool,
}

/// One row of [`list`].
pub struct Stored {
    pub number: i64,
    pub editor_id: i64,
    pub editor: String,
    pub created_at: i64,
    pub summary: String,
    pub rolled_back_to: Option<i64>,
    pub subject: Option<String>,
    pub content: String,
    pub tags: Option<String>,
}

impl From<Stored> for RevisionEntry {
    fn from(row: Stored) -> Self {
        Self {
            number: row.number,
            editor_id: UserId(row.editor_id),
            editor: row.editor,
            created_at: row.created_at,
            summary: row.summary,
            rolled_back_to: row.rolled_back_to,
            subject: row.subject,
            content: row.content,
            tags: row.tags.as_deref().map(Tags::stored),
        }
    }
}

/// The post's history from what was read: its stored revisions (`total` of them), or, for a post never
/// edited, the post itself as revision 1 (when the numbers asked for include 1).
pub fn assemble(
    post: PostRef,
    head: Head,
    total: i64,
    numbers: (i64, i64),
    stored: Vec<Stored>,
) -> PostRevisions {
    let (low, _) = with_base(numbers);
    let revisions = if total > 0 {
        stored.into_iter().map(RevisionEntry::from).collect()
    } else if low > 1 {
        Vec::new()
    } else {
        vec![RevisionEntry {
            number: 1,
            editor_id: UserId(head.author_id),
            editor: head.author,
            created_at: head.at,
            summary: String::new(),
            rolled_back_to: None,
            subject: head.subject,
            content: head.content,
            tags: head.tags.as_deref().map(Tags::stored),
        }]
    };
    PostRevisions {
        post,
        question_id: QuestionId(head.question_id),
        question_subject: head.question_subject,
        author_id: UserId(head.author_id),
        hidden: head.hidden,
        total: total.max(1),
        revisions,
    }
}
