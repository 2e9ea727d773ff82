//! Sign-up, log-in and account pages.

use maud::{Markup, html};

use super::{
    PageContext,
    email::{delete_section, email_section, mail_section},
    follows::{FollowButton, follow_button},
    forms::{Field, field},
    layout::{csrf_field, page},
    urls,
};
use crate::domain::{
    FieldError,
    accounts::{Password, SessionSummary, User, Username, device_name},
    mail::MailSettings,
    notifications::Following,
};

/// The sign-up form; after a failed attempt it keeps the typed username and email, never the passwords.
/// `notice` is a message above the form (a limit's wait, or a busy server).
pub fn signup_page(
    ctx: &PageContext,
    username: &str,
    email: &str,
    errors: &[FieldError],
    notice: Option<&str>,
) -> Markup {
    let t = ctx.t();
    let content = html! {
        div.form-narrow.mx-auto {
            h1.h3.mb-4 { (t.signup_title) }
            @if let Some(notice) = notice {
                div.alert.alert-danger #signup-error role="alert" { (notice) }
            }
            form method="post" action="/signup" novalidate {
                @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                (field(t, Field { name: "username", label: t.username, input_type: "text", value: username,
                    hint: Some(t.username_hint), autocomplete: "username", required: true, max_length: Some(Username::MAX_CHARS) }, errors))
                (field(t, Field { name: "email", label: t.email, input_type: "email", value: email,
                    hint: None, autocomplete: "email", required: true, max_length: Some(254) }, errors))
                (field(t, Field { name: "password1", label: t.password, input_type: "password", value: "",
                    hint: Some(t.password_hint), autocomplete: "new-password", required: true, max_length: Some(Password::MAX_BYTES) }, errors))
                (field(t, Field { name: "password2", label: t.password_again, input_type: "password", value: "",
                    hint: None, autocomplete: "new-password", required: true, max_length: Some(Password::MAX_BYTES) }, errors))
                button.btn.btn-primary.w-100 type="submit" { (t.signup_submit) }
            }
            p.mt-3.text-center { a href="/login" { (t.signup_have_account) } }
        }
    };
    page(ctx, t.signup_title, content)
}

/// The log-in form. `notice` is a message above the form (a failed try, or the throttle's wait).
pub fn login_page(ctx: &PageContext, username: &str, next: &str, notice: Option<&str>) -> Markup {
    let t = ctx.t();
    let content = html! {
        div.form-narrow.mx-auto {
            h1.h3.mb-4 { (t.login_title) }
            @if let Some(notice) = notice {
                div.alert.alert-danger #login-error role="alert" { (notice) }
            }
            form method="post" action="/login" {
                @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                @if !next.is_empty() { input type="hidden" name="next" value=(next); }
                (field(t, Field { name: "username", label: t.username, input_type: "text", value: username,
                    hint: None, autocomplete: "username", required: true, max_length: None }, &[]))
                (field(t, Field { name: "password", label: t.password, input_type: "password", value: "",
                    hint: None, autocomplete: "current-password", required: true, max_length: None }, &[]))
                button.btn.btn-primary.w-100 type="submit" { (t.login_submit) }
            }
            p.mt-3.text-center { a #forgot-password href="/password/forgot" { (t.login_forgot) } }
            p.text-center { a href="/signup" { (t.login_no_account) } }
        }
    };
    page(ctx, t.login_title, content)
}

/// What the account page shows.
pub struct AccountView<'a> {
    pub user: &'a User,
    pub following: &'a Following,
    /// The account's live sessions, the last used first.
    pub sessions: &'a [SessionSummary],
    /// The key of the session this page is shown in.
    pub current_session: &'a str,
    /// The password form's problems, after a failed change.
    pub password_errors: &'a [FieldError],
    pub mail: &'a MailSettings,
    /// The address form's input and problems, after a failed change.
    pub email_typed: &'a str,
    pub email_errors: &'a [FieldError],
    /// A message at the top (a limit's wait).
    pub notice: Option<&'a str>,
    /// The delete form's problems, after a failed try.
    pub delete_errors: &'a [FieldError],
    pub tokens: super::tokens::TokensView<'a>,
}

