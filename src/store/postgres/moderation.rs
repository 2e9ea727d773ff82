//! Moderation on PostgreSQL (the statements are `store::moderation`'s). Closing, reopening and roles take
//! the board writes' turn (visitors see them); suspensions do not.

use deadpool_postgres::GenericClient;

use super::{PgError, PgStore, numbered, opt, rows, run};
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

/// The actor as this transaction sees them (their row locked against a change of role meanwhile), if the
/// policy lets them do `what`.
pub(super) async fn acting(
    client: &impl GenericClient,
    actor: UserId,
    what: Moderation,
    now: i64,
) -> Result<Result<Actor, Denied>, PgError> {
    let locked = format!("{} FOR SHARE", numbered(sql::ROLE));
    let found = match opt(client, &locked, &[&actor.0]).await? {
        Some(row) => Some((row.try_get(0)?, row.try_get(1)?)),
        None => None,
    };
    Ok(sql::acting(actor, found, what, now))
}

async fn log(
    client: &impl GenericClient,
    actor: Option<UserId>,
    entry: &NewLogEntry,
    now: i64,
) -> Result<(), PgError> {
    run(
        client,
        &numbered(sql::LOG),
        &[
            &now,
            &actor.map(|a| a.0),
            &entry.action.code(),
            &entry.question.map(|q| q.0),
            &entry.user.map(|u| u.0),
            &entry.target,
            &entry.detail,
        ],
    )
    .await?;
    Ok(())
}

/// The account's name and role (its row locked), unless it is deleted.
async fn target(
    client: &impl GenericClient,
    user: UserId,
) -> Result<Option<(String, Role)>, PgError> {
    let locked = format!("{} FOR UPDATE", numbered(sql::TARGET));
    Ok(match opt(client, &locked, &[&user.0]).await? {
        Some(row) => Some((row.try_get(0)?, Role::stored(row.try_get(1)?))),
        None => None,
    })
}

/// Whether the question is closed and its subject (its row locked), if it exists.
async fn question_state(
    client: &impl GenericClient,
    id: QuestionId,
) -> Result<Option<(bool, String)>, PgError> {
    let locked = format!("{} FOR UPDATE", numbered(sql::QUESTION_STATE));
    Ok(match opt(client, &locked, &[&id.0]).await? {
        Some(row) => Some((row.try_get(0)?, row.try_get(1)?)),
        None => None,
    })
}

impl PgStore {
    pub async fn standing(&self, user: UserId, now: i64) -> StoreResult<Option<Standing>> {
        let client = self.client().await?;
        let Some(row) = opt(&client, &numbered(&sql::STANDING), &[&user.0]).await? else {
            return Ok(None);
        };
        Ok(Some(sql::standing(
            row.try_get(0)?,
            row.try_get(1)?,
            row.try_get(2)?,
            (
                row.try_get(3)?,
                row.try_get(4)?,
                row.try_get(5)?,
                row.try_get(6)?,
            ),
            now,
        )))
    }

    pub async fn close_question(
        &self,
        actor: UserId,
        id: QuestionId,
        request: CloseRequest,
        now: i64,
    ) -> StoreResult<Guarded<CloseOutcome>> {
        self.board_write(async |tx| {
            if let Err(why) = acting(tx, actor, Moderation::Close, now).await? {
                return Ok(Guarded::Denied(why));
            }
            let Some((closed, subject)) = question_state(tx, id).await? else {
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
                    let found: Option<Option<i64>> =
                        match opt(tx, &numbered(sql::ORIGINAL), &[&at.0, &(step > 0)]).await? {
                            Some(row) => Some(row.try_get(0)?),
                            None => None,
                        };
                    match sql::chain_step(step, found, id) {
                        Ok(further) => next = further,
                        Err(outcome) => return Ok(Guarded::Done(outcome)),
                    }
                }
            }
            run(
                tx,
                &numbered(sql::CLOSE),
                &[
                    &id.0,
                    &now,
                    &request.reason.code(),
                    &request.note,
                    &request.duplicate_of.map(|q| q.0),
                    &actor.0,
                ],
            )
            .await?;
            log(tx, Some(actor), &request.log_entry(id, subject), now).await?;
            // Closing is the moderator's decision on the question's flags.
            let post = crate::domain::policy::PostRef::Question(id);
            super::flags::resolve(tx, post, Resolution::Closed, now, Some(actor)).await?;
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
        self.board_write(async |tx| {
            if let Err(why) = acting(tx, actor, Moderation::Close, now).await? {
                return Ok(Guarded::Denied(why));
            }
            let Some((_, subject)) = question_state(tx, id).await? else {
                return Ok(Guarded::Missing);
            };
            let reopened = run(tx, &numbered(sql::REOPEN), &[&id.0]).await? > 0;
            if reopened {
                let entry = NewLogEntry::about_question(LogAction::Reopen, id, subject);
                log(tx, Some(actor), &entry, now).await?;
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
        self.quiet_write(async |tx| {
            let Some((name, role)) = target(tx, user).await? else {
                return Ok(Guarded::Missing);
            };
            if let Err(why) = acting(tx, actor, Moderation::Suspend { target: role }, now).await? {
                return Ok(Guarded::Denied(why));
            }
            let changed = match &suspension {
                Some(suspension) => {
                    let values: [&(dyn tokio_postgres::types::ToSql + Sync); 3] =
                        [&user.0, &suspension.until, &suspension.reason];
                    run(tx, &numbered(sql::SUSPEND), &values).await?
                }
                None => run(tx, &numbered(sql::UNSUSPEND), &[&user.0, &now]).await?,
            } > 0;
            if changed {
                let entry = Suspension::log_change(suspension.as_ref(), user, name);
                log(tx, Some(actor), &entry, now).await?;
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
        self.board_write(async |tx| {
            let Some((name, was)) = target(tx, user).await? else {
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
                )
                .await?
            {
                return Ok(Guarded::Denied(why));
            }
            if was != role {
                run(tx, &numbered(sql::SET_ROLE), &[&user.0, &role.code()]).await?;
                let entry = NewLogEntry::about_user(LogAction::Role, user, name, role.code());
                log(tx, actor, &entry, now).await?;
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
        let client = self.client().await?;
        let found = rows(
            &client,
            &numbered(sql::ACCOUNTS),
            &[&after.0, &limit, &i64::from(staff_only)],
        )
        .await?;
        Ok(found
            .iter()
            .map(|row| {
                let (role, suspension) =
                    profiles::standing(row.try_get(2)?, row.try_get(4)?, row.try_get(5)?);
                Ok(AccountRow {
                    id: UserId(row.try_get(0)?),
                    username: row.try_get(1)?,
                    role,
                    joined_at: row.try_get(3)?,
                    suspension,
                })
            })
            .collect::<Result<_, PgError>>()?)
    }

    pub async fn moderation_log(&self, before: Option<i64>) -> StoreResult<LogPage> {
        let client = self.client().await?;
        let found = rows(
            &client,
            &numbered(sql::LOG_PAGE),
            &[&before.unwrap_or(i64::MAX), &(LOG_PAGE + 1)],
        )
        .await?;
        let mut entries = Vec::with_capacity(found.len());
        for row in &found {
            entries.extend(sql::log_entry(
                row.try_get(0)?,
                row.try_get(1)?,
                row.try_get(2)?,
                row.try_get(3)?,
                row.try_get(4)?,
                row.try_get(5)?,
                row.try_get(6)?,
            ));
        }
        Ok(LogPage::of(&mut entries))
    }
}
