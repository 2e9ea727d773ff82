//! A post's history: each revision newest first, with what it changed from the one before as a word-level
//! diff (removed words struck through, added ones underlined, each also named in words for screen readers),
//! and for whoever may edit the post a button that rolls it back to that revision.

use maud::{Markup, html};

use super::{
    PageContext,
    layout::{csrf_field, page},
    urls,
    users::author_link,
};
use crate::{
    domain::{
        FieldError,
        board::AnswerSort,
        policy::{Action, PostRef},
        revisions::{Change, PostRevisions, RevisionEntry, changed, word_diff},
    },
    i18n::fill,
};

/// Where a post of this kind is read, and where its history (and its rollbacks) are.
fn post_urls(post: PostRef) -> (String, String) {
    match post {
        PostRef::Question(id) => (
            urls::question(id, AnswerSort::Likes, 1),
            urls::question_action(id, "revisions"),
        ),
        PostRef::Answer(id) => (urls::answer(id), urls::answer_action(id, "revisions")),
        PostRef::Comment(id) => (urls::comment(id), urls::comment_action(id, "revisions")),
    }
}

/// Words kept, removed and added, marked in the text itself.
fn diff(old: &str, new: &str, t: &crate::i18n::Texts) -> Markup {
    html! {
        @for (change, text) in word_diff(old, new) {
            @match change {
                Change::Kept => (text),
                Change::Removed => del.diff-removed title=(t.diff_removed) {
                    span.visually-hidden { "[" (t.diff_removed) ": " } (text) span.visually-hidden { "]" }
                },
                Change::Added => ins.diff-added title=(t.diff_added) {
                    span.visually-hidden { "[" (t.diff_added) ": " } (text) span.visually-hidden { "]" }
                },
            }
        }
    }
}

/// One field of a revision: in full for the first, else what changed since `before` (nothing when the
/// field did not change).
fn field(
    label: &str,
    now: &str,
    before: Option<&str>,
    block: bool,
    t: &crate::i18n::Texts,
) -> Markup {
    let shown = match before {
        None => Some(html! { (now) }),
        Some(before) if changed(&word_diff(before, now)) => Some(diff(before, now, t)),
        Some(_) => None,
    };
    html! {
        @if let Some(shown) = shown {
            div.mb-2 {
                div.small.text-body-secondary.fw-semibold { (label) }
                @if block {
                    div.diff-text.border.rounded.p-2.bg-body-tertiary { (shown) }
                } @else {
                    div.diff-text { (shown) }
                }
            }
        }
    }
}

fn revision(
    ctx: &PageContext,
    history: &PostRevisions,
    entry: &RevisionEntry,
    before: Option<&RevisionEntry>,
    rollback: Option<String>,
) -> Markup {
    let t = ctx.t();
    let is_current = history.current().map(|c| c.number) == Some(entry.number);
    let tags = |entry: &RevisionEntry| entry.tags.as_ref().map(|tags| tags.joined());
    let unchanged = before.is_some_and(|before| {
        before.subject == entry.subject
            && before.content == entry.content
            && tags(before) == tags(entry)
    });
    html! {
        article.card.mb-3 #{"revision-" (entry.number)} data-revision=(entry.number) {
            div.card-header.d-flex.flex-wrap.gap-2.align-items-baseline {
                h2.h6.mb-0 { (fill(t.revision_number, &[&entry.number.to_string()])) }
                @if is_current { span.badge.text-bg-primary data-current { "✓ " (t.revision_current) } }
                @if entry.number == 1 { span.badge.text-bg-secondary { (t.revision_original) } }
                @if let Some(to) = entry.rolled_back_to {
                    span.badge.text-bg-warning data-rolled-back=(to) { "↺ " (fill(t.revision_rolled_back, &[&to.to_string()])) }
                }
                span.small.text-body-secondary.ms-auto {
                    (author_link(t, &entry.editor))
                    " · " (ctx.time(entry.created_at))
                }
            }
            div.card-body {
                @if !entry.summary.is_empty() {
                    p.fst-italic.mb-2 data-summary { "“" (entry.summary) "”" }
                }
                @if unchanged {
                    p.text-body-secondary.mb-2 { (t.revision_unchanged) }
                } @else {
                    @if let Some(subject) = &entry.subject {
                        (field(t.subject, subject, before.and_then(|b| b.subject.as_deref()), false, t))
                    }
                    @if let Some(now) = tags(entry) {
                        (field(t.tags_label, &now, before.and_then(tags).as_deref(), false, t))
                    }
                    (field(t.content, &entry.content, before.map(|b| b.content.as_str()), true, t))
                }
                @if let Some(action) = rollback {
                    form.mt-2 method="post" action=(action) {
                        @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                        button.btn.btn-sm.btn-outline-secondary type="submit" {
                            "↺ " (fill(t.revision_rollback, &[&entry.number.to_string()]))
                        }
                    }
                }
            }
        }
    }
}

/// Every revision of a post, newest first; `errors` a refused rollback's.
pub fn revisions_page(ctx: &PageContext, history: &PostRevisions, errors: &[FieldError]) -> Markup {
    let t = ctx.t();
    let title = match history.post {
        PostRef::Question(_) => t.revisions_question_title,
        PostRef::Answer(_) => t.revisions_answer_title,
        PostRef::Comment(_) => t.revisions_comment_title,
    };
    let (post_url, history_url) = post_urls(history.post);
    let may_roll_back = ctx.may(Action::Edit, history.author_id);
    let entries: Vec<(&RevisionEntry, Option<&RevisionEntry>)> = history
        .revisions
        .iter()
        .enumerate()
        .map(|(at, entry)| {
            (
                entry,
                at.checked_sub(1).and_then(|i| history.revisions.get(i)),
            )
        })
        .collect();
    let content = html! {
        h1.h3.mb-2 { (title) }
        p.mb-1 {
            (t.revisions_under) " "
            a href=(urls::question(history.question_id, AnswerSort::Likes, 1)) { (history.question_subject) }
        }
        p.small.text-body-secondary { (t.revisions_legend) }
        @for error in errors {
            div.alert.alert-danger role="alert" { "⚠ " (t.field_problem(error)) }
        }
        @for (entry, before) in entries.into_iter().rev() {
            @let is_current = history.current().map(|c| c.number) == Some(entry.number);
            @let rollback = (may_roll_back && !is_current)
                .then(|| format!("{history_url}/{}/rollback", entry.number));
            (revision(ctx, history, entry, before, rollback))
        }
        a.btn.btn-outline-secondary href=(post_url) { (t.revision_back) }
    };
    page(ctx, title, content)
}
