//! What moderation looks like: a closed question's notice and the staff's controls on a question or a
//! profile, the forms that close a question and suspend an account, the accounts page where admins give
//! roles, and the moderation log. Every control is a plain form: nothing here needs JavaScript.

use maud::{Markup, html};

use super::{
    PageContext,
    forms::{Choice, Field, TextArea, choice, field, textarea},
    layout::{csrf_field, page},
    pagination::pagination,
    urls,
    users::author_link,
};
use crate::{
    domain::{
        FieldError,
        moderation::{
            CloseForm, CloseReason, Closure, LogDetail, LogPage, NOTE_MAX_CHARS, SuspendForm,
            Suspension, last_day,
        },
        people::{Profile, UserList, clamp_user_page},
        policy::Role,
        posts::Question,
    },
    i18n::{Texts, fill},
};

/// A role beside a name, in words with a mark (a user has none).
pub fn role_badge(t: &Texts, role: Role) -> Markup {
    html! {
        @if role.is_staff() {
            span.badge.rounded-pill.text-bg-dark data-role=(role.code()) {
                span aria-hidden="true" { "♦ " } (t.role(role))
            }
        }
    }
}

/// A suspension in words: through which day, and why.
fn suspension_text(t: &Texts, suspension: &Suspension) -> String {
    fill(
        t.suspended_through,
        &[&last_day(suspension.until), &suspension.reason],
    )
}

/// The notice at the top of a closed question: why, by whom and when, the question it duplicates.
pub fn closure_notice(ctx: &PageContext, closure: &Closure) -> Markup {
    let t = ctx.t();
    let by = closure.closed_by.as_deref().unwrap_or(t.closed_someone);
    html! {
        div.alert.alert-secondary #question-closed role="note" data-closed=(closure.reason.code()) {
            p.fw-semibold.mb-1 {
                span aria-hidden="true" { "🔒 " }
                (fill(t.closed_as, &[t.close_reason(closure.reason), by])) " · " (ctx.time(closure.closed_at))
            }
            @if let Some((original, subject)) = &closure.duplicate_of {
                @match subject {
                    Some(subject) => p.mb-1 {
                        (t.closed_duplicate_of) " "
                        a href=(urls::question(*original, Default::default(), 1)) data-duplicate-of=(original.0) {
                            (subject)
                        }
                    },
                    None => p.mb-1 { (t.closed_duplicate_gone) },
                }
            }
            @if !closure.note.is_empty() {
                p.mb-0.text-break data-close-note { (closure.note) }
            }
        }
    }
}

/// Where the answer form would be, on a closed question.
pub fn closed_instead_of_answer_form(t: &Texts) -> Markup {
    html! {
        p.mt-4.text-body-secondary #answer-closed {
            span aria-hidden="true" { "🔒 " } (t.closed_no_answers)
        }
    }
}

/// A moderator's controls on a question: close it (a page with the form) or reopen it (one click).
pub fn question_controls(ctx: &PageContext, question: &Question) -> Markup {
    let t = ctx.t();
    html! {
        @if ctx.is_staff() {
            div.mt-2.d-flex.gap-2 #moderator-controls {
                @if question.closure.is_some() {
                    form method="post" action=(urls::question_action(question.id, "reopen")) {
                        @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                        button.btn.btn-sm.btn-outline-dark type="submit" {
                            span aria-hidden="true" { "♦ " } (t.reopen)
                        }
                    }
                } @else {
                    a.btn.btn-sm.btn-outline-dark href=(urls::question_action(question.id, "close")) {
                        span aria-hidden="true" { "♦ " } (t.close)
                    }
                }
            }
        }
    }
}

/// The form that closes a question, as typed and with its problems after a failed try.
pub fn close_page(
    ctx: &PageContext,
    question: &Question,
    form: &CloseForm,
    errors: &[FieldError],
) -> Markup {
    let t = ctx.t();
    let reasons = Choice {
        name: "reason",
        legend: t.close_reason_label,
        options: CloseReason::ALL
            .into_iter()
            .map(|reason| {
                let label = html! {
                    (t.close_reason(reason))
                    span.d-block.small.text-body-secondary { (t.close_reason_help(reason)) }
                };
                (reason.code(), label)
            })
            .collect(),
        chosen: &form.reason,
    };
    let content = html! {
        div.form-narrow.mx-auto {
            h1.h3.mb-2 { (t.close_question_title) }
            p.mb-1 {
                a href=(urls::question(question.id, Default::default(), 1)) { (question.subject) }
            }
            p.text-body-secondary.small { (t.close_question_intro) }
            form method="post" action=(urls::question_action(question.id, "close")) novalidate {
                @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                (choice(t, &reasons, errors))
                (field(t, Field {
                    name: "duplicate_of",
                    label: t.close_duplicate_label,
                    input_type: "text",
                    value: &form.duplicate_of,
                    hint: None,
                    autocomplete: "off",
                    required: false,
                    max_length: Some(300),
                }, errors))
                (note_area(t, ("note", t.close_note_label, None), &form.note, false, errors))
                div.d-flex.gap-2 {
                    button.btn.btn-dark type="submit" { (t.close_submit) }
                    a.btn.btn-outline-secondary href=(urls::question(question.id, Default::default(), 1)) { (t.cancel) }
                }
            }
        }
    };
    page(ctx, t.close_question_title, content)
}

