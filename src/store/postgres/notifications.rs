//! Notifications and follows (the SQL is `store::notifications`, shared with SQLite).

use deadpool_postgres::GenericClient;
use tokio_postgres::{Row, types::ToSql};

use super::{PgError, one, opt, rows, run, tags::numbered};
use crate::{
    domain::{
        accounts::username_keys,
        ids::{AnswerId, CommentId, QuestionId, UserId},
        notifications::{
            FOLLOWED_QUESTIONS_SHOWN, FOLLOWED_TAGS_SHOWN, FOLLOWERS_NOTIFIED_AT_ONCE,
            FOLLOWERS_PER_STEP, Following, Inbox, MENTIONS_PER_POST, Mentioned,
            NOTIFICATIONS_PER_PAGE, Notification, NotificationKind,
        },
        tags::TagName,
    },
    store::{
        NewAnswer, NewComment, NewQuestion,
        notifications::{self as sql, Job, Notice},
    },
};

/// Runs one of the notifying statements for `notice` (`user` for [`sql::NOTIFY_USER`]); how many were told.
async fn notify(
    client: &impl GenericClient,
    statement: &str,
    notice: &Notice,
    user: Option<UserId>,
) -> Result<u64, PgError> {
    let kind = notice.kind.code();
    let answer = notice.answer.map(|a| a.0);
    let comment = notice.comment.map(|c| c.0);
    let mut values: Vec<&(dyn ToSql + Sync)> = vec![
        &kind,
        &notice.question.0,
        &answer,
        &comment,
        &notice.actor.0,
        &notice.at,
    ];
    let user = user.map(|u| u.0);
    if let Some(user) = &user {
        values.push(user);
    }
    run(client, &numbered(statement), &values).await
}

/// Tells each mentioned user (once; never the author), up to the cap for the post however often it is
/// edited.
async fn mention(
    client: &impl GenericClient,
    notice: &Notice,
    mentioned: &[UserId],
) -> Result<(), PgError> {
    if mentioned.is_empty() {
        return Ok(());
    }
    let notice = notice.as_kind(NotificationKind::Mention);
    let answer = notice.answer.map_or(0, |a| a.0);
    let comment = notice.comment.map_or(0, |c| c.0);
    let mut told: i64 = one(
        client,
        &numbered(sql::MENTIONS_OF_POST),
        &[&notice.question.0, &answer, &comment],
    )
    .await?
    .try_get(0)?;
    for &user in mentioned {
        if told >= MENTIONS_PER_POST as i64 {
            break;
        }
        told += notify(client, sql::NOTIFY_USER, &notice, Some(user)).await? as i64;
    }
    Ok(())
}

/// Notifies the first followers of `job` at once; the rest wait for the background.
async fn fan_out_from_write(client: &impl GenericClient, job: Job) -> Result<(), PgError> {
    if let Some(last) = fan_out(client, &job, FOLLOWERS_NOTIFIED_AT_ONCE).await? {
        let answer = job.answer.map(|a| a.0);
        run(
            client,
            &numbered(sql::ADD_JOB),
            &[
                &job.question.0,
                &answer,
                &job.actor.0,
                &last,
                &job.created_at,
            ],
        )
        .await?;
        sql::work_waiting();
    }
    Ok(())
}

/// The next `limit` followers of `job`, in id order.
async fn next_followers(
    client: &impl GenericClient,
    job: &Job,
    limit: i64,
) -> Result<Vec<i64>, PgError> {
    let after = async |sql: &str, key: i64| -> Result<Vec<i64>, PgError> {
        rows(client, &numbered(sql), &[&key, &job.after_user, &limit])
            .await?
            .iter()
            .map(|row| row.try_get(0))
            .collect()
    };
    if job.answer.is_some() {
        return after(sql::QUESTION_FOLLOWERS, job.question.0).await;
    }
    let tags: Vec<i64> = rows(client, &numbered(sql::QUESTION_TAG_IDS), &[&job.question.0])
        .await?
        .iter()
        .map(|row| row.try_get(0))
        .collect::<Result<_, _>>()?;
    let mut lists = Vec::with_capacity(tags.len());
    for tag in tags {
        lists.push(after(sql::TAG_FOLLOWERS, tag).await?);
    }
    Ok(sql::merge_followers(lists, limit))
}

