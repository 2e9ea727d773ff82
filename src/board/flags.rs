//! Flagging posts, and the moderators' review queue: dismissing flags (deleting, editing and closing are
//! the posts' own use cases, which resolve the flags as they go).

use super::{BoardError, allowed, moderation};
use crate::{
    domain::{
        self,
        accounts::CurrentUser,
        flags::{FlagForm, Flagged, ReviewItem},
        policy::{Action, Actor, Moderation, PostRef, may_moderate},
    },
    store::Store,
};

/// Flags a post for the moderators, once per person (a second time changes nothing and says so). A
/// suspended account flags nothing; nobody flags their own post.
pub async fn flag(
    store: &Store,
    user: &CurrentUser,
    post: PostRef,
    form: &FlagForm,
) -> Result<Flagged, BoardError> {
    let actor = to_flag(store, user, post).await?;
    let flag = form.parse().map_err(BoardError::Invalid)?;
    allowed(store.flag(actor, post, flag, domain::now()).await?)
}

/// Whether `user` may flag `post` (the form is shown only to those who may): not a suspended account,
/// not on one's own post.
pub async fn to_flag(
    store: &Store,
    user: &CurrentUser,
    post: PostRef,
) -> Result<Actor, BoardError> {
    let actor = moderation::acting(store, user).await?;
    allowed(store.check(actor, Action::Flag, post).await?)?;
    Ok(actor)
}

/// What the flag page shows of the post being flagged: a question's subject, an answer's or comment's
/// opening words; `None` for a post hidden by spam flags (its words are not shown to flaggers).
pub async fn excerpt(store: &Store, post: PostRef) -> Result<Option<String>, BoardError> {
    let text = match post {
        PostRef::Question(id) => store
            .question(id, None)
            .await?
            .map(|q| (!q.hidden).then_some(q.subject)),
        PostRef::Answer(id) => store
            .answer(id, None)
            .await?
            .map(|a| (!a.hidden).then_some(a.content)),
        PostRef::Comment(id) => store
            .comment(id)
            .await?
            .map(|c| (!c.hidden).then_some(c.content)),
    };
    Ok(text
        .ok_or(BoardError::NotFound)?
        .map(|text| text.chars().take(200).collect()))
}

/// Checks that `user` may see the review queue (before anything is read).
pub async fn may_review(store: &Store, user: &CurrentUser) -> Result<(), BoardError> {
    let actor = moderation::acting(store, user).await?;
    may_moderate(actor, Moderation::Oversee).map_err(BoardError::Forbidden)
}

/// The posts with open flags, the most recently flagged first (moderators).
pub async fn review(store: &Store, user: &CurrentUser) -> Result<Vec<ReviewItem>, BoardError> {
    may_review(store, user).await?;
    Ok(store.review_queue().await?)
}

/// Dismisses a post's open flags (moderators): a hidden post shows again, and the log says so. Whether
/// any were open.
pub async fn dismiss(store: &Store, user: &CurrentUser, post: PostRef) -> Result<bool, BoardError> {
    may_review(store, user).await?;
    allowed(store.dismiss_flags(user.id, post, domain::now()).await?)
}
