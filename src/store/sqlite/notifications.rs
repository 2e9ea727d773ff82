//! Notifications and follows (the SQL is `store::notifications`, shared with PostgreSQL).

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::Cached;
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
fn notify(
    tx: &Transaction,
    statement: &str,
    notice: &Notice,
    user: Option<UserId>,
) -> rusqlite::Result<usize> {
    let values = params![
        notice.kind.code(),
        notice.question.0,
        notice.answer.map(|a| a.0),
        notice.comment.map(|c| c.0),
        notice.actor.0,
        notice.at,
    ];
    match user {
        Some(user) => {
            let mut all = values.to_vec();
            all.push(&user.0);
            tx.run(statement, all.as_slice())
        }
        None => tx.run(statement, values),
    }
}

/// Tells each mentioned user (once; never the author), up to the cap for the post however often it is
/// edited.
fn mention(tx: &Transaction, notice: &Notice, mentioned: &[UserId]) -> rusqlite::Result<()> {
    if mentioned.is_empty() {
        return Ok(());
    }
    let notice = notice.as_kind(NotificationKind::Mention);
    let told: i64 = tx.one(
        sql::MENTIONS_OF_POST,
        params![
            notice.question.0,
            notice.answer.map_or(0, |a| a.0),
            notice.comment.map_or(0, |c| c.0)
        ],
        |row| row.get(0),
    )?;
    let mut told = usize::try_from(told).unwrap_or(MENTIONS_PER_POST);
    for &user in mentioned {
        if told >= MENTIONS_PER_POST {
            break;
        }
        told += notify(tx, sql::NOTIFY_USER, &notice, Some(user))?;
    }
    Ok(())
}

/// Notifies the first followers of `job` at once; the rest wait for the background.
fn fan_out_from_write(tx: &Transaction, job: Job) -> rusqlite::Result<()> {
    if let Some(last) = fan_out(tx, &job, FOLLOWERS_NOTIFIED_AT_ONCE)? {
        tx.run(
            sql::ADD_JOB,
            params![
                job.question.0,
                job.answer.map(|a| a.0),
                job.actor.0,
                last,
                job.created_at
            ],
        )?;
        sql::work_waiting();
    }
    Ok(())
}

