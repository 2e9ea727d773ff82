//! The front page: the question list area.

use maud::{Markup, html};

use super::{PageContext, layout::page};

pub fn home_page(ctx: &PageContext) -> Markup {
    let t = ctx.t();
    let content = html! {
        h1.h3.mb-4 { (t.questions_title) }
        section #question-list aria-label=(t.questions_title) {
            p.text-body-secondary { (t.questions_empty) }
        }
    };
    page(ctx, t.questions_title, content)
}
