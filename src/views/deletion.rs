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

/// "Deleted by NAME · TIME", what it means, and the controls the viewer may use: undelete (an author only
/// what they deleted themselves; an answer deleted with its question comes back with it) and purge.
pub fn deletion_notice(
    ctx: &PageContext,
    post: PostRef,
    deletion: &Deletion,
    author: UserId,
) -> Markup {
    let t = ctx.t();
    let (_, base) = post_address(post);
    let by = if deletion.by.is_empty() {
        t.closed_someone
    } else {
        deletion.by.as_str()
    };
    let may_undelete = !deletion.with_question
        && ctx.may(Action::Undelete, author)
        && (ctx.is_staff() || deletion.by_id == Some(author));
    html! {
        div.alert.alert-warning.py-2 role="note" data-deleted {
            p.fw-semibold.mb-1 {
                span aria-hidden="true" { "🗑 " }
                (fill(t.deleted_by, &[by])) " · " (ctx.time(deletion.at))
            }
            p.small.mb-0 {
                @if deletion.with_question { (t.deleted_with_question) } @else { (t.deleted_explained) }
            }
            @if may_undelete || ctx.may(Action::Purge, author) {
                div.d-flex.flex-wrap.gap-2.mt-2 {
                    @if may_undelete {
                        form method="post" action={ (base) "/undelete" } data-undelete {
                            @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                            button.btn.btn-sm.btn-success type="submit" {
                                span aria-hidden="true" { "↩ " } (t.undelete)
                            }
                        }
                    }
                    @if ctx.may(Action::Purge, author) {
                        a.btn.btn-sm.btn-outline-danger href={ (base) "/purge" } data-purge { (t.purge) }
                    }
                }
            }
        }
    }
}

/// A question's deleted answers, for those who may see them: each with its words, who wrote it and the
/// notice with its controls.
pub fn deleted_answers(ctx: &PageContext, answers: &[Answer]) -> Markup {
    let t = ctx.t();
    html! {
        @if !answers.is_empty() {
            section.mt-4 #deleted-answers aria-labelledby="deleted-answers-heading" {
                h2.h5.mb-3 #deleted-answers-heading { (t.deleted_answers_heading) }
                div.d-flex.flex-column.gap-3 {
                    @for answer in answers {
                        article.card.border-warning #{"answer-" (answer.id.0)} data-deleted-answer=(answer.id.0) {
                            div.card-body {
                                @if let Some(deletion) = &answer.deleted {
                                    (deletion_notice(ctx, PostRef::Answer(answer.id), deletion, answer.author_id))
                                }
                                div.post-content data-content {
                                    (post_body(ctx, answer.hidden, answer.author_id, &answer.content_html))
                                }
                                div.d-flex.justify-content-end.mt-3 {
                                    (post_meta(ctx, &Author { name: &answer.author, reputation: answer.author_reputation },
                                        answer.created_at, &EditMark { at: answer.modified_at,
                                            by: answer.edited_by.as_deref(),
                                            history: format!("/answers/{}/revisions", answer.id.0) }))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
