//! Answers: the answer list with its sort and pages, one answer, the inline edit form and the answer form.
//! Each is used inside the question page and alone as the htmx response.

use maud::{Markup, html};

use super::{
    PageContext,
    comments::{Thread, comment_thread},
    deletion::delete_warning,
    flags::{flag_link, post_body},
    forms::{SummaryInput, TextArea, summary_field, textarea},
    layout::{csrf_field, page},
    likes::{LikeButton, like_button},
    pagination::{InPlace, pagination},
    post_meta::{Author, EditMark, post_meta},
    urls,
};
use crate::domain::{
    FieldError,
    board::{AnswerId, AnswerSort, Content, QuestionId, clamp_page},
    policy::{Action, PostRef},
    posts::{Answer, QuestionPage},
};

/// One page of a question's answers, under the accepted one on the first page.
pub struct AnswerSection<'a> {
    pub question_id: QuestionId,
    pub total: i64,
    pub sort: AnswerSort,
    pub page: i64,
    pub last_page: i64,
    pub accepted: Option<&'a Answer>,
    pub answers: &'a [Answer],
    /// The question page the section is of, for the first comments of each answer.
    pub of: &'a QuestionPage,
}

impl<'a> AnswerSection<'a> {
    /// The section of a question page in `sort`: the other answers page on their own.
    pub fn of(page: &'a QuestionPage, sort: AnswerSort) -> Self {
        Self {
            question_id: page.question.id,
            total: page.question.answer_count,
            sort,
            page: page.page,
            last_page: clamp_page(i64::MAX, page.question.paged_answers()),
            accepted: page.accepted.as_ref(),
            answers: &page.answers,
            of: page,
        }
    }
}

