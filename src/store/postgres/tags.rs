//! The `tags` and `question_tags` tables: a question's tags, each tag's count, and a tag's question list.

use deadpool_postgres::GenericClient;

use super::{PgError, board, one, opt, rows, run};
use crate::{
    domain::{
        board::{ListSort, PAGE_SIZE, QuestionId, clamp_page},
        posts::QuestionList,
        related::{CANDIDATES_PER_TAG, Candidate},
        tags::{TAGS_PER_PAGE, TagCount, TagList, TagName, Tags, clamp_tag_page},
    },
    store::tag_pages::{DIRECT_OFFSET_LIMIT, Located, TagTab},
};

/// Gives the question exactly `tags`: links added and taken away, each tag's count moved, a tag left with no
/// question deleted, and the names kept on the question for its list rows. Part of the caller's transaction.
pub async fn set(
    client: &impl GenericClient,
    question: QuestionId,
    tags: &Tags,
) -> Result<(), PgError> {
    // Locked, so two edits of one question's tags take turns.
    let Some(row) = opt(
        client,
        "SELECT tags FROM questions WHERE id = $1 FOR UPDATE",
        &[&question.0],
    )
    .await?
    else {
        return Ok(());
    };
    let stored: String = row.try_get(0)?;
    let old = Tags::stored(&stored);
    move_links(client, question, &old, tags).await?;
    let joined = tags.joined();
    if joined != stored {
        run(
            client,
            "UPDATE questions SET tags = $2 WHERE id = $1",
            &[&question.0, &joined],
        )
        .await?;
    }
    Ok(())
}

/// Takes a question out of its tags' lists and counts (`linked` false: it is being deleted), or puts it back
/// (true: undeleted); the names stay on the question either way.
pub async fn relink(
    client: &impl GenericClient,
    question: QuestionId,
    linked: bool,
) -> Result<(), PgError> {
    let stored: String = one(
        client,
        "SELECT tags FROM questions WHERE id = $1 FOR UPDATE",
        &[&question.0],
    )
    .await?
    .try_get(0)?;
    let (tags, none) = (Tags::stored(&stored), Tags::default());
    if linked {
        move_links(client, question, &none, &tags).await
    } else {
        move_links(client, question, &tags, &none).await
    }
}

/// From the links of `old` to those of `tags`: each tag's count moved, a tag left with no question deleted.
async fn move_links(
    client: &impl GenericClient,
    question: QuestionId,
    old: &Tags,
    tags: &Tags,
) -> Result<(), PgError> {
    for name in old
        .names()
        .iter()
        .filter(|name| !tags.names().contains(name))
    {
        run(
            client,
            "DELETE FROM question_tags
             WHERE question_id = $1 AND tag_id = (SELECT id FROM tags WHERE name = $2)",
            &[&question.0, &name.as_str()],
        )
        .await?;
        run(
            client,
            "UPDATE tags SET question_count = question_count - 1 WHERE name = $1",
            &[&name.as_str()],
        )
        .await?;
        run(
            client,
            "DELETE FROM tags WHERE name = $1 AND question_count <= 0",
            &[&name.as_str()],
        )
        .await?;
    }
    for name in tags
        .names()
        .iter()
        .filter(|name| !old.names().contains(name))
    {
        let tag_id: i64 = one(
            client,
            "INSERT INTO tags (name, question_count) VALUES ($1, 1)
             ON CONFLICT (name) DO UPDATE SET question_count = tags.question_count + 1
             RETURNING id",
            &[&name.as_str()],
        )
        .await?
        .try_get(0)?;
        run(
            client,
            "INSERT INTO question_tags (tag_id, question_id, like_count, answer_count, accepted)
             SELECT $1, id, like_count, answer_count,
                    CASE WHEN accepted_answer_id IS NULL THEN 0 ELSE 1 END
             FROM questions WHERE id = $2",
            &[&tag_id, &question.0],
        )
        .await?;
    }
    Ok(())
}

