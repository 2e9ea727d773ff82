//! The SQL of notifications and follows, the same on both engines (`?n` placeholders; PostgreSQL's side
//! numbers them `$n`). A statement that notifies takes its values in one order: `?1` the kind's code, `?2`
//! the question, `?3` the answer (or NULL), `?4` the comment (or NULL), `?5` who acted, `?6` when; nobody is
//! told of what they did themselves, and nobody twice of one post (`notifications_once`).

/// Notifies the question's author.
pub const NOTIFY_ASKER: &str =
    "INSERT INTO notifications (user_id, kind, question_id, answer_id, comment_id, actor_id, created_at)
     SELECT author_id, CAST(?1 AS TEXT), id, CAST(?3 AS BIGINT), CAST(?4 AS BIGINT), CAST(?5 AS BIGINT),
            CAST(?6 AS BIGINT)
     FROM questions WHERE id = ?2 AND author_id <> ?5
     ON CONFLICT DO NOTHING";

/// Notifies the answer's author.
pub const NOTIFY_ANSWERER: &str =
    "INSERT INTO notifications (user_id, kind, question_id, answer_id, comment_id, actor_id, created_at)
     SELECT author_id, CAST(?1 AS TEXT), CAST(?2 AS BIGINT), id, CAST(?4 AS BIGINT), CAST(?5 AS BIGINT),
            CAST(?6 AS BIGINT)
     FROM answers WHERE id = ?3 AND author_id <> ?5
     ON CONFLICT DO NOTHING";

/// Notifies the user `?7`.
pub const NOTIFY_USER: &str =
    "INSERT INTO notifications (user_id, kind, question_id, answer_id, comment_id, actor_id, created_at)
     SELECT CAST(?7 AS BIGINT), CAST(?1 AS TEXT), CAST(?2 AS BIGINT), CAST(?3 AS BIGINT), CAST(?4 AS BIGINT),
            CAST(?5 AS BIGINT), CAST(?6 AS BIGINT)
     WHERE CAST(?7 AS BIGINT) <> CAST(?5 AS BIGINT)
     ON CONFLICT DO NOTHING";

/// How many people a post (`?1` its question, `?2` its answer or 0, `?3` its comment or 0) has told they
/// were mentioned: edits add to it up to the same cap a new post has.
pub const MENTIONS_OF_POST: &str = "SELECT count(*) FROM notifications
     WHERE question_id = ?1 AND coalesce(answer_id, 0) = ?2 AND coalesce(comment_id, 0) = ?3
       AND kind = 'mention'";

/// `?1` follows the question `?2` from `?3` on (asking or answering it does).
pub const FOLLOW_QUESTION: &str = "INSERT INTO question_follows (question_id, user_id, created_at)
     VALUES (?2, ?1, ?3) ON CONFLICT DO NOTHING";

/// `?1` stops following the question `?2`.
pub const UNFOLLOW_QUESTION: &str =
    "DELETE FROM question_follows WHERE question_id = ?2 AND user_id = ?1";

/// `?1` follows the tag `?2` from `?3` on.
pub const FOLLOW_TAG: &str = "INSERT INTO tag_follows (tag_id, user_id, created_at)
     VALUES (?2, ?1, ?3) ON CONFLICT DO NOTHING";

/// `?1` stops following the tag `?2`.
pub const UNFOLLOW_TAG: &str = "DELETE FROM tag_follows WHERE tag_id = ?2 AND user_id = ?1";

/// Whether the user `?1` follows the tag named `?2`.
pub const FOLLOWS_TAG: &str =
    "SELECT EXISTS (SELECT 1 FROM tag_follows f JOIN tags t ON t.id = f.tag_id
     WHERE t.name = ?2 AND f.user_id = ?1)";

/// The next followers of the question `?1` after user `?2`, in id order, at most `?3`.
pub const QUESTION_FOLLOWERS: &str = "SELECT user_id FROM question_follows
     WHERE question_id = ?1 AND user_id > ?2 ORDER BY user_id LIMIT ?3";

