//! Moderation on SQLite (the statements are `store::moderation`'s). Closing, reopening and roles are
//! changes visitors see (a closed question's page, a moderator's badge); suspensions are not.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Cached, SqliteStore};
use crate::{
    domain::flags::Resolution,
    domain::{
        ids::{QuestionId, UserId},
        moderation::{
            AccountRow, CloseOutcome, CloseRequest, LOG_PAGE, LogAction, LogPage, NewLogEntry,
            Standing, Suspension,
        },
        policy::{Actor, Denied, Moderation, Role},
    },
    store::{Guarded, StoreResult, moderation as sql, profiles},
};

/// The actor as this transaction sees them, if the policy lets them do `what` (asked of the role and
/// suspension read here, not of those read when the request began).
pub(super) fn acting(
    tx: &Transaction,
    actor: UserId,
    what: Moderation,
    now: i64,
) -> rusqlite::Result<Result<Actor, Denied>> {
    let found = tx
        .one(sql::ROLE, [actor.0], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    Ok(sql::acting(actor, found, what, now))
}

fn log(
    tx: &Transaction,
    actor: Option<UserId>,
    entry: &NewLogEntry,
    now: i64,
) -> rusqlite::Result<()> {
    tx.run(
        sql::LOG,
        params![
            now,
            actor.map(|a| a.0),
            entry.action.code(),
            entry.question.map(|q| q.0),
            entry.user.map(|u| u.0),
            entry.target,
            entry.detail
        ],
    )?;
    Ok(())
}

/// The account's name and role, unless it is deleted.
fn target(tx: &Transaction, user: UserId) -> rusqlite::Result<Option<(String, Role)>> {
    tx.one(sql::TARGET, [user.0], |row| {
        Ok((row.get(0)?, Role::stored(&row.get::<_, String>(1)?)))
    })
    .optional()
}

impl SqliteStore {
    pub async fn standing(&self, user: UserId, now: i64) -> StoreResult<Option<Standing>> {
        self.db
            .read(move |conn| {
                conn.one(&sql::STANDING, [user.0], |row| {
                    Ok(sql::standing(
                        &row.get::<_, String>(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        (row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?),
                        now,
                    ))
                })
                .optional()
            })
            .await
    }

    pub async fn close_question(
        &self,
        actor: UserId,
        id: QuestionId,
        request: CloseRequest,
        now: i64,
    ) -> StoreResult<Guarded<CloseOutcome>> {
        self.db
            .write(move |tx| {
                if let Err(why) = acting(tx, actor, Moderation::Close, now)? {
                    return Ok(Guarded::Denied(why));
                }
                let Some((closed, subject)) = tx
                    .one(sql::QUESTION_STATE, [id.0], |row| {
                        Ok((row.get::<_, bool>(0)?, row.get::<_, String>(1)?))
                    })
                    .optional()?
                else {
                    return Ok(Guarded::Missing);
                };
                if closed {
                    return Ok(Guarded::Done(CloseOutcome::AlreadyClosed));
                }
                if let Some(original) = request.duplicate_of {
                    // Each original's own original, until the chain ends or comes back here.
                    let mut next = Some(original);
                    for step in 0..sql::CHAIN_STEPS {
                        let Some(at) = next else { break };
                        let found: Option<Option<i64>> = tx
                            .one(sql::ORIGINAL, params![at.0, step > 0], |row| row.get(0))
                            .optional()?;
                        match sql::chain_step(step, found, id) {
                            Ok(further) => next = further,
                            Err(outcome) => return Ok(Guarded::Done(outcome)),
                        }
                    }
                }
                tx.run(
                    sql::CLOSE,
                    params![
                        id.0,
                        now,
                        request.reason.code(),
                        request.note,
                        request.duplicate_of.map(|q| q.0),
                        actor.0
                    ],
                )?;
                log(tx, Some(actor), &request.log_entry(id, subject), now)?;
                // Closing is the moderator's decision on the question's flags.
                let post = crate::domain::policy::PostRef::Question(id);
                super::flags::resolve(tx, post, Resolution::Closed, now, Some(actor))?;
                Ok(Guarded::Done(CloseOutcome::Closed))
            })
            .await
    }

    pub async fn reopen_question(
        &self,
        actor: UserId,
        id: QuestionId,
        now: i64,
    ) -> StoreResult<Guarded<bool>> {
        self.db
            .write(move |tx| {
                if let Err(why) = acting(tx, actor, Moderation::Close, now)? {
                    return Ok(Guarded::Denied(why));
                }
                let Some(subject) = tx
                    .one(sql::QUESTION_STATE, [id.0], |row| row.get::<_, String>(1))
                    .optional()?
                else {
                    return Ok(Guarded::Missing);
                };
                let reopened = tx.run(sql::REOPEN, [id.0])? > 0;
                if reopened {
                    let entry = NewLogEntry::about_question(LogAction::Reopen, id, subject);
                    log(tx, Some(actor), &entry, now)?;
                }
                Ok(Guarded::Done(reopened))
            })
            .await
    }

    pub async fn set_suspension(
        &self,
        actor: UserId,
        user: UserId,
        suspension: Option<Suspension>,
        now: i64,
    ) -> StoreResult<Guarded<bool>> {
        self.db
            .write_unseen(move |tx| {
                let Some((name, role)) = target(tx, user)? else {
                    return Ok(Guarded::Missing);
                };
                if let Err(why) = acting(tx, actor, Moderation::Suspend { target: role }, now)? {
                    return Ok(Guarded::Denied(why));
                }
                let changed = match &suspension {
                    Some(suspension) => tx.run(
                        sql::SUSPEND,
                        params![user.0, suspension.until, suspension.reason],
                    )?,
                    None => tx.run(sql::UNSUSPEND, params![user.0, now])?,
                } > 0;
                if changed {
                    log(
                        tx,
                        Some(actor),
                        &Suspension::log_change(suspension.as_ref(), user, name),
                        now,
                    )?;
                }
                Ok(Guarded::Done(changed))
            })
            .await
    }

    pub async fn set_role(
        &self,
        actor: Option<UserId>,
        user: UserId,
        role: Role,
        now: i64,
    ) -> StoreResult<Guarded<Role>> {
        self.db
            .write(move |tx| {
                let Some((name, was)) = target(tx, user)? else {
                    return Ok(Guarded::Missing);
                };
                if let Some(actor) = actor
                    && let Err(why) = acting(
                        tx,
                        actor,
                        Moderation::GrantRole {
                            target: user,
                            target_role: was,
                        },
                        now,
                    )?
                {
                    return Ok(Guarded::Denied(why));
                }
                if was != role {
                    tx.run(sql::SET_ROLE, params![user.0, role.code()])?;
                    let entry = NewLogEntry::about_user(LogAction::Role, user, name, role.code());
                    log(tx, actor, &entry, now)?;
                }
                Ok(Guarded::Done(was))
            })
            .await
    }

    pub async fn accounts(
        &self,
        after: UserId,
        limit: i64,
        staff_only: bool,
    ) -> StoreResult<Vec<AccountRow>> {
        self.db
            .read(move |conn| {
                conn.prepare_cached(sql::ACCOUNTS)?
                    .query_map(params![after.0, limit, i64::from(staff_only)], |row| {
                        let (role, suspension) =
                            profiles::standing(&row.get::<_, String>(2)?, row.get(4)?, row.get(5)?);
                        Ok(AccountRow {
                            id: UserId(row.get(0)?),
                            username: row.get(1)?,
                            role,
                            joined_at: row.get(3)?,
                            suspension,
                        })
                    })?
                    .collect()
            })
            .await
    }

    pub async fn moderation_log(&self, before: Option<i64>) -> StoreResult<LogPage> {
        self.db
            .read(move |conn| {
                let mut entries = conn
                    .prepare_cached(sql::LOG_PAGE)?
                    .query_map(params![before.unwrap_or(i64::MAX), LOG_PAGE + 1], |row| {
                        Ok(sql::log_entry(
                            row.get(0)?,
                            row.get(1)?,
                            row.get(2)?,
                            &row.get::<_, String>(3)?,
                            row.get(4)?,
                            row.get(5)?,
                            row.get(6)?,
                        ))
                    })?
                    .filter_map(Result::transpose)
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(LogPage::of(&mut entries))
            })
            .await
    }
}