/// The next `limit` followers of `job`, in id order.
fn next_followers(tx: &Transaction, job: &Job, limit: i64) -> rusqlite::Result<Vec<i64>> {
    let after = |sql: &str, key: i64| -> rusqlite::Result<Vec<i64>> {
        tx.prepare_cached(sql)?
            .query_map(params![key, job.after_user, limit], |row| row.get(0))?
            .collect()
    };
    if job.answer.is_some() {
        return after(sql::QUESTION_FOLLOWERS, job.question.0);
    }
    let tags: Vec<i64> = tx
        .prepare_cached(sql::QUESTION_TAG_IDS)?
        .query_map([job.question.0], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let lists = tags
        .into_iter()
        .map(|tag| after(sql::TAG_FOLLOWERS, tag))
        .collect::<rusqlite::Result<_>>()?;
    Ok(sql::merge_followers(lists, limit))
}

/// Notifies up to `limit` followers of `job`; the last one when there may be more.
fn fan_out(tx: &Transaction, job: &Job, limit: i64) -> rusqlite::Result<Option<i64>> {
    let followers = next_followers(tx, job, limit)?;
    let notice = job.notice();
    for &user in &followers {
        notify(tx, sql::NOTIFY_USER, &notice, Some(UserId(user)))?;
    }
    Ok(if followers.len() as i64 == limit {
        followers.last().copied()
    } else {
        None
    })
}

/// A question was asked: its asker follows it, its tags' followers are told.
pub fn asked(tx: &Transaction, id: QuestionId, question: &NewQuestion) -> rusqlite::Result<()> {
    tx.run(
        sql::FOLLOW_QUESTION,
        params![question.author_id.0, id.0, question.now],
    )?;
    fan_out_from_write(tx, Job::asked(id, question))
}

/// A question was answered: its asker and the mentioned are told, the answerer follows the question, and
/// its followers are told.
pub fn answered(tx: &Transaction, id: AnswerId, answer: &NewAnswer) -> rusqlite::Result<()> {
    let notice = Notice::about_answer(
        NotificationKind::Answer,
        id,
        answer.question_id,
        answer.author_id,
        answer.now,
    );
    notify(tx, sql::NOTIFY_ASKER, &notice, None)?;
    mention(tx, &notice, &answer.mentioned)?;
    tx.run(
        sql::FOLLOW_QUESTION,
        params![answer.author_id.0, answer.question_id.0, answer.now],
    )?;
    fan_out_from_write(tx, Job::answered(id, answer))
}

/// An answer was edited: whoever it mentions now and was not told yet is told.
pub fn answer_edited(
    tx: &Transaction,
    id: AnswerId,
    question: QuestionId,
    actor: UserId,
    mentioned: &[UserId],
    now: i64,
) -> rusqlite::Result<()> {
    let notice = Notice::about_answer(NotificationKind::Mention, id, question, actor, now);
    mention(tx, &notice, mentioned)
}

/// A comment was written: the post's author and the mentioned are told.
pub fn commented(tx: &Transaction, id: CommentId, comment: &NewComment) -> rusqlite::Result<()> {
    let notice = comment_notice(tx, id, comment.author_id, comment.now)?;
    notify(tx, sql::notify_post_author(comment.on), &notice, None)?;
    mention(tx, &notice, &comment.mentioned)
}

/// A comment was edited: whoever it mentions now and was not told yet is told.
pub fn comment_edited(
    tx: &Transaction,
    id: CommentId,
    actor: UserId,
    mentioned: &[UserId],
    now: i64,
) -> rusqlite::Result<()> {
    let notice = comment_notice(tx, id, actor, now)?;
    mention(tx, &notice, mentioned)
}

/// The notice of a comment, with its question and answer as stored.
fn comment_notice(
    tx: &Transaction,
    id: CommentId,
    actor: UserId,
    at: i64,
) -> rusqlite::Result<Notice> {
    let (question, answer): (i64, Option<i64>) = tx.one(
        "SELECT question_id, answer_id FROM comments WHERE id = ?1",
        [id.0],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    Ok(Notice::about_comment(
        id,
        QuestionId(question),
        answer.map(AnswerId),
        actor,
        at,
    ))
}

/// An answer was accepted: its author is told, once (taking the mark back and giving it again tells
/// nobody again, and a notice already read stays what happened).
pub fn accepted(
    tx: &Transaction,
    id: AnswerId,
    question: QuestionId,
    actor: UserId,
    now: i64,
) -> rusqlite::Result<()> {
    let notice = Notice::about_answer(NotificationKind::Accepted, id, question, actor, now);
    notify(tx, sql::NOTIFY_ANSWERER, &notice, None)?;
    Ok(())
}

/// One batch of the oldest background job; whether there was one.
pub fn fan_out_step(tx: &Transaction) -> rusqlite::Result<bool> {
    let job = tx
        .one(sql::OLDEST_JOB, [], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                Job {
                    question: QuestionId(row.get(1)?),
                    answer: row.get::<_, Option<i64>>(2)?.map(AnswerId),
                    actor: UserId(row.get(3)?),
                    after_user: row.get(4)?,
                    created_at: row.get(5)?,
                },
            ))
        })
        .optional()?;
    let Some((id, job)) = job else {
        return Ok(false);
    };
    match fan_out(tx, &job, FOLLOWERS_PER_STEP)? {
        Some(last) => tx.run(sql::ADVANCE_JOB, params![id, last])?,
        None => tx.run(sql::END_JOB, [id])?,
    };
    Ok(true)
}

/// The users the typed names are, each once.
pub fn named(conn: &Connection, names: &[String]) -> rusqlite::Result<Vec<Mentioned>> {
    let mut found: Vec<Mentioned> = Vec::with_capacity(names.len());
    for typed in names {
        let [key, as_typed] = username_keys(typed);
        let user = conn
            .one(sql::USER_NAMED, params![key, as_typed], |row| {
                Ok((UserId(row.get(0)?), row.get::<_, String>(1)?))
            })
            .optional()?;
        if let Some((id, username)) = user {
            found.push(Mentioned {
                id,
                username,
                typed_key: key,
            });
        }
    }
    Ok(found)
}

pub fn unread(conn: &Connection, user: UserId) -> rusqlite::Result<i64> {
    Ok(conn
        .one(sql::UNREAD, [user.0], |row| row.get(0))
        .optional()?
        .unwrap_or(0))
}

/// A page of the inbox, as it stands (see [`mark_read`]).
/// A notification as `INBOX` (and the mail's `NOTIFICATION`) read it; `None` for a kind this version does
/// not know.
pub(super) fn notification_from_row(row: &rusqlite::Row) -> rusqlite::Result<Option<Notification>> {
    let Some(kind) = NotificationKind::from_code(&row.get::<_, String>(1)?) else {
        return Ok(None);
    };
    Ok(Some(Notification {
        id: row.get(0)?,
        kind,
        actor: row.get(2)?,
        question_id: QuestionId(row.get(3)?),
        subject: row.get(4)?,
        answer_id: row.get::<_, Option<i64>>(5)?.map(AnswerId),
        comment_id: row.get::<_, Option<i64>>(6)?.map(CommentId),
        created_at: row.get(7)?,
        read: row.get::<_, i64>(8)? != 0,
    }))
}

