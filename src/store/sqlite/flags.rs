//! Flags on SQLite (the statements are `store::flags`'). Raising one is a board write (it may hide the
//! post); resolving is part of the moderator's decision (an edit, a closing, a dismissal).

use rusqlite::{Connection, Transaction, params};

use super::{Cached, SqliteStore, guard, moderation::acting, revisions};
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
pub fn resolve(
    tx: &Transaction,
    post: PostRef,
    resolution: Resolution,
    now: i64,
    by: Option<UserId>,
) -> rusqlite::Result<usize> {
    let by = by.map_or(0, |user| user.0);
    let (resolve, id) = sql::resolve(post);
    let resolved = tx.run(&resolve, params![id, now, resolution.code(), by])?;
    if resolved > 0 && resolution.shows_again() {
        let (unhide, id) = sql::unhide(post);
        tx.run(&unhide, params![id, by])?;
    }
    Ok(resolved)
}

fn item(conn: &Connection, post: PostRef) -> rusqlite::Result<Option<ReviewItem>> {
    let Some(head) = revisions::head(conn, post)? else {
        return Ok(None);
    };
    let (open, id) = sql::open_of(post);
    let flags = conn
        .prepare_cached(&open)?
        .query_map([id], |row| {
            Ok(sql::entry(
                row.get(0)?,
                &row.get::<_, String>(1)?,
                row.get(2)?,
                row.get(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(sql::item(post, head, flags)))
}

impl SqliteStore {
    pub async fn flag(
        &self,
        actor: Actor,
        post: PostRef,
        flag: NewFlag,
        now: i64,
    ) -> StoreResult<Guarded<Flagged>> {
        self.db
            .write_if_made(move |tx| {
                match guard(tx, actor, Action::Flag, post)? {
                    Guarded::Done(()) => {}
                    Guarded::Missing => return Ok(Guarded::Missing),
                    Guarded::Denied(why) => return Ok(Guarded::Denied(why)),
                }
                let (raise, id) = sql::raise(post);
                let raised = tx.run(
                    &raise,
                    params![id, actor.id.0, flag.reason.code(), flag.note, now],
                )?;
                if raised == 0 {
                    // Nothing new: the (empty) write still commits, as a like taken back does.
                    return Ok(Guarded::Done(Flagged::Already));
                }
                let (spam, id) = sql::open_spam(post);
                let spam: i64 = tx.one(&spam, [id], |row| row.get(0))?;
                if spam >= crate::domain::flags::SPAM_FLAGS_TO_HIDE {
                    let (hide, id) = sql::hide(post);
                    tx.run(&hide, params![id, now])?;
                }
                let (hidden, id) = sql::hidden(post);
                let hidden = tx.one(&hidden, [id], |row| row.get(0))?;
                Ok(Guarded::Done(Flagged::Raised { hidden }))
            })
            .await
    }

    pub async fn dismiss_flags(
        &self,
        actor: UserId,
        post: PostRef,
        now: i64,
    ) -> StoreResult<Guarded<bool>> {
        self.db
            .write(move |tx| {
                if let Err(why) = acting(tx, actor, Moderation::Oversee, now)? {
                    return Ok(Guarded::Denied(why));
                }
                if revisions::head(tx, post)?.is_none() {
                    return Ok(Guarded::Missing);
                }
                let resolved = resolve(tx, post, Resolution::Dismissed, now, Some(actor))?;
                if resolved > 0 {
                    let detail = resolved.to_string();
                    revisions::log_change(
                        tx,
                        post,
                        actor,
                        now,
                        (LogAction::Dismiss.code(), &detail),
                    )?;
                }
                Ok(Guarded::Done(resolved > 0))
            })
            .await
    }

    pub async fn review_queue(&self) -> StoreResult<Vec<ReviewItem>> {
        self.db
            .read(move |conn| {
                let queued = conn
                    .prepare_cached(&sql::queue())?
                    .query_map([REVIEW_PAGE], |row| {
                        Ok(sql::queued(row.get(0)?, row.get(1)?, row.get(2)?))
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                let mut items = Vec::with_capacity(queued.len());
                for post in queued.into_iter().flatten() {
                    items.extend(item(conn, post)?);
                }
                Ok(items)
            })
            .await
    }
}
