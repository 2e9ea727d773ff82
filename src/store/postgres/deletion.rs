//! Deleting, undeleting and purging questions and answers, as on SQLite (`store::deletion` says how the
//! rows are marked and the counts follow).

use deadpool_postgres::GenericClient;

use super::{PgError, PgStore, board, flags, numbered, one, opt, revisions, run, tags};
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

impl PgStore {
    /// Deletes, undeletes or purges a question or an answer if the policy lets `actor`; returns its
    /// question. Undeleting what is not deleted changes nothing.
    pub async fn remove(
        &self,
        actor: Actor,
        post: PostRef,
        how: Removal,
    ) -> StoreResult<Guarded<QuestionId>> {
        self.guarded_write(actor, how.action(), post, async |tx| {
            let now = domain::now();
            let logged = (how.logged().code(), "");
            // A purge is logged first (it takes the row the entry names); an undelete only when there was
            // something to bring back.
            match how {
                Removal::Delete => {
                    revisions::log_change(tx, post, actor.id, now, logged).await?;
                    delete(tx, post, actor, now).await
                }
                Removal::Undelete => {
                    let (question, changed) = undelete(tx, post).await?;
                    if changed {
                        revisions::log_change(tx, post, actor.id, now, logged).await?;
                    }
                    Ok(question)
                }
                Removal::Purge => {
                    revisions::log_change(tx, post, actor.id, now, logged).await?;
                    purge(tx, post).await
                }
            }
        })
        .await
    }
}

/// Marks the post deleted; a question's answers go with it, and a moderator's deletion resolves the
/// post's flags. The answers and the accepted mark go first, while the question still counts, so every
/// count moves as it would for a live question.
async fn delete(
    client: &impl GenericClient,
    post: PostRef,
    actor: Actor,
    now: i64,
) -> Result<Option<QuestionId>, PgError> {
    flags::resolve(client, post, Resolution::Deleted, now, Some(actor.id)).await?;
    for (forget, id) in sql::quiet_notifications(post) {
        run(client, &numbered(forget), &[&id]).await?;
    }
    match post {
        PostRef::Question(id) => {
            let marked = [
                &id.0 as &(dyn tokio_postgres::types::ToSql + Sync),
                &now,
                &actor.id.0,
            ];
            run(client, &numbered(sql::ANSWERS_WITH_QUESTION), &marked).await?;
            run(client, &numbered(sql::RECOUNT_ANSWERS), &[&id.0]).await?;
            tags::relink(client, id, false).await?;
            if run(client, &numbered(sql::DELETE_QUESTION), &marked).await? > 0 {
                board::change_total(client, -1).await?;
            }
            Ok(Some(id))
        }
        PostRef::Answer(id) => {
            run(client, &numbered(sql::UNACCEPT), &[&id.0]).await?;
            let Some(row) = opt(
                client,
                &numbered(sql::DELETE_ANSWER),
                &[&id.0, &now, &actor.id.0],
            )
            .await?
            else {
                return Ok(None);
            };
            let question: i64 = row.try_get(0)?;
            run(client, &numbered(sql::RECOUNT_ANSWERS), &[&question]).await?;
            Ok(Some(QuestionId(question)))
        }
        PostRef::Comment(_) => Ok(None),
    }
}

/// Takes the deletion mark off; a question's answers deleted with it come back with it, after it. Its
/// question, and whether there was a mark to take off.
async fn undelete(
    client: &impl GenericClient,
    post: PostRef,
) -> Result<(Option<QuestionId>, bool), PgError> {
    match post {
        PostRef::Question(id) => {
            let changed = run(client, &numbered(sql::UNDELETE_QUESTION), &[&id.0]).await? > 0;
            if changed {
                board::change_total(client, 1).await?;
                tags::relink(client, id, true).await?;
                run(client, &numbered(sql::ANSWERS_BACK_WITH_QUESTION), &[&id.0]).await?;
                run(client, &numbered(sql::RECOUNT_ANSWERS), &[&id.0]).await?;
            }
            Ok((Some(id), changed))
        }
        PostRef::Answer(id) => {
            let (question, _) = answer_state(client, id.0).await?;
            let changed = run(client, &numbered(sql::UNDELETE_ANSWER), &[&id.0]).await? > 0;
            if changed {
                run(client, &numbered(sql::RECOUNT_ANSWERS), &[&question]).await?;
            }
            Ok((Some(QuestionId(question)), changed))
        }
        PostRef::Comment(_) => Ok((None, false)),
    }
}

/// Removes the post for good: one not deleted as a delete always did (every count moving), one deleted
/// already by its row alone (it left the counts when it was deleted).
async fn purge(client: &impl GenericClient, post: PostRef) -> Result<Option<QuestionId>, PgError> {
    let (question, deleted) = match post {
        PostRef::Question(id) => (
            id.0,
            one(client, &numbered(sql::QUESTION_DELETED), &[&id.0])
                .await?
                .try_get(0)?,
        ),
        PostRef::Answer(id) => answer_state(client, id.0).await?,
        PostRef::Comment(_) => return Ok(None),
    };
    if deleted {
        let (purge, id) = sql::purge_deleted(post);
        run(client, &numbered(purge), &[&id]).await?;
    } else {
        match post {
            PostRef::Question(id) => board::delete_question(client, id).await?,
            PostRef::Answer(id) => {
                board::delete_answer(client, id).await?;
            }
            PostRef::Comment(_) => {}
        }
    }
    Ok(Some(QuestionId(question)))
}

/// The answer's question and whether the answer is deleted.
async fn answer_state(client: &impl GenericClient, id: i64) -> Result<(i64, bool), PgError> {
    let row = one(client, &numbered(sql::ANSWER_STATE), &[&id]).await?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}
