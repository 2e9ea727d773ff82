//! Deleting, undeleting and purging questions and answers (`store::deletion` says how the rows are marked
//! and the counts follow).

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Cached, SqliteStore, answers, flags, found, guarded, questions, revisions, tags};
use crate::{
    domain::{
        self,
        flags::Resolution,
        ids::QuestionId,
        policy::{Actor, PostRef},
        posts::Removal,
    },
    store::{Guarded, StoreResult, deletion as sql},
};

impl SqliteStore {
    /// Deletes, undeletes or purges a question or an answer if the policy lets `actor`; returns its
    /// question. Undeleting what is not deleted changes nothing.
    pub async fn remove(
        &self,
        actor: Actor,
        post: PostRef,
        how: Removal,
    ) -> StoreResult<Guarded<QuestionId>> {
        self.db
            .write(move |tx| {
                let outcome = guarded(tx, actor, how.action(), post, || {
                    let now = domain::now();
                    let log = || {
                        revisions::log_change(tx, post, actor.id, now, (how.logged().code(), ""))
                    };
                    // A purge is logged first (it takes the row the entry names); an undelete only when
                    // there was something to bring back.
                    Ok(match how {
                        Removal::Delete => {
                            log()?;
                            delete(tx, post, actor, now)?
                        }
                        Removal::Undelete => {
                            let (question, changed) = undelete(tx, post)?;
                            if changed {
                                log()?;
                            }
                            question
                        }
                        Removal::Purge => {
                            log()?;
                            purge(tx, post)?
                        }
                    })
                })?;
                Ok(found(outcome))
            })
            .await
    }
}

/// Marks the post deleted; a question's answers go with it, and a moderator's deletion resolves the
/// post's flags. The answers and the accepted mark go first, while the question still counts, so every
/// count moves as it would for a live question.
pub(super) fn delete(
    tx: &Transaction,
    post: PostRef,
    actor: Actor,
    now: i64,
) -> rusqlite::Result<Option<QuestionId>> {
    flags::resolve(tx, post, Resolution::Deleted, now, Some(actor.id))?;
    for (forget, id) in sql::quiet_notifications(post) {
        tx.run(forget, [id])?;
    }
    let question = match post {
        PostRef::Question(id) => {
            tx.run(sql::ANSWERS_WITH_QUESTION, params![id.0, now, actor.id.0])?;
            tx.run(sql::RECOUNT_ANSWERS, [id.0])?;
            tags::relink(tx, id, false)?;
            if tx.run(sql::DELETE_QUESTION, params![id.0, now, actor.id.0])? > 0 {
                questions::change_total(tx, -1)?;
            }
            Some(id)
        }
        PostRef::Answer(id) => {
            tx.run(sql::UNACCEPT, [id.0])?;
            let question: Option<i64> = tx
                .one(sql::DELETE_ANSWER, params![id.0, now, actor.id.0], |row| {
                    row.get(0)
                })
                .optional()?;
            if let Some(question) = question {
                tx.run(sql::RECOUNT_ANSWERS, [question])?;
            }
            question.map(QuestionId)
        }
        PostRef::Comment(_) => None,
    };
    Ok(question)
}

/// Takes the deletion mark off; a question's answers deleted with it come back with it, after it. Its
/// question, and whether there was a mark to take off.
pub(super) fn undelete(
    tx: &Transaction,
    post: PostRef,
) -> rusqlite::Result<(Option<QuestionId>, bool)> {
    match post {
        PostRef::Question(id) => {
            let changed = tx.run(sql::UNDELETE_QUESTION, [id.0])? > 0;
            if changed {
                questions::change_total(tx, 1)?;
                tags::relink(tx, id, true)?;
                tx.run(sql::ANSWERS_BACK_WITH_QUESTION, [id.0])?;
                tx.run(sql::RECOUNT_ANSWERS, [id.0])?;
            }
            Ok((Some(id), changed))
        }
        PostRef::Answer(id) => {
            let (question, _) = answer_state(tx, id.0)?;
            let changed = tx.run(sql::UNDELETE_ANSWER, [id.0])? > 0;
            if changed {
                tx.run(sql::RECOUNT_ANSWERS, [question])?;
            }
            Ok((Some(QuestionId(question)), changed))
        }
        PostRef::Comment(_) => Ok((None, false)),
    }
}

/// Removes the post for good: one not deleted as a delete always did (every count moving), one deleted
/// already by its row alone (it left the counts when it was deleted).
pub(super) fn purge(tx: &Transaction, post: PostRef) -> rusqlite::Result<Option<QuestionId>> {
    let (question, deleted) = match post {
        PostRef::Question(id) => (
            id.0,
            tx.one(sql::QUESTION_DELETED, [id.0], |row| row.get(0))?,
        ),
        PostRef::Answer(id) => answer_state(tx, id.0)?,
        PostRef::Comment(_) => return Ok(None),
    };
    if deleted {
        let (purge, id) = sql::purge_deleted(post);
        tx.run(purge, [id])?;
    } else {
        match post {
            PostRef::Question(id) => questions::delete(tx, id)?,
            PostRef::Answer(id) => {
                answers::delete(tx, id)?;
            }
            PostRef::Comment(_) => {}
        }
    }
    Ok(Some(QuestionId(question)))
}

/// The answer's question and whether the answer is deleted.
fn answer_state(tx: &Transaction, id: i64) -> rusqlite::Result<(i64, bool)> {
    tx.one(sql::ANSWER_STATE, [id], |row| {
        Ok((row.get(0)?, row.get(1)?))
    })
}
