//! Questions, answers and likes, with the counters each change moves in the same transaction.

use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::{PgError, numbered, one, opt, rows, run, tags};
use crate::{
    domain::{
        board::{AnswerSort, Content, ListSort, PAGE_SIZE, QuestionDraft, clamp_page},
        ids::{AnswerId, QuestionId, UserId},
        policy::{Action, Actor, Denied, PostRef},
        posts::{Answer, DELETED_ANSWERS_SHOWN, Question, QuestionList, QuestionSummary},
        tags::Tags,
    },
    store::{
        Guarded, LikeOutcome, NewAnswer, NewQuestion, Revision, deletion,
        moderation::{self, CLOSURE_COLUMNS},
        revisions::QUESTION_EDITOR,
    },
};

/// Questions as the list shows them (none deleted), with their bodies at the end when `{body}` is
/// `, q.content`: one statement for a page (a round trip per question cost more than the rest of the page).
const SUMMARIES: &str =
    "SELECT {columns} {body} FROM questions q JOIN users u ON u.id = q.author_id
     WHERE q.id = ANY($1) AND q.deleted_at IS NULL";

/// What `summary_from_row` reads, in order.
const SUMMARY_COLUMNS: &str =
    "q.id, q.subject, u.username, q.created_at, q.answer_count, q.like_count,
     q.accepted_answer_id IS NOT NULL, q.view_count, q.tags, q.author_id, u.reputation,
     q.closed_at IS NOT NULL, q.hidden_at IS NOT NULL";

/// The rows of `SUMMARIES` for `ids`, in the order of `ids` (those that exist).
async fn summary_rows(
    client: &impl GenericClient,
    ids: &[QuestionId],
    body: &str,
) -> Result<Vec<Row>, PgError> {
    let wanted: Vec<i64> = ids.iter().map(|id| id.0).collect();
    let mut by_id: std::collections::HashMap<i64, Row> = std::collections::HashMap::new();
    let statement = SUMMARIES
        .replace("{columns}", SUMMARY_COLUMNS)
        .replace("{body}", body);
    for row in rows(client, &statement, &[&wanted]).await? {
        by_id.insert(row.try_get(0)?, row);
    }
    Ok(wanted.iter().filter_map(|id| by_id.remove(id)).collect())
}

fn summary_from_row(row: &Row) -> Result<QuestionSummary, PgError> {
    Ok(QuestionSummary {
        id: QuestionId(row.try_get(0)?),
        subject: row.try_get(1)?,
        author: row.try_get(2)?,
        created_at: row.try_get(3)?,
        answer_count: row.try_get(4)?,
        like_count: row.try_get(5)?,
        accepted: row.try_get(6)?,
        view_count: row.try_get(7)?,
        tags: Tags::stored(row.try_get(8)?),
        author_id: UserId(row.try_get(9)?),
        author_reputation: row.try_get(10)?,
        closed: row.try_get(11)?,
        hidden: row.try_get(12)?,
    })
}

/// How many questions there are, kept as a counter (count(*) would scan the table).
pub async fn total(client: &impl GenericClient) -> Result<i64, PgError> {
    one(
        client,
        "SELECT value FROM board_totals WHERE name = 'questions'",
        &[],
    )
    .await?
    .try_get(0)
}

pub(super) async fn change_total(client: &impl GenericClient, delta: i64) -> Result<(), PgError> {
    run(
        client,
        "UPDATE board_totals SET value = value + $1 WHERE name = 'questions'",
        &[&delta],
    )
    .await?;
    Ok(())
}

/// The list's tabs that hold only some questions, newest first: those whose rank score in one sort is
/// one value (no answers: sort 2, score 0; no accepted answer: sort 3, score 0). `None`: every question.
pub fn region(sort: ListSort) -> Option<(i16, i64)> {
    match sort {
        ListSort::Unanswered => Some((2, 0)),
        ListSort::Unaccepted => Some((3, 0)),
        ListSort::Recent | ListSort::Likes | ListSort::Answers | ListSort::Best => None,
    }
}

/// How many questions a region holds, from its rank count.
pub async fn region_total(
    client: &impl GenericClient,
    (sort, score): (i16, i64),
) -> Result<i64, PgError> {
    one(
        client,
        "SELECT coalesce((SELECT n FROM question_rank_scores WHERE sort = $1 AND score = $2), 0)",
        &[&sort, &score],
    )
    .await?
    .try_get(0)
}