/// Notifies up to `limit` followers of `job` in one statement; the last one when there may be more.
async fn fan_out(
    client: &impl GenericClient,
    job: &Job,
    limit: i64,
) -> Result<Option<i64>, PgError> {
    let followers = next_followers(client, job, limit).await?;
    let notice = job.notice();
    let kind = notice.kind.code();
    let answer = job.answer.map(|a| a.0);
    run(
        client,
        "INSERT INTO notifications (user_id, kind, question_id, answer_id, comment_id, actor_id, created_at)
         SELECT u, $1, $2, $3, NULL, $4, $5 FROM unnest($6::bigint[]) AS u WHERE u <> $4
         ON CONFLICT DO NOTHING",
        &[
            &kind,
            &job.question.0,
            &answer,
            &job.actor.0,
            &job.created_at,
            &followers,
        ],
    )
    .await?;
    Ok(if followers.len() as i64 == limit {
        followers.last().copied()
    } else {
        None
    })
}

/// A question was asked: its asker follows it, its tags' followers are told.
pub async fn asked(
    client: &impl GenericClient,
    id: QuestionId,
    question: &NewQuestion,
) -> Result<(), PgError> {
    run(
        client,
        &numbered(sql::FOLLOW_QUESTION),
        &[&question.author_id.0, &id.0, &question.now],
    )
    .await?;
    fan_out_from_write(client, Job::asked(id, question)).await
}

/// A question was answered: its asker and the mentioned are told, the answerer follows the question, and
/// its followers are told.
pub async fn answered(
    client: &impl GenericClient,
    id: AnswerId,
    answer: &NewAnswer,
) -> Result<(), PgError> {
    let notice = Notice::about_answer(
        NotificationKind::Answer,
        id,
        answer.question_id,
        answer.author_id,
        answer.now,
    );
    notify(client, sql::NOTIFY_ASKER, &notice, None).await?;
    mention(client, &notice, &answer.mentioned).await?;
    run(
        client,
        &numbered(sql::FOLLOW_QUESTION),
        &[&answer.author_id.0, &answer.question_id.0, &answer.now],
    )
    .await?;
    fan_out_from_write(client, Job::answered(id, answer)).await
}

/// An answer was edited: whoever it mentions now and was not told yet is told.
pub async fn answer_edited(
    client: &impl GenericClient,
    id: AnswerId,
    question: QuestionId,
    actor: UserId,
    mentioned: &[UserId],
    now: i64,
) -> Result<(), PgError> {
    let notice = Notice::about_answer(NotificationKind::Mention, id, question, actor, now);
    mention(client, &notice, mentioned).await
}

/// A comment was written: the post's author and the mentioned are told.
pub async fn commented(
    client: &impl GenericClient,
    id: CommentId,
    comment: &NewComment,
) -> Result<(), PgError> {
    let notice = comment_notice(client, id, comment.author_id, comment.now).await?;
    notify(client, sql::notify_post_author(comment.on), &notice, None).await?;
    mention(client, &notice, &comment.mentioned).await
}

/// A comment was edited: whoever it mentions now and was not told yet is told.
pub async fn comment_edited(
    client: &impl GenericClient,
    id: CommentId,
    actor: UserId,
    mentioned: &[UserId],
    now: i64,
) -> Result<(), PgError> {
    let notice = comment_notice(client, id, actor, now).await?;
    mention(client, &notice, mentioned).await
}

/// The notice of a comment, with its question and answer as stored.
async fn comment_notice(
    client: &impl GenericClient,
    id: CommentId,
    actor: UserId,
    at: i64,
) -> Result<Notice, PgError> {
    let row = one(
        client,
        "SELECT question_id, answer_id FROM comments WHERE id = $1",
        &[&id.0],
    )
    .await?;
    Ok(Notice::about_comment(
        id,
        QuestionId(row.try_get(0)?),
        row.try_get::<_, Option<i64>>(1)?.map(AnswerId),
        actor,
        at,
    ))
}

