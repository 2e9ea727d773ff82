//! Flagging a post (a plain form page, with or without JavaScript), what a hidden post shows in its place,
//! and the moderators' review queue.

use maud::{Markup, PreEscaped, html};

use super::{
    PageContext,
    forms::{Choice, choice},
    layout::{csrf_field, page},
    moderation::note_area,
    urls,
    users::author_link,
};
use crate::{
    domain::{
        FieldError,
        board::AnswerSort,
        flags::{FlagForm, FlagReason, ReviewItem},
        ids::UserId,
        policy::PostRef,
    },
    i18n::{Texts, fill},
};

/// Where a post is read, and the address its flag and moderation actions hang off.
pub fn post_address(post: PostRef) -> (String, String) {
    match post {
        PostRef::Question(id) => (
            urls::question(id, AnswerSort::Likes, 1),
            format!("/questions/{}", id.0),
        ),
        PostRef::Answer(id) => (urls::answer(id), format!("/answers/{}", id.0)),
        PostRef::Comment(id) => (urls::comment(id), format!("/comments/{}", id.0)),
    }
}

fn reason_label(t: &Texts, reason: FlagReason) -> &'static str {
    match reason {
        FlagReason::Spam => t.flag_reason_spam,
        FlagReason::Rude => t.flag_reason_rude,
        FlagReason::Other => t.flag_reason_other,
    }
}

fn reason_name(t: &Texts, reason: FlagReason) -> &'static str {
    match reason {
        FlagReason::Spam => t.flag_reason_name_spam,
        FlagReason::Rude => t.flag_reason_name_rude,
        FlagReason::Other => t.flag_reason_name_other,
    }
}

/// A post's body, or in its place what a hidden post says to those who may not read it; those who may see
/// it marked.
pub fn post_body(ctx: &PageContext, hidden: bool, author: UserId, html: &str) -> Markup {
    let t = ctx.t();
    html! {
        @if hidden && !ctx.sees_hidden(author) {
            p.fst-italic.text-body-secondary.mb-0 data-hidden { "⚑ " (t.hidden_post) }
        } @else {
            @if hidden {
                span.badge.text-bg-warning.mb-2 data-hidden { "⚑ " (t.hidden_badge) }
            }
            (PreEscaped(html))
        }
    }
}

/// "flag", beside a post, for whoever may flag it.
pub fn flag_link(ctx: &PageContext, post: PostRef, author: UserId) -> Markup {
    let t = ctx.t();
    let (_, base) = post_address(post);
    html! {
        @if ctx.may_flag(author) {
            a.text-body-secondary.small href={ (base) "/flag" } hx-boost="false" data-flag-link { "⚑ " (t.flag_link) }
        }
    }
}

/// The flag form, with the post it is about.
pub fn flag_page(
    ctx: &PageContext,
    post: PostRef,
    excerpt: Option<&str>,
    form: &FlagForm,
    errors: &[FieldError],
) -> Markup {
    let t = ctx.t();
    let (read, base) = post_address(post);
    let reasons = Choice {
        name: "reason",
        legend: t.flag_reason_label,
        options: FlagReason::ALL
            .into_iter()
            .map(|reason| (reason.code(), html! { (reason_label(t, reason)) }))
            .collect(),
        chosen: &form.reason,
    };
    let content = html! {
        div.form-narrow.mx-auto {
            h1.h3.mb-2 { (t.flag_title) }
            p.text-body-secondary.small { (t.flag_intro) }
            p.mb-1.small.fw-semibold { (t.flag_post_label) }
            blockquote.border-start.ps-3.text-body-secondary {
                a href=(read) {
                    @match excerpt { Some(words) => (words), None => { "⚑ " (t.hidden_post) } }
                }
            }
            form method="post" action={ (base) "/flag" } novalidate {
                @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                (choice(t, &reasons, errors))
                (note_area(t, ("note", t.flag_note_label, Some(t.flag_note_hint)), &form.note, false, errors))
                div.d-flex.gap-2 {
                    button.btn.btn-danger type="submit" { "⚑ " (t.flag_submit) }
                    a.btn.btn-outline-secondary href=(read) { (t.cancel) }
                }
            }
        }
    };
    page(ctx, t.flag_title, content)
}

fn review_item(ctx: &PageContext, item: &ReviewItem) -> Markup {
    let t = ctx.t();
    let (read, base) = post_address(item.post);
    let excerpt: String = item.content.chars().take(600).collect();
    html! {
        article.card.mb-3 data-review-item=(base) {
            div.card-header.d-flex.flex-wrap.gap-2.align-items-baseline {
                span.badge.text-bg-danger data-flag-count=(item.flags.len()) {
                    "⚑ " (fill(t.review_flag_count, &[&item.flags.len().to_string()]))
                }
                @if item.hidden { span.badge.text-bg-warning { (t.hidden_badge) } }
                span.small {
                    (t.review_on_question) " "
                    a.link-body-emphasis href=(urls::question(item.question_id, AnswerSort::Likes, 1)) { (item.question_subject) }
                }
                span.small.text-body-secondary.ms-auto { (author_link(t, &item.author)) }
            }
            div.card-body {
                div.diff-text.border.rounded.p-2.bg-body-tertiary.mb-2 { (excerpt) }
                ul.list-unstyled.small.mb-3 {
                    @for flag in &item.flags {
                        li {
                            strong { (reason_name(t, flag.reason)) }
                            @if !flag.note.is_empty() { ": “" (flag.note) "”" }
                            " – " (author_link(t, &flag.by)) " · " (ctx.time(flag.at))
                        }
                    }
                }
                div.d-flex.flex-wrap.gap-2 {
                    a.btn.btn-sm.btn-outline-secondary href=(read) { (t.review_open) }
                    a.btn.btn-sm.btn-outline-secondary href={ (base) "/edit" } { (t.edit) }
                    @if let PostRef::Question(id) = item.post {
                        a.btn.btn-sm.btn-outline-secondary href=(urls::question_action(id, "close")) { "🔒 " (t.close_submit) }
                    }
                    // The confirmation page first, as everywhere: it names what goes.
                    a.btn.btn-sm.btn-outline-danger href={ (base) "/delete" } {
                        (t.delete) span.visually-hidden { " – " (item.question_subject) }
                    }
                    form method="post" action={ (base) "/flags/dismiss" } {
                        @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                        button.btn.btn-sm.btn-outline-success type="submit" { "✓ " (t.review_dismiss) }
                    }
                }
            }
        }
    }
}

/// The posts with open flags (moderators).
pub fn review_page(ctx: &PageContext, items: &[ReviewItem]) -> Markup {
    let t = ctx.t();
    let content = html! {
        h1.h3.mb-2 { "⚑ " (t.review_title) }
        p.text-body-secondary.small { (t.review_intro) }
        @if items.is_empty() {
            p.text-body-secondary data-review-empty { (t.review_empty) }
        }
        @for item in items { (review_item(ctx, item)) }
    };
    page(ctx, t.review_title, content)
}
