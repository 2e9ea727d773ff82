//! Profiles and the list of users (the SQL is `store::profiles`, shared with SQLite).

use deadpool_postgres::GenericClient;

use super::{
    PgError, board, one, opt, rows,
    tags::{self, numbered},
};
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

/// The user a typed name belongs to, with their counts.
pub async fn profile(client: &impl GenericClient, typed: &str) -> Result<Option<Profile>, PgError> {
    let [key, as_typed] = username_keys(typed);
    let Some(row) = opt(client, &numbered(profiles::PROFILE), &[&key, &as_typed]).await? else {
        return Ok(None);
    };
    let (role, suspension) = profiles::standing(row.try_get(8)?, row.try_get(9)?, row.try_get(10)?);
    Ok(Some(Profile {
        id: UserId(row.try_get(0)?),
        username: row.try_get(1)?,
        joined_at: row.try_get(2)?,
        reputation: row.try_get(3)?,
        question_count: row.try_get(4)?,
        answer_count: row.try_get(5)?,
        accepted_count: row.try_get(6)?,
        likes_received: row.try_get(7)?,
        role,
        suspension,
    }))
}

/// The tags of the user's newest questions, the most used first.
pub async fn top_tags(client: &impl GenericClient, user: UserId) -> Result<Vec<TagCount>, PgError> {
    rows(client, &numbered(&profiles::top_tags()), &[&user.0])
        .await?
        .iter()
        .map(tags::tag_count)
        .collect()
}

/// How many questions and answers the user wrote (0 and 0 for no such user).
async fn post_counts(client: &impl GenericClient, user: UserId) -> Result<(i64, i64), PgError> {
    match opt(client, &numbered(profiles::POST_COUNTS), &[&user.0]).await? {
        Some(row) => Ok((row.try_get(0)?, row.try_get(1)?)),
        None => Ok((0, 0)),
    }
}

/// One page of the user's questions, newest first.
pub async fn questions(
    client: &impl GenericClient,
    user: UserId,
    requested_page: i64,
) -> Result<QuestionList, PgError> {
    let (total, _) = post_counts(client, user).await?;
    let page = clamp_page(requested_page, total);
    let ids: Vec<QuestionId> = rows(
        client,
        &numbered(profiles::QUESTION_IDS),
        &[&user.0, &PAGE_SIZE, &((page - 1) * PAGE_SIZE)],
    )
    .await?
    .iter()
    .map(|row| row.try_get(0).map(QuestionId))
    .collect::<Result<_, _>>()?;
    Ok(QuestionList {
        total,
        page,
        questions: board::summaries(client, &ids).await?,
    })
}

/// One page of the user's answers, newest first.
/// The user's deleted questions and answers, the newest deletions first.
pub async fn deleted(
    client: &impl GenericClient,
    user: UserId,
) -> Result<Vec<DeletedPost>, PgError> {
    rows(
        client,
        &numbered(profiles::DELETED_POSTS),
        &[&user.0, &DELETED_LISTED],
    )
    .await?
    .iter()
    .map(|row| {
        Ok(DeletedPost {
            question_id: QuestionId(row.try_get(0)?),
            answer_id: row.try_get::<_, Option<i64>>(1)?.map(AnswerId),
            subject: row.try_get(2)?,
            deletion: deletion::deletion(
                row.try_get(3)?,
                row.try_get(4)?,
                row.try_get(5)?,
                row.try_get(6)?,
            )
            .unwrap_or_default(),
        })
    })
    .collect()
}

pub async fn answers(
    client: &impl GenericClient,
    user: UserId,
    requested_page: i64,
) -> Result<AnswerList, PgError> {
    let (_, total) = post_counts(client, user).await?;
    let page = clamp_page(requested_page, total);
    let answers = rows(
        client,
        &numbered(profiles::ANSWERS),
        &[&user.0, &PAGE_SIZE, &((page - 1) * PAGE_SIZE)],
    )
    .await?
    .iter()
    .map(|row| {
        Ok(AnswerSummary {
            id: AnswerId(row.try_get(0)?),
            question_id: QuestionId(row.try_get(1)?),
            question_subject: row.try_get(2)?,
            created_at: row.try_get(3)?,
            like_count: row.try_get(4)?,
            accepted: row.try_get(5)?,
        })
    })
    .collect::<Result<_, PgError>>()?;
    Ok(AnswerList {
        total,
        page,
        answers,
    })
}

/// One page of the users whose name's lookup key starts with `prefix`, the highest reputation first.
pub async fn list(
    client: &impl GenericClient,
    prefix: &str,
    requested_page: i64,
) -> Result<UserList, PgError> {
    let (filter, pattern) = if prefix.is_empty() {
        (profiles::EVERYONE, String::new())
    } else {
        ("username_key LIKE ?1", super::tags::starts_with(prefix))
    };
    let total: i64 = one(
        client,
        &numbered(&profiles::user_count(filter)),
        &[&pattern],
    )
    .await?
    .try_get(0)?;
    let page = clamp_user_page(requested_page, total);
    let users = rows(
        client,
        &numbered(&profiles::user_page(filter)),
        &[&pattern, &USERS_PER_PAGE, &((page - 1) * USERS_PER_PAGE)],
    )
    .await?
    .iter()
    .map(|row| {
        let (role, suspension) =
            profiles::standing(row.try_get(5)?, row.try_get(6)?, row.try_get(7)?);
        Ok(UserSummary {
            username: row.try_get(0)?,
            reputation: row.try_get(1)?,
            joined_at: row.try_get(2)?,
            question_count: row.try_get(3)?,
            answer_count: row.try_get(4)?,
            role,
            suspension,
        })
    })
    .collect::<Result<_, PgError>>()?;
    Ok(UserList { total, page, users })
}
