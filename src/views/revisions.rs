//! A post's history, a page at a time: each revision newest first, with what it changed from the one before
//! as a word-level diff (removed words struck through, added ones underlined, each also named in words for
//! screen readers), and for whoever may edit the post a button that rolls it back to that revision.

use maud::{Markup, html};

use super::{
    PageContext,
    forms::{SummaryInput, summary_field},
    layout::{csrf_field, page as layout_page},
    pagination::pagination,
    urls,
    users::author_link,
};
use crate::{
    domain::{
        FieldError,
        board::AnswerSort,
        policy::{Action, PostRef},
        revisions::{
            Change, PostRevisions, REVISIONS_PER_PAGE, RevisionEntry, changed, page_numbers,
            word_diff,
        },
    },
    i18n::{Texts, fill},
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
fn marked(runs: &[(Change, String)], t: &Texts) -> Markup {
    html! {
        @for (change, text) in runs {
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

/// One field of a revision: in full for the oldest, else what changed since `before` (nothing when the
/// field did not change). Each field is compared once.
fn field(label: &str, now: &str, before: Option<&str>, block: bool, t: &Texts) -> Markup {
    let shown = match before {
        None => Some(html! { (now) }),
        Some(before) => {
            let runs = word_diff(before, now);
            changed(&runs).then(|| marked(&runs, t))
        }
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

/// A rollback button: where it posts, and whether it asks why (a moderator's, on someone else's post).
struct Rollback {
    action: String,
    asks_why: bool,
}

fn revision(
    ctx: &PageContext,
    history: &PostRevisions,
    entry: &RevisionEntry,
    before: Option<&RevisionEntry>,
    rollback: Option<Rollback>,
) -> Markup {
    let t = ctx.t();
    let tags = |entry: &RevisionEntry| entry.tags.as_ref().map(|tags| tags.joined());
    let unchanged = before.is_some_and(|before| before.same_text(entry));
    html! {
        article.card.mb-3 #{"revision-" (entry.number)} data-revision=(entry.number) {
            div.card-header.d-flex.flex-wrap.gap-2.align-items-baseline {
                h2.h6.mb-0 { (fill(t.revision_number, &[&entry.number.to_string()])) }
                @if history.is_current(entry.number) {
                    span.badge.text-bg-primary data-current { "✓ " (t.revision_current) }
                }
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
                @if let Some(rollback) = rollback {
                    form.mt-2 method="post" action=(rollback.action) {
                        @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                        @if rollback.asks_why {
                            (summary_field(t, &SummaryInput { value: "", required: true }, &[],
                                &format!("-r{}", entry.number)))
                        }
                        button.btn.btn-sm.btn-outline-secondary type="submit" {
                            "↺ " (fill(t.revision_rollback, &[&entry.number.to_string()]))
                        }
                    }
                }
            }
        }
    }
}

/// Page `page` of a post's history, newest first; `errors` a refused rollback's.
pub fn revisions_page(
    ctx: &PageContext,
    history: &PostRevisions,
    page: i64,
    errors: &[FieldError],
) -> Markup {
    let t = ctx.t();
    let title = match history.post {
        PostRef::Question(_) => t.revisions_question_title,
        PostRef::Answer(_) => t.revisions_answer_title,
        PostRef::Comment(_) => t.revisions_comment_title,
    };
    let (post_url, history_url) = post_urls(history.post);
    let may_roll_back = ctx.may(Action::Edit, history.author_id);
    let asks_why = ctx
        .user
        .as_ref()
        .is_some_and(|user| user.id != history.author_id);
    let pages = (history.total + REVISIONS_PER_PAGE - 1) / REVISIONS_PER_PAGE;
    let page = page.clamp(1, pages.max(1));
    let (low, high) = page_numbers(history.total, page);
    // Each revision of the page with the one before it (read too, for the oldest of the page).
    let entries: Vec<(&RevisionEntry, Option<&RevisionEntry>)> = history
        .revisions
        .iter()
        .enumerate()
        .filter(|(_, entry)| (low..=high).contains(&entry.number))
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
        @if history.hidden && !ctx.sees_hidden(history.author_id) {
            p.fst-italic.text-body-secondary data-hidden { "⚑ " (t.hidden_post) }
        } @else {
        @for (entry, before) in entries.into_iter().rev() {
            @let rollback = (may_roll_back && !history.is_current(entry.number)).then(|| Rollback {
                action: format!("{history_url}/{}/rollback", entry.number),
                asks_why,
            });
            (revision(ctx, history, entry, before, rollback))
        }
        (pagination(t, page, pages, &|n| format!("{history_url}?page={n}"), None))
        }
        a.btn.btn-outline-secondary href=(post_url) { (t.revision_back) }
    };
    layout_page(ctx, title, content)
}
