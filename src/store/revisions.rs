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
pub fn head(post: PostRef) -> (&'static str, i64) {
    let (_, id) = column(post);
    let sql = match post {
        PostRef::Question(_) => {
            "SELECT q.id, q.subject, q.author_id, u.username, coalesce(q.modified_at, q.created_at),
                    q.subject, q.content, q.tags
             FROM questions q JOIN users u ON u.id = q.author_id WHERE q.id = ?1"
        }
        PostRef::Answer(_) => {
            "SELECT q.id, q.subject, a.author_id, u.username, coalesce(a.modified_at, a.created_at),
                    CAST(NULL AS TEXT), a.content, CAST(NULL AS TEXT)
             FROM answers a JOIN questions q ON q.id = a.question_id JOIN users u ON u.id = a.author_id
             WHERE a.id = ?1"
        }
        PostRef::Comment(_) => {
            "SELECT q.id, q.subject, c.author_id, u.username, coalesce(c.modified_at, c.created_at),
                    CAST(NULL AS TEXT), c.content, CAST(NULL AS TEXT)
             FROM comments c JOIN questions q ON q.id = c.question_id JOIN users u ON u.id = c.author_id
             WHERE c.id = ?1"
        }
    };
    (sql, id)
}

/// Every stored revision of the post `?1`, oldest first.
pub fn list(post: PostRef) -> (String, i64) {
    let (column, id) = column(post);
    (
        format!(
            "SELECT r.number, r.editor_id, u.username, r.created_at, r.summary, r.rolled_back_to,
                    r.subject, r.content, r.tags
             FROM revisions r JOIN users u ON u.id = r.editor_id
             WHERE r.{column} = ?1 ORDER BY r.number"
        ),
        id,
    )
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

/// The post's history from what was read: its stored revisions, or, for a post never edited, the post
/// itself as revision 1.
pub fn assemble(post: PostRef, head: Head, stored: Vec<Stored>) -> PostRevisions {
    let revisions = if stored.is_empty() {
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
    } else {
        stored.into_iter().map(RevisionEntry::from).collect()
    };
    PostRevisions {
        post,
        question_id: QuestionId(head.question_id),
        question_subject: head.question_subject,
        author_id: UserId(head.author_id),
        revisions,
    }
}