/// An answer was accepted: its author is told, once (taking the mark back and giving it again tells
/// nobody again, and a notice already read stays what happened).
pub async fn accepted(
    client: &impl GenericClient,
    id: AnswerId,
    question: QuestionId,
    actor: UserId,
    now: i64,
) -> Result<(), PgError> {
    let notice = Notice::about_answer(NotificationKind::Accepted, id, question, actor, now);
    notify(client, sql::NOTIFY_ANSWERER, &notice, None).await?;
    Ok(())
}

/// One batch of the oldest background job nobody else is working on; whether there was one.
pub async fn fan_out_step(client: &impl GenericClient) -> Result<bool, PgError> {
    // In turn with every write (the caller holds the lock): servers sharing the database never take the
    // same batch.
    let Some(row) = opt(client, sql::OLDEST_JOB, &[]).await? else {
        return Ok(false);
    };
    let id: i64 = row.try_get(0)?;
    let job = Job {
        question: QuestionId(row.try_get(1)?),
        answer: row.try_get::<_, Option<i64>>(2)?.map(AnswerId),
        actor: UserId(row.try_get(3)?),
        after_user: row.try_get(4)?,
        created_at: row.try_get(5)?,
    };
    match fan_out(client, &job, FOLLOWERS_PER_STEP).await? {
        Some(last) => run(client, &numbered(sql::ADVANCE_JOB), &[&id, &last]).await?,
        None => run(client, &numbered(sql::END_JOB), &[&id]).await?,
    };
    Ok(true)
}

/// The users the typed names are, each once.
pub async fn named(
    client: &impl GenericClient,
    names: &[String],
) -> Result<Vec<Mentioned>, PgError> {
    let mut found: Vec<Mentioned> = Vec::with_capacity(names.len());
    let statement = numbered(sql::USER_NAMED);
    for typed in names {
        let [key, as_typed] = username_keys(typed);
        if let Some(row) = opt(client, &statement, &[&key, &as_typed]).await? {
            found.push(Mentioned {
                id: UserId(row.try_get(0)?),
                username: row.try_get(1)?,
                typed_key: key,
            });
        }
    }
    Ok(found)
}

pub async fn unread(client: &impl GenericClient, user: UserId) -> Result<i64, PgError> {
    Ok(
        match opt(client, &numbered(sql::UNREAD), &[&user.0]).await? {
            Some(row) => row.try_get(0)?,
            None => 0,
        },
    )
}

/// A page of the inbox, as it stands (see [`mark_read`]).
/// A notification as `INBOX` (and the mail's `NOTIFICATION`) read it; `None` for a kind this version does
/// not know.
pub(super) fn notification_from_row(row: &Row) -> Result<Option<Notification>, PgError> {
    let Some(kind) = NotificationKind::from_code(row.try_get(1)?) else {
        return Ok(None);
    };
    Ok(Some(Notification {
        id: row.try_get(0)?,
        kind,
        actor: row.try_get(2)?,
        question_id: QuestionId(row.try_get(3)?),
        subject: row.try_get(4)?,
        answer_id: row.try_get::<_, Option<i64>>(5)?.map(AnswerId),
        comment_id: row.try_get::<_, Option<i64>>(6)?.map(CommentId),
        created_at: row.try_get(7)?,
        read: row.try_get::<_, i64>(8)? != 0,
    }))
}

pub async fn inbox(
    client: &impl GenericClient,
    user: UserId,
    before: Option<i64>,
) -> Result<Inbox, PgError> {
    let unread = unread(client, user).await?;
    let found = rows(
        client,
        &numbered(&sql::INBOX),
        &[
            &user.0,
            &before.unwrap_or(i64::MAX),
            &(NOTIFICATIONS_PER_PAGE + 1),
        ],
    )
    .await?;
    let more = found.len() as i64 > NOTIFICATIONS_PER_PAGE;
    let mut notifications = Vec::with_capacity(found.len());
    let mut last_shown = None;
    for row in found.iter().take(NOTIFICATIONS_PER_PAGE as usize) {
        let id: i64 = row.try_get(0)?;
        last_shown = Some(id);
        if let Some(notification) = notification_from_row(row)? {
            notifications.push(notification);
        }
    }
    Ok(Inbox {
        notifications,
        older: if more { last_shown } else { None },
        is_older_page: before.is_some(),
        unread,
    })
}

