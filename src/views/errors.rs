//! Error pages: in the layout for a page request, alone for an htmx fragment request.

use maud::{Markup, html};

use super::{
    PageContext,
    layout::{Head, page_with},
};

/// What an error page says.
pub struct ErrorView<'a> {
    pub status: u16,
    pub title: &'a str,
    pub message: &'a str,
    pub request_id: &'a str,
}

/// The error as a fragment (for htmx, which swaps it into the flash area).
pub fn error_fragment(ctx: &PageContext, error: &ErrorView) -> Markup {
    let t = ctx.t();
    html! {
        div.alert.alert-danger role="alert" data-status=(error.status) {
            strong { (error.title) } " " (error.message)
            " " small.text-body-secondary { (t.error_request_id) ": " code { (error.request_id) } }
        }
    }
}

/// The error as a full page.
pub fn error_page(ctx: &PageContext, error: &ErrorView) -> Markup {
    let t = ctx.t();
    let content = html! {
        section.py-4 #error data-status=(error.status) {
            p.display-6.text-body-secondary { (error.status) }
            h1.h3 { (error.title) }
            p.lead { (error.message) }
            p.small.text-body-secondary { (t.error_request_id) ": " code #request-id { (error.request_id) } }
            a.btn.btn-primary href="/" { (t.error_back_home) }
        }
    };
    let head = Head {
        noindex: true,
        ..Head::default()
    };
    page_with(ctx, error.title, &head, content)
}