/// A moderator's view of an account on its profile: its suspension, and the controls to suspend it or lift
/// the suspension (for accounts below the viewer's role).
pub fn profile_controls(ctx: &PageContext, profile: &Profile) -> Markup {
    let t = ctx.t();
    let own = ctx.user.as_ref().is_some_and(|user| user.id == profile.id);
    html! {
        @if ctx.is_staff() {
            div.mb-3 #moderator-controls {
                @if let Some(suspension) = &profile.suspension {
                    p.mb-2 data-suspended {
                        span aria-hidden="true" { "⛔ " } (suspension_text(t, suspension))
                    }
                }
                @if !own && profile.role < ctx.role {
                    @match &profile.suspension {
                        Some(_) => form method="post" action=(user_action(&profile.username, "unsuspend")) {
                            @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                            button.btn.btn-sm.btn-outline-dark type="submit" {
                                span aria-hidden="true" { "♦ " } (t.unsuspend)
                            }
                        },
                        None => a.btn.btn-sm.btn-outline-danger href=(user_action(&profile.username, "suspend")) {
                            span aria-hidden="true" { "♦ " } (t.suspend)
                        },
                    }
                }
            }
        }
    }
}

/// A moderator's few sentences: a closing's note, a suspension's reason.
/// A moderator's (or a flagger's) note: `(name, label, hint)`.
pub(super) fn note_area(
    t: &Texts,
    (name, label, hint): (&'static str, &str, Option<&str>),
    value: &str,
    required: bool,
    errors: &[FieldError],
) -> Markup {
    textarea(
        t,
        TextArea {
            name,
            label,
            value,
            hint,
            rows: 3,
            max_length: NOTE_MAX_CHARS,
            id_suffix: "",
            autofocus: false,
            required,
        },
        errors,
    )
}

/// `/users/{name}/{action}`.
fn user_action(name: &str, action: &str) -> String {
    format!("/users/{}/{action}", urls::segment(name))
}

/// The form that suspends an account.
pub fn suspend_page(
    ctx: &PageContext,
    profile: &Profile,
    form: &SuspendForm,
    errors: &[FieldError],
) -> Markup {
    let t = ctx.t();
    let title = fill(t.suspend_title, &[&profile.username]);
    let content = html! {
        div.form-narrow.mx-auto {
            h1.h3.mb-2 { (title) }
            p.text-body-secondary.small { (t.suspend_intro) }
            form method="post" action=(user_action(&profile.username, "suspend")) novalidate {
                @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                (field(t, Field {
                    name: "until",
                    label: t.suspend_until_label,
                    input_type: "date",
                    value: &form.until,
                    hint: None,
                    autocomplete: "off",
                    required: true,
                    max_length: Some(10),
                }, errors))
                (note_area(t, ("reason", t.suspend_reason_label, None), &form.reason, true, errors))
                div.d-flex.gap-2 {
                    button.btn.btn-danger type="submit" { (t.suspend_submit) }
                    a.btn.btn-outline-secondary href=(urls::user(&profile.username, Default::default(), 1)) { (t.cancel) }
                }
            }
        }
    };
    page(ctx, &title, content)
}

/// `/admin/users`: accounts by name, each with its role (a form to change it) and state.
pub fn accounts_page(ctx: &PageContext, list: &UserList, prefix: &str) -> Markup {
    let t = ctx.t();
    let last_page = clamp_user_page(i64::MAX, list.total);
    let content = html! {
        h1.h3.mb-2 { (t.admin_users_title) }
        p.text-body-secondary.small { (t.admin_users_intro) }
        form.d-flex.gap-2.mb-3 method="get" action="/admin/users" role="search" {
            label.visually-hidden for="admin-users-q" { (t.admin_users_search) }
            input.form-control #admin-users-q type="search" name="q" value=(prefix)
                placeholder=(t.admin_users_search) maxlength="25";
            button.btn.btn-outline-secondary type="submit" { (t.admin_users_search) }
        }
        @if list.users.is_empty() {
            p.text-body-secondary { (t.admin_users_none) }
        } @else {
            ul.list-group.mb-3 #accounts {
                @for user in &list.users {
                    li.list-group-item.d-flex.flex-wrap.gap-2.align-items-center data-account=(user.username) {
                        div.flex-grow-1 {
                            (author_link(t, &user.username)) " " (role_badge(t, user.role))
                            div.small.text-body-secondary data-state {
                                @match &user.suspension {
                                    Some(suspension) => {
                                        span aria-hidden="true" { "⛔ " }
                                        (fill(t.state_suspended, &[&last_day(suspension.until)]))
                                    }
                                    None => (t.state_active),
                                }
                            }
                        }
                        @if ctx.user.as_ref().is_some_and(|me| me.username == user.username) {
                            span.small.text-body-secondary { (t.role(user.role)) " (" (t.you) ")" }
                        } @else if user.role >= ctx.role {
                            // Another admin: the operator changes their role, from the shell.
                            span.small.text-body-secondary { (t.role(user.role)) }
                        } @else {
                            form.d-flex.gap-2.align-items-center method="post"
                                action={"/admin/users/" (urls::segment(&user.username)) "/role"} {
                                @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                                label.visually-hidden for={"role-" (user.username)} {
                                    (t.role_label) " " (user.username)
                                }
                                select.form-select.form-select-sm.w-auto #{"role-" (user.username)} name="role" {
                                    @for role in Role::ALL {
                                        option value=(role.code()) selected[role == user.role] { (t.role(role)) }
                                    }
                                }
                                button.btn.btn-sm.btn-outline-dark type="submit" { (t.role_save) }
                            }
                        }
                    }
                }
            }
            (pagination(t, list.page, last_page, &|page| accounts_href(prefix, page), None))
        }
    };
    page(ctx, t.admin_users_title, content)
}

