//! Pages around mail: "forgot password" and the reset link's page, "check your inbox", a confirmation
//! link's outcome, unsubscribing, and the account page's address and mail sections.

use maud::{Markup, html};

use super::{
    PageContext,
    forms::{Field, field, field_in},
    layout::{csrf_field, page},
};
use crate::{
    domain::{
        FieldError,
        accounts::Password,
        mail::{MailSettings, MailStream, Verified},
        notifications::NotificationKind,
    },
    i18n::{Texts, fill},
};

/// The "forgot password" form. `notice` is a message above it (a limit's wait).
pub fn forgot_page(
    ctx: &PageContext,
    email: &str,
    errors: &[FieldError],
    notice: Option<&str>,
) -> Markup {
    let t = ctx.t();
    let content = html! {
        div.form-narrow.mx-auto {
            h1.h3.mb-3 { (t.forgot_title) }
            @if let Some(notice) = notice {
                div.alert.alert-danger #forgot-error role="alert" { (notice) }
            }
            p.text-body-secondary { (t.forgot_help) }
            form method="post" action="/password/forgot" novalidate {
                @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                (field(t, Field { name: "email", label: t.email, input_type: "email", value: email,
                    hint: None, autocomplete: "email", required: true, max_length: Some(254) }, errors))
                button.btn.btn-primary.w-100 type="submit" { (t.forgot_submit) }
            }
            p.mt-3.text-center { a href="/login" { (t.login_title) } }
        }
    };
    page(ctx, t.forgot_title, content)
}

/// "Check your inbox", with what was sent where (`message`, already filled in).
pub fn check_inbox_page(ctx: &PageContext, message: &str) -> Markup {
    let t = ctx.t();
    let content = html! {
        div.form-narrow.mx-auto #check-inbox {
            h1.h3.mb-3 { span aria-hidden="true" { "✉ " } (t.check_inbox_title) }
            p { (message) }
            p { a href="/login" { (t.login_title) } }
        }
    };
    page(ctx, t.check_inbox_title, content)
}

/// The reset link's page: the new password, typed twice.
pub fn reset_page(ctx: &PageContext, token: &str, errors: &[FieldError]) -> Markup {
    let t = ctx.t();
    let content = html! {
        div.form-narrow.mx-auto {
            h1.h3.mb-3 { (t.reset_title) }
            p.text-body-secondary { (t.reset_help) }
            form method="post" action=(format!("/password/reset/{token}")) novalidate {
                @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                (field(t, Field { name: "password1", label: t.account_new_password, input_type: "password",
                    value: "", hint: Some(t.password_hint), autocomplete: "new-password", required: true,
                    max_length: Some(Password::MAX_BYTES) }, errors))
                (field(t, Field { name: "password2", label: t.account_new_password_again,
                    input_type: "password", value: "", hint: None, autocomplete: "new-password",
                    required: true, max_length: Some(Password::MAX_BYTES) }, errors))
                button.btn.btn-primary.w-100 type="submit" { (t.reset_submit) }
            }
        }
    };
    page(ctx, t.reset_title, content)
}

/// A reset or confirmation link that does not work (unknown, used, or lapsed).
pub fn link_invalid_page(ctx: &PageContext) -> Markup {
    let t = ctx.t();
    let content = html! {
        div.form-narrow.mx-auto #link-invalid {
            h1.h3.mb-3 { span aria-hidden="true" { "⚠ " } (t.link_invalid_title) }
            p { (t.link_invalid) }
            p { a.btn.btn-primary href="/password/forgot" { (t.link_ask_again) } }
        }
    };
    page(ctx, t.link_invalid_title, content)
}

/// A confirmation link's page: the button that confirms.
pub fn confirm_page(ctx: &PageContext, token: &str) -> Markup {
    let t = ctx.t();
    let content = html! {
        div.form-narrow.mx-auto #confirm {
            h1.h3.mb-3 { (t.confirm_title) }
            p { (t.confirm_help) }
            form method="post" action=(format!("/email/verify/{token}")) {
                @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                button.btn.btn-primary type="submit" #confirm-address { (t.confirm_submit) }
            }
        }
    };
    page(ctx, t.confirm_title, content)
}

/// What a confirmation link did.
pub fn verified_page(ctx: &PageContext, outcome: &Verified) -> Markup {
    let t = ctx.t();
    let next = if ctx.user.is_some() {
        html! { a.btn.btn-primary href="/account" { (t.verified_continue) } }
    } else {
        html! { a.btn.btn-primary href="/login" { (t.verified_log_in) } }
    };
    let (title, icon, message) = match outcome {
        Verified::Done {
            moved_from: None, ..
        } => (t.verified_title, "✓ ", t.verified_body.to_owned()),
        Verified::Done {
            address,
            moved_from: Some(_),
            ..
        } => (t.verified_title, "✓ ", fill(t.verified_moved, &[address])),
        Verified::Created { username } => (
            t.verified_title,
            "✓ ",
            fill(t.verified_account_ready, &[username]),
        ),
        Verified::Taken => (t.link_invalid_title, "⚠ ", t.verified_taken.to_owned()),
        Verified::NameTaken => (t.link_invalid_title, "⚠ ", t.verified_name_taken.to_owned()),
        Verified::Invalid => return link_invalid_page(ctx),
    };
    let content = html! {
        div.form-narrow.mx-auto #verified data-outcome=(match outcome {
            Verified::Taken | Verified::NameTaken => "taken",
            Verified::Created { .. } => "created",
            _ => "done",
        }) {
            h1.h3.mb-3 { span aria-hidden="true" { (icon) } (title) }
            p { (message) }
            p { (next) }
        }
    };
    page(ctx, title, content)
}

