//! The `questions` table and its total.

use super::{Cached, tags};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use crate::domain::posts::{Question, QuestionList, QuestionSummary};
use crate::domain::{
    board::{AnswerId, ListSort, PAGE_SIZE, QuestionDraft, QuestionId, clamp_page},
    ids::UserId,
    tags::Tags,
};
use crate::store::{
    NewQuestion, deletion,
    moderation::{self, CLOSURE_COLUMNS},
    revisions::QUESTION_EDITOR,
};

const SUMMARY_COLUMNS: &str =
    "q.id, q.subject, u.username, q.created_at, q.answer_count, q.like_count,
     q.accepted_answer_id IS NOT NULL, q.view_count, q.tags, q.author_id, u.reputation,
     q.closed_at IS NOT NULL, q.hidden_at IS NOT NULL";

fn summary_from_row(row: &Row) -> rusqlite::Result<QuestionSummary> {
    Ok(QuestionSummary {
        id: QuestionId(row.get(0)?),
        subject: row.get(1)?,
        author: row.get(2)?,
        created_at: row.get(3)?,
        answer_count: row.get(4)?,
        like_count: row.get(5)?,
        accepted: row.get(6)?,
        view_count: row.get(7)?,
        tags: Tags::stored(&row.get::<_, String>(8)?),
        author_id: UserId(row.get(9)?),
        author_reputation: row.get(10)?,
        closed: row.get(11)?,
        hidden: row.get(12)?,
    })
}

/// How many questions there are, kept as a counter (COUNT(*) would scan the table).
pub fn total(conn: &Connection) -> rusqlite::Result<i64> {
    conn.one(
        "SELECT value FROM board_totals WHERE name = 'questions'",
        [],
        |row| row.get(0),
    )
}

pub(super) fn change_total(tx: &Transaction, delta: i64) -> rusqlite::Result<()> {
    tx.run(
        "UPDATE board_totals SET value = value + ?1 WHERE name = 'questions'",
        [delta],
    )?;
    Ok(())
}

/// A tab of the list that holds only some questions, newest first: those whose rank score in one sort is
/// one value, so the rank counts of that score page through it as they do through a whole sort.
struct Region {
    sort_code: i64,
    score: i64,
    /// The same questions as a condition (a partial or leading index serves each).
    condition: &'static str,
    /// The index that serves it.
    index: &'static str,
}

/// The index that serves `sort` (every list index leaves deleted questions out: the queries name it, so
/// the planner never walks the table instead).
fn sort_index(key: Option<&str>) -> &'static str {
    match key {
        Some("like_count") => "questions_by_likes",
        Some(_) => "questions_by_answers",
        None => "questions_live",
    }
}

fn region(sort: ListSort) -> Option<Region> {
    match sort {
        ListSort::Unanswered => Some(Region {
            sort_code: 2,
            score: 0,
            condition: "answer_count = 0",
            index: "questions_by_answers",
        }),
        ListSort::Unaccepted => Some(Region {
            sort_code: 3,
            score: 0,
            condition: "accepted_answer_id IS NULL",
            index: "questions_unaccepted",
        }),
        ListSort::Recent | ListSort::Likes | ListSort::Answers | ListSort::Best => None,
    }
}

/// One page of the list, clamped to the pages that exist.
pub fn list(
    conn: &Connection,
    sort: ListSort,
    requested_page: i64,
) -> rusqlite::Result<QuestionList> {
    let region = region(sort);
    let total = match &region {
        Some(region) => conn
            .one(
                "SELECT coalesce((SELECT n FROM question_rank_scores WHERE sort = ?1 AND score = ?2), 0)",
                [region.sort_code, region.score],
                |row| row.get(0),
            )?,
        None => total(conn)?,
    };
    let page_number = clamp_page(requested_page, total);
    let offset = (page_number - 1) * PAGE_SIZE;
    let questions = match &region {
        Some(region) => summaries(conn, &region_ids(conn, region, offset, PAGE_SIZE)?)?,
        None => page(conn, sort, offset, PAGE_SIZE)?,
    };
    Ok(QuestionList {
        total,
        page: page_number,
        questions,
    })
}

