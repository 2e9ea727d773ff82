//! Edit history: reading a post's revisions, who may edit and whether they must say why, and rolling a
//! post back to an earlier revision (itself a new revision).

use super::{BoardError, allowed, answers, comments, moderation, questions};
use crate::{
    domain::{
        FieldError, Problem,
        accounts::CurrentUser,
        board::{CommentText, Content, QuestionDraft, Subject},
        policy::{Action, Actor, PostRef},
        revisions::{EditNote, EditSummary, PostRevisions, page_numbers},
    },
    store::{Guarded, Store},
};

/// Someone the policy lets edit a post, as they act now.
pub struct Editing {
    pub actor: Actor,
    /// The post is not theirs: they edit it as a moderator, and say why.
    pub for_someone_else: bool,
}

/// Whether `user` may edit `post` (asked before any input is looked at: a stranger gets "forbidden", not
/// a list of problems; the write asks again).
pub async fn editing(
    store: &Store,
    user: &CurrentUser,
    post: PostRef,
) -> Result<Editing, BoardError> {
    let actor = moderation::acting(store, user).await?;
    allowed(store.check(actor, Action::Edit, post).await?)?;
    let for_someone_else = actor.role.is_staff()
        && !matches!(
            store
                .check(Actor::user(user.id), Action::Edit, post)
                .await?,
            Guarded::Done(())
        );
    Ok(Editing {
        actor,
        for_someone_else,
    })
}

impl Editing {
    /// The edit's note from the summary typed: required of a moderator editing someone else's post.
    pub fn note(&self, summary: Option<&str>) -> Result<EditNote, Vec<FieldError>> {
        Ok(EditNote {
            summary: EditSummary::parse(summary, self.for_someone_else)?,
            rolled_back_to: None,
        })
    }
}

/// One page of a post's history (page 1: the newest revisions), each with the one before it.
pub async fn history(store: &Store, post: PostRef, page: i64) -> Result<PostRevisions, BoardError> {
    // The total first, to know which numbers the page holds: a post's revisions only ever grow, so a
    // page read a moment later holds the same numbers or newer ones.
    let newest = read(store, post, (i64::MAX, i64::MAX)).await?;
    read(store, post, page_numbers(newest.total, page)).await
}

async fn read(
    store: &Store,
    post: PostRef,
    numbers: (i64, i64),
) -> Result<PostRevisions, BoardError> {
    store
        .revisions(post, numbers)
        .await?
        .ok_or(BoardError::NotFound)
}

/// Makes revision `number` of `post` its text again, as a new revision that says so (a moderator rolling
/// back someone else's post says why, as for any edit). A number the post has no revision of is "not
/// found" (a revision of another post is not this one's); a revision that reads as the post does now is
/// refused, nothing changed.
pub async fn rollback(
    store: &Store,
    user: &CurrentUser,
    post: PostRef,
    number: i64,
    summary: Option<&str>,
) -> Result<(), BoardError> {
    let editing = editing(store, user, post).await?;
    let asked = read(store, post, (number, number)).await?;
    let revision = asked.get(number).ok_or(BoardError::NotFound)?.clone();
    let current = read(store, post, (asked.total, asked.total)).await?;
    if current
        .get(asked.total)
        .is_none_or(|current| current.same_text(&revision))
    {
        return Err(BoardError::Invalid(vec![FieldError::new(
            "revision",
            Problem::RevisionIsCurrent,
        )]));
    }
    let mut note = editing.note(summary).map_err(BoardError::Invalid)?;
    note.rolled_back_to = Some(number);
    // The text as it was, checked as an edit's would be (the rules may have changed since), except the
    // tags: stored in their normal form, they are taken as they are, and the limit on links is left out
    // (the text was let through when it was written).
    let invalid = |field, problem| BoardError::Invalid(vec![FieldError::new(field, problem)]);
    match post {
        PostRef::Question(id) => {
            let draft = QuestionDraft {
                subject: Subject::parse(revision.subject.as_deref().unwrap_or_default())
                    .map_err(|problem| invalid("subject", problem))?,
                content: Content::parse(&revision.content)
                    .map_err(|problem| invalid("content", problem))?,
                tags: Some(revision.tags.clone().unwrap_or_default()),
            };
            questions::save_edit(store, user, &editing, id, draft, note, None).await
        }
        PostRef::Answer(id) => {
            let content =
                Content::parse(&revision.content).map_err(|problem| invalid("content", problem))?;
            answers::save_edit(store, user, &editing, id, content, note, None)
                .await
                .map(drop)
        }
        PostRef::Comment(id) => {
            let text = CommentText::parse(&revision.content)
                .map_err(|problem| invalid("content", problem))?;
            comments::save_edit(store, user, &editing, id, text, note, None)
                .await
                .map(drop)
        }
    }
}
