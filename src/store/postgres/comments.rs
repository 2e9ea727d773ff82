//! The `comments` table; each change also moves its post's comment counter.

use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::{PgError, one, opt, rows, run};
use crate::{
    domain::{
        board::{CommentId, CommentText, QuestionId},
        ids::{AnswerId, UserId},
        policy::PostRef,
        posts::{Comment, PostComments},
    },
    store::{NewComment, Revision},
};

/// A comment's columns, from `comments c` joined with its author `u`.
const COLUMNS: &str = "SELECT c.id, c.question_id, c.answer_id, c.author_id, u.username, c.content,
     c.content_html, c.created_at, c.modified_at, u.reputation,
     (SELECT e.username FROM users e WHERE e.id = c.edited_by), c.hidden_at IS NOT NULL";

fn from_row(row: &Row) -> Result<Comment, PgError> {
    let question_id = QuestionId(row.try_get(1)?);
    Ok(Comment {
        id: CommentId(row.try_get(0)?),
        on: match row.try_get::<_, Option<i64>>(2)? {
            Some(answer) => PostRef::Answer(AnswerId(answer)),
            None => PostRef::Question(question_id),
        },
        question_id,
        author_id: UserId(row.try_get(3)?),
        author: row.try_get(4)?,
        content: row.try_get(5)?,
        content_html: row.try_get(6)?,
        created_at: row.try_get(7)?,
        modified_at: row.try_get(8)?,
        author_reputation: row.try_get(9)?,
        edited_by: row.try_get(10)?,
        hidden: row.try_get(11)?,
    })
}

/// The first `limit` comments of the question (when `question_commented`) and of each of `answers`, in
/// one statement, oldest first.
pub async fn first_on_page(
    client: &impl GenericClient,
    question: QuestionId,
    question_commented: bool,
    answers: &[i64],
    limit: i64,
) -> Result<Vec<Comment>, PgError> {
    let sql = format!(
        "{COLUMNS} FROM (
             (SELECT id FROM comments WHERE $4 AND question_id = $1 AND answer_id IS NULL
              ORDER BY id LIMIT $3)
             UNION ALL
             (SELECT shown.id FROM unnest($2::BIGINT[]) AS post (id) CROSS JOIN LATERAL
                  (SELECT id FROM comments WHERE answer_id = post.id ORDER BY id LIMIT $3) shown)
         ) shown JOIN comments c ON c.id = shown.id JOIN users u ON u.id = c.author_id
         ORDER BY c.id"
    );
    rows(
        client,
        &sql,
        &[&question.0, &answers, &limit, &question_commented],
    )
    .await?
    .iter()
    .map(from_row)
    .collect()
}

