//! What the Atom feeds carry: the newest questions (of a tag), and a question's newest answers.

use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::{PgError, opt, rows};
use crate::domain::{
    board::{AnswerId, QuestionId},
    posts::FeedEntry,
    tags::{TagName, Tags},
};

const QUESTION: &str = "SELECT q.id, q.subject, u.username, q.created_at, q.modified_at,
            CASE WHEN q.hidden_at IS NULL THEN q.content_html ELSE '' END, q.tags
     FROM questions q JOIN users u ON u.id = q.author_id WHERE q.deleted_at IS NULL";

fn question_entry(row: &Row) -> Result<FeedEntry, PgError> {
    Ok(FeedEntry {
        question_id: QuestionId(row.try_get(0)?),
        answer_id: None,
        subject: row.try_get(1)?,
        author: row.try_get(2)?,
        created_at: row.try_get(3)?,
        modified_at: row.try_get(4)?,
        content_html: row.try_get(5)?,
        tags: Tags::stored(row.try_get(6)?),
    })
}

pub async fn questions(
    client: &impl GenericClient,
    tag: Option<&TagName>,
    limit: i64,
) -> Result<Option<Vec<FeedEntry>>, PgError> {
    let Some(tag) = tag else {
        let found = rows(
            client,
            &format!("{QUESTION} ORDER BY q.id DESC LIMIT $1"),
            &[&limit],
        )
        .await?;
        return Ok(Some(
            found.iter().map(question_entry).collect::<Result<_, _>>()?,
        ));
    };
    let Some(row) = opt(
        client,
        "SELECT id FROM tags WHERE name = $1",
        &[&tag.as_str()],
    )
    .await?
    else {
        return Ok(None);
    };
    let tag_id: i64 = row.try_get(0)?;
    let found = rows(
        client,
        &format!(
            "{QUESTION} AND q.id IN (SELECT question_id FROM question_tags WHERE tag_id = $1
                                       ORDER BY question_id DESC LIMIT $2)
             ORDER BY q.id DESC"
        ),
        &[&tag_id, &limit],
    )
    .await?;
    Ok(Some(
        found.iter().map(question_entry).collect::<Result<_, _>>()?,
    ))
}

pub async fn answers(
    client: &impl GenericClient,
    id: QuestionId,
    limit: i64,
) -> Result<Option<(FeedEntry, Vec<FeedEntry>)>, PgError> {
    let Some(row) = opt(client, &format!("{QUESTION} AND q.id = $1"), &[&id.0]).await? else {
        return Ok(None);
    };
    let question = question_entry(&row)?;
    let answers = rows(
        client,
        "SELECT a.id, u.username, a.created_at, a.modified_at,
                CASE WHEN a.hidden_at IS NULL THEN a.content_html ELSE '' END
         FROM answers a JOIN users u ON u.id = a.author_id
         WHERE a.question_id = $1 AND a.deleted_at IS NULL ORDER BY a.id DESC LIMIT $2",
        &[&id.0, &limit],
    )
    .await?
    .iter()
    .map(|row| {
        Ok(FeedEntry {
            question_id: id,
            answer_id: Some(AnswerId(row.try_get(0)?)),
            subject: question.subject.clone(),
            author: row.try_get(1)?,
            created_at: row.try_get(2)?,
            modified_at: row.try_get(3)?,
            content_html: row.try_get(4)?,
            tags: Tags::default(),
        })
    })
    .collect::<Result<_, PgError>>()?;
    Ok(Some((question, answers)))
}