pub fn inbox(conn: &Connection, user: UserId, before: Option<i64>) -> rusqlite::Result<Inbox> {
    let unread = unread(conn, user)?;
    // Each row's id, and the notification unless its kind is one this version does not know.
    let mut rows: Vec<(i64, Option<Notification>)> = conn
        .prepare_cached(&sql::INBOX)?
        .query_map(
            params![
                user.0,
                before.unwrap_or(i64::MAX),
                NOTIFICATIONS_PER_PAGE + 1
            ],
            |row| Ok((row.get(0)?, notification_from_row(row)?)),
        )?
        .collect::<rusqlite::Result<_>>()?;
    let older = if rows.len() as i64 > NOTIFICATIONS_PER_PAGE {
        rows.truncate(NOTIFICATIONS_PER_PAGE as usize);
        rows.last().map(|(id, _)| *id)
    } else {
        None
    };
    let notifications: Vec<Notification> = rows.into_iter().filter_map(|(_, n)| n).collect();
    Ok(Inbox {
        notifications,
        older,
        is_older_page: before.is_some(),
        unread,
    })
}

/// Marks these notifications of the user read: exactly those a page showed unread (one committed meanwhile
/// among them was not seen).
pub fn mark_read(tx: &Transaction, user: UserId, ids: &[i64]) -> rusqlite::Result<()> {
    let ids = format!(
        "[{}]",
        ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    );
    tx.run(
        "UPDATE notifications SET read = 1
         WHERE user_id = ?1 AND read = 0 AND id IN (SELECT value FROM json_each(?2))",
        params![user.0, ids],
    )?;
    Ok(())
}

pub fn read_all(tx: &Transaction, user: UserId) -> rusqlite::Result<()> {
    tx.run(sql::MARK_ALL_READ, [user.0])?;
    Ok(())
}

/// Follows (`wanted` true) or stops following (false), or the other of the two (`None`); whether the user
/// follows now. `follow` and `unfollow` take the user (`?1`), the key (`?2`) and, to follow, when (`?3`).
fn set_follow(
    tx: &Transaction,
    (follow, unfollow): (&str, &str),
    user: UserId,
    key: i64,
    wanted: Option<bool>,
    now: i64,
) -> rusqlite::Result<bool> {
    let wanted = match wanted {
        Some(wanted) => wanted,
        None => tx.run(unfollow, params![user.0, key])? == 0,
    };
    if wanted {
        tx.run(follow, params![user.0, key, now])?;
    } else {
        tx.run(unfollow, params![user.0, key])?;
    }
    Ok(wanted)
}

/// Follows the question or stops (see [`set_follow`]); `None` when there is no such question.
pub fn follow_question(
    tx: &Transaction,
    user: UserId,
    question: QuestionId,
    wanted: Option<bool>,
    now: i64,
) -> rusqlite::Result<Option<bool>> {
    let exists = tx
        .one(
            "SELECT 1 FROM questions WHERE id = ?1 AND deleted_at IS NULL",
            [question.0],
            |_| Ok(()),
        )
        .optional()?;
    if exists.is_none() {
        return Ok(None);
    }
    let statements = (sql::FOLLOW_QUESTION, sql::UNFOLLOW_QUESTION);
    set_follow(tx, statements, user, question.0, wanted, now).map(Some)
}

/// Follows the tag or stops (see [`set_follow`]); `None` when no question carries it.
pub fn follow_tag(
    tx: &Transaction,
    user: UserId,
    tag: &TagName,
    wanted: Option<bool>,
    now: i64,
) -> rusqlite::Result<Option<bool>> {
    let tag_id: Option<i64> = tx
        .one(
            "SELECT id FROM tags WHERE name = ?1 AND question_count > 0",
            [tag.as_str()],
            |row| row.get(0),
        )
        .optional()?;
    let Some(tag_id) = tag_id else {
        return Ok(None);
    };
    let statements = (sql::FOLLOW_TAG, sql::UNFOLLOW_TAG);
    set_follow(tx, statements, user, tag_id, wanted, now).map(Some)
}

pub fn follows_tag(conn: &Connection, user: UserId, tag: &TagName) -> rusqlite::Result<bool> {
    conn.one(sql::FOLLOWS_TAG, params![user.0, tag.as_str()], |row| {
        row.get(0)
    })
}

pub fn following(conn: &Connection, user: UserId) -> rusqlite::Result<Following> {
    let tags = conn
        .prepare_cached(sql::FOLLOWED_TAGS)?
        .query_map(params![user.0, FOLLOWED_TAGS_SHOWN], |row| {
            Ok(TagName::stored(row.get(0)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let questions = conn
        .prepare_cached(sql::FOLLOWED_QUESTIONS)?
        .query_map(params![user.0, FOLLOWED_QUESTIONS_SHOWN], |row| {
            Ok((QuestionId(row.get(0)?), row.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let question_count = conn.one(sql::FOLLOWED_QUESTION_COUNT, [user.0], |row| row.get(0))?;
    Ok(Following {
        tags,
        questions,
        question_count,
    })
}
