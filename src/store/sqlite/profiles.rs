//! Profiles and the list of users (the SQL is `store::profiles`, shared with PostgreSQL).

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Cached, questions, tags};
use crate::{
    domain::{
        accounts::username_keys,
        board::{PAGE_SIZE, clamp_page},
        ids::{AnswerId, QuestionId, UserId},
        people::{
            AnswerList, AnswerSummary, DELETED_LISTED, DeletedPost, Profile, USERS_PER_PAGE,
            UserList, UserSummary, clamp_user_page,
        },
        posts::QuestionList,
        tags::TagCount,
    },
    store::{deletion, profiles},
};

/// Every user's counts and reputation made from the board as it is (a migration, a copy).
pub fn recount(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute(profiles::RECOUNT, [])?;
    Ok(())
}

/// The user a typed name belongs to, with their counts.
pub fn profile(conn: &Connection, typed: &str) -> rusqlite::Result<Option<Profile>> {
    conn.prepare_cached(profiles::PROFILE)?
        .query_row(username_keys(typed), |row| {
            let (role, suspension) =
                profiles::standing(&row.get::<_, String>(8)?, row.get(9)?, row.get(10)?);
            Ok(Profile {
                id: UserId(row.get(0)?),
                username: row.get(1)?,
                joined_at: row.get(2)?,
                reputation: row.get(3)?,
                question_count: row.get(4)?,
                answer_count: row.get(5)?,
                accepted_count: row.get(6)?,
                likes_received: row.get(7)?,
                role,
                suspension,
            })
        })
        .optional()
}

/// The tags of the user's newest questions, the most used first.
pub fn top_tags(conn: &Connection, user: UserId) -> rusqlite::Result<Vec<TagCount>> {
    conn.prepare_cached(&profiles::top_tags())?
        .query_map([user.0], tags::tag_count)?
        .collect()
}

/// How many questions and answers the user wrote (0 and 0 for no such user).
fn post_counts(conn: &Connection, user: UserId) -> rusqlite::Result<(i64, i64)> {
    Ok(conn
        .one(profiles::POST_COUNTS, [user.0], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?
        .unwrap_or_default())
}

/// One page of the user's questions, newest first.
pub fn questions(
    conn: &Connection,
    user: UserId,
    requested_page: i64,
) -> rusqlite::Result<QuestionList> {
    let (total, _) = post_counts(conn, user)?;
    let page = clamp_page(requested_page, total);
    let ids = questions::ids_of(
        conn,
        profiles::QUESTION_IDS,
        &[user.0, PAGE_SIZE, (page - 1) * PAGE_SIZE],
    )?;
    Ok(QuestionList {
        total,
        page,
        questions: questions::summaries(conn, &ids)?,
    })
}

/// One page of the user's answers, newest first.
pub fn answers(
    conn: &Connection,
    user: UserId,
    requested_page: i64,
) -> rusqlite::Result<AnswerList> {
    let (_, total) = post_counts(conn, user)?;
    let page = clamp_page(requested_page, total);
    let answers = conn
        .prepare_cached(profiles::ANSWERS)?
        .query_map(params![user.0, PAGE_SIZE, (page - 1) * PAGE_SIZE], |row| {
            Ok(AnswerSummary {
                id: AnswerId(row.get(0)?),
                question_id: QuestionId(row.get(1)?),
                question_subject: row.get(2)?,
                created_at: row.get(3)?,
                like_count: row.get(4)?,
                accepted: row.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(AnswerList {
        total,
        page,
        answers,
    })
}

/// The user's deleted questions and answers, the newest deletions first.
pub fn deleted(conn: &Connection, user: UserId) -> rusqlite::Result<Vec<DeletedPost>> {
    conn.prepare_cached(profiles::DELETED_POSTS)?
        .query_map(params![user.0, DELETED_LISTED], |row| {
            Ok(DeletedPost {
                question_id: QuestionId(row.get(0)?),
                answer_id: row.get::<_, Option<i64>>(1)?.map(AnswerId),
                subject: row.get(2)?,
                deletion: deletion::deletion(row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?)
                    .unwrap_or_default(),
            })
        })?
        .collect()
}

/// One page of the users whose name's lookup key starts with `prefix`, the highest reputation first.
pub fn list(conn: &Connection, prefix: &str, requested_page: i64) -> rusqlite::Result<UserList> {
    // Keys compare as bytes: every key that starts with `prefix` sorts between it and it followed by the
    // highest character there is. No filter reads the reputation index in order (a range over every key
    // took 2.4 ms at 5,000 users, sorting them all).
    let filter = if prefix.is_empty() {
        profiles::EVERYONE
    } else {
        "username_key >= ?1 AND username_key < ?1 || char(1114111)"
    };
    let total: i64 = conn.one(&profiles::user_count(filter), [prefix], |row| row.get(0))?;
    let page = clamp_user_page(requested_page, total);
    let users = conn
        .prepare_cached(&profiles::user_page(filter))?
        .query_map(
            params![prefix, USERS_PER_PAGE, (page - 1) * USERS_PER_PAGE],
            |row| {
                let (role, suspension) =
                    profiles::standing(&row.get::<_, String>(5)?, row.get(6)?, row.get(7)?);
                Ok(UserSummary {
                    username: row.get(0)?,
                    reputation: row.get(1)?,
                    joined_at: row.get(2)?,
                    question_count: row.get(3)?,
                    answer_count: row.get(4)?,
                    role,
                    suspension,
                })
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(UserList { total, page, users })
}