/// The logged-in user's own account: who they are, their password, where they are signed in, and what
/// they follow.
pub fn account_page(ctx: &PageContext, view: &AccountView) -> Markup {
    let t = ctx.t();
    let user = view.user;
    let following = view.following;
    let content = html! {
        div.form-narrow.mx-auto {
            h1.h3.mb-4 { (t.account_title) }
            @if let Some(notice) = view.notice {
                div.alert.alert-danger #account-error role="alert" { (notice) }
            }
            dl.row {
                dt.col-sm-4 { (t.username) }
                dd.col-sm-8 #account-username { (user.username) }
                dt.col-sm-4 { (t.account_joined) }
                dd.col-sm-8 { (ctx.time(user.created_at)) }
            }
            (email_section(ctx, view.mail, view.email_typed, view.email_errors))
            section.mt-4 #password aria-labelledby="password-title" {
                h2.h5 #password-title { (t.account_password_title) }
                p.small.text-body-secondary { (t.account_password_help) }
                form method="post" action="/account/password" {
                    @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                    (field(t, Field { name: "current_password", label: t.account_current_password,
                        input_type: "password", value: "", hint: None, autocomplete: "current-password",
                        required: true, max_length: None }, view.password_errors))
                    (field(t, Field { name: "password1", label: t.account_new_password,
                        input_type: "password", value: "", hint: Some(t.password_hint),
                        autocomplete: "new-password", required: true, max_length: None }, view.password_errors))
                    (field(t, Field { name: "password2", label: t.account_new_password_again,
                        input_type: "password", value: "", hint: None, autocomplete: "new-password",
                        required: true, max_length: None }, view.password_errors))
                    button.btn.btn-primary type="submit" { (t.account_password_submit) }
                }
            }
            (sessions_section(ctx, view))
            (mail_section(ctx, view.mail))
            (super::tokens::tokens_section(ctx, &view.tokens))
            section.mt-4 #followed-tags aria-labelledby="followed-tags-title" {
                h2.h5 #followed-tags-title { (t.account_followed_tags) }
                @if following.tags.is_empty() {
                    p.text-body-secondary { (t.account_no_followed_tags) }
                } @else {
                    ul.list-unstyled.d-flex.flex-wrap.gap-2 {
                        @for tag in &following.tags {
                            li.d-flex.align-items-center.gap-1 data-followed-tag=(tag.as_str()) {
                                a.tag href=(urls::tag(tag, Default::default(), 1)) { (tag.as_str()) }
                                (follow_button(ctx, &FollowButton::tag(ctx, tag, true)))
                            }
                        }
                    }
                }
            }
            section.mt-4 #followed-questions aria-labelledby="followed-questions-title" {
                h2.h5 #followed-questions-title {
                    (t.account_followed_questions) " "
                    span.badge.text-bg-light { (ctx.number(following.question_count)) }
                }
                @if following.questions.is_empty() {
                    p.text-body-secondary { (t.account_no_followed_questions) }
                } @else {
                    ul.list-group {
                        @for (id, subject) in &following.questions {
                            li.list-group-item.d-flex.flex-wrap.justify-content-between.align-items-center.gap-2
                                data-followed-question=(id.0) {
                                a.text-break href=(urls::question(*id, Default::default(), 1)) { (subject) }
                                (follow_button(ctx, &FollowButton::question(ctx, *id, true)))
                            }
                        }
                    }
                    @if following.question_count > following.questions.len() as i64 {
                        p.small.text-body-secondary.mt-2 { (t.account_followed_questions_more) }
                    }
                }
            }
            (delete_section(ctx, view.delete_errors))
        }
    };
    page(ctx, t.account_title, content)
}

/// Where the account is signed in: each device, this one marked, the others each with a button that signs
/// it out, and one that signs out all of them.
fn sessions_section(ctx: &PageContext, view: &AccountView) -> Markup {
    let t = ctx.t();
    let others = view
        .sessions
        .iter()
        .any(|session| session.key != view.current_session);
    html! {
        section.mt-4 #sessions aria-labelledby="sessions-title" {
            h2.h5 #sessions-title { (t.account_sessions_title) }
            ul.list-group.mb-2 {
                @for session in view.sessions {
                    @let this = session.key == view.current_session;
                    li.list-group-item.d-flex.flex-wrap.justify-content-between.align-items-center.gap-2
                        data-session=(session.key) data-current=[this.then_some("true")] {
                        div {
                            div.fw-semibold {
                                (device_name(&session.user_agent)
                                    .unwrap_or_else(|| t.account_session_unknown_device.to_owned()))
                                @if this { " " span.badge.text-bg-success { "✓ " (t.account_session_this) } }
                            }
                            small.text-body-secondary.d-block {
                                @if !session.address.is_empty() { (session.address) " · " }
                                (t.account_session_signed_in) " " (ctx.time(session.created_at))
                                " · " (t.account_session_last_seen) " " (ctx.time(session.last_seen_at))
                            }
                        }
                        @if !this {
                            form method="post" action=(format!("/account/sessions/{}/end", session.key)) {
                                @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                                button.btn.btn-sm.btn-outline-danger type="submit"
                                    title=(t.account_session_end_label) { (t.account_session_end) }
                            }
                        }
                    }
                }
            }
            @if others {
                form method="post" action="/account/sessions/end-others" {
                    @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                    button.btn.btn-sm.btn-outline-danger type="submit" #end-other-sessions {
                        (t.account_sessions_end_others)
                    }
                }
            }
        }
    }
}
