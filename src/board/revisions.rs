//! Edit history: reading a post's revisions, who may edit and whether they must say why, and rolling a
//! post back to an earlier revision (itself a new revision).

use super::{BoardError, allowed, answers, comments, moderation, questions};
use crate::{
    domain::{
        FieldError, Problem,
        accounts::CurrentUser,
        board::{AnswerForm, CommentForm, QuestionForm},
        policy::{Action, Actor, PostRef},
        revisions::{EditNote, EditSummary, PostRevisions},
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

/// Every revision of a post, oldest first.
pub async fn history(store: &Store, post: PostRef) -> Result<PostRevisions, BoardError> {
    store.revisions(post).await?.ok_or(BoardError::NotFound)
}

/// Makes revision `number` of `post` its text again, as a new revision that says so. A number the post
/// has no revision of is "not found" (a revision of another post is not this one's); the revision the
/// post stands at already is refused, nothing changed.
pub async fn rollback(
    store: &Store,
    user: &CurrentUser,
    post: PostRef,
    number: i64,
) -> Result<(), BoardError> {
    let editing = editing(store, user, post).await?;
    let history = history(store, post).await?;
    let revision = history.get(number).ok_or(BoardError::NotFound)?;
    if history.current().map(|current| current.number) == Some(number) {
        return Err(BoardError::Invalid(vec![FieldError::new(
            "revision",
            Problem::RevisionIsCurrent,
        )]));
    }
    let note = EditNote {
        summary: EditSummary::default(),
        rolled_back_to: Some(number),
    };
    let content = revision.content.clone();
    // The limits on links are left out: the text was let through when it was written.
    match post {
        PostRef::Question(id) => {
            let form = QuestionForm {
                subject: revision.subject.clone().unwrap_or_default(),
                content,
                tags: Some(
                    revision
                        .tags
                        .as_ref()
                        .map(|t| t.joined())
                        .unwrap_or_default(),
                ),
                summary: None,
            };
            questions::save_edit(store, user, &editing, id, &form, note, None).await
        }
        PostRef::Answer(id) => {
            let form = AnswerForm {
                content,
                summary: None,
            };
            answers::save_edit(store, user, &editing, id, &form, note, None)
                .await
                .map(drop)
        }
        PostRef::Comment(id) => {
            let form = CommentForm {
                content,
                summary: None,
            };
            comments::save_edit(store, user, &editing, id, &form, note, None)
                .await
                .map(drop)
        }
    }
}
