//! The `tags` and `question_tags` tables: a question's tags, each tag's count, and a tag's question list.

use rusqlite::{Connection, OptionalExtension, Transaction};

use super::{Cached, questions};
use crate::{
    domain::{
        self,
        board::{ListSort, PAGE_SIZE, QuestionId, clamp_page},
        posts::{QuestionList, QuestionSummary},
        related::{CANDIDATES_PER_TAG, Candidate},
        tags::{TAGS_PER_PAGE, TagCount, TagList, TagName, Tags, clamp_tag_page},
    },
    store::tag_pages::{DIRECT_OFFSET_LIMIT, Located, TagTab},
};

/// Gives the question exactly `tags`: links added and taken away, each tag's count moved, a tag left with no
/// question deleted, and the names kept on the question for its list rows. Part of the caller's transaction.
pub fn set(tx: &Transaction, question: QuestionId, tags: &Tags) -> rusqlite::Result<()> {
    let Some(stored) = tx
        .prepare_cached("SELECT tags FROM questions WHERE id = ?1")?
        .query_row([question.0], |row| row.get::<_, String>(0))
        .optional()?
    else {
        return Ok(());
    };
    let old = Tags::stored(&stored);
    move_links(tx, question, &old, tags)?;
    let joined = tags.joined();
    if joined != stored {
        tx.run(
            "UPDATE questions SET tags = ?2 WHERE id = ?1",
            (question.0, joined.as_str()),
        )?;
    }
    Ok(())
}

/// Takes a question out of its tags' lists and counts (`linked` false: it is being deleted), or puts it back
/// (true: undeleted); the names stay on the question either way.
pub fn relink(tx: &Transaction, question: QuestionId, linked: bool) -> rusqlite::Result<()> {
    let stored: String = tx.one(
        "SELECT tags FROM questions WHERE id = ?1",
        [question.0],
        |row| row.get(0),
    )?;
    let (tags, none) = (Tags::stored(&stored), Tags::default());
    if linked {
        move_links(tx, question, &none, &tags)
    } else {
        move_links(tx, question, &tags, &none)
    }
}

/// From the links of `old` to those of `tags`: each tag's count moved, a tag left with no question deleted.
fn move_links(
    tx: &Transaction,
    question: QuestionId,
    old: &Tags,
    tags: &Tags,
) -> rusqlite::Result<()> {
    for name in old
        .names()
        .iter()
        .filter(|name| !tags.names().contains(name))
    {
        tx.run(
            "DELETE FROM question_tags
             WHERE question_id = ?1 AND tag_id = (SELECT id FROM tags WHERE name = ?2)",
            (question.0, name.as_str()),
        )?;
        tx.run(
            "UPDATE tags SET question_count = question_count - 1 WHERE name = ?1",
            [name.as_str()],
        )?;
        tx.run(
            "DELETE FROM tags WHERE name = ?1 AND question_count <= 0",
            [name.as_str()],
        )?;
    }
    for name in tags
        .names()
        .iter()
        .filter(|name| !old.names().contains(name))
    {
        let tag_id: i64 = tx.one(
            "INSERT INTO tags (name, question_count) VALUES (?1, 1)
             ON CONFLICT (name) DO UPDATE SET question_count = question_count + 1
             RETURNING id",
            [name.as_str()],
            |row| row.get(0),
        )?;
        tx.run(
            "INSERT INTO question_tags (tag_id, question_id, like_count, answer_count, accepted)
             SELECT ?1, id, like_count, answer_count, accepted_answer_id IS NOT NULL
             FROM questions WHERE id = ?2",
            (tag_id, question.0),
        )?;
    }
    Ok(())
}