/// The tags of the question `?1`.
pub const QUESTION_TAG_IDS: &str = "SELECT tag_id FROM question_tags WHERE question_id = ?1";

/// The next followers of the tag `?1` after user `?2`, in id order, at most `?3`: one range of the key,
/// however many follow it.
pub const TAG_FOLLOWERS: &str = "SELECT user_id FROM tag_follows
     WHERE tag_id = ?1 AND user_id > ?2 ORDER BY user_id LIMIT ?3";

/// Followers left to notify of a post, after user `after_user` (`?1` question, `?2` answer or NULL, `?3`
/// who posted, `?4` the last follower notified, `?5` when).
pub const ADD_JOB: &str =
    "INSERT INTO notification_jobs (question_id, answer_id, actor_id, after_user, created_at)
     VALUES (?1, ?2, ?3, ?4, ?5)";

/// The oldest job.
pub const OLDEST_JOB: &str =
    "SELECT id, question_id, answer_id, actor_id, after_user, created_at FROM notification_jobs
     ORDER BY id LIMIT 1";

/// A job's progress (`?1` the job, `?2` the last follower notified).
pub const ADVANCE_JOB: &str = "UPDATE notification_jobs SET after_user = ?2 WHERE id = ?1";

/// A job done.
pub const END_JOB: &str = "DELETE FROM notification_jobs WHERE id = ?1";

/// The navbar's count (`?1` the user).
pub const UNREAD: &str = "SELECT unread_notifications FROM users WHERE id = ?1";

/// A page of the inbox: `?1`'s notifications before id `?2`, newest first, at most `?3`; none about a
/// deleted post.
pub static INBOX: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "SELECT n.id, n.kind, u.username, n.question_id, q.subject, n.answer_id, n.comment_id,
                n.created_at, n.read
         FROM notifications n JOIN users u ON u.id = n.actor_id JOIN questions q ON q.id = n.question_id
         WHERE n.user_id = ?1 AND n.id < ?2 AND NOT {}
         ORDER BY n.id DESC LIMIT ?3",
        super::deletion::HIDDEN_FROM_INBOX
    )
});

/// Marks every notification of `?1` read.
pub const MARK_ALL_READ: &str = "UPDATE notifications SET read = 1 WHERE user_id = ?1 AND read = 0";

/// The tags `?1` follows, by name, at most `?2`.
pub const FOLLOWED_TAGS: &str = "SELECT t.name FROM tag_follows f JOIN tags t ON t.id = f.tag_id
     WHERE f.user_id = ?1 ORDER BY t.name LIMIT ?2";

/// The questions `?1` followed most recently, at most `?2` (none deleted: the follow waits for its
/// undelete).
pub const FOLLOWED_QUESTIONS: &str = "SELECT q.id, q.subject FROM question_follows f
     JOIN questions q ON q.id = f.question_id
     WHERE f.user_id = ?1 AND q.deleted_at IS NULL
     ORDER BY f.created_at DESC, f.question_id DESC LIMIT ?2";

/// How many questions `?1` follows (none deleted).
pub const FOLLOWED_QUESTION_COUNT: &str = "SELECT count(*) FROM question_follows f
     JOIN questions q ON q.id = f.question_id WHERE f.user_id = ?1 AND q.deleted_at IS NULL";

/// A user found by a typed name (`?1` its lookup key, `?2` the older key as typed: see `PROFILE`).
pub const USER_NAMED: &str = "SELECT id, username FROM users
     WHERE username_key IN (?1, ?2) AND deleted_at IS NULL
     ORDER BY username_key = ?2 DESC LIMIT 1";

use super::{NewAnswer, NewQuestion};

/// Wakes the background fan-out of every board this process serves: a write left followers to tell. (The
/// fan-out takes the write lock first, so it finds the job once the write commits.)
static WORK_WAITING: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Says that a write left followers to tell.
pub fn work_waiting() {
    WORK_WAITING.notify_waiters();
}

