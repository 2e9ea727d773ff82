//! What the search index is fed from: the questions with their answers as documents, and the log of
//! questions changed since (`search_changes`, filled by triggers in each change's transaction). Board
//! writes commit in turn (see the module above), so sequence numbers are handed out in commit order.

use std::collections::HashMap;

use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::{PgError, one, opt, rows, run};
use crate::domain::{
    ids::QuestionId,
    search::{IndexedQuestion, SearchChange},
    tags::Tags,
};

/// Changed questions after `seq`, oldest first, at most `limit`.
pub async fn changes_after(
    client: &impl GenericClient,
    seq: i64,
    limit: usize,
) -> Result<Vec<SearchChange>, PgError> {
    rows(
        client,
        "SELECT seq, question_id, text FROM search_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
        &[&seq, &(limit as i64)],
    )
    .await?
    .iter()
    .map(|row| {
        Ok(SearchChange {
            seq: row.try_get(0)?,
            question: QuestionId(row.try_get(1)?),
            text: row.try_get(2)?,
        })
    })
    .collect()
}

/// The oldest change still logged and the newest ever logged (0 when there never was one).
pub async fn log_bounds(client: &impl GenericClient) -> Result<(i64, i64), PgError> {
    let row = one(
        client,
        "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM search_changes_seq_seq",
        &[],
    )
    .await?;
    let newest: i64 = row.try_get(0)?;
    let oldest: i64 = one(
        client,
        "SELECT coalesce(min(seq), $1::bigint + 1) FROM search_changes",
        &[&newest],
    )
    .await?
    .try_get(0)?;
    Ok((oldest, newest))
}

/// Forgets changes up to `seq`.
pub async fn forget_changes(client: &impl GenericClient, seq: i64) -> Result<usize, PgError> {
    Ok(run(
        client,
        "DELETE FROM search_changes WHERE seq <= $1",
        &[&seq],
    )
    .await? as usize)
}

const QUESTION: &str = "SELECT q.id, q.subject, q.content, u.username, q.created_at, q.like_count,
        q.answer_count, q.tags FROM questions q JOIN users u ON u.id = q.author_id WHERE q.deleted_at IS NULL";

const ANSWERS: &str = "SELECT a.question_id, a.content, u.username FROM answers a JOIN users u ON u.id = a.author_id WHERE a.deleted_at IS NULL";

/// The questions among `ids` that exist, as documents, in id order.
pub async fn documents(
    client: &impl GenericClient,
    ids: &[QuestionId],
) -> Result<Vec<IndexedQuestion>, PgError> {
    let mut sorted: Vec<i64> = ids.iter().map(|id| id.0).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut found = Vec::with_capacity(sorted.len());
    let question = format!("{QUESTION} AND q.id = $1");
    let answers = format!("{ANSWERS} AND a.question_id = $1 ORDER BY a.id");
    for id in sorted {
        let Some(row) = opt(client, &question, &[&id]).await? else {
            continue;
        };
        let mut document = question_from_row(&row)?;
        for answer in rows(client, &answers, &[&id]).await? {
            add_answer(&mut document, answer.try_get(1)?, answer.try_get(2)?);
        }
        found.push(document);
    }
    Ok(found)
}

/// Up to `limit` questions after `after`, in id order, with their answers: the whole board, a batch at a
/// time, for building the index afresh.
pub async fn documents_after(
    client: &impl GenericClient,
    after: QuestionId,
    limit: usize,
) -> Result<Vec<IndexedQuestion>, PgError> {
    let mut batch: Vec<IndexedQuestion> = rows(
        client,
        &format!("{QUESTION} AND q.id > $1 ORDER BY q.id LIMIT $2"),
        &[&after.0, &(limit as i64)],
    )
    .await?
    .iter()
    .map(question_from_row)
    .collect::<Result<_, _>>()?;
    let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
        return Ok(batch);
    };
    let (first, last) = (first.id.0, last.id.0);
    let at: HashMap<i64, usize> = batch.iter().enumerate().map(|(n, q)| (q.id.0, n)).collect();
    let answers = rows(
        client,
        &format!("{ANSWERS} AND a.question_id BETWEEN $1 AND $2 ORDER BY a.question_id, a.id"),
        &[&first, &last],
    )
    .await?;
    for answer in answers {
        let question: i64 = answer.try_get(0)?;
        if let Some(&n) = at.get(&question) {
            add_answer(&mut batch[n], answer.try_get(1)?, answer.try_get(2)?);
        }
    }
    Ok(batch)
}

fn question_from_row(row: &Row) -> Result<IndexedQuestion, PgError> {
    Ok(IndexedQuestion {
        id: QuestionId(row.try_get(0)?),
        subject: row.try_get(1)?,
        body: row.try_get(2)?,
        answers: Vec::new(),
        authors: vec![row.try_get(3)?],
        created_at: row.try_get(4)?,
        like_count: row.try_get(5)?,
        answer_count: row.try_get(6)?,
        tags: Tags::stored(row.try_get(7)?),
    })
}

fn add_answer(document: &mut IndexedQuestion, content: String, author: String) {
    document.answers.push(content);
    if !document.authors.contains(&author) {
        document.authors.push(author);
    }
}