/// One page of a region: from the counted block that holds its first row when it is deep.
fn region_ids(
    conn: &Connection,
    region: &Region,
    offset: i64,
    limit: i64,
) -> rusqlite::Result<Vec<QuestionId>> {
    let located = if offset < DIRECT_OFFSET_LIMIT {
        None
    } else {
        locate_within_score(conn, region.sort_code, region.score, offset, 0)?
    };
    let (condition, index) = (region.condition, region.index);
    match located {
        None => ids_of(
            conn,
            &format!(
                "SELECT id FROM questions INDEXED BY {index}
                 WHERE {condition} AND deleted_at IS NULL ORDER BY id DESC LIMIT ?1 OFFSET ?2"
            ),
            &[limit, offset],
        ),
        Some((block, before)) => ids_of(
            conn,
            &format!(
                "SELECT id FROM questions INDEXED BY {index}
                 WHERE {condition} AND id < ?1 AND deleted_at IS NULL
                 ORDER BY id DESC LIMIT ?2 OFFSET ?3"
            ),
            &[(block + 1) << BLOCK_BITS, limit, offset - before],
        ),
    }
}

/// The question ids `sql` returns, its values all numbers.
pub fn ids_of(conn: &Connection, sql: &str, values: &[i64]) -> rusqlite::Result<Vec<QuestionId>> {
    conn.prepare_cached(sql)?
        .query_map(rusqlite::params_from_iter(values), |row| {
            Ok(QuestionId(row.get(0)?))
        })?
        .collect()
}

/// Below this offset a plain OFFSET over the sort's index is cheapest.
const DIRECT_OFFSET_LIMIT: i64 = 2_000;
/// Ids per block in `question_rank_blocks` (`id >> 10`).
const BLOCK_BITS: i64 = 10;
/// Ids per span in `question_rank_spans` (`id >> 13`, 8 blocks).
const SPAN_BITS: i64 = 13;

/// One page of the list in the given order: the ids from the sort's index alone, then the ten rows.
pub fn page(
    conn: &Connection,
    sort: ListSort,
    offset: i64,
    limit: i64,
) -> rusqlite::Result<Vec<QuestionSummary>> {
    summaries(conn, &page_ids(conn, sort, offset, limit)?)
}

/// Each order has an index that serves it. A deep page starts from the id block that holds its first row
/// (found by adding up block counts), so page 50,000 of a million questions costs about what page 1 does.
fn page_ids(
    conn: &Connection,
    sort: ListSort,
    offset: i64,
    limit: i64,
) -> rusqlite::Result<Vec<QuestionId>> {
    let key = match sort {
        ListSort::Recent | ListSort::Best | ListSort::Unanswered | ListSort::Unaccepted => None,
        ListSort::Likes => Some("like_count"),
        ListSort::Answers => Some("answer_count"),
    };
    let ids = |sql: &str, values: &[i64]| ids_of(conn, sql, values);
    let index = sort_index(key);
    let located = if offset < DIRECT_OFFSET_LIMIT {
        None
    } else {
        locate_block(conn, sort, offset)?
    };
    let Some((score, block, before)) = located else {
        let order = key.map_or("id DESC".to_owned(), |key| format!("{key} DESC, id DESC"));
        return ids(
            &format!(
                "SELECT id FROM questions INDEXED BY {index} WHERE deleted_at IS NULL
                 ORDER BY {order} LIMIT ?1 OFFSET ?2"
            ),
            &[limit, offset],
        );
    };
    let end = (block + 1) << BLOCK_BITS;
    let skip = offset - before;
    let Some(key) = key else {
        return ids(
            "SELECT id FROM questions INDEXED BY questions_live WHERE id < ?1 AND deleted_at IS NULL
             ORDER BY id DESC LIMIT ?2 OFFSET ?3",
            &[end, limit, skip],
        );
    };
    // The rest of this score from the block on, then the lower scores if the page runs past them.
    let mut page = ids(
        &format!(
            "SELECT id FROM questions INDEXED BY {index}
             WHERE {key} = ?1 AND id < ?2 AND deleted_at IS NULL ORDER BY id DESC LIMIT ?3 OFFSET ?4"
        ),
        &[score, end, limit, skip],
    )?;
    let missing = limit - page.len() as i64;
    if missing > 0 {
        page.extend(ids(
            &format!(
                "SELECT id FROM questions INDEXED BY {index} WHERE {key} < ?1 AND deleted_at IS NULL
                 ORDER BY {key} DESC, id DESC LIMIT ?2"
            ),
            &[score, missing],
        )?);
    }
    Ok(page)
}