/// Completes when a write says it left followers to tell.
pub async fn work_left() {
    WORK_WAITING.notified().await;
}
use crate::domain::{
    ids::{AnswerId, CommentId, QuestionId, UserId},
    notifications::NotificationKind,
    policy::PostRef,
};

/// What happened, as the statements above take it.
#[derive(Clone, Copy, Debug)]
pub struct Notice {
    pub kind: NotificationKind,
    pub question: QuestionId,
    pub answer: Option<AnswerId>,
    pub comment: Option<CommentId>,
    pub actor: UserId,
    pub at: i64,
}

impl Notice {
    /// Something done to an answer: it was written (`Answer`), it mentions someone (`Mention`), it was
    /// accepted (`Accepted`).
    pub fn about_answer(
        kind: NotificationKind,
        id: AnswerId,
        question: QuestionId,
        actor: UserId,
        at: i64,
    ) -> Self {
        Self {
            kind,
            question,
            answer: Some(id),
            comment: None,
            actor,
            at,
        }
    }

    /// A comment, under its question and answer as stored.
    pub fn about_comment(
        id: CommentId,
        question: QuestionId,
        answer: Option<AnswerId>,
        actor: UserId,
        at: i64,
    ) -> Self {
        Self {
            kind: NotificationKind::Comment,
            question,
            answer,
            comment: Some(id),
            actor,
            at,
        }
    }

    /// The same event, told for another reason (a mention in the post that answered).
    pub fn as_kind(self, kind: NotificationKind) -> Self {
        Self { kind, ..self }
    }
}

/// The statement that tells a comment's post's author.
pub fn notify_post_author(on: PostRef) -> &'static str {
    match on {
        PostRef::Answer(_) => NOTIFY_ANSWERER,
        _ => NOTIFY_ASKER,
    }
}

/// Followers to notify of a new answer (`answer` set) or question, after the user `after_user`.
#[derive(Clone, Copy, Debug)]
pub struct Job {
    pub question: QuestionId,
    pub answer: Option<AnswerId>,
    pub actor: UserId,
    pub after_user: i64,
    pub created_at: i64,
}

/// The first `limit` of the followers of several tags (each list in id order), each once, in id order.
pub fn merge_followers(lists: Vec<Vec<i64>>, limit: i64) -> Vec<i64> {
    let mut all: Vec<i64> = lists.into_iter().flatten().collect();
    all.sort_unstable();
    all.dedup();
    all.truncate(usize::try_from(limit).unwrap_or(0));
    all
}

impl Job {
    /// The followers of a new question's tags.
    pub fn asked(id: QuestionId, question: &NewQuestion) -> Self {
        Self {
            question: id,
            answer: None,
            actor: question.author_id,
            after_user: 0,
            created_at: question.now,
        }
    }

    /// The followers of a newly answered question.
    pub fn answered(id: AnswerId, answer: &NewAnswer) -> Self {
        Self {
            question: answer.question_id,
            answer: Some(id),
            actor: answer.author_id,
            after_user: 0,
            created_at: answer.now,
        }
    }

    /// What each follower is told.
    pub fn notice(&self) -> Notice {
        Notice {
            kind: if self.answer.is_some() {
                NotificationKind::FollowedAnswer
            } else {
                NotificationKind::TaggedQuestion
            },
            question: self.question,
            answer: self.answer,
            comment: None,
            actor: self.actor,
            at: self.created_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::merge_followers;

    #[test]
    fn followers_of_several_tags_come_once_each_in_id_order() {
        let merged = merge_followers(vec![vec![2, 5, 9], vec![1, 5, 7], vec![]], 4);
        assert_eq!(merged, [1, 2, 5, 7]);
        assert!(merge_followers(vec![vec![3]], 0).is_empty());
    }
}