/// One page of the list, clamped to the pages that exist (`total` of them), in one statement: the page's
/// ids come from `question_page_ids` (migration 4) or, for a region, `question_region_ids` (migration 5),
/// which walk the rank counts on the server.
pub async fn list(
    client: &impl GenericClient,
    sort: ListSort,
    requested_page: i64,
    total: i64,
) -> Result<QuestionList, PgError> {
    let page = clamp_page(requested_page, total);
    let offset = (page - 1) * PAGE_SIZE;
    let columns = format!("SELECT {SUMMARY_COLUMNS}");
    let found = match region(sort) {
        Some((sort_code, score)) => {
            rows(
                client,
                &format!(
                    "{columns} FROM question_region_ids($1, $2, $3, $4) WITH ORDINALITY AS page (id, position)
                     JOIN questions q ON q.id = page.id JOIN users u ON u.id = q.author_id
                     ORDER BY page.position"
                ),
                &[&sort_code, &score, &offset, &PAGE_SIZE],
            )
            .await?
        }
        None => {
            let sort_code: i16 = match sort {
                ListSort::Likes => 1,
                ListSort::Answers => 2,
                _ => 0,
            };
            rows(
                client,
                &format!(
                    "{columns} FROM question_page_ids($1, $2, $3) WITH ORDINALITY AS page (id, position)
                     JOIN questions q ON q.id = page.id JOIN users u ON u.id = q.author_id
                     ORDER BY page.position"
                ),
                &[&sort_code, &offset, &PAGE_SIZE],
            )
            .await?
        }
    };
    let questions = found
        .iter()
        .map(summary_from_row)
        .collect::<Result<_, _>>()?;
    Ok(QuestionList {
        total,
        page,
        questions,
    })
}

/// The questions with these ids that exist, in the order given.
pub async fn summaries(
    client: &impl GenericClient,
    ids: &[QuestionId],
) -> Result<Vec<QuestionSummary>, PgError> {
    summary_rows(client, ids, "")
        .await?
        .iter()
        .map(summary_from_row)
        .collect()
}

/// The questions with these ids that exist, in the order given, each with its body.
pub async fn summaries_with_bodies(
    client: &impl GenericClient,
    ids: &[QuestionId],
) -> Result<Vec<(QuestionSummary, String)>, PgError> {
    summary_rows(client, ids, ", q.content")
        .await?
        .iter()
        .map(|row| Ok((summary_from_row(row)?, row.try_get(13)?)))
        .collect()
}

/// Every question's id and author, by author and then id.
pub async fn all_with_authors(
    client: &impl GenericClient,
) -> Result<Vec<(QuestionId, UserId)>, PgError> {
    rows(
        client,
        "SELECT id, author_id FROM questions ORDER BY author_id, id",
        &[],
    )
    .await?
    .iter()
    .map(|row| Ok((QuestionId(row.try_get(0)?), UserId(row.try_get(1)?))))
    .collect()
}

/// The questions with ids in `first..=last`, each with when it last changed: its own edit, or its newest
/// answer (answers' ids follow their times, so the newest is the last in the question's index).
pub async fn changed_between(
    client: &impl GenericClient,
    first: i64,
    last: i64,
) -> Result<Vec<(QuestionId, i64)>, PgError> {
    rows(
        client,
        "SELECT q.id, greatest(coalesce(q.modified_at, q.created_at), coalesce(
             (SELECT a.created_at FROM answers a WHERE a.question_id = q.id AND a.deleted_at IS NULL
              ORDER BY a.id DESC LIMIT 1), 0))
         FROM questions q WHERE q.id BETWEEN $1 AND $2 AND q.deleted_at IS NULL ORDER BY q.id",
        &[&first, &last],
    )
    .await?
    .iter()
    .map(|row| Ok((QuestionId(row.try_get(0)?), row.try_get(1)?)))
    .collect()
}