/// Marks these notifications of the user read: exactly those a page showed unread (one committed meanwhile
/// among them was not seen).
pub async fn mark_read(
    client: &impl GenericClient,
    user: UserId,
    ids: &[i64],
) -> Result<(), PgError> {
    run(
        client,
        "UPDATE notifications SET read = 1 WHERE user_id = $1 AND read = 0 AND id = ANY($2)",
        &[&user.0, &ids],
    )
    .await?;
    Ok(())
}

pub async fn read_all(client: &impl GenericClient, user: UserId) -> Result<(), PgError> {
    run(client, &numbered(sql::MARK_ALL_READ), &[&user.0]).await?;
    Ok(())
}

/// Follows (`wanted` true) or stops following (false), or the other of the two (`None`); whether the user
/// follows now. `follow` and `unfollow` take the user (`?1`), the key (`?2`) and, to follow, when (`?3`).
async fn set_follow(
    client: &impl GenericClient,
    (follow, unfollow): (&str, &str),
    user: UserId,
    key: i64,
    wanted: Option<bool>,
    now: i64,
) -> Result<bool, PgError> {
    let wanted = match wanted {
        Some(wanted) => wanted,
        None => run(client, &numbered(unfollow), &[&user.0, &key]).await? == 0,
    };
    if wanted {
        run(client, &numbered(follow), &[&user.0, &key, &now]).await?;
    } else {
        run(client, &numbered(unfollow), &[&user.0, &key]).await?;
    }
    Ok(wanted)
}

/// Follows the question or stops (see [`set_follow`]); `None` when there is no such question.
pub async fn follow_question(
    client: &impl GenericClient,
    user: UserId,
    question: QuestionId,
    wanted: Option<bool>,
    now: i64,
) -> Result<Option<bool>, PgError> {
    if opt(
        client,
        "SELECT 1 FROM questions WHERE id = $1 AND deleted_at IS NULL",
        &[&question.0],
    )
    .await?
    .is_none()
    {
        return Ok(None);
    }
    let statements = (sql::FOLLOW_QUESTION, sql::UNFOLLOW_QUESTION);
    Ok(Some(
        set_follow(client, statements, user, question.0, wanted, now).await?,
    ))
}

/// Follows the tag or stops (see [`set_follow`]); `None` when no question carries it.
pub async fn follow_tag(
    client: &impl GenericClient,
    user: UserId,
    tag: &TagName,
    wanted: Option<bool>,
    now: i64,
) -> Result<Option<bool>, PgError> {
    let Some(row) = opt(
        client,
        "SELECT id FROM tags WHERE name = $1 AND question_count > 0",
        &[&tag.as_str()],
    )
    .await?
    else {
        return Ok(None);
    };
    let statements = (sql::FOLLOW_TAG, sql::UNFOLLOW_TAG);
    Ok(Some(
        set_follow(client, statements, user, row.try_get(0)?, wanted, now).await?,
    ))
}

pub async fn follows_tag(
    client: &impl GenericClient,
    user: UserId,
    tag: &TagName,
) -> Result<bool, PgError> {
    one(
        client,
        &numbered(sql::FOLLOWS_TAG),
        &[&user.0, &tag.as_str()],
    )
    .await?
    .try_get(0)
}

pub async fn following(client: &impl GenericClient, user: UserId) -> Result<Following, PgError> {
    let tags = rows(
        client,
        &numbered(sql::FOLLOWED_TAGS),
        &[&user.0, &FOLLOWED_TAGS_SHOWN],
    )
    .await?
    .iter()
    .map(|row| Ok(TagName::stored(row.try_get(0)?)))
    .collect::<Result<_, PgError>>()?;
    let questions = rows(
        client,
        &numbered(sql::FOLLOWED_QUESTIONS),
        &[&user.0, &FOLLOWED_QUESTIONS_SHOWN],
    )
    .await?
    .iter()
    .map(|row| Ok((QuestionId(row.try_get(0)?), row.try_get(1)?)))
    .collect::<Result<_, PgError>>()?;
    let question_count = one(client, &numbered(sql::FOLLOWED_QUESTION_COUNT), &[&user.0])
        .await?
        .try_get(0)?;
    Ok(Following {
        tags,
        questions,
        question_count,
    })
}