/// The block that holds row `offset` of the list: (score, block, rows before the block). Three levels of
/// counts narrow it down: the score, then the span of 8 blocks within it, then the block, so a page of a
/// million questions adds up a few dozen counts.
fn locate_block(
    conn: &Connection,
    sort: ListSort,
    offset: i64,
) -> rusqlite::Result<Option<(i64, i64, i64)>> {
    let sort_code = match sort {
        ListSort::Recent | ListSort::Best | ListSort::Unanswered | ListSort::Unaccepted => 0,
        ListSort::Likes => 1,
        ListSort::Answers => 2,
    };
    let Some((score, before)) = first_reaching(
        conn,
        "SELECT score, n FROM question_rank_scores WHERE sort = ?1 ORDER BY score DESC",
        &[sort_code],
        offset,
        0,
    )?
    else {
        return Ok(None);
    };
    Ok(locate_within_score(conn, sort_code, score, offset, before)?
        .map(|(block, before)| (score, block, before)))
}

/// Within one score of one sort, with `before` rows ahead of it: the block that holds row `offset`, and the
/// rows before that block (the span of 8 blocks first, then the block).
fn locate_within_score(
    conn: &Connection,
    sort_code: i64,
    score: i64,
    offset: i64,
    before: i64,
) -> rusqlite::Result<Option<(i64, i64)>> {
    let Some((span, before)) = first_reaching(
        conn,
        "SELECT span, n FROM question_rank_spans WHERE sort = ?1 AND score = ?2 ORDER BY span DESC",
        &[sort_code, score],
        offset,
        before,
    )?
    else {
        return Ok(None);
    };
    let blocks_per_span = 1 << (SPAN_BITS - BLOCK_BITS);
    let first_block = span * blocks_per_span;
    first_reaching(
        conn,
        "SELECT block, n FROM question_rank_blocks
         WHERE sort = ?1 AND score = ?2 AND block >= ?3 AND block < ?4 ORDER BY block DESC",
        &[sort_code, score, first_block, first_block + blocks_per_span],
        offset,
        before,
    )
}

/// Adds up the counts of `(key, n)` rows in order, starting at `before`; the first key whose rows reach
/// `offset`, with the rows before it.
pub fn first_reaching(
    conn: &Connection,
    sql: &str,
    values: &[i64],
    offset: i64,
    mut before: i64,
) -> rusqlite::Result<Option<(i64, i64)>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
    while let Some(row) = rows.next()? {
        let n: i64 = row.get(1)?;
        if before + n > offset {
            return Ok(Some((row.get(0)?, before)));
        }
        before += n;
    }
    Ok(None)
}

/// The questions with these ids that exist and are not deleted, in the order given.
pub fn summaries(conn: &Connection, ids: &[QuestionId]) -> rusqlite::Result<Vec<QuestionSummary>> {
    each_of(conn, ids, "", summary_from_row)
}

/// The questions with these ids that exist, in the order given, each with its body.
pub fn summaries_with_bodies(
    conn: &Connection,
    ids: &[QuestionId],
) -> rusqlite::Result<Vec<(QuestionSummary, String)>> {
    each_of(conn, ids, ", q.content", |row| {
        Ok((summary_from_row(row)?, row.get(13)?))
    })
}

fn each_of<T>(
    conn: &Connection,
    ids: &[QuestionId],
    more_columns: &str,
    from_row: impl Fn(&Row) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS}{more_columns} FROM questions q JOIN users u ON u.id = q.author_id
         WHERE q.id = ?1 AND q.deleted_at IS NULL"
    ))?;
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        found.extend(stmt.query_row([id.0], &from_row).optional()?);
    }
    Ok(found)
}