pub async fn find_question(
    client: &impl GenericClient,
    id: QuestionId,
    viewer: Option<UserId>,
) -> Result<Option<Question>, PgError> {
    let Some(row) = opt(
        client,
        &format!(
            "SELECT q.id, q.author_id, u.username, q.subject, q.content, q.content_html, q.created_at,
                    q.modified_at, q.answer_count, q.like_count,
                    EXISTS (SELECT 1 FROM question_likes l WHERE l.question_id = q.id AND l.user_id = $2),
                    q.accepted_answer_id, q.comment_count, q.view_count, q.tags, u.reputation,
                    EXISTS (SELECT 1 FROM question_follows f WHERE f.question_id = q.id AND f.user_id = $2),
                    {CLOSURE_COLUMNS}, {QUESTION_EDITOR}, q.hidden_at IS NOT NULL, {deletion}
             FROM questions q JOIN users u ON u.id = q.author_id WHERE q.id = $1",
            deletion = deletion::columns("q", false)
        ),
        &[&id.0, &viewer.map_or(0, |v| v.0)],
    )
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(Question {
        id: QuestionId(row.try_get(0)?),
        author_id: UserId(row.try_get(1)?),
        author: row.try_get(2)?,
        subject: row.try_get(3)?,
        content: row.try_get(4)?,
        content_html: row.try_get(5)?,
        created_at: row.try_get(6)?,
        modified_at: row.try_get(7)?,
        answer_count: row.try_get(8)?,
        like_count: row.try_get(9)?,
        liked: row.try_get(10)?,
        accepted_answer_id: row.try_get::<_, Option<i64>>(11)?.map(AnswerId),
        comment_count: row.try_get(12)?,
        view_count: row.try_get(13)?,
        tags: Tags::stored(row.try_get(14)?),
        author_reputation: row.try_get(15)?,
        followed: row.try_get(16)?,
        closure: moderation::closure(
            row.try_get(17)?,
            row.try_get(18)?,
            row.try_get(19)?,
            row.try_get(20)?,
            row.try_get(21)?,
            row.try_get(22)?,
        ),
        edited_by: row.try_get(23)?,
        hidden: row.try_get(24)?,
        deleted: deletion::deletion(
            row.try_get(25)?,
            row.try_get(26)?,
            row.try_get(27)?,
            row.try_get(28)?,
        ),
    }))
}

pub async fn insert_question(
    client: &impl GenericClient,
    question: &NewQuestion,
) -> Result<QuestionId, PgError> {
    let id = one(
        client,
        "INSERT INTO questions (author_id, subject, content, content_html, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        &[
            &question.author_id.0,
            &question.draft.subject.as_str(),
            &question.draft.content.as_str(),
            &question.content_html,
            &question.now,
        ],
    )
    .await?
    .try_get(0)?;
    change_total(client, 1).await?;
    let id = QuestionId(id);
    if let Some(tags) = &question.draft.tags {
        tags::set(client, id, tags).await?;
    }
    Ok(id)
}

pub async fn update_question(
    client: &impl GenericClient,
    id: QuestionId,
    revision: &Revision<QuestionDraft>,
) -> Result<(), PgError> {
    run(
        client,
        "UPDATE questions SET subject = $2, content = $3, content_html = $4, modified_at = $5
         WHERE id = $1",
        &[
            &id.0,
            &revision.text.subject.as_str(),
            &revision.text.content.as_str(),
            &revision.html,
            &revision.now,
        ],
    )
    .await?;
    match &revision.text.tags {
        Some(tags) => tags::set(client, id, tags).await,
        None => Ok(()),
    }
}

/// Deletes the question; its answers and every like go with it (foreign keys cascade).
pub async fn delete_question(client: &impl GenericClient, id: QuestionId) -> Result<(), PgError> {
    // The mark first, so the rank counts follow one change at a time whatever order the cascade takes.
    clear_accepted(client, id).await?;
    tags::set(client, id, &Tags::default()).await?;
    if run(client, "DELETE FROM questions WHERE id = $1", &[&id.0]).await? > 0 {
        change_total(client, -1).await?;
    }
    Ok(())
}

/// An answer's columns and tables, `$2` the viewer (for whether they liked it).
fn answer_select() -> String {
    format!(
        "SELECT a.id, a.question_id, a.author_id, u.username, a.content, a.content_html,
            a.created_at, a.modified_at, a.like_count,
            EXISTS (SELECT 1 FROM answer_likes l WHERE l.answer_id = a.id AND l.user_id = $2),
            q.accepted_answer_id IS NOT DISTINCT FROM a.id, q.author_id, a.comment_count, u.reputation,
            (SELECT e.username FROM users e WHERE e.id = a.edited_by), a.hidden_at IS NOT NULL, {}
         FROM answers a JOIN users u ON u.id = a.author_id JOIN questions q ON q.id = a.question_id",
        deletion::columns("a", true)
    )
}

