//! Sign-up, log-in and account pages.

use maud::{Markup, html};

use super::{
    PageContext,
    forms::{Field, field},
    layout::{csrf_field, page},
};
use crate::domain::{
    FieldError,
    accounts::{Password, User, Username},
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
            p.mt-3.text-center { a href="/signup" { (t.login_no_account) } }
        }
    };
    page(ctx, t.login_title, content)
}

/// The logged-in user's own account.
pub fn account_page(ctx: &PageContext, user: &User) -> Markup {
    let t = ctx.t();
    let content = html! {
        div.form-narrow.mx-auto {
            h1.h3.mb-4 { (t.account_title) }
            dl.row {
                dt.col-sm-4 { (t.username) }
                dd.col-sm-8 #account-username { (user.username) }
                dt.col-sm-4 { (t.email) }
                dd.col-sm-8 #account-email { (user.email) }
                dt.col-sm-4 { (t.account_joined) }
                dd.col-sm-8 { (ctx.time(user.created_at)) }
            }
        }
    };
    page(ctx, t.account_title, content)
}