/// Every question's id and author, by author and then id.
pub fn all_with_authors(conn: &Connection) -> rusqlite::Result<Vec<(QuestionId, UserId)>> {
    conn.prepare_cached("SELECT id, author_id FROM questions ORDER BY author_id, id")?
        .query_map([], |row| Ok((QuestionId(row.get(0)?), UserId(row.get(1)?))))?
        .collect()
}

/// The questions with ids in `first..=last`, each with when it last changed: its own edit, or its newest
/// answer (answers' ids follow their times, so the newest is the last in the question's index).
pub fn changed_between(
    conn: &Connection,
    first: i64,
    last: i64,
) -> rusqlite::Result<Vec<(QuestionId, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT q.id, max(coalesce(q.modified_at, q.created_at), coalesce(
             (SELECT a.created_at FROM answers a WHERE a.question_id = q.id AND a.deleted_at IS NULL
              ORDER BY a.id DESC LIMIT 1), 0))
         FROM questions q WHERE q.id BETWEEN ?1 AND ?2 AND q.deleted_at IS NULL ORDER BY q.id",
    )?;
    let rows = stmt.query_map([first, last], |row| {
        Ok((QuestionId(row.get(0)?), row.get(1)?))
    })?;
    rows.collect()
}

pub fn find(
    conn: &Connection,
    id: QuestionId,
    viewer: Option<UserId>,
) -> rusqlite::Result<Option<Question>> {
    conn.prepare_cached(&format!(
        "SELECT q.id, q.author_id, u.username, q.subject, q.content, q.content_html, q.created_at,
                q.modified_at, q.answer_count, q.like_count,
                EXISTS (SELECT 1 FROM question_likes l WHERE l.question_id = q.id AND l.user_id = ?2),
                q.accepted_answer_id, q.comment_count, q.view_count, q.tags, u.reputation,
                EXISTS (SELECT 1 FROM question_follows f WHERE f.question_id = q.id AND f.user_id = ?2),
                {CLOSURE_COLUMNS}, {QUESTION_EDITOR}, q.hidden_at IS NOT NULL, {deletion}
         FROM questions q JOIN users u ON u.id = q.author_id WHERE q.id = ?1",
        deletion = deletion::columns("q", false)
    ))?
    .query_row(params![id.0, viewer.map_or(0, |v| v.0)], |row| {
        Ok(Question {
            id: QuestionId(row.get(0)?),
            author_id: UserId(row.get(1)?),
            author: row.get(2)?,
            subject: row.get(3)?,
            content: row.get(4)?,
            content_html: row.get(5)?,
            created_at: row.get(6)?,
            modified_at: row.get(7)?,
            answer_count: row.get(8)?,
            like_count: row.get(9)?,
            liked: row.get(10)?,
            accepted_answer_id: row.get::<_, Option<i64>>(11)?.map(AnswerId),
            comment_count: row.get(12)?,
            view_count: row.get(13)?,
            tags: Tags::stored(&row.get::<_, String>(14)?),
            author_reputation: row.get(15)?,
            followed: row.get(16)?,
            closure: moderation::closure(
                row.get(17)?,
                &row.get::<_, String>(18)?,
                row.get(19)?,
                row.get(20)?,
                row.get(21)?,
                row.get(22)?,
            ),
            edited_by: row.get(23)?,
            hidden: row.get(24)?,
            deleted: deletion::deletion(row.get(25)?, row.get(26)?, row.get(27)?, row.get(28)?),
        })
    })
    .optional()
}

pub fn insert(tx: &Transaction, question: &NewQuestion) -> rusqlite::Result<QuestionId> {
    tx.run(
        "INSERT INTO questions (author_id, subject, content, content_html, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            question.author_id.0,
            question.draft.subject.as_str(),
            question.draft.content.as_str(),
            question.content_html.as_str(),
            question.now,
        ],
    )?;
    let id = QuestionId(tx.last_insert_rowid());
    change_total(tx, 1)?;
    if let Some(tags) = &question.draft.tags {
        tags::set(tx, id, tags)?;
    }
    Ok(id)
}