fn answer_from_row(row: &Row) -> Result<Answer, PgError> {
    Ok(Answer {
        id: AnswerId(row.try_get(0)?),
        question_id: QuestionId(row.try_get(1)?),
        author_id: UserId(row.try_get(2)?),
        author: row.try_get(3)?,
        content: row.try_get(4)?,
        content_html: row.try_get(5)?,
        created_at: row.try_get(6)?,
        modified_at: row.try_get(7)?,
        like_count: row.try_get(8)?,
        liked: row.try_get(9)?,
        accepted: row.try_get(10)?,
        question_author_id: UserId(row.try_get(11)?),
        comment_count: row.try_get(12)?,
        author_reputation: row.try_get(13)?,
        edited_by: row.try_get(14)?,
        hidden: row.try_get(15)?,
        deleted: deletion::deletion(
            row.try_get(16)?,
            row.try_get(17)?,
            row.try_get(18)?,
            row.try_get(19)?,
        ),
    })
}

fn answer_order(sort: AnswerSort) -> &'static str {
    match sort {
        AnswerSort::Likes => "a.like_count DESC, a.id ASC",
        AnswerSort::Recent => "a.id DESC",
    }
}

/// One page of a question's answers but the accepted one, with whether `viewer` liked each: the rows
/// skipped are counted in the sort's index alone, then only the page's answers are read in full.
pub async fn answer_page(
    client: &impl GenericClient,
    question: QuestionId,
    sort: AnswerSort,
    offset: i64,
    limit: i64,
    viewer: Option<UserId>,
) -> Result<Vec<Answer>, PgError> {
    let sql = format!(
        "{select} JOIN (
             SELECT a.id FROM answers a
             WHERE a.question_id = $1 AND a.deleted_at IS NULL AND a.id IS DISTINCT FROM
                   (SELECT accepted_answer_id FROM questions WHERE id = $1)
             ORDER BY {order} LIMIT $3 OFFSET $4
         ) page ON page.id = a.id
         ORDER BY {order}",
        select = answer_select(),
        order = answer_order(sort)
    );
    rows(
        client,
        &sql,
        &[&question.0, &viewer.map_or(0, |v| v.0), &limit, &offset],
    )
    .await?
    .iter()
    .map(answer_from_row)
    .collect()
}

/// The question's accepted answer, if it has one.
pub async fn accepted_answer(
    client: &impl GenericClient,
    question: QuestionId,
    viewer: Option<UserId>,
) -> Result<Option<Answer>, PgError> {
    opt(
        client,
        &format!(
            "{} WHERE a.id = (SELECT accepted_answer_id FROM questions WHERE id = $1)",
            answer_select()
        ),
        &[&question.0, &viewer.map_or(0, |v| v.0)],
    )
    .await?
    .as_ref()
    .map(answer_from_row)
    .transpose()
}

pub async fn find_answer(
    client: &impl GenericClient,
    id: AnswerId,
    viewer: Option<UserId>,
) -> Result<Option<Answer>, PgError> {
    opt(
        client,
        &format!("{} WHERE a.id = $1", answer_select()),
        &[&id.0, &viewer.map_or(0, |v| v.0)],
    )
    .await?
    .as_ref()
    .map(answer_from_row)
    .transpose()
}

/// Where an answer stands (0-based) among its question's answers in `sort` order.
pub async fn answer_position(
    client: &impl GenericClient,
    id: AnswerId,
    sort: AnswerSort,
) -> Result<i64, PgError> {
    let ahead = match sort {
        AnswerSort::Likes => {
            "a.like_count > me.like_count OR (a.like_count = me.like_count AND a.id < me.id)"
        }
        AnswerSort::Recent => "a.id > me.id",
    };
    // The accepted answer heads the first page; the others count without it.
    let sql = format!(
        "SELECT CASE WHEN q.accepted_answer_id = me.id THEN 0 ELSE (
             SELECT count(*) FROM answers a
             WHERE a.question_id = me.question_id AND a.deleted_at IS NULL
               AND a.id IS DISTINCT FROM q.accepted_answer_id AND ({ahead})
         ) END
         FROM answers me JOIN questions q ON q.id = me.question_id WHERE me.id = $1"
    );
    one(client, &sql, &[&id.0]).await?.try_get(0)
}

