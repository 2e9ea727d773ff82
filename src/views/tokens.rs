//! The account page's API tokens: the new token once, the form that makes one, and those the account
//! holds, each with its scope, its use and a button that revokes it.

use maud::{Markup, html};

use super::{
    PageContext,
    forms::{Field, field_in},
    layout::csrf_field,
};
use crate::{
    domain::{
        FieldError,
        tokens::{NAME_MAX_CHARS, TokenForm, TokenScope, TokenSummary},
    },
    i18n::Texts,
};

/// What the tokens section shows.
pub struct TokensView<'a> {
    pub tokens: &'a [TokenSummary],
    /// A token just made: shown this once.
    pub new_token: Option<&'a str>,
    /// The form as typed, after a failed try.
    pub typed: &'a TokenForm,
    pub errors: &'a [FieldError],
}

fn scope_name(t: &Texts, scope: TokenScope) -> &'static str {
    match scope {
        TokenScope::Read => t.token_scope_read,
        TokenScope::Write => t.token_scope_write,
    }
}

pub fn tokens_section(ctx: &PageContext, view: &TokensView) -> Markup {
    let t = ctx.t();
    let typed_scope = TokenScope::parse(&view.typed.scope).unwrap_or(TokenScope::Read);
    let scope_error = view
        .errors
        .iter()
        .find(|e| e.field == "scope")
        .map(|e| t.field_problem(e));
    html! {
        section.mt-4 #tokens aria-labelledby="tokens-title" {
            h2.h5 #tokens-title { (t.tokens_title) }
            p.small.text-body-secondary { (t.tokens_help) " " a href="/api/docs" { (t.tokens_docs) } }
            @if let Some(token) = view.new_token {
                div.alert.alert-success #new-token role="status" {
                    p.mb-2 { span aria-hidden="true" { "✓ " } (t.tokens_created) }
                    label.form-label.small for="new-token-value" { (t.tokens_created_label) }
                    input.form-control.font-monospace #new-token-value type="text" readonly
                        value=(token) autocomplete="off" spellcheck="false";
                }
            }
            @if view.tokens.is_empty() {
                p.text-body-secondary #no-tokens { (t.tokens_none) }
            } @else {
                ul.list-group.mb-3 #token-list {
                    @for token in view.tokens {
                        li.list-group-item.d-flex.flex-wrap.justify-content-between.align-items-center.gap-2
                            data-token=(token.id) {
                            div {
                                div.fw-semibold.text-break {
                                    (token.name) " "
                                    span.badge.border.text-body-secondary data-scope=(token.scope.code()) {
                                        (scope_name(t, token.scope))
                                    }
                                }
                                small.text-body-secondary.d-block {
                                    (t.tokens_made) " " (ctx.time(token.created_at)) " · "
                                    @match token.last_used_at {
                                        Some(used) => { (t.tokens_last_used) " " (ctx.time(used)) }
                                        None => { (t.tokens_never_used) }
                                    }
                                    " · "
                                    @match token.expires_at {
                                        Some(lapse) => { (t.tokens_expires) " " (ctx.time(lapse)) }
                                        None => { (t.tokens_never_expires) }
                                    }
                                }
                            }
                            form method="post" action=(format!("/account/tokens/{}/revoke", token.id)) {
                                @if let Some(csrf) = &ctx.csrf_token { (csrf_field(csrf)) }
                                button.btn.btn-sm.btn-outline-danger type="submit"
                                    aria-label=(format!("{} {}", t.tokens_revoke, token.name)) {
                                    (t.tokens_revoke)
                                }
                            }
                        }
                    }
                }
            }
            form method="post" action="/account/tokens" #token-form novalidate {
                @if let Some(csrf) = &ctx.csrf_token { (csrf_field(csrf)) }
                (field_in(t, "token", Field { name: "name", label: t.tokens_name, input_type: "text",
                    value: &view.typed.name, hint: Some(t.tokens_name_hint), autocomplete: "off",
                    required: true, max_length: Some(NAME_MAX_CHARS) }, view.errors))
                fieldset.mb-3 aria-describedby=[scope_error.as_ref().map(|_| "token-scope-error")] {
                    legend.form-label.fs-6 { (t.tokens_scope) }
                    @for scope in [TokenScope::Read, TokenScope::Write] {
                        div.form-check {
                            input.form-check-input type="radio" name="scope" value=(scope.code())
                                id=(format!("token-scope-{}", scope.code())) checked[scope == typed_scope];
                            label.form-check-label for=(format!("token-scope-{}", scope.code())) {
                                (scope_name(t, scope)) ": "
                                (match scope { TokenScope::Read => t.tokens_scope_read_help,
                                               TokenScope::Write => t.tokens_scope_write_help })
                            }
                        }
                    }
                    @if let Some(message) = &scope_error {
                        div.invalid-feedback.d-block #token-scope-error { (message) }
                    }
                }
                (field_in(t, "token", Field { name: "expires", label: t.tokens_expires_label, input_type: "date",
                    value: &view.typed.expires, hint: Some(t.tokens_expires_hint), autocomplete: "off",
                    required: false, max_length: Some(10) }, view.errors))
                (field_in(t, "token", Field { name: "current_password", label: t.account_current_password,
                    input_type: "password", value: "", hint: Some(t.tokens_password_hint),
                    autocomplete: "current-password", required: true, max_length: None }, view.errors))
                button.btn.btn-primary type="submit" #create-token { (t.tokens_create) }
            }
        }
    }
}