pub fn update(
    tx: &Transaction,
    id: QuestionId,
    draft: &QuestionDraft,
    content_html: &str,
    now: i64,
) -> rusqlite::Result<()> {
    tx.run(
        "UPDATE questions SET subject = ?2, content = ?3, content_html = ?4, modified_at = ?5
         WHERE id = ?1",
        params![
            id.0,
            draft.subject.as_str(),
            draft.content.as_str(),
            content_html,
            now
        ],
    )?;
    match &draft.tags {
        Some(tags) => tags::set(tx, id, tags),
        None => Ok(()),
    }
}

/// Deletes the question; its answers and every like go with it (foreign keys cascade). One transaction:
/// all or nothing.
pub fn delete(tx: &Transaction, id: QuestionId) -> rusqlite::Result<()> {
    // The mark first, so the rank counts follow one change at a time whatever order the cascade takes.
    clear_accepted(tx, id)?;
    tags::set(tx, id, &Tags::default())?;
    let deleted = tx.run("DELETE FROM questions WHERE id = ?1", [id.0])?;
    if deleted > 0 {
        change_total(tx, -1)?;
    }
    Ok(())
}

/// Marks `answer` as the question's accepted answer.
pub fn set_accepted(tx: &Transaction, id: QuestionId, answer: AnswerId) -> rusqlite::Result<()> {
    tx.run(
        "UPDATE questions SET accepted_answer_id = ?2 WHERE id = ?1",
        [id.0, answer.0],
    )?;
    Ok(())
}

