//! What its author and the moderators see of a deleted post: the notice that says who deleted it and when,
//! with undelete (and, for admins, purge), and a question's deleted answers.

use maud::{Markup, html};

use super::{
    PageContext,
    flags::{post_address, post_body},
    layout::csrf_field,
    post_meta::{Author, EditMark, post_meta},
};
use crate::{
    domain::{
        ids::UserId,
        policy::{Action, PostRef},
        posts::{Answer, Deletion},
    },
    i18n::fill,
};

/// What deleting a post does, said before it is done (on the confirmation page and in the dialog): for
/// one's own post or someone else's, and for an accepted answer, that its mark goes.
pub fn delete_warning(ctx: &PageContext, post: PostRef, author: UserId, accepted: bool) -> String {
    let t = ctx.t();
    let body = match (post, ctx.owns(author)) {
        (PostRef::Question(_), true) => t.delete_question_body,
        (PostRef::Question(_), false) => t.delete_question_body_theirs,
        (_, true) => t.delete_answer_body,
        (_, false) => t.delete_answer_body_theirs,
    };
    if accepted {
        format!("{body} {}", t.delete_accepted_note)
    } else {
        body.to_owned()
    }
}

/// A deleted post as its notice needs it.
pub struct Deleted<'a> {
    pub post: PostRef,
    pub deletion: &'a Deletion,
    pub author: UserId,
    /// Named (to screen readers) on the notice's controls, where several stand on one page.
    pub author_name: &'a str,
    /// The post is an answer whose question is deleted too: it comes back with its question, if at all.
    pub question_deleted: bool,
}

/// "Deleted by NAME · TIME", what it means, and the controls the viewer may use: undelete (an author only
/// what they deleted themselves; an answer only while its question stands) and purge.
pub fn deletion_notice(ctx: &PageContext, deleted: &Deleted) -> Markup {
    let t = ctx.t();
    let deletion = deleted.deletion;
    let (_, base) = post_address(deleted.post);
    let by = if deletion.by.is_empty() {
        t.deleted_user
    } else {
        deletion.by.as_str()
    };
    let own_delete = ctx.user.as_ref().map(|user| user.id) == deletion.by_id;
    let with_question = deletion.with_question || deleted.question_deleted;
    let may_undelete = !with_question
        && ctx.may(Action::Undelete, deleted.author)
        && (ctx.is_staff() || own_delete);
    let may_purge = ctx.may(Action::Purge, deleted.author);
    let whose = match deleted.post {
        PostRef::Question(_) => None,
        _ => Some(fill(t.post_by, &[deleted.author_name])),
    };
    html! {
        div.alert.alert-warning.py-2 role="note" data-deleted {
            p.fw-semibold.mb-1 {
                span aria-hidden="true" { "🗑 " }
                (fill(t.deleted_by, &[by])) " · " (ctx.time(deletion.at))
            }
            p.small.mb-0 {
                @if deletion.with_question {
                    (t.deleted_with_question)
                } @else if deleted.question_deleted {
                    (t.deleted_on_deleted_question)
                } @else {
                    (t.deleted_explained)
                }
                @if ctx.owns(deleted.author) && !own_delete && !ctx.is_staff() {
                    " " (t.deleted_by_moderator_note)
                }
            }
            @if may_undelete || may_purge {
                div.d-flex.flex-wrap.gap-2.mt-2 {
                    @if may_undelete {
                        form method="post" action={ (base) "/undelete" } data-undelete {
                            @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                            button.btn.btn-sm.btn-success type="submit" {
                                span aria-hidden="true" { "↩ " } (t.undelete)
                                @if let Some(whose) = &whose { span.visually-hidden { " – " (whose) } }
                            }
                        }
                    }
                    @if may_purge {
                        a.btn.btn-sm.btn-danger href={ (base) "/purge" } data-purge {
                            (t.purge)
                            @if let Some(whose) = &whose { span.visually-hidden { " – " (whose) } }
                        }
                    }
                }
            }
        }
    }
}

/// A question's deleted answers, for those who may see them (`question_deleted`: the question is deleted
/// too): each with its words, who wrote it and the notice with its controls.
pub fn deleted_answers(ctx: &PageContext, answers: &[Answer], question_deleted: bool) -> Markup {
    let t = ctx.t();
    html! {
        @if !answers.is_empty() {
            section.mt-4 #deleted-answers aria-labelledby="deleted-answers-heading" {
                h2.h5.mb-3 #deleted-answers-heading {
                    span aria-hidden="true" { "🗑 " } (t.deleted_answers_heading) " (" (answers.len()) ")"
                }
                div.d-flex.flex-column.gap-3 {
                    @for answer in answers {
                        article.card.border-warning #{"answer-" (answer.id.0)} data-deleted-answer=(answer.id.0) {
                            div.card-body {
                                @if let Some(deletion) = &answer.deleted {
                                    (deletion_notice(ctx, &Deleted {
                                        post: PostRef::Answer(answer.id),
                                        deletion,
                                        author: answer.author_id,
                                        author_name: &answer.author,
                                        question_deleted,
                                    }))
                                }
                                div.post-content data-content {
                                    (post_body(ctx, answer.hidden, answer.author_id, &answer.content_html))
                                }
                                div.d-flex.justify-content-end.mt-3 {
                                    (post_meta(ctx, &Author { name: &answer.author, reputation: answer.author_reputation },
                                        answer.created_at, &EditMark { at: answer.modified_at,
                                            by: answer.edited_by.as_deref(),
                                            history: None }))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
