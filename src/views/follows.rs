//! The follow button of a question or a tag: one component for the page and for the htmx response to a
//! toggle.

use maud::{Markup, html};

use super::{
    PageContext,
    layout::{csrf_field, login_href},
    urls,
};
use crate::domain::{ids::QuestionId, tags::TagName};

/// What the button shows and where it posts.
pub struct FollowButton<'a> {
    pub action: String,
    /// What following brings, for screen readers and as the title.
    pub label: &'a str,
    pub following: bool,
}

impl<'a> FollowButton<'a> {
    pub fn question(ctx: &'a PageContext, id: QuestionId, following: bool) -> Self {
        Self {
            action: urls::question_action(id, "follow"),
            label: ctx.t().follow_question_label,
            following,
        }
    }

    pub fn tag(ctx: &'a PageContext, name: &TagName, following: bool) -> Self {
        Self {
            action: format!("{}/follow", urls::tag(name, Default::default(), 1)),
            label: ctx.t().follow_tag_label,
            following,
        }
    }
}

/// A form that follows or stops following for a logged-in viewer; for a visitor, the same-looking link to
/// log in (a visitor's page is the same for every visitor).
pub fn follow_button(ctx: &PageContext, button: &FollowButton) -> Markup {
    let t = ctx.t();
    // The state in a word and an icon, not only the button's look.
    let face = html! {
        @if button.following { span aria-hidden="true" { "✓ " } } @else { (super::notifications::bell()) " " }
        (if button.following { t.following } else { t.follow })
    };
    if ctx.user.is_none() {
        return html! {
            a.btn.btn-sm.btn-outline-secondary data-follow="log-in" href=(login_href(&ctx.here))
                title=(t.follow_login) { (face) }
        };
    }
    html! {
        form.d-inline data-follow=(if button.following { "following" } else { "not-following" })
            method="post" action=(button.action)
            hx-post=(button.action) hx-target="this" hx-swap="outerHTML" {
            @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
            // The state this button asks for, not "the other one": a stale button does what it says.
            input type="hidden" name="follow" value=(if button.following { "false" } else { "true" });
            button.btn.btn-sm.btn-outline-secondary.active[button.following] type="submit"
                aria-pressed=(if button.following { "true" } else { "false" })
                title=(button.label) {
                (face)
                span.visually-hidden { ": " (button.label) }
            }
        }
    }
}