/// `#answers`: heading, sort links and one page of answers. Sorting and paging swap this element in place
/// (and push the URL); without JavaScript they are plain links to the question page.
pub fn answer_section(ctx: &PageContext, section: &AnswerSection) -> Markup {
    let t = ctx.t();
    let in_place = InPlace { target: "#answers" };
    let sort_label = |sort: AnswerSort| match sort {
        AnswerSort::Likes => t.answer_sort_likes,
        AnswerSort::Recent => t.answer_sort_recent,
    };
    html! {
        section #answers aria-labelledby="answers-heading" {
            div.d-flex.flex-wrap.justify-content-between.align-items-center.gap-2.border-bottom.pb-2.mb-3 {
                h2.h5.mb-0 #answers-heading { (t.answers_heading(section.total)) }
                @if section.total > 1 {
                    nav aria-label=(t.answer_sort_label) {
                        ul.nav.nav-pills.nav-sm {
                            @for sort in AnswerSort::ALL {
                                @let url = urls::question(section.question_id, sort, 1);
                                li.nav-item {
                                    a.nav-link.py-1.px-2.active[sort == section.sort] href=(url)
                                        aria-current=[(sort == section.sort).then_some("true")]
                                        hx-get=(url) hx-target="#answers" hx-swap="outerHTML" hx-push-url="true" {
                                        (sort_label(sort))
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if section.accepted.is_none()
                && section.answers.first().is_some_and(|answer| ctx.may(Action::Accept, answer.question_author_id)) {
                p.small.text-body-secondary #accept-hint { (t.accept_hint) }
            }
            div.d-flex.flex-column.gap-3 {
                @for answer in section.accepted.into_iter().chain(section.answers) {
                    // The comments stand outside the answer's card: editing it in place swaps only the card.
                    div.answer-block {
                        (answer_item(ctx, answer))
                        @let post = PostRef::Answer(answer.id);
                        div.ms-3 {
                            (comment_thread(ctx, &Thread { post, total: answer.comment_count,
                                comments: section.of.comments_on(post), form: None, say_when_none: false }))
                        }
                    }
                }
            }
            (pagination(t, section.page, section.last_page,
                &|page| urls::question(section.question_id, section.sort, page), Some(&in_place)))
        }
    }
}

/// One answer: `#answer-{id}`. The accepted one says so in words beside a check mark; the question's
/// author gets the control that marks it (or takes the mark back).
pub fn answer_item(ctx: &PageContext, answer: &Answer) -> Markup {
    let t = ctx.t();
    let may_change = ctx.may(Action::Edit, answer.author_id);
    let may_delete = ctx.may(Action::Delete, answer.author_id);
    let may_accept = ctx.may(Action::Accept, answer.question_author_id);
    let target = format!("#answer-{}", answer.id.0);
    let accept = urls::answer_action(answer.id, "accept");
    html! {
        article.card.answer-accepted[answer.accepted] #{"answer-" (answer.id.0)} data-answer=(answer.id.0)
            data-accepted=[answer.accepted.then_some("true")] {
            div.card-body {
                @if answer.accepted {
                    p.badge.text-bg-success.mb-2 data-accepted-badge {
                        span aria-hidden="true" { "✓ " } (t.accepted_answer)
                    }
                }
                div.post-content data-content { (post_body(ctx, answer.hidden, answer.author_id, &answer.content_html)) }
                div.d-flex.flex-wrap.justify-content-between.align-items-end.gap-2.mt-3 {
                    div.d-flex.align-items-center.gap-3 {
                        (like_button(ctx, &LikeButton {
                            action: urls::answer_action(answer.id, "like"),
                            label: t.like_answer_label,
                            count: answer.like_count,
                            liked: answer.liked,
                            own_post: ctx.owns(answer.author_id),
                        }))
                        // Not boosted: the browser follows the redirect to the answer's anchor itself.
                        a.answer-link.small.text-body-secondary href=(urls::answer(answer.id)) hx-boost="false"
                            aria-label=(t.share_answer_title) title=(t.share_answer_title) { (t.share_link) }
                        (flag_link(ctx, PostRef::Answer(answer.id), answer.author_id))
                    }
                    (post_meta(ctx, &Author { name: &answer.author, reputation: answer.author_reputation }, answer.created_at,
                        &EditMark { at: answer.modified_at, by: answer.edited_by.as_deref(),
                            history: Some(urls::answer_action(answer.id, "revisions")) }))
                }
                @if may_accept {
                    // The section comes back from page 1, the accepted answer first: it scrolls to the section's
                    // top, and the button (by its id) keeps the focus.
                    form.mt-3 method="post" action=(accept) hx-post=(accept) hx-target="#answers"
                        hx-swap="outerHTML show:#answers:top" data-accept-form {
                        @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                        @if answer.accepted {
                            button.btn.btn-sm.btn-outline-success #{"accept-" (answer.id.0)} type="submit" {
                                (t.unaccept_answer)
                            }
                        } @else {
                            button.btn.btn-sm.btn-outline-success #{"accept-" (answer.id.0)} type="submit" {
                                span aria-hidden="true" { "✓ " } (t.accept_answer)
                            }
                        }
                    }
                }
                @if may_change {
                    div.mt-3.d-flex.gap-2 {
                        a.btn.btn-sm.btn-outline-secondary href=(urls::answer_action(answer.id, "edit"))
                            hx-get=(urls::answer_action(answer.id, "edit")) hx-target=(target) hx-swap="outerHTML" {
                            (t.edit)
                        }
                        @if may_delete {
                            a.btn.btn-sm.btn-outline-danger href=(urls::answer_action(answer.id, "delete"))
                                hx-post=(urls::answer_action(answer.id, "delete"))
                                hx-confirm={ (t.delete_answer_title) " "
                                    (delete_warning(ctx, PostRef::Answer(answer.id), answer.author_id, answer.accepted)) }
                                { (t.delete) }
                        }
                    }
                }
            }
        }
    }
}

/// The inline edit form, in the answer's place: saving swaps the rendered answer back.
pub fn answer_edit_form(
    ctx: &PageContext,
    id: AnswerId,
    content: &str,
    summary: &SummaryInput,
    errors: &[FieldError],
) -> Markup {
    let t = ctx.t();
    let target = format!("#answer-{}", id.0);
    let action = urls::answer_action(id, "edit");
    html! {
        article.card #{"answer-" (id.0)} data-answer=(id.0) {
            div.card-body {
                form method="post" action=(action) hx-post=(action) hx-target=(target) hx-swap="outerHTML" {
                    @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                    (textarea(t, TextArea { name: "content", label: t.answer_edit_title, value: content,
                        hint: Some(t.content_hint), rows: 8, max_length: Content::MAX_CHARS,
                        id_suffix: &format!("-{}", id.0), autofocus: true, required: true }, errors))
                    (summary_field(t, summary, errors, &format!("-{}", id.0)))
                    div.d-flex.gap-2 {
                        button.btn.btn-primary.btn-sm type="submit" { (t.save) }
                        a.btn.btn-outline-secondary.btn-sm href=(urls::answer(id))
                            hx-get=(urls::answer(id)) hx-target=(target) hx-swap="outerHTML" { (t.cancel) }
                    }
                }
            }
        }
    }
}

/// The same edit form as a page, for browsers without JavaScript.
pub fn answer_edit_page(
    ctx: &PageContext,
    id: AnswerId,
    content: &str,
    summary: &SummaryInput,
    errors: &[FieldError],
) -> Markup {
    let t = ctx.t();
    page(
        ctx,
        t.answer_edit_title,
        html! {
            h1.h3.mb-4 { (t.answer_edit_title) }
            (answer_edit_form(ctx, id, content, summary, errors))
        },
    )
}

/// The form under the answers.
pub fn answer_form(
    ctx: &PageContext,
    question: QuestionId,
    draft: &str,
    errors: &[FieldError],
) -> Markup {
    let t = ctx.t();
    html! {
        form.mt-4 #answer-form method="post" action=(urls::question_action(question, "answers")) {
            @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
            (textarea(t, TextArea { name: "content", label: t.answer_label, value: draft,
                hint: Some(t.content_hint), rows: 6, max_length: Content::MAX_CHARS, id_suffix: "", autofocus: false, required: true }, errors))
            button.btn.btn-primary type="submit" { (t.answer_submit) }
        }
    }
}