/// One page of `/tags`, the most used first, those whose name starts with `prefix` (every tag when empty).
pub fn list(conn: &Connection, prefix: &str, requested_page: i64) -> rusqlite::Result<TagList> {
    // Names compare as bytes: every name that starts with `prefix` sorts between it and it followed by the
    // highest character there is.
    let end = format!("{prefix}\u{10FFFF}");
    let total: i64 = conn.one(
        "SELECT count(*) FROM tags WHERE name >= ?1 AND name < ?2",
        (prefix, end.as_str()),
        |row| row.get(0),
    )?;
    let page = clamp_tag_page(requested_page, total);
    let mut stmt = conn.prepare_cached(
        "SELECT name, question_count FROM tags WHERE name >= ?1 AND name < ?2
         ORDER BY question_count DESC, name LIMIT ?3 OFFSET ?4",
    )?;
    let tags = stmt
        .query_map(
            (
                prefix,
                end.as_str(),
                TAGS_PER_PAGE,
                (page - 1) * TAGS_PER_PAGE,
            ),
            tag_count,
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(TagList { total, page, tags })
}

/// A tag's name and count, the row's first two columns.
pub fn tag_count(row: &rusqlite::Row) -> rusqlite::Result<TagCount> {
    Ok(TagCount {
        name: TagName::stored(row.get(0)?),
        questions: row.get(1)?,
    })
}

/// A tag's id with its count, if any question carries it.
fn find(conn: &Connection, name: &TagName) -> rusqlite::Result<Option<(i64, TagCount)>> {
    conn.prepare_cached("SELECT id, question_count FROM tags WHERE name = ?1")?
        .query_row([name.as_str()], |row| {
            Ok((
                row.get(0)?,
                TagCount {
                    name: name.clone(),
                    questions: row.get(1)?,
                },
            ))
        })
        .optional()
}

/// Where row `offset` of a counted tag's tab is: the counts added up in order, the score's first and then
/// its blocks', stopping at the one that reaches it. (Stepping through the rows here is several times
/// cheaper than SQLite's window sums: 50 µs against 210 µs for page 5,000 of the biggest tag at a million.)
fn locate(
    conn: &Connection,
    tab: TagTab,
    tag_id: i64,
    offset: i64,
) -> rusqlite::Result<Option<Located>> {
    let Some((score, before)) =
        questions::first_reaching(conn, &tab.scores_sql(), &[tag_id], offset, 0)?
    else {
        return Ok(None);
    };
    Ok(
        questions::first_reaching(conn, &tab.blocks_sql(), &[tag_id, score], offset, before)?.map(
            |(block, before)| Located {
                score,
                block,
                before,
            },
        ),
    )
}

/// One page of the questions carrying `name`, in one of the list's orders; `None` for a tag no question has.
pub fn questions(
    conn: &Connection,
    name: &TagName,
    sort: ListSort,
    requested_page: i64,
) -> rusqlite::Result<Option<(TagCount, QuestionList)>> {
    let Some((tag_id, tag)) = find(conn, name)? else {
        return Ok(None);
    };
    let tab = TagTab::of(sort);
    let total = if tab.holds_every_question() {
        tag.questions
    } else {
        conn.one(&tab.total_sql(), [tag_id], |row| row.get(0))?
    };
    let page = clamp_page(requested_page, total);
    let offset = (page - 1) * PAGE_SIZE;
    let located = if offset < DIRECT_OFFSET_LIMIT {
        None
    } else {
        locate(conn, tab, tag_id, offset)?
    };
    let (sql, values) = tab.page(tag_id, located, offset, PAGE_SIZE);
    let mut ids = questions::ids_of(conn, &sql, &values)?;
    let missing = PAGE_SIZE - ids.len() as i64;
    if let Some(located) = located
        && missing > 0
        && let Some((sql, values)) = tab.rest(tag_id, located, missing)
    {
        ids.extend(questions::ids_of(conn, &sql, &values)?);
    }
    let questions = questions::summaries(conn, &ids)?;
    Ok(Some((
        tag,
        QuestionList {
            total,
            page,
            questions,
        },
    )))
}

/// The questions most related to question `id` (with these `tags` and `subject`), best first.
pub fn related(
    conn: &Connection,
    id: QuestionId,
    tags: &Tags,
    subject: &str,
) -> rusqlite::Result<Vec<QuestionSummary>> {
    let Some(sql) = related_candidates_sql(tags.names().len()) else {
        return Ok(Vec::new());
    };
    let mut values: Vec<rusqlite::types::Value> = vec![id.0.into()];
    values.extend(
        tags.names()
            .iter()
            .map(|name| name.as_str().to_owned().into()),
    );
    let candidates = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(values), |row| {
            Ok(Candidate {
                id: QuestionId(row.get(0)?),
                subject: row.get(1)?,
                tags: Tags::stored(&row.get::<_, String>(2)?),
                like_count: row.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    questions::summaries(conn, &domain::related::rank(tags, subject, candidates))
}

/// Candidates for the question `?1` with `tags` tag names (`?2` ...): id, subject, tags (as stored),
/// likes; `None` without tags. One statement: each tag's most liked questions (by its index on likes).
/// The tags each shares are counted from its own (counting them in SQL walked every question of every
/// tag, or ran a statement per candidate).
fn related_candidates_sql(tags: usize) -> Option<String> {
    if tags == 0 {
        return None;
    }
    let names: Vec<String> = (0..tags).map(|at| format!("?{}", at + 2)).collect();
    let per_tag: Vec<String> = names
        .iter()
        .map(|name| {
            format!(
                "SELECT question_id FROM (
                     SELECT question_id FROM question_tags
                     WHERE tag_id = (SELECT id FROM tags WHERE name = {name}) AND question_id <> ?1
                     ORDER BY like_count DESC, question_id DESC LIMIT {CANDIDATES_PER_TAG}) AS of_tag"
            )
        })
        .collect();
    Some(format!(
        "WITH candidates AS ({})
         SELECT q.id, q.subject, q.tags, q.like_count
         FROM candidates c JOIN questions q ON q.id = c.question_id",
        per_tag.join(" UNION ")
    ))
}
