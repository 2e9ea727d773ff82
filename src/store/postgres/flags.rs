//! Flags on PostgreSQL (the statements are `store::flags`'). Raising one takes the board writes' turn (it
//! may hide the post); resolving is part of the moderator's decision (an edit, a closing, a dismissal).

use deadpool_postgres::GenericClient;

use super::{PgError, PgStore, guard, moderation::acting, numbered, opt, revisions, rows, run};
use crate::{
    domain::{
        flags::{Flagged, NewFlag, REVIEW_PAGE, Resolution, ReviewItem},
        ids::UserId,
        moderation::LogAction,
        policy::{Action, Actor, Moderation, PostRef},
    },
    store::{Guarded, StoreResult, flags as sql},
};

/// Resolves the post's open flags as `resolution` decided by `by` (not on their own post), and shows the
/// post again; returns how many flags were open.
pub async fn resolve(
    client: &impl GenericClient,
    post: PostRef,
    resolution: Resolution,
    now: i64,
    by: Option<UserId>,
) -> Result<u64, PgError> {
    let by = by.map_or(0, |user| user.0);
    let (resolve, id) = sql::resolve(post);
    let resolved = run(
        client,
        &numbered(&resolve),
        &[&id, &now, &resolution.code(), &by],
    )
    .await?;
    if resolved > 0 && resolution.shows_again() {
        let (unhide, id) = sql::unhide(post);
        run(client, &numbered(&unhide), &[&id, &by]).await?;
    }
    Ok(resolved)
}

async fn hidden(client: &impl GenericClient, post: PostRef) -> Result<bool, PgError> {
    let (hidden, id) = sql::hidden(post);
    Ok(match opt(client, &numbered(&hidden), &[&id]).await? {
        Some(row) => row.try_get(0)?,
        None => false,
    })
}

impl PgStore {
    pub async fn flag(
        &self,
        actor: Actor,
        post: PostRef,
        flag: NewFlag,
        now: i64,
    ) -> StoreResult<Guarded<Flagged>> {
        self.board_write_if_made(async |tx| {
            match guard(tx, actor, Action::Flag, post).await? {
                Guarded::Done(()) => {}
                Guarded::Missing => return Ok(Guarded::Missing),
                Guarded::Denied(why) => return Ok(Guarded::Denied(why)),
            }
            let (raise, id) = sql::raise(post);
            let raised = run(
                tx,
                &numbered(&raise),
                &[&id, &actor.id.0, &flag.reason.code(), &flag.note, &now],
            )
            .await?;
            if raised == 0 {
                // Nothing new: the (empty) write still commits and tells the other servers, as a like does.
                return Ok(Guarded::Done(Flagged::Already));
            }
            let (spam, id) = sql::open_spam(post);
            let spam: i64 = match opt(tx, &numbered(&spam), &[&id]).await? {
                Some(row) => row.try_get(0)?,
                None => 0,
            };
            if spam >= crate::domain::flags::SPAM_FLAGS_TO_HIDE {
                let (hide, id) = sql::hide(post);
                run(tx, &numbered(&hide), &[&id, &now]).await?;
            }
            Ok(Guarded::Done(Flagged::Raised {
                hidden: hidden(tx, post).await?,
            }))
        })
        .await
    }

    pub async fn dismiss_flags(
        &self,
        actor: UserId,
        post: PostRef,
        now: i64,
    ) -> StoreResult<Guarded<bool>> {
        self.board_write(async |tx| {
            if let Err(why) = acting(tx, actor, Moderation::Oversee, now).await? {
                return Ok(Guarded::Denied(why));
            }
            if revisions::head(tx, post).await?.is_none() {
                return Ok(Guarded::Missing);
            }
            let resolved = resolve(tx, post, Resolution::Dismissed, now, Some(actor)).await?;
            if resolved > 0 {
                let detail = resolved.to_string();
                revisions::log_change(tx, post, actor, now, (LogAction::Dismiss.code(), &detail))
                    .await?;
            }
            Ok(Guarded::Done(resolved > 0))
        })
        .await
    }

    pub async fn review_queue(&self) -> StoreResult<Vec<ReviewItem>> {
        let client = self.client().await?;
        let mut items = Vec::new();
        for row in rows(&client, &numbered(&sql::queue()), &[&REVIEW_PAGE]).await? {
            let Some(post) = sql::queued(row.try_get(0)?, row.try_get(1)?, row.try_get(2)?) else {
                continue;
            };
            let Some(head) = revisions::head(&client, post).await? else {
                continue;
            };
            let (open, id) = sql::open_of(post);
            let mut flags = Vec::new();
            for flag in rows(&client, &numbered(&open), &[&id]).await? {
                flags.push(sql::entry(
                    flag.try_get(0)?,
                    flag.try_get(1)?,
                    flag.try_get(2)?,
                    flag.try_get(3)?,
                ));
            }
            items.push(sql::item(post, head, flags));
        }
        Ok(items)
    }
}
