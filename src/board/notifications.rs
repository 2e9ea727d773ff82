//! The inbox, and following questions and tags; the background work that tells a post's many followers.

use std::time::Duration;

use super::BoardError;
use crate::{
    domain::{
        accounts::CurrentUser,
        ids::QuestionId,
        notifications::{Following, Inbox},
        tags::TagName,
    },
    store::Store,
};

/// A page of the user's inbox (the newest, or those before the id `before`); with `mark_read` (the inbox
/// page, which a person reads), what it shows is read from then on.
pub async fn inbox(
    store: &Store,
    user: &CurrentUser,
    before: Option<i64>,
    mark_read: bool,
) -> Result<Inbox, BoardError> {
    Ok(store
        .inbox(user.id, before.filter(|&id| id > 0), mark_read)
        .await?)
}

/// Marks all of the user's notifications read.
pub async fn read_all(store: &Store, user: &CurrentUser) -> Result<(), BoardError> {
    Ok(store.read_all_notifications(user.id).await?)
}

/// How many of the user's notifications are unread (the navbar's count).
pub async fn unread(store: &Store, user: &CurrentUser) -> Result<i64, BoardError> {
    Ok(store.unread_notifications(user.id).await?)
}

/// Follows the question (`wanted` true) or stops (false); with no wish, does the other of the two. Whether
/// the user follows it now.
pub async fn follow_question(
    store: &Store,
    user: &CurrentUser,
    question: QuestionId,
    wanted: Option<bool>,
) -> Result<bool, BoardError> {
    store
        .follow_question(user.id, question, wanted)
        .await?
        .ok_or(BoardError::NotFound)
}

/// The same for the tag named in a path: the tag and whether the user follows it now. A name no tag could
/// have, or no question carries, is not found.
pub async fn follow_tag(
    store: &Store,
    user: &CurrentUser,
    typed_name: &str,
    wanted: Option<bool>,
) -> Result<(TagName, bool), BoardError> {
    let tag = TagName::parse(typed_name).map_err(|_| BoardError::NotFound)?;
    let following = store
        .follow_tag(user.id, tag.clone(), wanted)
        .await?
        .ok_or(BoardError::NotFound)?;
    Ok((tag, following))
}

/// Whether the user follows the tag.
pub async fn follows_tag(
    store: &Store,
    user: &CurrentUser,
    tag: &TagName,
) -> Result<bool, BoardError> {
    Ok(store.follows_tag(user.id, tag.clone()).await?)
}

/// What the user follows (the account page).
pub async fn following(store: &Store, user: &CurrentUser) -> Result<Following, BoardError> {
    Ok(store.following(user.id).await?)
}

/// How often the background looks for followers still to be told, besides when a write here says so (a
/// write on another app server says nothing here).
const FAN_OUT_EVERY: Duration = Duration::from_millis(500);
/// How long the background lets a post that woke it finish before it tells the rest of the followers.
const AFTER_THE_POST: Duration = Duration::from_millis(100);

/// Tells the followers a write left to the background, batch by batch, for as long as the server runs.
/// Every app server on a database does this; each batch is one transaction, and two servers never take the
/// same batch.
pub fn spawn_fan_out(store: Store) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(FAN_OUT_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = every.tick() => {}
                () = crate::store::notifications::work_left() => {
                    // Woken by a post still on its way out (it takes itself into the search index, which
                    // writes): a batch started now would hold the writer it waits for.
                    tokio::time::sleep(AFTER_THE_POST).await;
                }
            }
            loop {
                match store.fan_out_step().await {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(err) => {
                        tracing::warn!(%err, "followers were not notified; trying again");
                        break;
                    }
                }
            }
        }
    })
}
