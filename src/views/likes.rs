//! The like button: one component for the page and for the htmx response to a toggle.

use maud::{Markup, html};

use super::{
    PageContext,
    layout::{csrf_field, login_href},
};

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

/// A form that toggles the like for a logged-in viewer; for a visitor, the same-looking link to log in (a
/// visitor's page carries no CSRF token, so it can be the same for every visitor).
pub fn like_button(ctx: &PageContext, button: &LikeButton) -> Markup {
    let t = ctx.t();
    // The state in a word and an icon as well as the button's colour.
    let face = html! {
        span aria-hidden="true" { (if button.liked { "♥ " } else { "♡ " }) }
        span.visually-hidden { (button.label) ", " }
        (if button.liked { t.liked } else { t.like }) " "
        span.badge.text-bg-light data-like-count=(button.count) { (button.count) }
    };
    if ctx.user.is_none() {
        return html! {
            a.like-link.btn.btn-sm.btn-outline-primary data-like="log-in" href=(login_href(&ctx.here)) title=(t.like_login) { (face) }
        };
    }
    html! {
        form.like-form.d-inline data-like="toggle" method="post" action=(button.action)
            hx-post=(button.action) hx-target="this" hx-swap="outerHTML" {
            @if let Some(token) = &ctx.csrf_token { (csrf_field(token)) }
            button.btn.btn-sm.btn-outline-primary.active[button.liked] type="submit"
                aria-pressed=(if button.liked { "true" } else { "false" })
                disabled[button.own_post]
                title=[button.own_post.then_some(t.like_own_post)] { (face) }
        }
    }
}
