//! The like button: one component for the page and for the htmx response to a toggle.

use maud::{Markup, html};

use super::layout::csrf_field;
use crate::i18n::Texts;

/// What the button shows and where it posts.
pub struct LikeButton<'a> {
    pub action: String,
    /// Screen-reader name: "Like this question" / "Like this answer".
    pub label: &'a str,
    pub count: i64,
    pub liked: bool,
    /// The viewer wrote the post: the button is shown disabled.
    pub own_post: bool,
}

pub fn like_button(t: &Texts, csrf_token: Option<&str>, button: &LikeButton) -> Markup {
    html! {
        form.like-form.d-inline method="post" action=(button.action)
            hx-post=(button.action) hx-target="this" hx-swap="outerHTML" {
            @if let Some(token) = csrf_token { (csrf_field(token)) }
            button.btn.btn-sm.btn-outline-primary.active[button.liked] type="submit"
                aria-pressed=(if button.liked { "true" } else { "false" })
                disabled[button.own_post]
                title=[button.own_post.then_some(t.like_own_post)] {
                span aria-hidden="true" { "♥ " }
                span.visually-hidden { (button.label) ", " }
                (t.like) " "
                span.badge.text-bg-light data-like-count=(button.count) { (button.count) }
            }
        }
    }
}