/// `/admin/users`, filtered by the start of a name, on one page.
pub fn accounts_href(prefix: &str, page: i64) -> String {
    let mut params = Vec::new();
    if !prefix.is_empty() {
        params.push(format!("q={}", super::layout::encode_query_value(prefix)));
    }
    if page > 1 {
        params.push(format!("page={page}"));
    }
    if params.is_empty() {
        "/admin/users".to_owned()
    } else {
        format!("/admin/users?{}", params.join("&"))
    }
}

/// `/admin/log`: what staff did, newest first, a page at a time.
pub fn log_page(ctx: &PageContext, log: &LogPage, paged: bool) -> Markup {
    let t = ctx.t();
    let content = html! {
        div.d-flex.flex-wrap.justify-content-between.align-items-baseline.gap-2 {
            h1.h3.mb-2 { (t.log_title) }
            @if ctx.is_admin() {
                a href="/admin/users" { (t.nav_admin_users) }
            }
        }
        p.text-body-secondary.small { (t.log_intro) }
        @if log.entries.is_empty() {
            p.text-body-secondary #log-empty { (t.log_empty) }
        } @else {
            div.table-responsive {
                table.table.table-sm.align-middle #moderation-log {
                    thead { tr {
                        th scope="col" { (t.log_when) }
                        th scope="col" { (t.log_who) }
                        th scope="col" { (t.log_what) }
                        th scope="col" { (t.log_on) }
                        th scope="col" { (t.log_detail) }
                    } }
                    tbody {
                        @for entry in &log.entries {
                            tr data-log=(entry.action.code()) {
                                td.small { (ctx.time(entry.at)) }
                                td { @match &entry.actor {
                                    Some(name) => (author_link(t, name)),
                                    None => (t.log_operator),
                                } }
                                td { (t.log_action(entry.action)) }
                                td.text-break { @match entry.question {
                                    Some(id) => a href=(urls::question(id, Default::default(), 1)) { (entry.target) },
                                    None => (author_link(t, &entry.target)),
                                } }
                                td.small.text-break { (log_detail(t, &entry.detail())) }
                            }
                        }
                    }
                }
            }
        }
        nav.d-flex.gap-3 aria-label=(t.log_title) {
            @if paged { a href="/admin/log" { (t.log_newest) } }
            @if let Some(older) = log.older {
                a href={"/admin/log?before=" (older)} rel="next" { (t.log_older) }
            }
        }
    };
    page(ctx, t.log_title, content)
}

fn log_detail(t: &Texts, detail: &LogDetail) -> Markup {
    html! {
        @match detail {
            LogDetail::Closed { reason, duplicate_of, note } => {
                (t.close_reason(*reason))
                @if let Some(original) = duplicate_of {
                    " → " a href=(urls::question(*original, Default::default(), 1)) { "#" (original.0) }
                }
                @if !note.is_empty() { ": " (note) }
            }
            LogDetail::Suspended { until, reason } => {
                (fill(t.suspended_through, &[&last_day(*until), reason]))
            }
            LogDetail::Role(role) => { "→ " (t.role(*role)) }
            LogDetail::Edited { rolled_back_to, summary } => {
                @if let Some(number) = rolled_back_to {
                    "↺ " (fill(t.revision_number, &[&number.to_string()])) ": "
                }
                (summary)
            }
            LogDetail::Nothing => {}
        }
    }
}