/// Takes the question's accepted mark back.
pub fn clear_accepted(tx: &Transaction, id: QuestionId) -> rusqlite::Result<()> {
    tx.run(
        "UPDATE questions SET accepted_answer_id = NULL
         WHERE id = ?1 AND accepted_answer_id IS NOT NULL",
        [id.0],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;
    use crate::{
        config::Database,
        domain::policy::{Actor, PostRef},
        seed::{SeedPlan, run},
        store::{
            Store,
            sqlite::{deletion, likes},
        },
    };

    fn plain_offset(conn: &Connection, sort: ListSort, offset: i64) -> Vec<i64> {
        let (only, order) = match sort {
            ListSort::Recent | ListSort::Best => ("1", "id DESC"),
            ListSort::Likes => ("1", "like_count DESC, id DESC"),
            ListSort::Answers => ("1", "answer_count DESC, id DESC"),
            ListSort::Unanswered => ("answer_count = 0", "id DESC"),
            ListSort::Unaccepted => ("accepted_answer_id IS NULL", "id DESC"),
        };
        let mut stmt = conn
            .prepare(&format!(
                "SELECT id FROM questions NOT INDEXED WHERE {only} AND deleted_at IS NULL
                 ORDER BY {order} LIMIT 10 OFFSET ?1"
            ))
            .expect("prepare");
        stmt.query_map([offset], |row| row.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    }

    #[test]
    fn deep_pages_match_a_plain_offset_in_every_sort_after_changes() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("deep.db");
        let plan = SeedPlan {
            users: 30,
            questions: 3_000,
            answers: 3_000,
            likes: 6_000,
            seed: 7,
            thread: 0,
            ..Default::default()
        };
        tokio::runtime::Runtime::new()
            .expect("runtime")
            .block_on(async {
                let store = Store::open(&Database::Sqlite(path.clone())).await?;
                run(&store, plan).await
            })
            .expect("seed");
        let mut conn = Connection::open(&path).expect("open");
        conn.execute_batch("PRAGMA foreign_keys = ON").expect("fk");
        // Deletes, likes given and taken back, so every trigger runs.
        let tx = conn.transaction().expect("tx");
        for id in (100..400).step_by(7) {
            delete(&tx, QuestionId(id)).expect("delete");
        }
        for (n, id) in (1000..1400).enumerate() {
            let user = UserId(1 + (n as i64 % 30));
            likes::toggle(&tx, PostRef::Question(QuestionId(id)), Actor::user(user)).expect("like");
            if n % 3 == 0 {
                likes::toggle(&tx, PostRef::Question(QuestionId(id)), Actor::user(user))
                    .expect("unlike");
            }
        }
        // Ids spread over many blocks and spans, with scores set directly, so every level has many rows.
        for k in 0..3_000_i64 {
            tx.execute(
                "INSERT INTO questions (id, author_id, subject, content, content_html, created_at)
                 VALUES (?1, 1, 's', 'c', 'c', 0)",
                [100_000 + k * 37],
            )
            .expect("spread question");
        }
        tx.execute_batch(
            "UPDATE questions SET like_count = id % 7, answer_count = CASE WHEN id % 3 = 0 THEN id % 5 ELSE 0 END WHERE id >= 100000;
             UPDATE board_totals SET value = value + 3000 WHERE name = 'questions';",
        )
        .expect("scores");
        // Accepted answers on a third of the answered questions, then a few taken back or deleted.
        tx.execute_batch(
            "UPDATE questions SET accepted_answer_id =
                 (SELECT min(a.id) FROM answers a WHERE a.question_id = questions.id)
             WHERE id % 3 = 0;
             UPDATE questions SET accepted_answer_id = NULL WHERE id % 9 = 0;",
        )
        .expect("accepted");
        let accepted: Vec<i64> = tx
            .prepare("SELECT accepted_answer_id FROM questions WHERE accepted_answer_id IS NOT NULL AND id % 4 = 0")
            .expect("prepare")
            .query_map([], |row| row.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        for answer in accepted {
            super::super::answers::delete(&tx, AnswerId(answer))
                .expect("delete an accepted answer");
        }
        // Soft deletes: questions (their answers and accepted marks with them) and answers, likes given and
        // taken back while deleted, some brought back, some purged deleted and some purged live.
        let moderator = Actor {
            id: UserId(2),
            role: crate::domain::policy::Role::Moderator,
        };
        let deleting: Vec<i64> = (500..1_300)
            .step_by(5)
            .chain((100_000..101_000).step_by(37 * 3))
            .collect();
        let liker = |n: usize| UserId(3 + (n as i64 % 20));
        for (n, &id) in deleting.iter().enumerate() {
            likes::toggle(
                &tx,
                PostRef::Question(QuestionId(id)),
                Actor::user(liker(n)),
            )
            .expect("like");
        }
        for &id in &deleting {
            deletion::delete(&tx, PostRef::Question(QuestionId(id)), moderator, 1)
                .expect("soft delete");
        }
        let answers_to_delete: Vec<i64> = tx
            .prepare("SELECT id FROM answers WHERE deleted_at IS NULL AND id % 11 = 0")
            .expect("prepare")
            .query_map([], |row| row.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        for &id in &answers_to_delete {
            deletion::delete(&tx, PostRef::Answer(AnswerId(id)), moderator, 1)
                .expect("delete answer");
        }
        // Likes taken back from deleted questions (their givers' accounts going), and none given to them.
        for (n, &id) in deleting.iter().enumerate().step_by(2) {
            likes::take_back(&tx, PostRef::Question(QuestionId(id)), liker(n)).expect("take back");
        }
        for (n, &id) in deleting.iter().enumerate() {
            let given = likes::toggle(
                &tx,
                PostRef::Question(QuestionId(id)),
                Actor::user(liker(n + 1)),
            )
            .expect("like a deleted question");
            assert_eq!(given, crate::store::LikeOutcome::Missing);
        }
        for &id in deleting.iter().step_by(3) {
            deletion::undelete(&tx, PostRef::Question(QuestionId(id))).expect("undelete");
        }
        for &id in answers_to_delete.iter().step_by(2) {
            // As the policy lets it: not while its question is deleted (it comes back with the question).
            let question_deleted: bool = tx
                .query_row(
                    "SELECT q.deleted_at IS NOT NULL FROM answers a JOIN questions q ON q.id = a.question_id
                     WHERE a.id = ?1",
                    [id],
                    |row| row.get(0),
                )
                .expect("question");
            if !question_deleted {
                deletion::undelete(&tx, PostRef::Answer(AnswerId(id))).expect("undelete answer");
            }
        }
        for &id in deleting.iter().skip(1).step_by(4) {
            deletion::purge(&tx, PostRef::Question(QuestionId(id))).expect("purge");
        }
        for id in (2_000..2_100).step_by(9) {
            deletion::purge(&tx, PostRef::Question(QuestionId(id))).expect("purge a live question");
        }
        tx.commit().expect("commit");

        let live: i64 = conn
            .query_row(
                "SELECT count(*) FROM questions WHERE deleted_at IS NULL",
                [],
                |row| row.get(0),
            )
            .expect("live");
        let total = total(&conn).expect("total");
        assert_eq!(total, live);
        assert!(
            total < 6_000 - (100..400).step_by(7).count() as i64 - 100,
            "{total}"
        );
        // Every person's counts are what the posts not deleted say.
        let people = |conn: &Connection| -> Vec<(i64, i64, i64, i64, i64, i64)> {
            conn.prepare(
                "SELECT id, question_count, answer_count, accepted_count, likes_received, reputation
                 FROM users ORDER BY id",
            )
            .expect("prepare")
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?))
            })
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
        };
        let kept = people(&conn);
        conn.execute_batch(crate::store::profiles::RECOUNT)
            .expect("recount");
        assert_eq!(kept, people(&conn));
        // Each answer count is its answers not deleted (but the spread questions', set directly above).
        let miscounted: i64 = conn
            .query_row(
                "SELECT count(*) FROM questions q WHERE answer_count <>
                     (SELECT count(*) FROM answers a WHERE a.question_id = q.id AND a.deleted_at IS NULL)
                   AND q.deleted_at IS NULL AND q.id < 100000",
                [],
                |row| row.get(0),
            )
            .expect("answer counts");
        assert_eq!(miscounted, 0);
        let mut offsets = vec![0, 1_990, 1_999, 2_000, 2_001, total - 10, total - 1];
        offsets.extend((2_002..total).step_by(97));
        for sort in ListSort::ALL {
            for &offset in &offsets {
                let fast: Vec<i64> = match region(sort) {
                    Some(region) => region_ids(&conn, &region, offset, 10)
                        .expect("region")
                        .iter()
                        .map(|id| id.0)
                        .collect(),
                    None => page(&conn, sort, offset, 10)
                        .expect("page")
                        .iter()
                        .map(|q| q.id.0)
                        .collect(),
                };
                assert_eq!(
                    fast,
                    plain_offset(&conn, sort, offset),
                    "{sort:?} at {offset}"
                );
            }
        }
        // Every level's counts are exactly what the rows say, both ways.
        let scores = [
            (0, "0 * id"),
            (1, "like_count"),
            (2, "answer_count"),
            (3, "accepted_answer_id IS NOT NULL"),
        ];
        for (table, level) in [
            ("question_rank_scores", None),
            ("question_rank_spans", Some(("span", "id >> 13"))),
            ("question_rank_blocks", Some(("block", "id >> 10"))),
        ] {
            for (sort, score) in scores {
                let (rows, counts) = match level {
                    None => (
                        format!(
                            "SELECT {score}, count(*) FROM questions WHERE deleted_at IS NULL GROUP BY 1"
                        ),
                        format!("SELECT score, n FROM {table} WHERE sort = {sort}"),
                    ),
                    Some((column, of_id)) => (
                        format!(
                            "SELECT {score}, {of_id}, count(*) FROM questions WHERE deleted_at IS NULL
                             GROUP BY 1, 2"
                        ),
                        format!("SELECT score, {column}, n FROM {table} WHERE sort = {sort}"),
                    ),
                };
                let drift: i64 = conn
                    .query_row(
                        &format!(
                            "SELECT (SELECT count(*) FROM ({rows} EXCEPT {counts}))
                                  + (SELECT count(*) FROM ({counts} EXCEPT {rows}))"
                        ),
                        [],
                        |row| row.get(0),
                    )
                    .expect("compare");
                assert_eq!(drift, 0, "{table}, sort {sort}");
            }
        }
    }
}