/// The question's deleted answers `viewer` may see, oldest first: a moderator all, anyone else their own
/// and, on their own deleted question, those deleted with it.
pub async fn deleted_answers(
    client: &impl GenericClient,
    question: QuestionId,
    viewer: Actor,
) -> Result<Vec<Answer>, PgError> {
    rows(
        client,
        &format!(
            "{} WHERE a.question_id = $1 AND a.deleted_at IS NOT NULL
               AND ($3 OR a.author_id = $2 OR (a.deleted_with_question = 1 AND q.author_id = $2))
             ORDER BY a.id LIMIT $4",
            answer_select()
        ),
        &[
            &question.0,
            &viewer.id.0,
            &viewer.role.is_staff(),
            &DELETED_ANSWERS_SHOWN,
        ],
    )
    .await?
    .iter()
    .map(answer_from_row)
    .collect()
}

/// Adds an answer, or returns `None` when the question is gone.
/// Inserts an answer unless its question is gone or closed.
pub async fn insert_answer(
    client: &impl GenericClient,
    answer: &NewAnswer,
) -> Result<Guarded<AnswerId>, PgError> {
    let counted = run(
        client,
        "UPDATE questions SET answer_count = answer_count + 1
         WHERE id = $1 AND closed_at IS NULL AND deleted_at IS NULL",
        &[&answer.question_id.0],
    )
    .await?;
    if counted == 0 {
        let closed = opt(
            client,
            &numbered(moderation::QUESTION_STATE),
            &[&answer.question_id.0],
        )
        .await?
        .is_some();
        return Ok(if closed {
            Guarded::Denied(Denied::QuestionClosed)
        } else {
            Guarded::Missing
        });
    }
    let id = one(
        client,
        "INSERT INTO answers (question_id, author_id, content, content_html, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        &[
            &answer.question_id.0,
            &answer.author_id.0,
            &answer.content.as_str(),
            &answer.content_html,
            &answer.now,
        ],
    )
    .await?
    .try_get(0)?;
    Ok(Guarded::Done(AnswerId(id)))
}