/// `prefix` as a LIKE pattern that matches it literally at the start (tag names hold no `%` or `_`, but a
/// typed filter may).
pub(super) fn starts_with(prefix: &str) -> String {
    let mut pattern = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// One page of `/tags`, the most used first, those whose name starts with `prefix` (every tag when empty).
pub async fn list(
    client: &impl GenericClient,
    prefix: &str,
    requested_page: i64,
) -> Result<TagList, PgError> {
    let pattern = starts_with(prefix);
    let total: i64 = one(
        client,
        "SELECT count(*) FROM tags WHERE name LIKE $1",
        &[&pattern],
    )
    .await?
    .try_get(0)?;
    let page = clamp_tag_page(requested_page, total);
    let tags = rows(
        client,
        "SELECT name, question_count FROM tags WHERE name LIKE $1
         ORDER BY question_count DESC, name COLLATE \"C\" LIMIT $2 OFFSET $3",
        &[&pattern, &TAGS_PER_PAGE, &((page - 1) * TAGS_PER_PAGE)],
    )
    .await?
    .iter()
    .map(tag_count)
    .collect::<Result<_, PgError>>()?;
    Ok(TagList { total, page, tags })
}

/// A tag's name and count, the row's first two columns.
pub(super) fn tag_count(row: &tokio_postgres::Row) -> Result<TagCount, PgError> {
    Ok(TagCount {
        name: TagName::stored(row.try_get(0)?),
        questions: row.try_get(1)?,
    })
}

/// Shared SQL (`?n` placeholders) as PostgreSQL numbers its parameters.
pub(super) fn numbered(sql: &str) -> String {
    sql.replace('?', "$")
}

/// The question ids a shared statement returns, its values all numbers.
async fn ids_of(
    client: &impl GenericClient,
    sql: &str,
    values: &[i64],
) -> Result<Vec<QuestionId>, PgError> {
    let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = values
        .iter()
        .map(|value| value as &(dyn tokio_postgres::types::ToSql + Sync))
        .collect();
    rows(client, &numbered(sql), &params)
        .await?
        .iter()
        .map(|row| row.try_get(0).map(QuestionId))
        .collect()
}

/// One page of the questions carrying `name`, in one of the list's orders; `None` for a tag no question has.
pub async fn questions(
    client: &impl GenericClient,
    name: &TagName,
    sort: ListSort,
    requested_page: i64,
) -> Result<Option<(TagCount, QuestionList)>, PgError> {
    let Some(row) = opt(
        client,
        "SELECT id, question_count FROM tags WHERE name = $1",
        &[&name.as_str()],
    )
    .await?
    else {
        return Ok(None);
    };
    let tag_id: i64 = row.try_get(0)?;
    let tag = TagCount {
        name: name.clone(),
        questions: row.try_get(1)?,
    };
    let tab = TagTab::of(sort);
    let total = if tab.holds_every_question() {
        tag.questions
    } else {
        one(client, &numbered(&tab.total_sql()), &[&tag_id])
            .await?
            .try_get(0)?
    };
    let page = clamp_page(requested_page, total);
    let offset = (page - 1) * PAGE_SIZE;
    let located = if offset < DIRECT_OFFSET_LIMIT {
        None
    } else {
        let [tag, offset] = tab.locate_values(tag_id, offset);
        match opt(client, &numbered(&tab.locate_sql()), &[&tag, &offset]).await? {
            Some(row) => Some(Located {
                score: row.try_get(0)?,
                block: row.try_get(1)?,
                before: row.try_get(2)?,
            }),
            None => None,
        }
    };
    let (sql, values) = tab.page(tag_id, located, offset, PAGE_SIZE);
    let mut ids = ids_of(client, &sql, &values).await?;
    let missing = PAGE_SIZE - ids.len() as i64;
    if let Some(located) = located
        && missing > 0
        && let Some((sql, values)) = tab.rest(tag_id, located, missing)
    {
        ids.extend(ids_of(client, &sql, &values).await?);
    }
    let questions = board::summaries(client, &ids).await?;
    Ok(Some((
        tag,
        QuestionList {
            total,
            page,
            questions,
        },
    )))
}

/// The candidates for the related questions of question `id`, unless it is deleted: the most liked
/// questions of each of its tags (by their index on likes). Its tags are read in the statement, so it is
/// sent with the question's own statements, pipelined.
pub async fn related_candidates(
    client: &impl GenericClient,
    id: QuestionId,
) -> Result<Vec<Candidate>, PgError> {
    let sql = format!(
        "SELECT q.id, q.subject, q.tags, q.like_count
         FROM (SELECT DISTINCT of_tag.question_id
               FROM questions shown
               CROSS JOIN LATERAL unnest(string_to_array(shown.tags, ' ')) AS named (name)
               JOIN tags ON tags.name = named.name
               CROSS JOIN LATERAL (
                   SELECT question_id FROM question_tags
                   WHERE tag_id = tags.id AND question_id <> shown.id
                   ORDER BY like_count DESC, question_id DESC
                   LIMIT {CANDIDATES_PER_TAG}) AS of_tag
               WHERE shown.id = $1 AND shown.deleted_at IS NULL) AS candidates
         JOIN questions q ON q.id = candidates.question_id"
    );
    rows(client, &sql, &[&id.0])
        .await?
        .iter()
        .map(|row| {
            Ok(Candidate {
                id: QuestionId(row.try_get(0)?),
                subject: row.try_get(1)?,
                tags: Tags::stored(row.try_get(2)?),
                like_count: row.try_get(3)?,
            })
        })
        .collect()
}