pub async fn find(client: &impl GenericClient, id: CommentId) -> Result<Option<Comment>, PgError> {
    opt(
        client,
        &format!(
            "{COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
             JOIN questions q ON q.id = c.question_id LEFT JOIN answers a ON a.id = c.answer_id
             WHERE c.id = $1 AND q.deleted_at IS NULL AND a.deleted_at IS NULL"
        ),
        &[&id.0],
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// How many comments come before `comment` on its post.
pub async fn position(client: &impl GenericClient, comment: &Comment) -> Result<i64, PgError> {
    let row = match comment.on {
        PostRef::Answer(answer) => {
            one(
                client,
                "SELECT count(*) FROM comments WHERE answer_id = $1 AND id < $2",
                &[&answer.0, &comment.id.0],
            )
            .await?
        }
        _ => {
            one(
                client,
                "SELECT count(*) FROM comments
                 WHERE question_id = $1 AND answer_id IS NULL AND id < $2",
                &[&comment.question_id.0, &comment.id.0],
            )
            .await?
        }
    };
    row.try_get(0)
}

/// Every comment on `post`, with its question; `None` if the post is gone.
pub async fn of_post(
    client: &impl GenericClient,
    post: PostRef,
) -> Result<Option<PostComments>, PgError> {
    let (sql, filter, id) = match post {
        PostRef::Question(id) => (
            "SELECT q.id, q.subject, u.username, q.content, CASE WHEN q.hidden_at IS NULL THEN NULL ELSE q.author_id END, CASE WHEN q.hidden_at IS NULL THEN NULL ELSE q.author_id END
             FROM questions q JOIN users u ON u.id = q.author_id WHERE q.id = $1 AND q.deleted_at IS NULL",
            "c.question_id = $1 AND c.answer_id IS NULL",
            id.0,
        ),
        PostRef::Answer(id) => (
            "SELECT q.id, q.subject, u.username, a.content, CASE WHEN a.hidden_at IS NULL THEN NULL ELSE a.author_id END, CASE WHEN q.hidden_at IS NULL THEN NULL ELSE q.author_id END
             FROM answers a JOIN questions q ON q.id = a.question_id JOIN users u ON u.id = a.author_id
             WHERE a.id = $1 AND a.deleted_at IS NULL AND q.deleted_at IS NULL",
            "c.answer_id = $1",
            id.0,
        ),
        PostRef::Comment(_) => return Ok(None),
    };
    let Some(question) = opt(client, sql, &[&id]).await? else {
        return Ok(None);
    };
    let comments = rows(
        client,
        &format!(
            "{COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id WHERE {filter} ORDER BY c.id"
        ),
        &[&id],
    )
    .await?
    .iter()
    .map(from_row)
    .collect::<Result<_, _>>()?;
    Ok(Some(PostComments {
        post,
        question_id: QuestionId(question.try_get(0)?),
        question_subject: question.try_get(1)?,
        post_author: question.try_get(2)?,
        post_content: question.try_get(3)?,
        hidden_post_author: question.try_get::<_, Option<i64>>(4)?.map(UserId),
        hidden_question_author: question.try_get::<_, Option<i64>>(5)?.map(UserId),
        comments,
    }))
}

/// Adds a comment, or returns `None` when its post is gone.
pub async fn insert(
    client: &impl GenericClient,
    comment: &NewComment,
) -> Result<Option<CommentId>, PgError> {
    let (sql, post, answer) = match comment.on {
        PostRef::Question(id) => (
            "UPDATE questions SET comment_count = comment_count + 1
             WHERE id = $1 AND deleted_at IS NULL RETURNING id",
            id.0,
            None,
        ),
        PostRef::Answer(id) => (
            "UPDATE answers SET comment_count = comment_count + 1
             WHERE id = $1 AND deleted_at IS NULL RETURNING question_id",
            id.0,
            Some(id.0),
        ),
        PostRef::Comment(_) => return Ok(None),
    };
    let Some(counted) = opt(client, sql, &[&post]).await? else {
        return Ok(None);
    };
    let question: i64 = counted.try_get(0)?;
    let id = one(
        client,
        "INSERT INTO comments (question_id, answer_id, author_id, content, content_html, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        &[
            &question,
            &answer,
            &comment.author_id.0,
            &comment.content.as_str(),
            &comment.content_html,
            &comment.now,
        ],
    )
    .await?
    .try_get(0)?;
    Ok(Some(CommentId(id)))
}

pub async fn update(
    client: &impl GenericClient,
    id: CommentId,
    revision: &Revision<CommentText>,
) -> Result<(), PgError> {
    run(
        client,
        "UPDATE comments SET content = $2, content_html = $3, modified_at = $4 WHERE id = $1",
        &[
            &id.0,
            &revision.text.as_str(),
            &revision.html,
            &revision.now,
        ],
    )
    .await?;
    Ok(())
}

/// Deletes a comment, moving its post's counter; returns it as it was, or `None` if it was gone.
pub async fn delete(
    client: &impl GenericClient,
    id: CommentId,
) -> Result<Option<Comment>, PgError> {
    let Some(comment) = find(client, id).await? else {
        return Ok(None);
    };
    run(client, "DELETE FROM comments WHERE id = $1", &[&id.0]).await?;
    let (sql, post) = match comment.on {
        PostRef::Answer(answer) => (
            "UPDATE answers SET comment_count = comment_count - 1 WHERE id = $1",
            answer.0,
        ),
        _ => (
            "UPDATE questions SET comment_count = comment_count - 1 WHERE id = $1",
            comment.question_id.0,
        ),
    };
    run(client, sql, &[&post]).await?;
    Ok(Some(comment))
}