pub async fn update_answer(
    client: &impl GenericClient,
    id: AnswerId,
    revision: &Revision<Content>,
) -> Result<(), PgError> {
    run(
        client,
        "UPDATE answers SET content = $2, content_html = $3, modified_at = $4 WHERE id = $1",
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

/// Deletes an answer and its likes; returns its question, or `None` if it was already gone.
pub async fn delete_answer(
    client: &impl GenericClient,
    id: AnswerId,
) -> Result<Option<QuestionId>, PgError> {
    // An accepted answer's mark goes first, so the rank counts move in this transaction.
    run(
        client,
        "UPDATE questions SET accepted_answer_id = NULL WHERE accepted_answer_id = $1",
        &[&id.0],
    )
    .await?;
    let Some(row) = opt(
        client,
        "DELETE FROM answers WHERE id = $1 RETURNING question_id",
        &[&id.0],
    )
    .await?
    else {
        return Ok(None);
    };
    let question: i64 = row.try_get(0)?;
    run(
        client,
        "UPDATE questions SET answer_count = answer_count - 1 WHERE id = $1",
        &[&question],
    )
    .await?;
    Ok(Some(QuestionId(question)))
}

/// Takes the question's accepted mark back.
async fn clear_accepted(client: &impl GenericClient, id: QuestionId) -> Result<(), PgError> {
    run(
        client,
        "UPDATE questions SET accepted_answer_id = NULL
         WHERE id = $1 AND accepted_answer_id IS NOT NULL",
        &[&id.0],
    )
    .await?;
    Ok(())
}

/// Marks the answer as its question's accepted one, or takes the mark back when it is; returns its
/// question and whether it is accepted now (`None`: the answer is gone).
pub async fn toggle_accepted(
    client: &impl GenericClient,
    id: AnswerId,
) -> Result<Option<(QuestionId, bool)>, PgError> {
    Ok(mark_accepted(client, id, None)
        .await?
        .map(|(question, now, _)| (question, now)))
}

/// Marks the answer accepted (`wanted` true), takes the mark off (false), or does the other of the two
/// (`None`); its question, whether it is accepted now, and whether that changed.
pub async fn mark_accepted(
    client: &impl GenericClient,
    id: AnswerId,
    wanted: Option<bool>,
) -> Result<Option<(QuestionId, bool, bool)>, PgError> {
    let Some(row) = opt(
        client,
        "SELECT a.question_id, q.accepted_answer_id IS NOT DISTINCT FROM a.id
         FROM answers a JOIN questions q ON q.id = a.question_id WHERE a.id = $1",
        &[&id.0],
    )
    .await?
    else {
        return Ok(None);
    };
    let question = QuestionId(row.try_get(0)?);
    let accepted: bool = row.try_get(1)?;
    let now = wanted.unwrap_or(!accepted);
    if now == accepted {
        return Ok(Some((question, now, false)));
    }
    if accepted {
        clear_accepted(client, question).await?;
    } else {
        run(
            client,
            "UPDATE questions SET accepted_answer_id = $2 WHERE id = $1",
            &[&question.0, &id.0],
        )
        .await?;
    }
    Ok(Some((question, now, true)))
}

/// Likes the post, or takes the like back if `user` had already liked it (when the policy allows).
pub async fn toggle_like(
    client: &impl GenericClient,
    post: PostRef,
    user: Actor,
) -> Result<LikeOutcome, PgError> {
    set_like(client, post, user, None).await
}

/// Likes the post (`wanted` true), takes the like back (false), or does the other of the two (`None`),
/// when the policy allows; liking a post liked already changes nothing.
pub async fn set_like(
    client: &impl GenericClient,
    post: PostRef,
    user: Actor,
    wanted: Option<bool>,
) -> Result<LikeOutcome, PgError> {
    match super::guard(client, user, Action::Like, post).await? {
        Guarded::Missing => return Ok(LikeOutcome::Missing),
        Guarded::Denied(_) => return Ok(LikeOutcome::OwnPost),
        Guarded::Done(()) => {}
    }
    apply_like(client, post, user.id, wanted).await
}

/// Takes back `user`'s like of the post whatever the post's state, as their account goes: a deleted
/// post's count moves too (the board's counts follow it only once it is back).
pub async fn take_back_like(
    client: &impl GenericClient,
    post: PostRef,
    user: UserId,
) -> Result<(), PgError> {
    apply_like(client, post, user, Some(false))
        .await
        .map(|_| ())
}

/// The like given, taken back or toggled, and the post's count moved with it.
async fn apply_like(
    client: &impl GenericClient,
    post: PostRef,
    user: UserId,
    wanted: Option<bool>,
) -> Result<LikeOutcome, PgError> {
    let (posts, likes, post_column, id) = match post {
        PostRef::Question(id) => ("questions", "question_likes", "question_id", id.0),
        PostRef::Answer(id) => ("answers", "answer_likes", "answer_id", id.0),
        // Comments take no likes.
        PostRef::Comment(_) => return Ok(LikeOutcome::Missing),
    };
    let add = format!(
        "INSERT INTO {likes} ({post_column}, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    );
    let take_back = format!("DELETE FROM {likes} WHERE {post_column} = $1 AND user_id = $2");
    let pair: [&(dyn tokio_postgres::types::ToSql + Sync); 2] = [&id, &user.0];
    let (liked, delta) = match wanted {
        Some(true) => (true, run(client, &add, &pair).await? as i64),
        Some(false) => (false, -(run(client, &take_back, &pair).await? as i64)),
        None if run(client, &add, &pair).await? == 1 => (true, 1),
        None => (false, -(run(client, &take_back, &pair).await? as i64)),
    };
    let count = if delta == 0 {
        one(
            client,
            &format!("SELECT like_count FROM {posts} WHERE id = $1"),
            &[&id],
        )
        .await?
    } else {
        one(
            client,
            &format!(
                "UPDATE {posts} SET like_count = like_count + $2 WHERE id = $1 RETURNING like_count"
            ),
            &[&id, &delta],
        )
        .await?
    }
    .try_get(0)?;
    Ok(LikeOutcome::Toggled { liked, count })
}