/// What a notification kind's mail is called, in checkboxes and on the unsubscribe page.
pub fn mail_kind_label(t: &Texts, kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::Answer => t.mail_kind_answer,
        NotificationKind::Comment => t.mail_kind_comment,
        NotificationKind::Accepted => t.mail_kind_accepted,
        NotificationKind::Mention => t.mail_kind_mention,
        NotificationKind::FollowedAnswer => t.mail_kind_followed_answer,
        NotificationKind::TaggedQuestion => t.mail_kind_tagged_question,
    }
}

/// The unsubscribe link's page: a button, since a link opened (by a person, or by a mail scanner) must
/// not change anything; or, once pressed, what it did.
pub fn unsubscribe_page(ctx: &PageContext, token: &str, stream: MailStream, done: bool) -> Markup {
    let t = ctx.t();
    let label = match stream {
        MailStream::Kind(kind) => mail_kind_label(t, kind),
        MailStream::Digest => t.mail_digest_label,
    };
    let content = html! {
        div.form-narrow.mx-auto #unsubscribe data-done=[done.then_some("true")] {
            h1.h3.mb-3 { (t.unsubscribe_title) }
            @if done {
                p role="status" { span aria-hidden="true" { "✓ " } (fill(t.unsubscribe_done, &[label])) }
            } @else {
                p { (fill(t.unsubscribe_question, &[label])) }
                form method="post" action=(format!("/unsubscribe/{token}")) {
                    @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                    button.btn.btn-primary type="submit" { (t.unsubscribe_submit) }
                }
            }
            p.mt-3 { a href="/account#mail" { (t.unsubscribe_settings) } }
        }
    };
    page(ctx, t.unsubscribe_title, content)
}

/// The account page's address: whether it is confirmed (a link to send again when not), where it is
/// moving, and the form that moves it.
pub fn email_section(
    ctx: &PageContext,
    settings: &MailSettings,
    typed: &str,
    errors: &[FieldError],
) -> Markup {
    let t = ctx.t();
    html! {
        section.mt-4 #email aria-labelledby="email-title" {
            h2.h5 #email-title { (t.account_email_title) }
            p.mb-2 {
                span.text-break #account-email { (settings.email) } " "
                @if settings.verified {
                    span.badge.text-bg-success data-verified="true" { "✓ " (t.account_email_verified) }
                } @else {
                    span.badge.text-bg-warning data-verified="false" { "! " (t.account_email_unverified) }
                }
            }
            @if !settings.verified {
                form.mb-2 method="post" action="/account/email/resend" {
                    @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                    button.btn.btn-sm.btn-outline-primary type="submit" #resend-confirmation {
                        (t.account_email_resend)
                    }
                }
            }
            @if let Some(pending) = &settings.pending_address {
                p.small #pending-email { (fill(t.account_email_pending, &[pending])) }
            }
            p.small.text-body-secondary { (t.account_email_help) }
            form method="post" action="/account/email" novalidate {
                @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                (field_in(t, "email", Field { name: "email", label: t.account_email_new, input_type: "email",
                    value: typed, hint: None, autocomplete: "email", required: true, max_length: Some(254) }, errors))
                (field_in(t, "email", Field { name: "current_password", label: t.account_current_password,
                    input_type: "password", value: "", hint: None, autocomplete: "current-password",
                    required: true, max_length: None }, errors))
                button.btn.btn-primary type="submit" { (t.account_email_submit) }
            }
        }
    }
}

/// The account page's last section: deleting the account, with what it does said first.
pub fn delete_section(ctx: &PageContext, errors: &[FieldError]) -> Markup {
    let t = ctx.t();
    html! {
        section.mt-5.border.border-danger.rounded.p-3 #delete aria-labelledby="delete-title" {
            h2.h5.text-danger #delete-title { span aria-hidden="true" { "⚠ " } (t.account_delete_title) }
            p.small { (t.account_delete_help) }
            form method="post" action="/account/delete" {
                @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                (field_in(t, "delete", Field { name: "current_password", label: t.account_current_password,
                    input_type: "password", value: "", hint: None, autocomplete: "current-password",
                    required: true, max_length: None }, errors))
                button.btn.btn-danger type="submit" #delete-account { (t.account_delete_submit) }
            }
        }
    }
}

/// The account page's choice of notifications by mail: a checkbox for each kind.
pub fn mail_section(ctx: &PageContext, settings: &MailSettings) -> Markup {
    let t = ctx.t();
    html! {
        section.mt-4 #mail aria-labelledby="mail-title" {
            h2.h5 #mail-title { (t.account_mail_title) }
            p.small.text-body-secondary { (t.account_mail_help) }
            form method="post" action="/account/mail" {
                @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
                @for kind in NotificationKind::ALL {
                    div.form-check {
                        input.form-check-input type="checkbox" name=(kind.code()) value="on"
                            id=(format!("mail-{}", kind.code())) checked[settings.choices.wants(kind)];
                        label.form-check-label for=(format!("mail-{}", kind.code())) {
                            (mail_kind_label(t, kind))
                        }
                    }
                }
                div.form-check.mt-2 {
                    input.form-check-input type="checkbox" name="digest" value="on" id="mail-digest"
                        checked[settings.digest];
                    label.form-check-label for="mail-digest" { (t.account_mail_digest) }
                }
                button.btn.btn-primary.mt-2 type="submit" { (t.account_mail_submit) }
            }
        }
    }
}
